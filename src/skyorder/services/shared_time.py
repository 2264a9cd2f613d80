"""Sandbox time shared by several processes on one database (scale mode).

Each process keeps the sandbox clocks in memory; an advance or a reset is saved in the
database by the process that made it. Before a process reads an organisation's time it
catches up with what is saved (one small read), so an advance made through one API
process shows in the next request to any other.
"""

from __future__ import annotations

from skyorder.core.clock import OrganisationClocks
from skyorder.store.uow import UnitOfWorkFactory


def catch_up(new_uow: UnitOfWorkFactory, clocks: OrganisationClocks, organisation_id: str) -> None:
    """Bring this process's server clock and ``organisation_id``'s up to the saved time."""
    if not clocks.sandbox:
        return
    with new_uow(readonly=True, autocommit=True) as uow:
        shared = uow.clock.shared_time(organisation_id)
    clocks.catch_up(organisation_id, shared)
