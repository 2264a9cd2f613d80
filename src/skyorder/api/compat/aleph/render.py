"""Core orders, captures and deliverables in the shapes Aleph's documents show.

Orders and captures are GeoJSON Features (lists: FeatureCollections with ``count``,
``next`` and ``previous``); deliverables are plain objects in a ``results`` page.
Every value comes from the core: names from the façade's ``Names``, asset links
signed by the façade.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skyorder.api.compat.aleph.wire import entity_time, render_id, zulu_time
from skyorder.core.captures import Capture
from skyorder.core.deliverables import Deliverable
from skyorder.core.events import Event
from skyorder.core.names import Names
from skyorder.core.orders import Order, OrderItem
from skyorder.core.users import Actor
from skyorder.schemas.common import event_summary_json

ASSET_ROLES = {
    "visual": ("image/tiff; application=geotiff", ["data"]),
    "preview": ("image/png", ["overview"]),
    "delivery": ("application/zip", ["data"]),
    "thumbnail": ("image/png", ["thumbnail"]),
}
"""The assets Aleph shows, with the media type and roles it documents for each."""


def event_json(event: Event | None) -> dict[str, Any] | None:
    """An entity's ``latest_event`` (its time with ``Z``)."""
    summary = event_summary_json(event)
    return {**summary, "timestamp": zulu_time(summary["timestamp"])} if summary else None


def _creator(actor: Actor | None) -> str | None:
    """``created_by``: the user's id, or the API client of a service account."""
    if actor is None:
        return None
    return actor.user_id or actor.client_id


def _main_item(order: Order) -> OrderItem:
    return next((i for i in order.items if i.tasking is not None), order.items[0])


def _parameters(item: OrderItem) -> dict[str, Any]:
    if (t := item.tasking) is not None:
        return {
            "start": zulu_time(t.window_start),
            "end": zulu_time(t.window_end),
            "revisit_period": t.revisit_period,
            "min_ona": t.min_off_nadir,
            "max_ona": t.max_off_nadir,
            "max_cloud_cover": t.max_cloud_cover,
            "priority": t.priority.value,
            "processing_levels": list(t.processing_levels),
        }
    a = item.archive
    assert a is not None
    return {
        "collection": a.collection,
        "scene_id": a.item_id,
        "processing_level": a.processing_level,
    }


def order_feature(order: Order, names: Names) -> dict[str, Any]:
    """An order as a Feature: its main item's AOI, its terms and parameters."""
    item = _main_item(order)
    return {
        "type": "Feature",
        "geometry": item.aoi,
        "properties": {
            "order_id": order.number,
            "contract_id": render_id("contract", order.contract_id),
            "contract_name": names.contracts.get(order.contract_id),
            "project_id": render_id("project", order.project_id) if order.project_id else None,
            "project_name": names.projects.get(order.project_id or ""),
            "sku": item.product,
            "product_name": names.products.get(item.product),
            "order_name": order.name,
            "status": order.status.value,
            "task_id": item.task_id,
            "parameters": _parameters(item),
            "created_by": _creator(order.created_by),
            "user_email": order.created_by.email if order.created_by else None,
            "created_at": entity_time(order.created_at),
            "updated_at": entity_time(order.updated_at),
            "latest_event": event_json(order.latest_event),
        },
    }


def capture_feature(capture: Capture) -> dict[str, Any]:
    """A capture attempt as a Feature over its imaged centre line."""
    g = capture.geometry
    return {
        "type": "Feature",
        "geometry": capture.center_line,
        "properties": {
            "capture_id": capture.id,
            "satellite": capture.satellite,
            "status": capture.status.value,
            "start": entity_time(capture.start),
            "end": entity_time(capture.end),
            "order": capture.order_number,
            "created_at": entity_time(capture.created_at),
            "updated_at": entity_time(capture.updated_at),
            "metadata": {
                "min_absolute_off_nadir": g.min_absolute_off_nadir,
                "max_absolute_off_nadir": g.max_absolute_off_nadir,
                "min_sun_elevation": g.min_sun_elevation,
                "max_sun_elevation": g.max_sun_elevation,
                "priority": capture.priority_rank,
            },
            "latest_event": event_json(capture.latest_event),
        },
    }


def _assets(d: Deliverable, base_url: str, links: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (media_type, roles) in ASSET_ROLES.items():
        asset = d.assets.get(key)
        if asset is not None and asset.path in links:
            out[key] = {"href": base_url + links[asset.path], "type": media_type, "roles": roles}
    return out


def deliverable_json(
    d: Deliverable, names: Names, base_url: str, links: Mapping[str, str]
) -> dict[str, Any]:
    """A deliverable as Aleph lists it (status in capitals, asset links that download)."""
    billing = d.billing_details
    return {
        "deliverable_id": render_id("deliverable", d.id),
        "contract": render_id("contract", d.contract_id),
        "created_by": _creator(d.created_by),
        "order": d.order_number,
        "status": d.status.value.upper(),
        "footprint": d.footprint,
        "assets": _assets(d, base_url, links),
        "order_name": names.orders.get(d.order_id),
        "activity_outcome_id": d.capture_id or (d.metadata or {}).get("scene_id"),
        "processing_level": d.processing_level,
        "created_at": entity_time(d.created_at),
        "updated_at": entity_time(d.updated_at),
        "delivered_at": entity_time(d.delivered_at),
        "rejected_at": entity_time(d.rejected_at),
        "metadata": d.metadata,
        "tags": list(d.tags),
        "user_email": d.created_by.email if d.created_by else None,
        "latest_event": event_json(d.latest_event),
        "billing_details": (
            {"billable_sqkm": billing.billable_sqkm, "billable_sku": billing.billable_sku}
            if billing
            else None
        ),
    }
