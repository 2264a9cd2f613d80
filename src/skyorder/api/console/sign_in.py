"""Console sign-in, sign-out and invitations: server-rendered forms and the session cookie.

The session cookie is HttpOnly, SameSite=Strict, and Secure when the server is reached
over HTTPS. Every form here carries a CSRF token: before sign-in, a random value also
set in a short-lived cookie (the double-submit pattern); after, the session's own.
"""

from __future__ import annotations

import hmac
import secrets
from html import escape
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skyorder.api.console.page import page
from skyorder.api.deps import SESSION_COOKIE, FacadeDep
from skyorder.core.errors import (
    AuthenticationFailed,
    NotFound,
    TooManyAttempts,
    ValidationFailed,
)
from skyorder.facade import Facade
from skyorder.facade.sign_in import Session

router = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)

CsrfField = Annotated[str, Form(max_length=100)]
PasswordField = Annotated[str, Form(max_length=1024)]

FORM_COOKIE = "skyorder_form"
"""The pre-sign-in CSRF cookie (double submit): the form's hidden field must match it."""

SIGN_IN = """<main class="narrow"><h1>Sign in to skyorder</h1>{error}
<form method="post" action="/console/sign-in" id="sign-in">
<input type="hidden" name="csrf" value="{csrf}">
<label>Email <input name="email" id="email" type="email" autocomplete="username" required
 value="{email}"></label>
<label>Password <input name="password" id="password" type="password"
 autocomplete="current-password" required></label>
<button type="submit" id="sign-in-button">Sign in</button></form>
<p><small>No password yet? Ask an administrator of your organisation for an invitation.
</small></p></main>"""

INVITATION = """<main class="narrow"><h1>Choose your password</h1>{error}
<form method="post" action="/console/invitation/{token}" id="invitation">
<input type="hidden" name="csrf" value="{csrf}">
<label>New password (10 characters or more)
<input name="password" id="password" type="password" autocomplete="new-password" required
 minlength="10"></label>
<button type="submit">Save and sign in</button></form></main>"""


def secure(request: Request, base_url: str) -> bool:
    """Whether cookies must be Secure: the server is reached over HTTPS."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded == "https" or base_url.startswith("https:")


def _form_page(request: Request, base_url: str, body: str, status: int = 200) -> HTMLResponse:
    csrf = secrets.token_urlsafe(24)
    response = page("skyorder: sign in", body.replace("{csrf}", csrf), status)
    response.set_cookie(
        FORM_COOKIE,
        csrf,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=secure(request, base_url),
        path="/console",
    )
    return response


def _check_form(request: Request, csrf: str) -> None:
    expected = request.cookies.get(FORM_COOKIE, "")
    if not (expected and csrf and hmac.compare_digest(expected, csrf)):
        raise AuthenticationFailed(
            "the form's CSRF token is missing or does not match: reload the sign-in page"
        )


def _error(message: str) -> str:
    return f'<p class="problem" id="problem" role="alert">{escape(message)}</p>'


def _signed_in(request: Request, facade: Facade, session: Session) -> RedirectResponse:
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=facade.settings.session_ttl_seconds,  # the server ends it then too
        httponly=True,
        samesite="strict",
        secure=secure(request, facade.base_url),
        path="/",
    )
    response.delete_cookie(FORM_COOKIE, path="/console")
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, facade: FacadeDep) -> HTMLResponse:
    """The sign-in form."""
    body = SIGN_IN.format(error="", email="", csrf="{csrf}")
    return _form_page(request, facade.base_url, body)


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    facade: FacadeDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: PasswordField = "",
    csrf: CsrfField = "",
) -> Response:
    """Check the email and password; on success set the session cookie and open the console.

    After 5 failed attempts for an email (or 20 from one address) within 15 minutes,
    further attempts are refused with 429 and Retry-After for 15 minutes (settings
    ``sign_in_*``); a success clears the email's count.
    """
    client = request.client.host if request.client else "unknown"
    try:
        _check_form(request, csrf)
        session = facade.sign_ins.sign_in(email, password, client)
    except (AuthenticationFailed, TooManyAttempts) as exc:
        body = SIGN_IN.format(error=_error(exc.detail), email=escape(email), csrf="{csrf}")
        if isinstance(exc, TooManyAttempts):
            response = _form_page(request, facade.base_url, body, status=429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        return _form_page(request, facade.base_url, body, status=401)
    return _signed_in(request, facade, session)


@router.post("/sign-out")
def sign_out(
    request: Request, facade: FacadeDep, csrf: CsrfField = ""
) -> RedirectResponse:
    """End the session (the form carries the session's CSRF token) and forget the cookie."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        facade.sign_ins.check_csrf(token, csrf)
        try:
            facade.sign_ins.sign_out(token)
        except AuthenticationFailed:
            pass  # an ended session: signing out again changes nothing
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invitation/{token}", response_class=HTMLResponse)
def invitation_page(token: str, request: Request, facade: FacadeDep) -> HTMLResponse:
    """The form in which an invited user chooses a password."""
    body = INVITATION.format(error="", token=escape(token), csrf="{csrf}")
    return _form_page(request, facade.base_url, body)


@router.post("/invitation/{token}", response_model=None)
def accept_invitation(
    token: str,
    request: Request,
    facade: FacadeDep,
    password: PasswordField = "",
    csrf: CsrfField = "",
) -> Response:
    """Save the chosen password and sign in."""
    try:
        _check_form(request, csrf)
        session = facade.sign_ins.accept_invitation(token, password)
    except (AuthenticationFailed, NotFound, ValidationFailed) as exc:
        message = exc.errors[0].message if exc.errors else exc.detail
        body = INVITATION.format(error=_error(message), token=escape(token), csrf="{csrf}")
        status = 422 if isinstance(exc, ValidationFailed) else 401
        return _form_page(request, facade.base_url, body, status=status)
    return _signed_in(request, facade, session)
