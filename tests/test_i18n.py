"""goalload.i18n: both languages complete, placeholders aligned, every key the app uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from goalload import i18n
from goalload.columns import FIELD_LABELS
from goalload.model import FREQUENCIES, SOURCE_KINDS, UNIT_LEVELS

REPO = Path(__file__).resolve().parents[1]
APP_FILES = [REPO / "app.py", REPO / "app_state.py", *sorted((REPO / "app_pages").glob("*.py"))]
# Reports and slides read their strings from the same table.
CODE_FILES = [*APP_FILES, *sorted((REPO / "goalload").glob("*.py"))]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_both_languages_with_the_same_placeholders(key):
    sv, en = i18n.STRINGS[key]
    assert sv.strip() and en.strip()
    assert placeholders(sv) == placeholders(en)


def test_every_literal_key_used_by_the_app_exists():
    used = set()
    for path in CODE_FILES:
        used |= set(
            re.findall(
                r"""\btr?\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")
            )
        )
    assert used, "no keys found: the pattern no longer matches the code"
    assert used - set(i18n.STRINGS) == set()


def test_t_fills_placeholders_and_defaults_to_swedish():
    assert i18n.t("sidebar.year", year=2025) == "År 2025"
    assert i18n.t("sidebar.year", "en", year=2025) == "Year 2025"
    assert i18n.t("page.load") == "Målbörda"


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("level", UNIT_LEVELS),
        ("frequency", (*FREQUENCIES, "unknown")),
        ("source_kind", SOURCE_KINDS),
        ("severity", ("error", "warning", "info")),
        ("field", tuple(FIELD_LABELS)),
    ],
)
def test_every_code_has_a_label_in_both_languages(kind, codes):
    for code in codes:
        sv, en = i18n.label(kind, code, "sv"), i18n.label(kind, code, "en")
        assert sv and en and sv != code, (kind, code)


def test_english_labels_are_english():
    assert i18n.label("level", "committee", "en") == "Committee"
    assert i18n.label("frequency", "half_year", "en") == "Half-year"
    assert i18n.label("field", "ignore", "en") == "(not used)"
    assert i18n.label("field", "ignore", "sv") == FIELD_LABELS["ignore"]


def test_unknown_codes_come_back_as_written():
    assert i18n.label("level", "region", "sv") == "region"
    assert i18n.label("frequency", None, "sv") == "Okänd"


def test_labels_keep_model_order():
    assert list(i18n.labels("level", "sv")) == list(UNIT_LEVELS)


def test_number_words():
    assert i18n.number_word(3) == "tre"
    assert i18n.number_word(3, "en") == "three"
    assert i18n.number_word(11) == "11"


def test_counted_takes_the_noun_in_the_right_number():
    assert i18n.counted(1, "unit") == "1 enhet"
    assert i18n.counted(0, "unit") == "0 enheter"
    assert i18n.counted(1200, "unit") == "1\u00a0200 enheter"
    assert i18n.counted(1, "goal") == "1 mål" and i18n.counted(2, "goal") == "2 mål"
    assert i18n.counted(1, "indicator", "en") == "1 indicator"
    assert i18n.counted(3, "indicator", "en") == "3 indicators"
    assert i18n.counted(1, "own_goal") == "1 eget mål" and i18n.counted(2, "own_goal") == "2 egna mål"
    assert i18n.counted(1, "occasion") == "1 rapporteringstillfälle per år"
