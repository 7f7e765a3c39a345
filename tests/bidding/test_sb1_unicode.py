"""One Unicode table for attachment names on both sides (issue 14, item 8; docs/sb1.md "Names and
Unicode"): the committed Python and browser tables are what the generator writes from the pinned
version, and the server refuses exactly the boundary names the browser refuses, so a name accepted
when sealing cannot fail the bid at the opening."""

import json
import unicodedata
from pathlib import Path

import pytest

from bidding.sb1 import make_unicode_table
from bidding.sb1.sealing import attachment_name_valid
from bidding.sb1.unicode_names import REFUSED_RANGES, UNICODE_VERSION

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "sb1.json").read_text(encoding="utf-8")
)


@pytest.mark.skipif(
    unicodedata.unidata_version != make_unicode_table.UNICODE_VERSION,
    reason="the generator runs only on a Python whose unicodedata is the pinned version (CPython 3.11)",
)
def test_the_committed_tables_are_the_generators_output_for_the_pinned_version():
    ranges = make_unicode_table.refused_ranges()
    assert make_unicode_table.PYTHON_PATH.read_text(encoding="utf-8") == make_unicode_table.python_source(
        ranges
    )
    assert make_unicode_table.JS_PATH.read_text(encoding="utf-8") == make_unicode_table.js_source(ranges)
    assert UNICODE_VERSION == make_unicode_table.UNICODE_VERSION == "14.0.0"


def test_the_boundary_code_points_u13439_to_u1343f_are_refused_by_the_server():
    # Unassigned in Unicode 14.0.0, format characters (Cf) from 15.0, which browsers know: the
    # server must refuse them as the browser does, or a sealed bid would fail at the opening.
    for code_point in range(0x13439, 0x13440):
        assert not attachment_name_valid(f"方案{chr(code_point)}.pdf"), hex(code_point)
    assert not attachment_name_valid("a\U00013430b")  # a format character already in 14.0.0
    assert not attachment_name_valid("a\U00013440b")  # unassigned in 14.0.0 (a mark in 15.0)
    assert attachment_name_valid("a\U0001342eb")  # a hieroglyph assigned since 5.2


def test_the_shared_vectors_hold_the_boundary_names_and_the_server_judges_them_as_listed():
    invalid = VECTORS["invalid"]["attachment_names"]
    assert {f"a{chr(c)}b" for c in range(0x13439, 0x13440)} <= set(invalid)
    assert not any(attachment_name_valid(name) for name in invalid)
    assert all(attachment_name_valid(name) for name in VECTORS["inputs"]["attachment_names_valid"])


def test_the_table_is_sorted_and_disjoint_so_both_sides_can_search_it():
    assert all(a <= b for a, b in REFUSED_RANGES)
    assert all(REFUSED_RANGES[i][1] + 1 < REFUSED_RANGES[i + 1][0] for i in range(len(REFUSED_RANGES) - 1))
