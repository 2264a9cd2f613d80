"""Identifiers: UUIDs for every entity, plus a human order number per organisation."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """Return a new random UUID as its canonical string."""
    return str(uuid.uuid4())


def is_uuid(value: str) -> bool:
    """Tell whether ``value`` is a canonical UUID string."""
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def format_order_number(sequence: int) -> str:
    """Format an organisation's order sequence number as shown to people (``000077``)."""
    return f"{sequence:06d}"
