"""The filters each list offers, for front ends to parse list requests with."""

from __future__ import annotations

from skyorder.services.queries import (
    CAPTURE_FILTERS,
    DELIVERABLE_FILTERS,
    EVENT_FILTERS,
    ORDER_FILTERS,
    WEBHOOK_DELIVERY_FILTERS,
)

__all__ = [
    "CAPTURE_FILTERS",
    "DELIVERABLE_FILTERS",
    "EVENT_FILTERS",
    "ORDER_FILTERS",
    "WEBHOOK_DELIVERY_FILTERS",
]
