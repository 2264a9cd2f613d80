"""Listing queries: the filters, operators and paging every list endpoint shares.

Query parameters look like ``status=a,b``, ``updated_at__gte=2025-08-26T17:29:05Z``
or ``start__gt=2025-11-09`` (as in the Aleph documents). Each list declares
which fields it filters and with which operators; anything else is refused
with a message that lists what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.geometry import BBox, parse_bbox

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000


class Op(StrEnum):
    """Comparison operators, spelled as the ``__op`` suffix of a parameter."""

    EQ = "eq"
    IN = "in"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    CONTAINS = "contains"
    NE = "ne"
    """Anything but the value (an absent value included)."""


class FieldType(StrEnum):
    """How a filter value is parsed."""

    TEXT = "text"
    TIME = "time"
    CHOICE = "choice"


RANGE_OPS = frozenset({Op.GT, Op.GTE, Op.LT, Op.LTE})


@dataclass(frozen=True)
class FieldSpec:
    """One filterable field: its type, operators and (for choices) allowed values."""

    type: FieldType
    ops: frozenset[Op] = frozenset({Op.EQ})
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One parsed filter: ``field op value``; ``value`` is a tuple for ``in``."""

    field: str
    op: Op
    value: str | datetime | tuple[str, ...]


@dataclass(frozen=True)
class ListQuery:
    """A parsed list request: conditions, optional bbox and the page wanted."""

    conditions: tuple[Condition, ...] = ()
    bbox: BBox | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    count_limit: int | None = None
    """Count the matches only up to this many (None: count them all); a list that has more
    says so (``PageResult.count_limit_reached``) and still pages through all of them."""

    def where(self, name: str) -> list[Condition]:
        """The conditions on one field."""
        return [c for c in self.conditions if c.field == name]


class PageResult(Generic[T]):
    """One page of a list, with the total count of matches.

    The count may be given as a call that finishes computing it (a repository may
    count beside reading the page); it is resolved, once, when first read.
    """

    def __init__(
        self,
        count: int | Callable[[], int],
        items: Sequence[T],
        limit: int,
        offset: int,
        count_limit: int | None = None,
    ) -> None:
        self._count = count
        self.items = items
        self.limit = limit
        self.offset = offset
        self.count_limit = count_limit

    def _counted(self) -> int:
        if not isinstance(self._count, int):
            self._count = int(self._count())
        return self._count

    @property
    def count(self) -> int:
        """The number of matches over every page (at most ``count_limit``)."""
        counted = self._counted()
        return counted if self.count_limit is None else min(counted, self.count_limit)

    def with_items(self, items: Sequence[U]) -> PageResult[U]:
        """The same page (count, paging, count limit) holding other items, e.g. in detail."""
        return PageResult(self._counted, items, self.limit, self.offset, self.count_limit)

    @property
    def count_limit_reached(self) -> bool:
        """Whether counting stopped at ``count_limit``: there are more matches than ``count``."""
        return self.count_limit is not None and self._counted() > self.count_limit

    @property
    def has_next(self) -> bool:
        """Whether there are matches after this page (past a count limit: a full page)."""
        if self.count_limit_reached:
            return len(self.items) == self.limit
        return self.offset + len(self.items) < self.count


def parse_time(value: str, field_name: str) -> datetime:
    """Parse RFC 3339 / ISO 8601 (a bare date means midnight UTC; naive means UTC)."""
    text = value.strip().strip('"')
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return datetime(d.year, d.month, d.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValidationFailed.on(
            field_name, f"{value!r} is not a date or time such as 2025-11-09T17:35:32Z"
        ) from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed.on(field_name, f"{value!r} is outside the supported dates") from None


def _int(value: str, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValidationFailed.on(name, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise ValidationFailed.on(name, f"must be between {low} and {high}")
    return number


def _condition(name: str, op: Op, raw: str, spec: FieldSpec, param: str) -> Condition:
    if spec.type is FieldType.TIME:
        return Condition(name, op, parse_time(raw, param))
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    if not values:
        raise ValidationFailed.on(param, "must not be empty")
    if spec.type is FieldType.CHOICE:
        lowered = {c.lower(): c for c in spec.choices}
        bad = [v for v in values if v.lower() not in lowered]
        if bad:
            raise ValidationFailed.on(
                param, f"unknown value {bad[0]!r}; use one of {', '.join(spec.choices)}"
            )
        values = tuple(lowered[v.lower()] for v in values)
    if op is Op.EQ and len(values) > 1:
        return Condition(name, Op.IN, values)
    if op is Op.IN:
        return Condition(name, Op.IN, values)
    return Condition(name, op, values[0])


def parse_list_query(
    params: Mapping[str, str],
    fields: Mapping[str, FieldSpec],
    *,
    spatial: bool = False,
    ignore: frozenset[str] = frozenset(),
) -> ListQuery:
    """Turn query parameters into a ListQuery, refusing unknown fields and operators."""
    errors: list[FieldError] = []
    conditions: list[Condition] = []
    limit, offset, bbox = DEFAULT_LIMIT, 0, None
    for param, raw in params.items():
        try:
            if param == "limit":
                limit = _int(raw, param, 1, MAX_LIMIT)
            elif param == "offset":
                offset = _int(raw, param, 0, 10**9)
            elif param == "bbox" and spatial:
                bbox = parse_bbox(raw)
            elif param not in ignore:
                name, _, op_text = param.partition("__")
                spec = fields.get(name)
                if spec is None:
                    allowed = sorted([*fields, "limit", "offset", *(["bbox"] if spatial else [])])
                    raise ValidationFailed.on(
                        param, f"unknown filter; this list filters by {', '.join(allowed)}"
                    )
                op = Op.EQ if not op_text else Op.__members__.get(op_text.upper())
                if op is None or op not in spec.ops:
                    ops = ", ".join(
                        f"{name}__{o.value}" for o in sorted(spec.ops) if o is not Op.EQ
                    )
                    exact = f"{name} (exact)" if Op.EQ in spec.ops else ""
                    raise ValidationFailed.on(
                        param,
                        f"unknown operator {op_text!r}; use "
                        + ", ".join(x for x in (exact, ops) if x),
                    )
                conditions.append(_condition(name, op, raw, spec, param))
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed.of(errors)
    return ListQuery(tuple(conditions), bbox, limit, offset)


TIME_FILTER = FieldSpec(FieldType.TIME, RANGE_OPS | {Op.EQ})
TEXT_FILTER = FieldSpec(FieldType.TEXT, frozenset({Op.EQ, Op.IN}))


def choice_filter(choices: Sequence[str]) -> FieldSpec:
    """A filter over a fixed set of values that accepts a comma list."""
    return FieldSpec(FieldType.CHOICE, frozenset({Op.EQ, Op.IN}), tuple(choices))
