"""User roles, the validation of a new user, and the actor a principal records."""

from __future__ import annotations

import pytest

from skyorder.core.errors import PermissionDenied, ValidationFailed
from skyorder.core.tenants import Principal
from skyorder.core.users import Actor, NewUser, User, UserRole
from tests.unit.builders import T0


def user(role: UserRole) -> User:
    return User("u1", "org-1", "ada@example.com", "Ada", role, T0)


def test_a_new_users_email_is_lower_cased_and_the_name_defaults_to_its_local_part() -> None:
    assert NewUser(" Ada@Example.COM ").checked() == NewUser("ada@example.com", "ada")


@pytest.mark.parametrize("email", ["", "ada", "ada@", "@example.com", "a b@example.com", "ada@x"])
def test_a_malformed_email_is_refused_on_the_email_field(email: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        NewUser(email).checked()
    assert [e.field for e in caught.value.errors] == ["email"]


def test_each_role_may_do_what_the_roles_below_it_may() -> None:
    assert user(UserRole.ADMIN).may(UserRole.MEMBER)
    assert user(UserRole.MEMBER).may(UserRole.VIEWER)
    assert not user(UserRole.VIEWER).may(UserRole.MEMBER)
    assert not user(UserRole.MEMBER).may(UserRole.ADMIN)


def test_a_viewer_is_refused_with_a_message_naming_both_roles() -> None:
    principal = Principal("org-1", "cli-1", user=user(UserRole.VIEWER))
    with pytest.raises(PermissionDenied, match="needs the 'member' user role.*'viewer'"):
        principal.require_user_role(UserRole.MEMBER, "placing an order")


def test_a_service_account_passes_every_user_role_check() -> None:
    Principal("org-1", "cli-1").require_user_role(UserRole.ADMIN, "adding a user")


def test_a_principal_records_its_user_as_the_actor() -> None:
    assert Principal("org-1", "cli-1", user=user(UserRole.MEMBER)).actor == Actor(
        "cli-1", "u1", "ada@example.com"
    )
    assert Principal("org-1", "cli-1").actor.is_service_account


def test_choosing_no_contract_keeps_the_principals_user() -> None:
    principal = Principal("org-1", "cli-1", ("c1",), "c1", user=user(UserRole.VIEWER))
    assert principal.without_contract().user == principal.user
