"""Users: create and list the people of an organisation, and give them API clients.

An organisation's administrators manage its users through the API; the provider's
administrator bootstraps the first ones with ``skyorder admin create-user``.
"""

from __future__ import annotations

from skyorder.core.clock import Clock
from skyorder.core.errors import AlreadyExists, NotFound
from skyorder.core.ids import new_id
from skyorder.core.tenants import Principal, Role
from skyorder.core.users import NewUser, User, UserRole
from skyorder.services.tenants import ClientCredentials, create_client
from skyorder.store.uow import UnitOfWork

ADMINISTRATION = "administration"
"""The client id recorded for what the provider's administrator does (the CLI)."""


def acting_as_administrator(organisation_id: str) -> Principal:
    """The provider's administrator acting inside one organisation (the CLI)."""
    return Principal(organisation_id, ADMINISTRATION)


def add_user(uow: UnitOfWork, clock: Clock, principal: Principal, new: NewUser) -> User:
    """Add a user to the caller's organisation (an admin user or a service account may).

    Raises:
        PermissionDenied: the caller is a user below the admin role.
        ValidationFailed: a malformed email or an overlong name.
        AlreadyExists: the organisation already has a user with that email.
    """
    principal.require_user_role(UserRole.ADMIN, "adding a user")
    checked = new.checked()
    if uow.users.by_email(principal, checked.email) is not None:
        raise AlreadyExists(f"your organisation already has a user {checked.email}")
    user = User(
        id=new_id(),
        organisation_id=principal.organisation_id,
        email=checked.email,
        display_name=checked.display_name,
        role=checked.role,
        created_at=clock.now(),
    )
    uow.users.add(user)
    return user


def create_user(uow: UnitOfWork, clock: Clock, organisation_id: str, new: NewUser) -> User:
    """Add a user to an organisation as the provider's administrator (the CLI).

    Raises:
        NotFound: no such organisation.
    """
    if uow.tenants.get_organisation(organisation_id) is None:
        raise NotFound(f"organisation {organisation_id} not found")
    return add_user(uow, clock, acting_as_administrator(organisation_id), new)


def user_by_email(uow: UnitOfWork, organisation_id: str, email: str) -> User:
    """An organisation's user by email, or NotFound (the CLI)."""
    user = uow.users.by_email(acting_as_administrator(organisation_id), email.strip().lower())
    if user is None:
        raise NotFound(f"organisation {organisation_id} has no user {email}")
    return user


def create_user_client(
    uow: UnitOfWork,
    clock: Clock,
    user: User,
    name: str | None = None,
    roles: tuple[Role, ...] = (Role.CUSTOMER,),
) -> ClientCredentials:
    """An API client of ``user``: what it does is recorded as the user's doing."""
    return create_client(
        uow, clock, user.organisation_id, name or f"{user.email}'s API client", roles, user.id
    )


def list_users(uow: UnitOfWork, principal: Principal) -> list[User]:
    """The users of the caller's organisation, oldest first."""
    return uow.users.list(principal)


def get_user(uow: UnitOfWork, principal: Principal, user_id: str) -> User:
    """One user of the caller's organisation, or NotFound (also for another's user)."""
    user = uow.users.get(principal, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def mint_user_client(
    uow: UnitOfWork, clock: Clock, principal: Principal, user_id: str, name: str | None
) -> ClientCredentials:
    """A new API client of a user of the caller's organisation (an admin user may).

    The client has the customer role; what it does is recorded as the user's doing.

    Raises:
        PermissionDenied: the caller is a user below the admin role.
        NotFound: no such user in the caller's organisation.
    """
    principal.require_user_role(UserRole.ADMIN, "minting an API key for a user")
    user = get_user(uow, principal, user_id)
    return create_user_client(uow, clock, user, (name or "").strip()[:200] or None)
