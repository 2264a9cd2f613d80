"""The frame every console page shares: the bundled stylesheet and a main element."""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

FRAME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>{meta}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
</head><body>{body}</body></html>"""

SECURITY_HEADERS = {
    # Nothing but the server itself: no CDN, no tile server, no other host.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def page(
    title: str, body: str, status: int = 200, meta: dict[str, str] | None = None
) -> HTMLResponse:
    """A console page: ``body`` is trusted HTML; ``meta`` values are escaped."""
    tags = "".join(
        f'\n<meta name="{escape(name)}" content="{escape(value)}">'
        for name, value in (meta or {}).items()
    )
    html = FRAME.format(title=escape(title), meta=tags, body=body)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
