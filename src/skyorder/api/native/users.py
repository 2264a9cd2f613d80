"""Users: the people of your organisation."""

from __future__ import annotations

from fastapi import APIRouter, Response

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.users import (
    InvitationOut,
    UserClientCreate,
    UserClientOut,
    UserCreate,
    UserOut,
)

router = APIRouter(prefix="/v1/users", tags=["users"])


@router.post("", response_model=UserOut, status_code=201, responses={403: {}, 409: {}})
def add_user(
    body: UserCreate, response: Response, facade: FacadeDep, principal: PrincipalDep
) -> UserOut:
    """Add a user to your organisation with a role: ``admin``, ``member`` or ``viewer``.

    Only an admin user (or a service account of the organisation) may add users;
    an email already in your organisation answers 409. Orders placed with an API
    client of the user show the user in ``created_by_user``.
    """
    user = facade.users.add(principal, body.to_new_user())
    response.headers["Location"] = f"/v1/users/{user.id}"
    return UserOut.of(user)


@router.get("", response_model=list[UserOut])
def list_users(facade: FacadeDep, principal: PrincipalDep) -> list[UserOut]:
    """List your organisation's users, oldest first."""
    return [UserOut.of(u) for u in facade.users.list(principal)]


@router.get("/{user_id}", response_model=UserOut)
def get_user(user_id: str, facade: FacadeDep, principal: PrincipalDep) -> UserOut:
    """Get one user of your organisation."""
    return UserOut.of(facade.users.get(principal, user_id))


@router.post(
    "/{user_id}/invitation", response_model=InvitationOut, status_code=201, responses={403: {}}
)
def invite_user(user_id: str, facade: FacadeDep, principal: PrincipalDep) -> InvitationOut:
    """Invite a user to the web console: a one-time link to choose a password (admins only).

    The link is shown only in this answer; a new invitation replaces an earlier one,
    and inviting a user who has a password lets them choose a new one.
    """
    invitation = facade.sign_ins.invite(principal, user_id)
    return InvitationOut(
        user_id=invitation.user.id,
        email=invitation.user.email,
        url=invitation.url,
        expires_at=invitation.expires_at,
    )


@router.post(
    "/{user_id}/clients", response_model=UserClientOut, status_code=201, responses={403: {}}
)
def mint_user_client(
    user_id: str, body: UserClientCreate, facade: FacadeDep, principal: PrincipalDep
) -> UserClientOut:
    """Mint an API client (id, secret and API key) for a user (admins only).

    The secret and key are shown only in this answer. What the client does is
    recorded as the user's doing; revoke it with ``POST /v1/clients/{id}/disable``.
    """
    creds = facade.users.mint_client(principal, user_id, body.name)
    return UserClientOut(
        client_id=creds.client_id, client_secret=creds.client_secret, api_key=creds.api_key
    )
