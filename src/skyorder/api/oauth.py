"""OAuth2 token endpoint: the client-credentials grant (RFC 6749 §4.4)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from skyorder.api.deps import FacadeDep
from skyorder.core.errors import AuthenticationFailed
from skyorder.core.nesting import MAX_NESTING, json_nesting
from skyorder.schemas.auth import OAuthErrorOut, TokenOut

router = APIRouter(tags=["auth"])


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="skyorder"'
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=headers
    )


async def _form(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        if json_nesting(body) > MAX_NESTING:
            return {"__invalid__": f"the body is nested more than {MAX_NESTING} levels deep"}
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return {"__invalid__": "the body is not valid JSON"}
        return data if isinstance(data, dict) else {"__invalid__": "the body must be a JSON object"}
    async with request.form() as form:
        return {k: v for k, v in form.items() if isinstance(v, str)}


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


@router.post(
    "/oauth/token",
    responses={
        200: {"model": TokenOut, "description": "An access token"},
        400: {"model": OAuthErrorOut, "description": "A malformed request or unsupported grant"},
        401: {"model": OAuthErrorOut, "description": "Unknown client or wrong secret"},
    },
)
async def token(request: Request, facade: FacadeDep) -> JSONResponse:
    """Exchange a client id and secret for a Bearer access token (JWT).

    Send ``grant_type=client_credentials``, ``client_id``, ``client_secret`` and
    optionally ``audience``, as a form or a JSON body (or the id and secret as
    HTTP Basic credentials). Errors follow RFC 6749 (``error``, ``error_description``).
    """
    data = await _form(request)
    if "__invalid__" in data:
        return _oauth_error(400, "invalid_request", str(data["__invalid__"]))
    grant = data.get("grant_type", "client_credentials")
    if grant != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is supported")
    basic = _basic(request)
    client_id = data.get("client_id") or (basic[0] if basic else None)
    secret = data.get("client_secret") or (basic[1] if basic else None)
    if not isinstance(client_id, str) or not isinstance(secret, str) or not client_id or not secret:
        return _oauth_error(400, "invalid_request", "client_id and client_secret are required")
    audience = data.get("audience")
    if audience is not None and not isinstance(audience, str):
        return _oauth_error(400, "invalid_request", "audience must be a string")
    try:
        issued = await run_in_threadpool(facade.auth.issue_token, client_id, secret, audience)
    except AuthenticationFailed as exc:
        return _oauth_error(401, "invalid_client", exc.detail)
    token = TokenOut(
        access_token=issued.access_token, token_type=issued.token_type, expires_in=issued.expires_in
    )
    return JSONResponse(token.model_dump(), headers={"Cache-Control": "no-store"})
