"""Swedish normalisation: what overlap, classification and Kolada matching rely on."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalload import text as text_module
from goalload.text import (
    STOP_WORDS,
    concept,
    content_keys,
    content_terms,
    is_number,
    key_signatures,
    normalize,
    normalize_series,
    split_compound,
    stem,
    tokens,
)


def test_normalize_case_punctuation_whitespace_and_unicode_form():
    decomposed = unicodedata.normalize("NFD", "Sänka  SJUKFRÅNVARON!")
    assert normalize(decomposed) == normalize("sänka sjukfrånvaron.") == "sänka sjukfrånvaron"
    assert normalize("Öka andelen (%)\telever; i åk 9") == "öka andelen procent elever i åk 9"
    assert normalize(None) == "" and normalize("  ") == ""


def test_numbers_become_one_token_each_whatever_the_format():
    assert normalize("2 000 besök") == normalize("2000 besök") == "2000 besök"
    assert normalize("6,5 %") == "6.5 procent"
    assert normalize("inom fyra månader") == "inom 4 månader"
    assert normalize("e-post och gång- och cykelvägar") == "epost och gång och cykelvägar"
    assert is_number("2000") and is_number("6.5") and not is_number("åk")


def test_tokens_keep_stop_words_content_terms_drop_them():
    assert tokens("Budgeten ska vara i balans") == ["budgeten", "ska", "vara", "i", "balans"]
    assert [t.surface for t in content_terms("Budgeten ska vara i balans")] == [
        "budgeten",
        "balans",
    ]
    assert {"ska", "och", "bli", "för"} <= STOP_WORDS


def test_inflected_forms_share_a_stem():
    groups = [
        ["elev", "eleven", "eleverna", "elevernas", "elevers"],
        ["frånvaro", "frånvaron"],
        ["kompetens", "kompetensen"],
        ["trygg", "trygga", "tryggt", "trygghet", "tryggheten"],
        ["budget", "budgeten"],
        ["kvalitet", "kvaliteten"],
        ["skola", "skolan", "skolans", "skolor", "skolorna"],
        ["miljö", "miljön"],
        ["behörighet", "behöriga"],
        ["placering", "placeras"],
        ["bostad", "bostäder"],
    ]
    for group in groups:
        assert len({stem(w) for w in group}) == 1, group
    # Different words stay different.
    assert stem("plats") != stem("platt")
    assert stem("klimat") != stem("kli")


@given(st.text(alphabet="abdefghiklmnoprstuvyåäö", min_size=1, max_size=20))
def test_stem_is_idempotent(word):
    assert stem(stem(word)) == stem(word)


@given(st.text(max_size=60))
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


def test_municipal_synonyms_share_a_concept():
    for words in (
        ["minska", "sänka", "färre", "minskad", "kortare"],
        ["öka", "fler", "höja", "ökad", "förbättra", "utveckla", "stärka"],
        ["medarbetare", "anställda", "personal", "personalens", "medarbetarnas"],
        ["sjukfrånvaro", "sjukfrånvaron", "sjukskrivningarna"],
        ["invånare", "medborgare", "kommuninvånare", "invånarnas"],
        ["företag", "näringslivet"],
    ):
        assert len({concept(w) for w in words}) == 1, words
    assert concept("minska") != concept("öka")
    assert concept("arbetsmiljö") == stem("arbetsmiljö")  # no concept: the stem


def test_compounds_split_at_the_head():
    assert split_compound(stem("arbetsklimatet")) == ("arbet", "klimat")
    assert split_compound(stem("näringslivsklimatet")) == ("näringsliv", "klimat")
    assert split_compound(stem("arbetsplatsen")) == ("arbet", "plats")
    assert split_compound(stem("skollunch")) == ("skol", "lunch")
    assert split_compound(stem("sjukfrånvaron")) is None  # a concept in its own right
    assert split_compound(stem("plats")) is None
    assert split_compound("2035") is None


def test_compound_keys_keep_heads_and_modifiers_apart():
    (work,) = content_terms("arbetsklimatet")
    (business,) = content_terms("näringslivsklimatet")
    (company,) = content_terms("företagsklimatet")
    assert work.parts[1] == business.parts[1]  # same head: klimat
    assert work.key != business.key  # different climates
    assert business.key == company.key  # näringsliv and företag mean the same here


def test_issue_example_reduces_to_the_same_concepts():
    a = content_keys("Minska personalens sjukfrånvaro")
    b = content_keys("Sjukskrivningarna bland de anställda ska bli färre")
    assert sorted(a) == sorted(b)


_FEW = text_module._FEW_TEXTS
_AWKWARD = [
    None,
    "",
    "   ",
    "Minska  sjukfrånvaron\tbland  medarbetarna ",
    "Öka till 2 000 besök",  # a number spanning a space: normalised whole
    "1\u00a0500 kr och 6,5 %",
    "10 000 000,50 kronor",
    "åk 9 och åk 6",
    "e-post – svar inom 2 dagar",
    "²³ ⁴ ① ½",  # become digits under NFKC
    "ﬁ STRASSE ΣΑΣ",
    "e\u0301 \u0301a",
    "\x1c1\x1c 000",
    "tre fyra   fem",
]


@pytest.fixture(params=["few", "many"])
def chunked(request, monkeypatch):
    """Run normalize_series both ways: per text (few texts) and per chunk (many)."""
    if request.param == "many":
        monkeypatch.setattr(text_module, "_FEW_TEXTS", 0)


def test_normalize_series_equals_normalize_per_element(chunked):
    texts = pl.Series("t", _AWKWARD * 2, dtype=pl.String)
    result = normalize_series(texts)
    assert result.name == "t" and result.dtype == pl.String
    assert result.to_list() == [normalize(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab1 2,.-%\u00a0²Åä\t")), max_size=12)))
def test_normalize_series_equals_normalize_for_any_text(texts):
    text_module._FEW_TEXTS = 0  # the chunked path (hypothesis and fixtures do not mix)
    try:
        assert normalize_series(pl.Series(texts, dtype=pl.String)).to_list() == [
            normalize(t) for t in texts
        ]
    finally:
        text_module._FEW_TEXTS = _FEW
    assert normalize_series(pl.Series(texts, dtype=pl.String)).to_list() == [
        normalize(t) for t in texts
    ]


def test_key_signatures_equal_sorted_distinct_content_keys():
    norm = normalize_series(pl.Series(_AWKWARD + ["sänka sjukfrånvaron sjukfrånvaron"]))
    expected = [" ".join(sorted(set(content_keys(t, normalized=True)))) for t in norm]
    assert key_signatures(norm).to_list() == expected
    assert key_signatures(pl.Series([None, "och"], dtype=pl.String)).to_list() == ["", ""]
