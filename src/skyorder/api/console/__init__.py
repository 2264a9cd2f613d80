"""Pages for people: the web console (sign-in, map, orders) and the hosted sandbox checkout."""

from __future__ import annotations

from skyorder.api.console import app, checkout, sign_in
from skyorder.api.frontend import FrontEnd

FRONT_END = FrontEnd(
    name="console",
    routers=(sign_in.router, app.router, checkout.router),
    owns=("/checkout", "/console"),
)
