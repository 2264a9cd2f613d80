from __future__ import annotations

import pytest

from skyorder.core.errors import RangeNotSatisfiable
from skyorder.delivery.ranges import ByteRange, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99, 1000)),
        ("bytes=100-", ByteRange(100, 999, 1000)),
        ("bytes=-10", ByteRange(990, 999, 1000)),
        ("bytes=-5000", ByteRange(0, 999, 1000)),
        ("bytes=900-5000", ByteRange(900, 999, 1000)),
        ("BYTES = 1 - 2", ByteRange(1, 2, 1000)),
    ],
)
def test_a_single_range_is_parsed(header: str, expected: ByteRange) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header", [None, "", "items=0-1", "bytes=0-1,5-6", "bytes=abc", "bytes=-", "bytes=5-1"]
)
def test_ranges_we_do_not_serve_mean_the_whole_file(header: str | None) -> None:
    assert parse_range(header, 1000) is None


def test_a_range_starting_past_the_end_is_unsatisfiable() -> None:
    with pytest.raises(RangeNotSatisfiable, match="beyond the end of the file \\(1000 bytes\\)"):
        parse_range("bytes=1000-", 1000)


def test_an_empty_suffix_range_is_unsatisfiable() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=-0", 1000)


def test_any_range_of_an_empty_file_is_unsatisfiable() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=-5", 0)


def test_content_range_and_length() -> None:
    r = ByteRange(10, 19, 100)
    assert (r.length, r.content_range()) == (10, "bytes 10-19/100")
