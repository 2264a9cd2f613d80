"""The front-end interface: what a front end declares to plug into the server.

A front end is one package under ``api/`` exporting a ``FRONT_END``: its routers,
where they are served, how its callers authenticate and pick a contract, how it
renders ids, how it words the core's errors (field names, hints) and renders
them, and its OpenAPI tag. ``api/app.py`` registers every front end of
``FRONT_ENDS``; adding a front end is adding a package and one line there.
Front ends share nothing but the façade, the dependencies of ``api/deps.py``
and the error table of ``api/errors.py``; none imports another. A front end may
*borrow* another's routes under a prefix of its own (DataCosmos serves the STAC
API where its documents put it) without importing it: the registry lends them.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from skyorder.api.deps import NATIVE_CALLERS, Callers
from skyorder.api.errors import Words, domain_problem
from skyorder.core.errors import DomainError

ErrorRenderer = Callable[[DomainError, Words], Response]


@dataclass(frozen=True)
class FrontEnd:
    """One front end, as it registers itself."""

    name: str
    routers: Sequence[APIRouter]
    prefixes: Sequence[str] = ("",)
    """Where its routers are served (each router keeps its own path prefix too)."""
    owns: Sequence[str] = ()
    """The URL prefixes whose errors it renders (requests under none: the native renderer)."""
    callers: Callers = NATIVE_CALLERS
    words: Words = field(default_factory=Words)
    render_error: ErrorRenderer | None = None
    """None: RFC 9457 problem+json (``api/errors.py``)."""
    render_id: Callable[[str, str], str] = lambda _kind, value: value
    """The wire form of an entity's id (e.g. a prefix or a zero-padded number)."""
    tag: str | None = None
    description: str = ""
    borrows: Mapping[str, str] = field(default_factory=dict)
    """Other front ends' routes it serves too: their name -> the prefix it serves them at."""
    sandbox_only: bool = False

    def include(self, app: FastAPI, prefix: str, *, in_schema: bool = True) -> None:
        """Serve this front end's routers under ``prefix``; routes know where they are mounted."""
        mounted = _mounted_at(prefix)
        for router in self.routers:
            app.include_router(
                router,
                prefix=prefix,
                include_in_schema=in_schema,
                dependencies=[Depends(mounted)],
            )


def _mounted_at(prefix: str) -> Callable[[Request], Coroutine[Any, Any, None]]:
    async def mounted(request: Request) -> None:  # async: no thread-pool hop per request
        request.state.mount = prefix

    return mounted


def mount_of(request: Request, default: str) -> str:
    """The prefix the request's front end is served at (``default`` before routing)."""
    return str(getattr(request.state, "mount", default) or default)


@dataclass
class Registry:
    """The registered front ends, and which one answers for a path."""

    front_ends: list[FrontEnd] = field(default_factory=list)
    _owners: list[tuple[str, FrontEnd]] = field(default_factory=list)

    def register(self, app: FastAPI, front_end: FrontEnd, *, sandbox: bool) -> None:
        """Serve a front end, lend it the routes it borrows, and record what it owns."""
        if front_end.sandbox_only and not sandbox:
            return
        self.front_ends.append(front_end)
        for prefix in front_end.prefixes:
            front_end.include(app, prefix)
        for prefix in front_end.owns:
            self._owners.append((prefix, front_end))
        if front_end.tag and front_end.description:
            tags: list[dict[str, Any]] = app.openapi_tags or []
            tags.append({"name": front_end.tag, "description": front_end.description})
            app.openapi_tags = tags

    def lend(self, app: FastAPI) -> None:
        """Serve borrowed routes (after every front end is registered)."""
        by_name = {f.name: f for f in self.front_ends}
        for borrower in self.front_ends:
            for name, prefix in borrower.borrows.items():
                lender = by_name[name]
                lender.include(app, prefix, in_schema=False)
                self._owners.append((prefix, lender))

    def owner(self, path: str) -> FrontEnd:
        """The front end whose errors a request to ``path`` gets.

        The longest prefix a front end owns wins; paths no front end owns belong to
        the first registered (the native API).
        """
        matches = [(p, f) for p, f in self._owners if path == p or path.startswith(p + "/")]
        return max(matches, key=lambda m: len(m[0]))[1] if matches else self.front_ends[0]

    def error_renderer(self, path: str) -> tuple[ErrorRenderer, Words]:
        """How errors of a request to ``path`` are rendered, and in which words."""
        owner = self.owner(path)
        return owner.render_error or domain_problem, owner.words

    def credential_cookies(self) -> set[str]:
        """Every cookie any front end reads credentials from (the console's session)."""
        return {f.callers.session_cookie for f in self.front_ends if f.callers.session_cookie}

    def credential_headers(self) -> set[str]:
        """Every header any front end reads credentials from."""
        return {
            h.lower()
            for f in self.front_ends
            for h in (*f.callers.authorization_headers, *f.callers.key_headers)
        }
