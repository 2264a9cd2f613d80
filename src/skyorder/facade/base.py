"""What every resource of the façade shares: the runtime it was built from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skyorder.services.shared_time import catch_up

if TYPE_CHECKING:
    from skyorder.core.clock import Clock
    from skyorder.core.tenants import Principal
    from skyorder.runtime import Runtime


class Resource:
    """One resource of the façade; its methods are the use cases front ends call."""

    def __init__(self, runtime: Runtime) -> None:
        self._rt = runtime

    def _clock(self, principal: Principal) -> Clock:
        """The caller's organisation's clock: its business time (its own in the sandbox),
        caught up with other processes' advances where they share it."""
        if self._rt.shares_clock:
            catch_up(self._rt.uow, self._rt.clocks, principal.organisation_id)
        return self._rt.clocks.of(principal.organisation_id)
