"""Bounded nesting of client input, checked before any parser that recurses.

Recursive-descent parsers (Python's ``json``, the CQL2 grammar, our own filter
compiler) use the call stack once per level: an input nested a few thousand
levels deep makes them raise ``RecursionError`` or, in native code, overflow the
stack and kill the process. Real inputs are shallow (a GeoJSON multipolygon is
five levels, a CQL2 filter a dozen), so anything deeper than ``MAX_NESTING`` is
refused up front, by counting brackets without parsing.
"""

from __future__ import annotations

import re

from skyorder.core.errors import ValidationFailed

MAX_NESTING = 100
"""The deepest nesting of brackets (JSON) or parentheses and NOTs (CQL2 text) accepted."""

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_OPEN = frozenset(b"[{")
_NOT_JSON_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")

MAX_CQL2_OPERATORS = 1000
"""The most logical and arithmetic operators a CQL2-text filter may chain."""

# String literals and quoted identifiers hold no syntax; they are blanked before counting.
_CQL2_QUOTED = re.compile(r"'(?:[^']|'')*'?|\"[^\"]*\"?", re.DOTALL)
_CQL2_TOKEN = re.compile(
    r"(?P<open>\()|(?P<close>\))|(?P<not>\bNOT\b)"
    r"|(?P<op>\bAND\b|\bOR\b|\bDIV\b|[-+*/%^])",
    re.IGNORECASE,
)


def _deepest(brackets: bytes, limit: int) -> int:
    """The deepest level in a string of brackets, counted up to ``limit + 1``."""
    depth = deepest = 0
    for byte in brackets:
        depth = depth + 1 if byte in _JSON_OPEN else depth - 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def json_nesting(raw: bytes | str, limit: int = MAX_NESTING) -> int:
    """How deep JSON text nests arrays and objects (exact up to ``limit``, then above it).

    Brackets inside strings do not count. Text that is not valid JSON gets a
    figure all the same (unclosed brackets count as open), so the check can run
    before the parser.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_JSON_BRACKET)
    return _deepest(brackets, limit)


def cql2_text_shape(text: str) -> tuple[int, int]:
    """How deep a CQL2-text filter nests, and how many operators it chains.

    Depth counts parentheses plus one level per ``NOT`` (each is a level of the
    parser's recursion whether or not it is parenthesised). Operators are the
    logical and arithmetic ones (``AND``, ``OR``, ``+``, ``-``, …): the parser
    builds one level per operator of a chain.
    """
    depth = deepest = nots = operators = 0
    for match in _CQL2_TOKEN.finditer(_CQL2_QUOTED.sub("''", text)):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "not":
            nots += 1
        else:
            operators += 1
        deepest = max(deepest, depth + nots)
    return deepest, operators


def check_json_nesting(raw: bytes | str, field: str, limit: int = MAX_NESTING) -> None:
    """Refuse JSON text nested deeper than ``limit``.

    Raises:
        ValidationFailed: naming ``field`` and the limit.
    """
    if json_nesting(raw, limit) > limit:
        raise ValidationFailed.on(
            field, f"is nested more than {limit} levels deep; send a flatter document"
        )


def check_cql2_text(text: str, field: str) -> None:
    """Refuse a CQL2-text filter nested or chained beyond what the parser can take.

    Raises:
        ValidationFailed: naming ``field`` and the limit it broke.
    """
    depth, operators = cql2_text_shape(text)
    if depth > MAX_NESTING:
        raise ValidationFailed.on(
            field,
            f"nests more than {MAX_NESTING} levels of parentheses and NOT; simplify the filter",
        )
    if operators > MAX_CQL2_OPERATORS:
        raise ValidationFailed.on(
            field,
            f"chains {operators} operators (AND, OR, +, -, …); at most {MAX_CQL2_OPERATORS} "
            "are accepted: use IN (…) for long lists of values",
        )
