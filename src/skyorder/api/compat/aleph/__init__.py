"""Satellogic Aleph Orders API v2 (``/v2``): callers send ``authorizationtoken``.

Only the registration is here so far: the ``/v2`` routes are not built yet, and
their paths answer 404 (the issue that builds them says what they must answer).
"""

from __future__ import annotations

from skyorder.api.deps import Callers
from skyorder.api.frontend import FrontEnd

FRONT_END = FrontEnd(
    name="aleph",
    routers=(),
    owns=("/v2",),
    callers=Callers(
        authorization_headers=("authorizationtoken", "authorization"),
        key_headers=(),
        contract_header="x-contract-id",
    ),
)
