"""Tasking use cases: satellites, opportunities and feasibility.

The constellation and one ephemeris cache live on the runtime; every search goes through
``find_opportunities`` so a second request over the same days reuses the propagated
orbits. The cloud outlook is a port (``skyorder.core.feasibility.CloudOutlook``): the
runtime plugs in the simulator's weather model (``skyorder.sim.weather``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry

from skyorder.core.clock import Clock
from skyorder.core.errors import Hint, NotFound
from skyorder.core.feasibility import (
    Checked,
    CloudOutlook,
    Feasibility,
    Limits,
    Pass,
    assess,
    search_span,
)
from skyorder.core.geometry import DEFAULT_MAX_VERTICES, parse_aoi
from skyorder.core.opportunities import Opportunity, OpportunityRequest, validate_search
from skyorder.core.order_requests import (
    OrderingContext,
    TaskingItemRequest,
    build_tasking_item,
)
from skyorder.core.orders import FeasibilityStatus, Order, OrderItem
from skyorder.core.products import Product
from skyorder.core.tenants import Principal
from skyorder.orbits import (
    AccessConstraints,
    Constellation,
    EphemerisCache,
    Satellite,
    find_access_windows,
)
from skyorder.orbits.ephemeris import EphemerisSlice
from skyorder.store.uow import UnitOfWork, UnitOfWorkFactory


class SharedEphemerisCache(EphemerisCache):
    """An ephemeris cache the request threads can share (one lookup or fill at a time)."""

    def __init__(self, step_s: float = 60.0, max_entries: int = 4) -> None:
        super().__init__(step_s, max_entries)
        self._lock = threading.Lock()

    def get(
        self, satellites: Sequence[Satellite], start_s: float, end_s: float
    ) -> tuple[list[Any], EphemerisSlice]:
        """As ``EphemerisCache.get``, under a lock."""
        with self._lock:
            return super().get(satellites, start_s, end_s)


@dataclass(frozen=True)
class Orbits:
    """What tasking searches need from the runtime."""

    constellation: Constellation
    ephemeris: EphemerisCache
    cloud: CloudOutlook

    def fleet(self) -> dict[str, str]:
        """Every satellite's name and its sensor's name."""
        return {s.name: s.sensor.name for s in self.constellation.satellites}


def reference_point(aoi: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of a point inside the AOI, where its weather is looked up."""
    point = aoi if aoi.geom_type == "Point" else aoi.representative_point()
    return float(point.y), float(point.x)  # type: ignore[attr-defined]


def get_satellite(constellation: Constellation, ref: str) -> Satellite:
    """A satellite by name (any case) or NORAD catalogue number."""
    for sat in constellation.satellites:
        if sat.name.lower() == ref.lower() or str(sat.norad_id) == ref:
            return sat
    raise NotFound(f"satellite {ref} not found", hint=Hint.LIST_SATELLITES)


def find_opportunities(
    orbits: Orbits,
    products: dict[str, Product],
    request: OpportunityRequest,
    now: datetime,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> list[Opportunity]:
    """Every access window for a validated search, with its expected cloud, in time order.

    Raises:
        ValidationFailed: naming each invalid field.
    """
    search = validate_search(request, orbits.fleet(), products, now, max_vertices)
    constraints = AccessConstraints(
        max_off_nadir_deg=search.max_off_nadir,
        min_sun_elevation_deg=search.min_sun_elevation,
        satellites=search.satellites,
        sensors=search.sensors,
    )
    windows = find_access_windows(
        orbits.constellation.satellites,
        search.aoi,
        search.start,
        search.end,
        constraints,
        cache=orbits.ephemeris,
    )
    lat, lon = reference_point(search.aoi)
    return [Opportunity(w, orbits.cloud.expected_cloud(lat, lon, w.tca)) for w in windows]


def assess_item(orbits: Orbits, item: OrderItem, product: Product, now: datetime) -> Checked:
    """How feasible a (valid) tasking item is from ``now`` on."""
    assert item.tasking is not None and item.aoi is not None
    spec = item.tasking
    limits = Limits(spec.max_off_nadir, spec.max_cloud_cover, spec.min_off_nadir)
    aoi = parse_aoi(item.aoi)
    where = reference_point(aoi)
    span = search_span(spec.window_start, spec.window_end, now)
    if span is None:
        verdict = Feasibility(FeasibilityStatus.FAILED, "the window has ended", 0.0, ())
        return Checked(verdict, now, None)
    sensors = {s.name for s in orbits.constellation.sensors}
    if product.sensor is not None and product.sensor not in sensors:
        reason = f"no satellite carries sensor {product.sensor!r}, which {product.sku} needs"
        return Checked(Feasibility(FeasibilityStatus.FAILED, reason, 0.0, ()), now, span)
    constraints = AccessConstraints(
        sensors=frozenset({product.sensor}) if product.sensor is not None else None
    )
    windows = find_access_windows(
        orbits.constellation.satellites, aoi, span[0], span[1], constraints, cache=orbits.ephemeris
    )
    passes = [Pass(w.satellite.name, w.start, w.end, w.tca, w.off_nadir_min_deg) for w in windows]
    if limits.max_off_nadir_deg is None:
        limits = Limits(product.max_off_nadir, limits.max_cloud_cover_pct, limits.min_off_nadir_deg)
    return Checked(assess(passes, limits, orbits.cloud, where), now, span)


def check_request(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    orbits: Orbits,
    principal: Principal,
    request: TaskingItemRequest,
    max_vertices: int = DEFAULT_MAX_VERTICES,
) -> Checked:
    """Validate a tasking item as an order would and judge its feasibility; keep nothing."""
    with new_uow(readonly=True) as uow:
        contract = uow.tenants.get_contract(principal, principal.contract_for_write())
        if contract is None:
            raise NotFound("your contract was not found", hint=Hint.LIST_CONTRACTS)
        products = uow.products.all()
    now = clock.now()
    ctx = OrderingContext(contract, products, now, principal.actor, max_vertices)
    item = build_tasking_item(request, ctx)
    return assess_item(orbits, item, products[item.product], now)


def recheck_item(
    new_uow: UnitOfWorkFactory,
    clock: Clock,
    orbits: Orbits,
    principal: Principal,
    order_ref: str,
    item_id: str,
) -> tuple[Order, Checked]:
    """Judge an order item's feasibility again and stamp the verdict on it.

    The orbits are computed outside the write transaction; the item is then locked,
    checked to be still open, and stamped.

    Raises:
        NotFound: the order is not the caller's, or has no such item.
        Conflict: the item is an archive item or already final.
    """
    with new_uow(readonly=True) as uow:
        order, item = _order_item(uow, principal, order_ref, item_id, for_update=False)
        order.check_feasibility_applies(item)
        product = uow.products.all()[item.product]
    checked = assess_item(orbits, item, product, clock.now())
    with new_uow() as uow:
        order, item = _order_item(uow, principal, order_ref, item_id, for_update=True)
        verdict = checked.feasibility
        order.record_feasibility(item, verdict.status, verdict.reason, checked.checked_at)
        uow.orders.save(order)
        uow.commit()
    return order, checked


def _order_item(
    uow: UnitOfWork, principal: Principal, order_ref: str, item_id: str, *, for_update: bool
) -> tuple[Order, OrderItem]:
    order = uow.orders.get(principal, order_ref, for_update=for_update)
    if order is None:
        raise NotFound(f"order {order_ref} not found")
    item = order.item(item_id)
    if item is None:
        raise NotFound(f"order {order_ref} has no item {item_id}")
    return order, item
