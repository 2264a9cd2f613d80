"""Users: the people of your organisation."""

from __future__ import annotations

from fastapi import APIRouter, Response

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.users import UserCreate, UserOut

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
