"""The console's single page and its bundled assets.

The page is rendered for a signed-in user only, with what the browser code needs in
``<meta>`` tags (the session's CSRF token, the user, whether the server runs a
sandbox clock); the browser code then calls the native API with the session cookie.
The assets are built from ``console/`` at the repository's root by ``make console``
(esbuild) into ``static/`` beside this module, and served from the installed package.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from skyorder.api.console.page import SECURITY_HEADERS, page
from skyorder.api.deps import SESSION_COOKIE, FacadeDep
from skyorder.core.errors import AuthenticationFailed, NotFound

router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)

STATIC = Path(__file__).parent / "static"
ASSET_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}

SHELL = """<header class="bar"><strong>skyorder</strong>
<nav id="nav"></nav>
<span class="who" id="who">{email} ({role})</span>
<form method="post" action="/console/sign-out" class="inline">
<input type="hidden" name="csrf" value="{csrf}"><button id="sign-out">Sign out</button></form>
</header>
<div id="app"><noscript>The console needs JavaScript.</noscript>
<p id="missing-bundle" class="problem">Loading the console&hellip; (if this stays, the console
bundle was not built: run <code>make console</code>)</p></div>
<script src="/console/assets/console.js"></script>"""


@router.get("", response_model=None)
def console(request: Request, facade: FacadeDep) -> Response:
    """The console for a signed-in user; anyone else is sent to the sign-in page."""
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        user = facade.sign_ins.user(token) if token else None
    except AuthenticationFailed:
        user = None
    if user is None:
        return RedirectResponse("/console/sign-in", status_code=303)
    csrf = facade.sign_ins.csrf_token(token)
    body = SHELL.format(email=escape(user.email), role=escape(user.role.value), csrf=csrf)
    meta = {
        "skyorder-csrf": csrf,
        "skyorder-user": user.email,
        "skyorder-role": user.role.value,
        "skyorder-user-id": user.id,
        "skyorder-sandbox": "true" if facade.settings.sandbox else "false",
    }
    return page("skyorder console", body, meta=meta)


@router.get("/assets/{name}")
def asset(name: str) -> FileResponse:
    """A built asset of the console (a file name of the bundle, nothing else)."""
    suffix = Path(name).suffix
    path = STATIC / name
    if "/" in name or name.startswith(".") or suffix not in ASSET_TYPES or not path.is_file():
        raise NotFound(f"console asset {name} not found (build the console with `make console`)")
    # Revalidated on each load (ETag, Last-Modified): a new build is picked up at once.
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    return FileResponse(path, media_type=ASSET_TYPES[suffix], headers=headers)
