"""Numbers and text as a Swedish (or English) reader expects them.

Swedish writes 1 234 and 6,5 % (a space between thousands and before the percent sign);
English writes 1,234 and 6.5%. The space is a no-break space (U+00A0) so a figure never
wraps in the middle on a narrow screen. Everything a page, a chart or a summary shows
goes through these functions, so one document reads the same everywhere.

The escaping helpers exist because user text (unit names, goal texts) ends up inside
Markdown and plotly labels, and both interpret markup: a goal named "<b>" or "[x](y)"
must be shown as typed, never rendered.
"""

from __future__ import annotations

import html
import math
import re

NBSP = "\u00a0"

# plotly's layout.separators: decimal separator, then thousands separator.
PLOTLY_SEPARATORS = {"sv": "," + NBSP, "en": ".,"}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "sv"


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def format_number(value: float | int | None, lang: str = "sv", decimals: int = 0) -> str:
    """1234.5 -> "1 234,5" (sv) / "1,234.5" (en); None or NaN -> "–"."""
    if _is_missing(value):
        return "–"
    text = f"{value:,.{decimals}f}"  # "1,234.5"
    if _lang(lang) == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
        text = text.replace("-", "−")  # a real minus sign, as Swedish typography has it
    return text


def format_int(value: float | int | None, lang: str = "sv") -> str:
    """Whole numbers: counts of units, goals, indicators."""
    if _is_missing(value):
        return "–"
    return format_number(round(value), lang, 0)


def format_decimal(value: float | int | None, lang: str = "sv", decimals: int = 1) -> str:
    """A ratio or average: one decimal unless told otherwise, trailing ",0" kept off."""
    if _is_missing(value):
        return "–"
    if float(value).is_integer():
        return format_int(value, lang)
    return format_number(value, lang, decimals)


def format_percent(share: float | None, lang: str = "sv", decimals: int = 1) -> str:
    """A share 0..1 as a percentage: 0.065 -> "6,5 %" (sv) / "6.5%" (en).

    Whole percentages drop the decimal ("50 %"), which is what people write.
    """
    if _is_missing(share):
        return "–"
    number = format_decimal(round(share * 100, decimals), lang, decimals)
    return f"{number}{NBSP}%" if _lang(lang) == "sv" else f"{number}%"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=^&])")


def escape_markdown(text: object) -> str:
    """User text safe to put inside st.markdown / st.caption: shown as typed.

    Backslash-escapes every Markdown-active ASCII character, including Streamlit's
    own extensions (":red[...]" colours, ":emoji:" codes, "$...$" LaTeX).
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def escape_plotly(text: object) -> str:
    """User text safe to use as a plotly label: plotly reads <b>, <a href> and entities."""
    return html.escape("" if text is None else str(text), quote=False)


def shorten(text: object, limit: int = 60) -> str:
    """Cut a long goal text for a chart label, ending with an ellipsis."""
    text = " ".join(("" if text is None else str(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
