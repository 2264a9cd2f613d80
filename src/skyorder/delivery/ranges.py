"""HTTP ``Range`` headers (RFC 9110 §14): one byte range, or the whole object."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skyorder.core.errors import RangeNotSatisfiable

_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")
_DIGITS = 18
"""Positions longer than this lie beyond any file; they are never converted with ``int()``
(which refuses thousands of digits)."""


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _DIGITS else 10**_DIGITS


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``start``..``end`` inclusive of an object of ``size`` bytes."""

    start: int
    end: int
    size: int

    @property
    def length(self) -> int:
        """How many bytes the range holds."""
        return self.end - self.start + 1

    def content_range(self) -> str:
        """The ``Content-Range`` header of a 206 answer."""
        return f"bytes {self.start}-{self.end}/{self.size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single range ``header`` asks for, or ``None`` to send the whole object.

    A header that is not a valid ``bytes=`` range, or that asks for several
    ranges, is ignored (the whole object is sent), as RFC 9110 allows.

    Raises:
        RangeNotSatisfiable: the range starts beyond the end of the object.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    match = _SPEC.match(spec)
    if match is None:
        return None
    first, last = match.groups()
    if first:
        start = _position(first)
        end = min(_position(last), size - 1) if last else size - 1
        if last and _position(last) < start:
            return None  # invalid, so ignored
    elif last:
        suffix = _position(last)
        if suffix == 0:
            raise RangeNotSatisfiable(f"a range of the last 0 bytes is empty; size is {size}")
        start, end = max(size - suffix, 0), size - 1
    else:
        return None
    if start >= size:
        raise RangeNotSatisfiable(
            f"the range {spec.strip()[:60]} starts beyond the end of the file ({size} bytes)"
        )
    return ByteRange(start, end, size)
