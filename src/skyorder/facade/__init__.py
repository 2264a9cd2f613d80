"""The application façade: every use case a front end may call, one object per resource.

Front ends (``skyorder.api.*``) parse their wire format into core commands and
queries, call a method here with the caller's ``Principal``, and render the core
result. Each method owns its transaction: front ends never open a unit of work,
call a repository or commit. The runtime builds the façade once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skyorder.facade.account import Contracts, Organisations, Products, Projects
from skyorder.facade.auth import Auth
from skyorder.facade.catalog import Catalog
from skyorder.facade.checkout import Checkouts
from skyorder.facade.clients import Clients
from skyorder.facade.cloud_delivery import CloudDeliveries
from skyorder.facade.drafts import Drafts
from skyorder.facade.fulfilment import Captures, Deliverables, Downloads
from skyorder.facade.order_items import OrderItems
from skyorder.facade.order_views import OrderViews
from skyorder.facade.orders import Orders, Quotes
from skyorder.facade.reports import Reports
from skyorder.facade.sandbox import Sandbox
from skyorder.facade.sign_in import SignIns
from skyorder.facade.subscriptions import Subscriptions
from skyorder.facade.tasking import Tasking
from skyorder.facade.users import Users
from skyorder.facade.webhooks import Webhooks

if TYPE_CHECKING:
    from skyorder.runtime import Runtime
    from skyorder.settings import Settings


class Facade:
    """The platform's use cases, by resource."""

    def __init__(self, runtime: Runtime) -> None:
        self.settings: Settings = runtime.settings
        self.auth = Auth(runtime)
        self.orders = Orders(runtime)
        self.quotes = Quotes(runtime)
        self.products = Products(runtime)
        self.contracts = Contracts(runtime)
        self.organisations = Organisations(runtime)
        self.projects = Projects(runtime)
        self.captures = Captures(runtime)
        self.deliverables = Deliverables(runtime)
        self.downloads = Downloads(runtime)
        self.tasking = Tasking(runtime)
        self.catalog = Catalog(runtime)
        self.reports = Reports(runtime)
        self.webhooks = Webhooks(runtime)
        self.checkouts = Checkouts(runtime)
        self.clients = Clients(runtime)
        self.sandbox = Sandbox(runtime)
        self.users = Users(runtime)
        self.sign_ins = SignIns(runtime)
        self.order_views = OrderViews(runtime)
        self.subscriptions = Subscriptions(runtime)
        self.order_items = OrderItems(runtime)
        self.cloud_delivery = CloudDeliveries(runtime)
        self.drafts = Drafts(runtime)

    @property
    def base_url(self) -> str:
        """The address customers reach the server at (links in answers use it)."""
        return self.settings.base_url()
