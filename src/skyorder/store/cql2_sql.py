"""CQL2 (JSON form) to SQLAlchemy conditions on the catalog items table, for both databases.

Supported: ``and``/``or``/``not``, the comparisons, ``like``, ``in``, ``between``,
``isNull``, the spatial functions (``s_intersects`` ... ``s_crosses``) and the
temporal functions (``t_intersects``/``anyinteracts`` ... ``t_finishedBy``).
Properties resolve to their indexed columns (``eo:cloud_cover`` to
``cloud_cover``...) or else to a key of the item's JSON properties, compared
as the literal's type. Geometry tests are index-backed on both databases: see
``catalog_spatial``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql

from skyorder.core.catalog import QUERYABLES, QueryableType, parse_rfc3339, property_name
from skyorder.core.catalog_search import parse_search_bbox, parse_search_geometry
from skyorder.core.errors import ValidationFailed
from skyorder.store.catalog_spatial import spatial_condition
from skyorder.store.catalog_tables import catalog_items as items

COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
SPATIAL = ("s_intersects", "s_disjoint", "s_within", "s_contains", "s_equals") + (
    "s_touches",
    "s_overlaps",
    "s_crosses",
)
TEMPORAL = (
    "t_intersects",
    "anyinteracts",
    "t_disjoint",
    "t_before",
    "t_after",
    "t_equals",
    "t_during",
    "t_contains",
    "t_meets",
    "t_metby",
    "t_overlaps",
    "t_overlappedby",
    "t_starts",
    "t_startedby",
    "t_finishes",
    "t_finishedby",
)
NEG, POS = "-inf", "+inf"  # open ends of an interval


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed.on("filter", message)


@dataclass(frozen=True)
class _Prop:
    """A property reference: an indexed column, or a key of the JSON properties."""

    name: str
    kind: QueryableType | None  # None: a JSON property of unknown type
    column: Any = None


def resolve(name: str) -> _Prop:
    """The column (or JSON key) a property name refers to."""
    canonical = property_name(name)
    queryable = QUERYABLES.get(canonical)
    if queryable is not None and queryable.column is not None:
        return _Prop(canonical, queryable.type, items.c[queryable.column])
    if queryable is not None and queryable.type is QueryableType.ARRAY:
        return _Prop(canonical, QueryableType.ARRAY)
    return _Prop(canonical, None)


class FilterCompiler:
    """Translates one CQL2 JSON expression for one database dialect."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    # --- JSON properties ---------------------------------------------------------------------

    def json_text(self, name: str) -> Any:
        """The property as text (NULL when missing)."""
        if self.dialect == "postgresql":
            return items.c.properties.op("->>", return_type=String)(literal(name, String))
        return func.json_extract(items.c.properties, f'$."{name}"')

    def json_number(self, name: str) -> Any:
        """The property as a number, NULL when missing or not a number (never an error)."""
        if self.dialect == "postgresql":
            value = items.c.properties.op("->")(literal(name, String))
            text = items.c.properties.op("->>", return_type=String)(literal(name, String))
            return case((func.jsonb_typeof(value) == "number", cast(text, Float)), else_=None)
        extracted = func.json_extract(items.c.properties, f'$."{name}"')
        kind = func.json_type(items.c.properties, f'$."{name}"')
        return case((kind.in_(("integer", "real")), extracted), else_=None)

    def json_bool(self, name: str) -> Any:
        """The property as a boolean (NULL when missing or not a boolean)."""
        if self.dialect == "postgresql":
            value = items.c.properties.op("->")(literal(name, String))
            text = items.c.properties.op("->>", return_type=String)(literal(name, String))
            return case((func.jsonb_typeof(value) == "boolean", cast(text, Boolean)), else_=None)
        kind = func.json_type(items.c.properties, f'$."{name}"')
        return case((kind == "true", true()), (kind == "false", false()), else_=None)

    # --- operands ----------------------------------------------------------------------------

    def literal_value(self, node: Any) -> Any:
        """A literal's Python value (timestamps and dates become datetimes)."""
        if isinstance(node, dict):
            if "timestamp" in node:
                return parse_rfc3339(node["timestamp"], "filter")
            if "date" in node:
                try:
                    d = date.fromisoformat(str(node["date"]))
                except ValueError:
                    raise _bad(f"{node['date']!r} is not a date (YYYY-MM-DD)") from None
                return datetime(d.year, d.month, d.day, tzinfo=UTC)
            raise _bad(f"unsupported operand {_short(node)}")
        if isinstance(node, str | int | float | bool):
            return node
        raise _bad(f"unsupported operand {_short(node)}")

    def _coerce(self, prop: _Prop, value: Any) -> Any:
        if prop.kind is QueryableType.NUMBER:
            if isinstance(value, str):
                try:
                    return float(value)
                except ValueError:
                    raise _bad(f"{prop.name} is a number; compare it with a number") from None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _bad(f"{prop.name} is a number; compare it with a number")
            return value
        if prop.kind is QueryableType.DATETIME:
            if isinstance(value, str):
                return parse_rfc3339(value, "filter")
            if not isinstance(value, datetime):
                raise _bad(f"{prop.name} is a time; compare it with TIMESTAMP('...')")
            return value
        if isinstance(value, datetime):
            raise _bad(f"{prop.name} is not a time; compare it with a string or a number")
        return value if isinstance(value, str) else str(value)

    def _json_operand(self, name: str, value: Any) -> tuple[Any, Any]:
        if isinstance(value, bool):
            return self.json_bool(name), value
        if isinstance(value, int | float):
            return self.json_number(name), value
        if isinstance(value, datetime):
            return self.json_text(name), value.isoformat().replace("+00:00", "Z")
        return self.json_text(name), value

    def pair(self, left: Any, right: Any) -> tuple[Any, Any]:
        """SQL expressions for both sides of a comparison, each typed after the other."""
        lp, rp = _prop_of(left), _prop_of(right)
        if lp is not None and rp is not None:
            return self._prop_sql(lp, None), self._prop_sql(rp, None)
        if lp is None and rp is None:
            return literal(self.literal_value(left)), self.literal_value(right)
        swapped = lp is None
        prop = lp if lp is not None else rp
        assert prop is not None
        value = self.literal_value(right if not swapped else left)
        if prop.kind is QueryableType.GEOMETRY:
            raise _bad("compare geometry with the spatial functions such as S_INTERSECTS")
        if prop.kind is None or prop.kind is QueryableType.ARRAY:
            column, value = self._json_operand(prop.name, value)
        else:
            column, value = prop.column, self._coerce(prop, value)
        return (literal(value), column) if swapped else (column, value)

    def _prop_sql(self, prop: _Prop, value: Any) -> Any:
        if prop.column is not None and prop.kind is not QueryableType.GEOMETRY:
            return prop.column
        if prop.kind is QueryableType.GEOMETRY:
            raise _bad("geometry can only be used in the spatial functions")
        return self._json_operand(prop.name, value)[0]

    # --- expressions -------------------------------------------------------------------------

    def condition(self, node: Any) -> ColumnElement[bool]:
        """The SQL condition of a CQL2 boolean expression."""
        if isinstance(node, bool):
            return true() if node else false()
        if not isinstance(node, dict) or "op" not in node:
            raise _bad(f"expected a boolean expression, got {_short(node)}")
        op = str(node["op"])
        args = node.get("args", [])
        if not isinstance(args, list):
            raise _bad(f"the args of {op!r} must be an array")
        lowered = op.lower()
        if lowered in ("and", "or"):
            if len(args) < 2:
                raise _bad(f"{op!r} needs at least two arguments")
            parts = [self.condition(a) for a in args]
            return and_(*parts) if lowered == "and" else or_(*parts)
        if lowered == "not":
            _arity(op, args, 1)
            return not_(self.condition(args[0]))
        if op in COMPARISONS:
            _arity(op, args, 2)
            left, right = self.pair(args[0], args[1])
            return COMPARISONS[op](left, right)  # type: ignore[no-any-return]
        handler = self._handlers().get(lowered)
        if handler is None:
            raise _bad(
                f"operator {op!r} is not supported; use and, or, not, =, <>, <, <=, >, >=, "
                "like, in, between, isNull, s_intersects (and the other s_*), t_intersects "
                "(and the other t_*)"
            )
        return handler(op, args)

    def _handlers(self) -> dict[str, Callable[[str, list[Any]], ColumnElement[bool]]]:
        handlers: dict[str, Callable[[str, list[Any]], ColumnElement[bool]]] = {
            "like": self._like,
            "in": self._in,
            "between": self._between,
            "isnull": self._is_null,
        }
        handlers.update({name: self._spatial for name in SPATIAL})
        handlers.update({name: self._temporal for name in TEMPORAL})
        return handlers

    def _like(self, op: str, args: list[Any]) -> ColumnElement[bool]:
        _arity(op, args, 2)
        pattern = args[1]
        if not isinstance(pattern, str):
            raise _bad("LIKE needs a string pattern")
        prop = _prop_of(args[0])
        if prop is None:
            raise _bad("LIKE needs a property on its left")
        column = prop.column if prop.kind is QueryableType.STRING else self.json_text(prop.name)
        if prop.kind not in (QueryableType.STRING, None, QueryableType.ARRAY):
            raise _bad(f"{prop.name} is not text; LIKE compares strings")
        if self.dialect == "sqlite":  # SQLite's LIKE ignores case; GLOB does not, as CQL2 wants
            return column.op("GLOB")(_glob(pattern))  # type: ignore[no-any-return]
        return column.like(pattern, escape="\\")  # type: ignore[no-any-return]

    def _in(self, op: str, args: list[Any]) -> ColumnElement[bool]:
        _arity(op, args, 2)
        prop, values = _prop_of(args[0]), args[1]
        if prop is None or not isinstance(values, list) or not values:
            raise _bad("IN needs a property and a non-empty list of values")
        literals = [self.literal_value(v) for v in values]
        if prop.kind in (None, QueryableType.ARRAY) and all(isinstance(v, str) for v in literals):
            return self._json_any_of(prop.name, literals)
        if prop.kind in (None, QueryableType.ARRAY):
            column, _ = self._json_operand(prop.name, literals[0])
            return column.in_(literals)  # type: ignore[no-any-return]
        if prop.kind is QueryableType.GEOMETRY:
            raise _bad("geometry cannot be used with IN")
        return prop.column.in_([self._coerce(prop, v) for v in literals])  # type: ignore[no-any-return]

    def _json_any_of(self, name: str, values: Sequence[str]) -> ColumnElement[bool]:
        """A string property equal to one of ``values``, or an array holding one of them."""
        if self.dialect == "postgresql":
            value = items.c.properties.op("->")(literal(name, String))
            test: ColumnElement[bool] = value.op("?|")(
                cast(literal(list(values), postgresql.ARRAY(String)), postgresql.ARRAY(String))
            )
            return test
        each = func.json_each(items.c.properties, f'$."{name}"').table_valued("value")
        return exists(select(1).select_from(each).where(each.c.value.in_(list(values))))

    def _between(self, op: str, args: list[Any]) -> ColumnElement[bool]:
        if len(args) == 2 and isinstance(args[1], list) and len(args[1]) == 2:
            args = [args[0], *args[1]]
        _arity(op, args, 3)
        low_left, low = self.pair(args[0], args[1])
        high_left, high = self.pair(args[0], args[2])
        return and_(low_left >= low, high_left <= high)

    def _is_null(self, op: str, args: list[Any]) -> ColumnElement[bool]:
        _arity(op, args, 1)
        prop = _prop_of(args[0])
        if prop is None:
            raise _bad("IS NULL needs a property")
        if prop.column is not None:
            return prop.column.is_(None)  # type: ignore[no-any-return]
        return self.json_text(prop.name).is_(None)  # type: ignore[no-any-return]

    def _spatial(self, op: str, args: list[Any]) -> ColumnElement[bool]:
        _arity(op, args, 2)
        first, second = _prop_of(args[0]), _prop_of(args[1])
        if first is not None and first.kind is QueryableType.GEOMETRY and second is None:
            geometry, predicate = _geometry_literal(args[1]), op.lower()
        elif second is not None and second.kind is QueryableType.GEOMETRY and first is None:
            geometry, predicate = _geometry_literal(args[0]), _converse(op.lower())
        else:
            raise _bad(f"{op} compares the geometry property with a geometry literal")
        return spatial_condition(self.dialect, predicate, geometry)

    def _interval(self, node: Any) -> tuple[Any, Any]:
        prop = _prop_of(node)
        if prop is not None:
            if prop.kind is not QueryableType.DATETIME:
                raise _bad(f"{prop.name} is not a time; the temporal functions take datetime")
            return prop.column, prop.column
        if isinstance(node, dict) and "interval" in node:
            bounds = node["interval"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise _bad("an INTERVAL has a start and an end")
            start = NEG if bounds[0] in ("..", None) else self._instant(bounds[0])
            end = POS if bounds[1] in ("..", None) else self._instant(bounds[1])
            return start, end
        instant = self.literal_value(node)
        if not isinstance(instant, datetime):
            raise _bad("the temporal functions take TIMESTAMP, DATE or INTERVAL literals")
        return instant, instant

    def _instant(self, value: Any) -> datetime:
        result = self.literal_value(value if isinstance(value, dict) else {"timestamp": value})
        assert isinstance(result, datetime)
        return result

    def _temporal(self, op: str, args: list[Any]) -> ColumnElement[bool]:
        _arity(op, args, 2)
        (a0, a1), (b0, b1) = self._interval(args[0]), self._interval(args[1])
        name = "t_intersects" if op.lower() == "anyinteracts" else op.lower()
        rules: dict[str, Callable[[], Any]] = {
            "t_intersects": lambda: and_(_le(a0, b1), _le(b0, a1)),
            "t_disjoint": lambda: or_(_lt(a1, b0), _lt(b1, a0)),
            "t_before": lambda: _lt(a1, b0),
            "t_after": lambda: _lt(b1, a0),
            "t_equals": lambda: and_(_eq(a0, b0), _eq(a1, b1)),
            "t_during": lambda: and_(_lt(b0, a0), _lt(a1, b1)),
            "t_contains": lambda: and_(_lt(a0, b0), _lt(b1, a1)),
            "t_meets": lambda: _eq(a1, b0),
            "t_metby": lambda: _eq(a0, b1),
            "t_overlaps": lambda: and_(_lt(a0, b0), _lt(b0, a1), _lt(a1, b1)),
            "t_overlappedby": lambda: and_(_lt(b0, a0), _lt(a0, b1), _lt(b1, a1)),
            "t_starts": lambda: and_(_eq(a0, b0), _lt(a1, b1)),
            "t_startedby": lambda: and_(_eq(a0, b0), _lt(b1, a1)),
            "t_finishes": lambda: and_(_lt(b0, a0), _eq(a1, b1)),
            "t_finishedby": lambda: and_(_lt(a0, b0), _eq(a1, b1)),
        }
        return rules[name]()  # type: ignore[no-any-return]


def _lt(a: Any, b: Any) -> Any:
    """``a < b`` where either may be an open end (NEG or POS)."""
    if a is POS or b is NEG:
        return false()
    if a is NEG or b is POS:
        return true()
    return _sql(a) < _sql(b)


def _le(a: Any, b: Any) -> Any:
    if a is NEG or b is POS:
        return true()
    if a is POS or b is NEG:
        return false()
    return _sql(a) <= _sql(b)


def _eq(a: Any, b: Any) -> Any:
    if a in (NEG, POS) or b in (NEG, POS):
        return true() if a is b else false()
    return _sql(a) == _sql(b)


def _sql(value: Any) -> Any:
    return literal(value, items.c.datetime.type) if isinstance(value, datetime) else value


def _converse(predicate: str) -> str:
    return {"s_within": "s_contains", "s_contains": "s_within"}.get(predicate, predicate)


def _prop_of(node: Any) -> _Prop | None:
    if isinstance(node, dict) and "property" in node:
        name = node["property"]
        if not isinstance(name, str) or not name:
            raise _bad("a property reference needs a name")
        return resolve(name)
    return None


def _geometry_literal(node: Any) -> dict[str, Any]:
    if isinstance(node, dict) and "bbox" in node:
        box = parse_search_bbox(node["bbox"], "filter")
        west, south, east, north = box.west, box.south, box.east, box.north
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [ring]}
    return parse_search_geometry(node, "filter")


def _arity(op: str, args: list[Any], count: int) -> None:
    if len(args) != count:
        raise _bad(f"{op!r} takes {count} argument{'s' if count > 1 else ''}, got {len(args)}")


def _short(node: Any) -> str:
    text = repr(node)
    return text if len(text) <= 80 else text[:77] + "..."


def _glob(pattern: str) -> str:
    out: list[str] = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(f"[{nxt}]" if nxt in "*?[" else nxt)
        elif ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "*?[":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)
