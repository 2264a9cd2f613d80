"""The sandbox clock only moves forward; the fixed clock stands still."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skyorder.core.clock import (
    MAX_ADVANCE,
    FixedClock,
    OrganisationClocks,
    SandboxClock,
    SystemClock,
    advance_target,
    wall_clock,
)
from skyorder.core.errors import Conflict, ValidationFailed
from tests.unit.builders import T0


def test_a_fixed_clock_tells_its_time() -> None:
    assert FixedClock(T0).now() == T0


def test_a_fixed_clock_moves_only_when_set() -> None:
    clock = FixedClock(T0)
    clock.set(T0 + timedelta(days=1))
    assert clock.now() == T0 + timedelta(days=1)


def test_a_new_sandbox_clock_follows_its_base(sandbox: SandboxClock) -> None:
    assert sandbox.now() == T0
    assert sandbox.offset == timedelta(0)


def test_a_sandbox_clock_starts_at_its_initial_offset() -> None:
    clock = SandboxClock(offset=timedelta(hours=2), base=FixedClock(T0))
    assert clock.now() == T0 + timedelta(hours=2)


def test_advancing_moves_now_forward_and_returns_it(sandbox: SandboxClock) -> None:
    assert sandbox.advance(timedelta(days=30)) == T0 + timedelta(days=30)
    assert sandbox.now() == T0 + timedelta(days=30)


def test_advances_accumulate_in_the_offset(sandbox: SandboxClock) -> None:
    sandbox.advance(timedelta(hours=1))
    sandbox.advance(timedelta(hours=2))
    assert sandbox.offset == timedelta(hours=3)


def test_advancing_by_zero_is_allowed(sandbox: SandboxClock) -> None:
    assert sandbox.advance(timedelta(0)) == T0


def test_advancing_backwards_is_refused(sandbox: SandboxClock) -> None:
    with pytest.raises(Conflict) as exc:
        sandbox.advance(timedelta(seconds=-1))
    assert "only moves forward" in exc.value.detail
    assert sandbox.now() == T0


def test_advancing_to_a_later_moment_moves_there(sandbox: SandboxClock) -> None:
    target = datetime(2026, 3, 1, tzinfo=UTC)
    assert sandbox.advance_to(target) == target
    assert sandbox.offset == target - T0


def test_advancing_to_the_current_moment_is_allowed(sandbox: SandboxClock) -> None:
    assert sandbox.advance_to(T0) == T0


def test_advancing_to_an_earlier_moment_is_refused(sandbox: SandboxClock) -> None:
    sandbox.advance(timedelta(days=2))
    with pytest.raises(Conflict) as exc:
        sandbox.advance_to(T0 + timedelta(days=1))
    assert "only moves forward" in exc.value.detail
    assert sandbox.now() == T0 + timedelta(days=2)


def test_advancing_to_a_naive_moment_is_refused(sandbox: SandboxClock) -> None:
    with pytest.raises(Conflict) as exc:
        sandbox.advance_to(datetime(2026, 3, 1))
    assert "must carry a time zone" in exc.value.detail
    assert sandbox.now() == T0


def test_the_sandbox_clock_follows_a_moving_base() -> None:
    base = FixedClock(T0)
    clock = SandboxClock(offset=timedelta(hours=1), base=base)
    base.set(T0 + timedelta(minutes=5))
    assert clock.now() == T0 + timedelta(hours=1, minutes=5)


def test_the_system_clock_is_timezone_aware() -> None:
    assert SystemClock().now().tzinfo is UTC


def test_an_advance_by_seconds_leads_that_far() -> None:
    assert advance_target(T0, seconds=90, to=None) == T0 + timedelta(seconds=90)


def test_an_advance_to_a_moment_leads_there() -> None:
    assert advance_target(T0, seconds=None, to=T0 + timedelta(days=1)) == T0 + timedelta(days=1)


@pytest.mark.parametrize(
    ("seconds", "to", "field"),
    [
        (None, None, "body"),
        (1.0, T0, "body"),
        (None, datetime(2026, 2, 1), "to"),  # noqa: DTZ001 - a naive time is the point
        (None, T0 + MAX_ADVANCE + timedelta(seconds=1), "to"),
        (MAX_ADVANCE.total_seconds() + 1, None, "to"),
    ],
)
def test_an_advance_that_may_not_be_made_names_its_field(
    seconds: float | None, to: datetime | None, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        advance_target(T0, seconds=seconds, to=to)
    assert [e.field for e in refused.value.errors] == [field]


def test_an_advance_into_the_past_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="only moves forward"):
        advance_target(T0, seconds=None, to=T0 - timedelta(seconds=1))


def test_the_wall_clock_of_a_sandbox_clock_is_its_base() -> None:
    base = FixedClock(T0)
    sandbox = SandboxClock(base=base)
    sandbox.advance(timedelta(days=3))
    assert wall_clock(sandbox).now() == T0
    assert wall_clock(base) is base


def test_an_organisations_clock_moves_alone() -> None:
    server = SandboxClock(base=FixedClock(T0))
    clocks = OrganisationClocks(server)
    clocks.own("a").advance(timedelta(days=10))
    assert clocks.of("a").now() == T0 + timedelta(days=10)
    assert clocks.of("b").now() == T0
    assert clocks.of(None) is server
    assert clocks.ahead() == {"a": timedelta(days=10)}


def test_the_servers_advance_moves_every_organisation() -> None:
    server = SandboxClock(base=FixedClock(T0))
    clocks = OrganisationClocks(server, {"a": timedelta(hours=1)})
    server.advance(timedelta(days=1))
    assert clocks.of("a").now() == T0 + timedelta(days=1, hours=1)
    assert clocks.of("b").now() == T0 + timedelta(days=1)


def test_a_reset_clock_reads_the_servers_time_again() -> None:
    clocks = OrganisationClocks(SandboxClock(base=FixedClock(T0)), {"a": timedelta(days=2)})
    clocks.reset("a")
    assert clocks.of("a").now() == T0
    assert clocks.ahead() == {}


def test_following_another_process_sets_the_offset_either_way() -> None:
    clocks = OrganisationClocks(SandboxClock(base=FixedClock(T0)))
    clocks.follow("a", timedelta(hours=3))
    assert clocks.of("a").now() == T0 + timedelta(hours=3)
    clocks.follow("a", timedelta(0))
    assert clocks.of("a").now() == T0


def test_on_real_time_every_organisation_reads_the_server_clock() -> None:
    server = FixedClock(T0)
    clocks = OrganisationClocks(server)
    assert clocks.of("a") is server
    assert not clocks.sandbox
