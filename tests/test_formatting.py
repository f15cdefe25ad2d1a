"""Swedish and English number formatting, and escaping user text for Markdown and plotly."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalload.formatting import (
    NBSP,
    escape_markdown,
    escape_plotly,
    format_decimal,
    format_int,
    format_number,
    format_percent,
    shorten,
)


@pytest.mark.parametrize(
    ("value", "sv", "en"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (1234, f"1{NBSP}234", "1,234"),
        (3528, f"3{NBSP}528", "3,528"),
        (1234567, f"1{NBSP}234{NBSP}567", "1,234,567"),
        (-2000, f"−2{NBSP}000", "-2,000"),
        (12.6, "13", "13"),
        (None, "–", "–"),
        (float("nan"), "–", "–"),
    ],
)
def test_format_int(value, sv, en):
    assert format_int(value, "sv") == sv
    assert format_int(value, "en") == en


def test_decimals_use_a_comma_in_swedish():
    assert format_number(6.5, "sv", 1) == "6,5"
    assert format_number(1234.25, "sv", 2) == f"1{NBSP}234,25"
    assert format_number(6.5, "en", 1) == "6.5"
    assert format_decimal(2.0, "sv") == "2"
    assert format_decimal(2.46, "sv") == "2,5"


@pytest.mark.parametrize(
    ("share", "sv", "en"),
    [
        (0.065, f"6,5{NBSP}%", "6.5%"),
        (0.5, f"50{NBSP}%", "50%"),
        (1.0, f"100{NBSP}%", "100%"),
        (0.0, f"0{NBSP}%", "0%"),
        (12.345, f"1{NBSP}234,5{NBSP}%", "1,234.5%"),
    ],
)
def test_format_percent(share, sv, en):
    assert format_percent(share, "sv") == sv
    assert format_percent(share, "en") == en


def test_percent_with_no_decimals():
    assert format_percent(0.333, "sv", 0) == f"33{NBSP}%"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_swedish_integers_read_back(n):
    text = format_int(n, "sv")
    assert int(text.replace(NBSP, "").replace("−", "-")) == n
    # Groups of three after the first, separated by no-break spaces only.
    assert re.fullmatch(r"−?\d{1,3}(\u00a0\d{3})*", text)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_swedish_decimals_read_back(x):
    text = format_number(x, "sv", 2)
    back = float(text.replace(NBSP, "").replace("−", "-").replace(",", "."))
    assert math.isclose(back, round(x, 2), abs_tol=0.006)


@pytest.mark.parametrize(
    "text",
    [
        "<b>fet</b>",
        "[länk](http://example.com)",
        "![bild](http://example.com/x.png)",
        ":red[röd] :smile:",
        "$x^2$",
        "# rubrik",
        "*kursiv* _kursiv_ `kod`",
        "1. lista",
        "- punkt",
        "a\\b",
        "&lt;b&gt; &amp;",
    ],
)
def test_escape_markdown_leaves_no_active_markup(text):
    escaped = escape_markdown(text)
    # With every escaped pair taken out, no Markdown-active character is left over...
    assert not set(re.sub(r"\\.", "", escaped)) & set("<>[]()!*_`#$:-.&\\")
    # ...and undoing the escapes gives back the text exactly.
    assert re.sub(r"\\(.)", r"\1", escaped) == text


def test_escape_plotly():
    assert escape_plotly("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert escape_plotly(None) == ""


def test_shorten():
    assert shorten("kort") == "kort"
    long = "Alla barn och elever ska nå kunskapsmålen och fullfölja sin utbildning"
    assert shorten(long, 30).endswith("…") and len(shorten(long, 30)) <= 30
    assert shorten("  flera   mellanslag  ") == "flera mellanslag"
