"""Pages for people: the hosted sandbox checkout (and, later, the console)."""

from __future__ import annotations

from skyorder.api.console import checkout
from skyorder.api.frontend import FrontEnd

FRONT_END = FrontEnd(name="console", routers=(checkout.router,), owns=("/checkout",))
