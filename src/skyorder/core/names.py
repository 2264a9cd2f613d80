"""The names people know referenced entities by, beside their ids.

Some front ends show an order with its contract's, project's and product's names
(Aleph's ``contract_name``, ``project_name``, ``product_name``) or a deliverable with
its order's name; the façade reads them with the entities, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Names:
    """Names by id: the caller's contracts and projects, the products (by SKU), orders."""

    contracts: Mapping[str, str] = field(default_factory=dict)
    projects: Mapping[str, str] = field(default_factory=dict)
    products: Mapping[str, str] = field(default_factory=dict)
    orders: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Named(Generic[T]):
    """A read result with the names of what it refers to.

    ``links`` holds signed download paths by stored object key, for front ends whose
    vendor shows asset links that download without a token.
    """

    value: T
    names: Names
    links: Mapping[str, str] = field(default_factory=dict)
