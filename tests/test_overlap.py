"""Overlap: near-duplicate goals, pass-through goals, shared indicators, at any scale."""

from __future__ import annotations

import csv
import dataclasses
import functools
import itertools
import json
import random
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from goalload.errors import InputError
from goalload.model import new_document
from goalload.overlap import (
    CLUSTER_SCHEMA,
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    PAIR_SCHEMA,
    SHARED_INDICATOR_SCHEMA,
    _neighbours,
    _pair_evidence,
    _pair_scores,
    _vectorize,
    find_overlap,
    goal_similarity,
    overlap_json,
    overlap_share,
    render_table,
    shared_indicators,
    unit_pairs,
)
from goalload.read import read_path
from goalload.text import content_terms

DATA = Path(__file__).parent / "data" / "goal_pairs.csv"
EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"


def _labelled(split: str | None = None) -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if split is None or r["split"] == split]


@functools.cache
def _scored(split: str | None) -> tuple[tuple[float, bool], ...]:
    return tuple(
        (goal_similarity(r["a"], r["b"])[0], r["duplicate"] == "1") for r in _labelled(split)
    )


def _precision_recall(split: str | None, threshold: float) -> tuple[float, float]:
    scored = _scored(split)
    tp = sum(s >= threshold and dup for s, dup in scored)
    fp = sum(s >= threshold and not dup for s, dup in scored)
    fn = sum(s < threshold and dup for s, dup in scored)
    return tp / (tp + fp), tp / (tp + fn)


def _pair_set(overlap) -> set[tuple[str, str, str]]:
    return {
        (r["a_goal_id"], r["b_goal_id"], r["kind"]) for r in overlap.pairs.iter_rows(named=True)
    }


# --- the labelled set -----------------------------------------------------------------


def test_labelled_set_is_large_balanced_and_full_of_hard_negatives():
    rows = _labelled()
    assert len(rows) >= 200
    assert {r["duplicate"] for r in rows} == {"0", "1"}
    assert {r["split"] for r in rows} == {"dev", "holdout"}
    negatives = [r for r in rows if r["duplicate"] == "0"]
    positives = [r for r in rows if r["duplicate"] == "1"]
    assert len(positives) >= 100 and len(negatives) >= 100
    # "Hard": the two texts of most non-duplicates share at least one word.
    sharing = [r for r in negatives if goal_similarity(r["a"], r["b"])[1]]
    assert len(sharing) / len(negatives) >= 0.8
    assert len({(r["a"], r["b"]) for r in rows}) == len(rows), "repeated pair"


# Floors just under the figures in docs/overlap.md at the default 0.55 (dev P 0.98 R 0.83;
# holdout, written before it was ever scored, P 1.00 R 0.88; all P 0.99 R 0.84): a change
# that costs accuracy fails here.
@pytest.mark.parametrize(
    ("split", "min_precision", "min_recall"),
    [("dev", 0.95, 0.82), ("holdout", 0.95, 0.85), (None, 0.95, 0.82)],
)
def test_precision_and_recall_floors_at_the_default_threshold(split, min_precision, min_recall):
    precision, recall = _precision_recall(split, DEFAULT_THRESHOLD)
    assert precision >= min_precision
    assert recall >= min_recall


def test_default_threshold_is_a_sensible_operating_point():
    """Lower thresholds buy recall with precision; the default sits where P >= 0.9."""
    low_p, low_r = _precision_recall("dev", DEFAULT_THRESHOLD - 0.15)
    p, r = _precision_recall("dev", DEFAULT_THRESHOLD)
    high_p, high_r = _precision_recall("dev", DEFAULT_THRESHOLD + 0.2)
    assert low_p < p <= high_p
    assert low_r >= r > high_r


# --- goal_similarity: the issue's own examples ------------------------------------------


def test_issue_pair_is_found_with_evidence():
    score, evidence = goal_similarity(
        "Minska personalens sjukfrånvaro", "Sjukskrivningarna bland de anställda ska bli färre"
    )
    assert score >= DEFAULT_THRESHOLD
    assert "sjukfrånvaro ~ sjukskrivningarna" in evidence
    assert "minska ~ färre" in evidence
    assert "personalens ~ anställda" in evidence


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Förbättra arbetsklimatet", "Förbättra näringslivsklimatet"),
        (
            "Kommunen ska vara en trygg plats att växa upp på",
            "Kommunen ska vara en trygg arbetsplats",
        ),
        ("Förbättra arbetsklimatet", "Förbättra klimatet"),
        (
            "Öka andelen elever som når kunskapskraven",
            "Minska andelen elever som når kunskapskraven",
        ),
    ],
)
def test_issue_non_pairs_stay_below_the_threshold(a, b):
    score, _ = goal_similarity(a, b)
    assert score < DEFAULT_THRESHOLD


def test_similarity_is_symmetric_bounded_and_exact_for_identical_texts():
    pairs = [(r["a"], r["b"]) for r in _labelled()[:60]]
    for a, b in pairs:
        s_ab, _ = goal_similarity(a, b)
        s_ba, _ = goal_similarity(b, a)
        assert s_ab == pytest.approx(s_ba)
        assert 0.0 <= s_ab <= 1.0
    assert goal_similarity("Sänka sjukfrånvaron.", "SÄNKA SJUKFRÅNVARON")[0] == 1.0
    assert goal_similarity("", "Sänka sjukfrånvaron") == (0.0, [])
    assert goal_similarity("ska vara", "och i")[0] == 0.0


# --- the two layout examples ------------------------------------------------------------


@pytest.fixture(scope="module")
def flat():
    return read_path(EXAMPLES / "flat_export_example.xlsx")


@pytest.fixture(scope="module")
def levels():
    return read_path(EXAMPLES / "levels_in_rows_example.xlsx")


def _goal_id(doc, text: str, unit: str | None = None) -> str:
    rows = doc.goals_with_owners().filter(pl.col("text") == text)
    if unit:
        rows = rows.filter(pl.col("unit") == unit)
    ids = rows["goal_id"].unique().to_list()
    assert len(ids) == 1, (text, unit, ids)
    return ids[0]


def test_flat_example_finds_every_planted_overlap_and_nothing_else(flat):
    result = find_overlap(flat)
    kunskap = "Öka andelen elever som når kunskapskraven i alla ämnen"
    bun = _goal_id(flat, kunskap, "Barn- och utbildningsnämnden")
    kfn = _goal_id(flat, kunskap, "Kultur- och fritidsnämnden")
    aldre_kf = flat.goals.filter(
        (pl.col("text") == "Äldre ska känna sig trygga och delaktiga")
        & pl.col("parent_goal_id").is_null()
    )["goal_id"].item()
    aldre_sn = _goal_id(flat, "Äldre ska känna sig trygga och delaktiga", "Socialnämnden")
    sanka = flat.goals.filter(pl.col("text") == "Sänka sjukfrånvaron")["goal_id"].item()
    minska = _goal_id(flat, "Minska sjukfrånvaron bland medarbetarna")
    expected = {
        (min(bun, kfn), max(bun, kfn), "horizontal"),
        (aldre_sn, aldre_kf, "pass_through"),
        (min(sanka, minska), max(sanka, minska), "horizontal"),
    }
    assert _pair_set(result) == expected
    assert result.pairs.filter(pl.col("a_goal_id") == aldre_sn)["score"].item() == 1.0

    # The indicator under two goals is shared; nothing else is.
    si = result.shared_indicators
    assert si["indicator"].unique().to_list() == ["Sjukfrånvaro, andel av ordinarie arbetstid (%)"]
    assert set(si["goal_id"]) == {sanka, minska}


def test_levels_example_finds_every_planted_overlap_and_nothing_else(levels):
    result = find_overlap(levels)
    # N2 restates KF1, E2 restates N5 (planted), and E1 "Korta handläggningstiden för
    # ekonomiskt bistånd" restates its parent F1 "Handläggningstiden för ekonomiskt
    # bistånd ska kortas" in other words: also a pass-through by the issue's definition.
    assert _pair_set(result) == {
        ("N3", "N4", "horizontal"),
        ("N2", "KF1", "pass_through"),
        ("E2", "N5", "pass_through"),
        ("E1", "F1", "pass_through"),
    }
    si = result.shared_indicators
    budget = si.filter(pl.col("indicator") == "Budgetavvikelse (tkr)")
    assert set(budget["goal_id"]) == {"N3", "N4"}
    assert set(budget["unit_id"]) == {"Socialnämnden", "Barn- och utbildningsnämnden"}


def test_examples_near_misses_stay_below_the_threshold(flat, levels):
    """The closest non-overlaps in the examples keep a margin to the default."""
    for doc in (flat, levels):
        lenient = find_overlap(doc, threshold=DEFAULT_THRESHOLD - 0.1)
        assert _pair_set(lenient) == _pair_set(find_overlap(doc))


def test_json_matches_the_cli_contract(flat):
    result = overlap_json(flat)
    json.dumps(result)  # JSON-able
    assert set(result) >= {"pairs", "clusters", "shared_indicators"}
    pair = result["pairs"][0]
    assert set(pair) == {"a", "b", "kind", "score", "evidence"}
    assert set(pair["a"]) == {"goal_id", "unit", "text"}
    assert pair["kind"] in {"horizontal", "pass_through"}
    kinds = {p["kind"] for p in result["pairs"]}
    assert kinds == {"horizontal", "pass_through"}
    cluster = result["clusters"][0]
    assert set(cluster) == {"id", "label", "goals", "units"}
    assert len(result["clusters"]) == 3 and all(len(c["goals"]) == 2 for c in result["clusters"])
    (shared,) = result["shared_indicators"]
    assert shared["indicator"] == "Sjukfrånvaro, andel av ordinarie arbetstid (%)"
    assert len(shared["places"]) == 2
    assert {"Socialnämnden"} <= {p["unit"] for p in shared["places"]}

    text = render_table(result)
    assert "Dubblett" in text and "Genomlyft" in text and "Delade indikatorer: 1" in text
    assert "Sänka sjukfrånvaron" in text and "sänka ~ minska" in text


# --- the model's rules, on small documents ------------------------------------------------


def _doc(goals, owners, parents=None, indicators=None, links=None, units=None):
    unit_ids = sorted({u for _, u in owners}) if units is None else units
    return new_document(
        "test",
        units=pl.DataFrame({"unit_id": unit_ids, "name": unit_ids, "level": "committee"}),
        goals=pl.DataFrame(
            {
                "goal_id": [g for g, _ in goals],
                "text": [t for _, t in goals],
                "parent_goal_id": [(parents or {}).get(g) for g, _ in goals],
            }
        ),
        goal_owners=pl.DataFrame(
            {"goal_id": [g for g, _ in owners], "unit_id": [u for _, u in owners]}
        ),
        indicators=pl.DataFrame(
            indicators or [],
            schema={
                "indicator_id": pl.String,
                "name": pl.String,
                "kolada_id": pl.String,
                "owner_id": pl.String,
            },
        ),
        goal_indicators=pl.DataFrame(
            {"goal_id": [g for g, _ in links or []], "indicator_id": [i for _, i in links or []]}
        ),
    )


def test_one_goal_with_several_owners_is_not_a_pair_but_counts_for_each():
    doc = _doc(
        goals=[("g1", "Sänka sjukfrånvaron"), ("g2", "Minska sjukfrånvaron bland medarbetarna")],
        owners=[("g1", "A"), ("g1", "B"), ("g2", "B")],
    )
    result = find_overlap(doc)
    assert _pair_set(result) == {("g1", "g2", "horizontal")}
    row = result.pairs.row(0, named=True)
    assert row["a_unit_id"] != row["b_unit_id"]
    share = dict(overlap_share(doc, result).iter_rows())
    # A's only goal g1 has a near-duplicate at B; B owns g1 and g2, each with a
    # near-duplicate at another unit (g2 at A through g1; g1 at ... B's own g2 is B).
    assert share["A"] == 1.0
    assert share["B"] == pytest.approx(0.5)
    assert unit_pairs(doc, result).rows() == [("A", "B", 1)]


def test_repetition_within_one_unit_is_not_horizontal_overlap():
    doc = _doc(
        goals=[("g1", "Sänka sjukfrånvaron"), ("g2", "Sänka sjukfrånvaron")],
        owners=[("g1", "A"), ("g2", "A")],
    )
    assert find_overlap(doc).pairs.is_empty()


def test_pass_through_reaches_grandparents_and_is_never_also_horizontal():
    doc = _doc(
        goals=[
            ("kf", "Ett tryggt och inkluderande samhälle"),
            ("n", "Alla elever ska känna sig trygga i skolan"),
            ("e", "Ett tryggt och inkluderande samhälle för alla"),
        ],
        owners=[("kf", "KF"), ("n", "BUN"), ("e", "Skolan")],
        parents={"n": "kf", "e": "n"},
    )
    result = find_overlap(doc)
    assert _pair_set(result) == {("e", "kf", "pass_through")}
    share = dict(overlap_share(doc, result).iter_rows())
    assert share == {"BUN": 0.0, "KF": 0.0, "Skolan": 1.0}


@pytest.mark.parametrize("bad", [0.0, 0.1, 1.5, -1.0])
def test_a_threshold_out_of_range_is_an_input_error_in_swedish(bad):
    doc = _doc(goals=[("g1", "Sänka sjukfrånvaron")], owners=[("g1", "A")])
    with pytest.raises(InputError, match="Tröskeln"):
        find_overlap(doc, threshold=bad)


def test_threshold_is_a_parameter():
    doc = _doc(
        goals=[("g1", "Sänka sjukfrånvaron"), ("g2", "Minska sjukfrånvaron bland medarbetarna")],
        owners=[("g1", "A"), ("g2", "B")],
    )
    score = goal_similarity("Sänka sjukfrånvaron", "Minska sjukfrånvaron bland medarbetarna")[0]
    assert len(find_overlap(doc, threshold=score).pairs) == 1
    assert find_overlap(doc, threshold=score + 0.01).pairs.is_empty()
    assert find_overlap(doc, threshold=score).threshold == score


def test_clusters_join_chains_and_label_with_the_most_central_text():
    doc = _doc(
        goals=[
            ("g1", "Minska sjukfrånvaron"),
            ("g2", "Sänka sjukfrånvaron bland medarbetarna"),
            ("g3", "Minska personalens sjukfrånvaro"),
            ("g4", "Öka antalet bostäder"),
            ("g5", "Fler bostäder ska byggas"),
            ("g6", "Förbättra studieron i klassrummen"),
        ],
        owners=[("g1", "A"), ("g2", "B"), ("g3", "C"), ("g4", "A"), ("g5", "B"), ("g6", "C")],
    )
    result = find_overlap(doc)
    clusters = result.clusters
    assert clusters.schema == pl.Schema(CLUSTER_SCHEMA)
    members = clusters.group_by("cluster_id").agg(pl.col("goal_id").sort()).sort("cluster_id")
    assert members.rows() == [("K1", ["g1", "g2", "g3"]), ("K2", ["g4", "g5"])]
    assert clusters.filter(pl.col("cluster_id") == "K1")["label"].unique().item() in {
        "Minska sjukfrånvaron",
        "Minska personalens sjukfrånvaro",
        "Sänka sjukfrånvaron bland medarbetarna",
    }


def test_shared_indicators_by_kolada_id_name_and_near_duplicate_name():
    doc = _doc(
        goals=[("g1", "Mål ett"), ("g2", "Mål två"), ("g3", "Mål tre"), ("g4", "Mål fyra")],
        owners=[("g1", "A"), ("g2", "B"), ("g3", "C"), ("g4", "D")],
        indicators=[
            {
                "indicator_id": "i1",
                "name": "Elever i åk 9 som uppnått betygskriterierna",
                "kolada_id": "N15419",
                "owner_id": None,
            },
            {
                "indicator_id": "i2",
                "name": "Meritvärde åk 9",
                "kolada_id": "n15419 ",
                "owner_id": None,
            },
            {"indicator_id": "i3", "name": "Sjukfrånvaro (%)", "kolada_id": None, "owner_id": None},
            {"indicator_id": "i4", "name": "sjukfrånvaro, %", "kolada_id": None, "owner_id": None},
            {
                "indicator_id": "i5",
                "name": "Elever i åk 6 med lägst betyget E i matematik",
                "kolada_id": None,
                "owner_id": None,
            },
            {
                "indicator_id": "i6",
                "name": "Elever i åk 9 med lägst betyget E i matematik",
                "kolada_id": None,
                "owner_id": None,
            },
            {"indicator_id": "i7", "name": "Antal besökare", "kolada_id": None, "owner_id": "D"},
            {
                "indicator_id": "i8",
                "name": "Andel nöjda brukare, hemtjänst",
                "kolada_id": None,
                "owner_id": None,
            },
            {
                "indicator_id": "i9",
                "name": "Hemtjänst: andelen nöjda brukare",
                "kolada_id": None,
                "owner_id": None,
            },
        ],
        links=[
            ("g1", "i1"),
            ("g2", "i2"),
            ("g3", "i3"),
            ("g4", "i4"),
            ("g1", "i5"),
            ("g2", "i6"),
            ("g3", "i8"),
            ("g4", "i9"),
        ],
    )
    si = shared_indicators(doc)
    assert si.schema == pl.Schema(SHARED_INDICATOR_SCHEMA)
    groups = si.group_by("indicator_key").agg(pl.col("indicator_id").unique().sort())
    by_key = dict(groups.iter_rows())
    assert by_key["kolada:N15419"] == ["i1", "i2"]
    assert ["i3", "i4"] in by_key.values()
    assert ["i8", "i9"] in by_key.values()  # same words, other order and inflection
    # åk 6 and åk 9 are different indicators; one indicator in one place is not shared.
    assert not {"i5", "i6", "i7"} & set(si["indicator_id"])


def test_pairs_have_the_documented_schema():
    doc = _doc(goals=[("g1", "Sänka sjukfrånvaron")], owners=[("g1", "A")])
    result = find_overlap(doc)
    assert result.pairs.schema == pl.Schema(PAIR_SCHEMA)
    assert result.shared_indicators.schema == pl.Schema(SHARED_INDICATOR_SCHEMA)
    empty = find_overlap(_doc(goals=[], owners=[], units=["A"]))
    assert empty.pairs.is_empty() and empty.clusters.is_empty()
    assert overlap_share(_doc(goals=[], owners=[], units=["A"]), empty).rows() == [("A", 0.0)]


# --- scale: the candidate search never misses a pair ------------------------------------


def _variants(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    subjects = [
        "sjukfrånvaron",
        "energianvändningen",
        "väntetiden",
        "handläggningstiden",
        "matsvinnet",
    ]
    places = ["i skolan", "i hemtjänsten", "bland medarbetarna", "i kommunens lokaler", ""]
    verbs = ["Minska", "Sänka", "Öka", "Förbättra"]
    extra = ["", "för alla", "senast 2030", "i hela kommunen"]
    return [
        f"{rng.choice(verbs)} {rng.choice(subjects)} {rng.choice(places)} {rng.choice(extra)}".strip()
        for _ in range(n)
    ]


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("threshold", [0.3, DEFAULT_THRESHOLD, 0.8])
def test_candidate_search_equals_brute_force(threshold, symmetric):
    texts = sorted(set(_variants(400, seed=7)))
    v = _vectorize(texts)
    left, right, score = _neighbours(v, threshold, top_k=len(texts), symmetric=symmetric)
    found = {(int(a), int(b)) for a, b in zip(left, right, strict=True)}
    all_pairs = np.array(list(itertools.combinations(range(len(texts)), 2)))
    brute = _pair_scores(v, all_pairs[:, 0], all_pairs[:, 1], symmetric=symmetric)
    expected = {tuple(map(int, p)) for p, s in zip(all_pairs, brute, strict=True) if s >= threshold}
    assert len(expected) > 20  # the check means something
    assert found == expected
    assert np.all(score >= threshold)


def test_top_k_keeps_each_texts_best_neighbours_and_bounds_the_output():
    texts = sorted(set(_variants(400, seed=3)))
    v = _vectorize(texts)
    k, threshold = 3, 0.3
    left, right, _ = _neighbours(v, threshold, top_k=k)
    found = {(int(a), int(b)) for a, b in zip(left, right, strict=True)}
    assert len(found) <= k * len(texts)
    n = len(texts)
    i_idx, j_idx = np.divmod(np.arange(n * n), n)
    scores = _pair_scores(v, i_idx, j_idx).reshape(n, n)
    np.fill_diagonal(scores, -1.0)
    for i in range(n):
        order = np.lexsort((np.arange(n), -scores[i]))[:k]
        for j in order[scores[i, order] >= threshold]:
            assert (min(i, int(j)), max(i, int(j))) in found


@pytest.mark.parametrize("k", [0, 1, 3])
def test_neighbours_over_repeated_vectors_equal_brute_force_top_k(k):
    # Many texts share one vector ("Minska" / "Sänka" are one concept): the search runs
    # once per distinct vector, and each text must still get exactly its own top k.
    long_text = " ".join(f"ord{i}" for i in range(40))  # longer rows never share a class
    texts = sorted(set(_variants(300, seed=11))) + ["", "och", "Minska sjukfrånvaron"]
    texts += [long_text, long_text + " minska", long_text]
    v = _vectorize(texts)
    threshold = 0.5
    left, right, score = _neighbours(v, threshold, top_k=k)
    n = len(texts)
    i_idx, j_idx = np.divmod(np.arange(n * n), n)
    scores = _pair_scores(v, i_idx, j_idx).reshape(n, n)
    expected: dict[tuple[int, int], float] = {}
    for i in range(n):
        others = [j for j in range(n) if j != i and scores[i, j] >= threshold]
        others.sort(key=lambda j: (-scores[i, j], j))
        for j in others[:k] if k else others:
            expected[(min(i, j), max(i, j))] = scores[i, j]
    found = {(int(a), int(b)): s for a, b, s in zip(left, right, score, strict=True)}
    assert found == expected
    assert list(zip(left, right, strict=True)) == sorted(found)


def _terms_one_by_one(text: str) -> tuple[dict[str, float], dict[str, list[str]], set[str]]:
    """What a text's vector holds, worked out word by word: term -> largest weight,
    term -> the words behind it (first seen first), modifier terms."""
    kind_weight = {"content": 1.0, "generic": 0.35, "direction": 0.5, "number": 1.0}
    weights: dict[str, float] = {}
    words: dict[str, list[str]] = {}
    modifiers: set[str] = set()

    def put(key: str, weight: float, surface: str) -> None:
        weights[key] = max(weights.get(key, 0.0), weight)
        if surface not in words.setdefault(key, []):
            words[key].append(surface)

    for term in content_terms(text):
        base = kind_weight[term.kind]
        if len(term.parts) == 2:
            put("p:" + term.parts[0], base * 0.6, term.surface)
            modifiers.add("p:" + term.parts[0])
            put("p:" + term.parts[1], base * 0.8, term.surface)
            put("w:" + term.key, base * 0.5, term.surface)
        else:
            put("p:" + term.key, base, term.surface)
    return weights, words, modifiers


def test_vectors_hold_each_texts_terms_with_their_weights_words_and_kinds():
    texts = [
        "Minska sjukfrånvaron bland medarbetarna",
        "",
        "och",
        "Arbetsklimatet och klimatet, arbetsklimat 2030",
        "Öka eller minska? 6,5 % år 2030",
        "Sänka sjukfrånvaron",
        "Minska sjukfrånvaron bland medarbetarna",
    ]
    v = _vectorize(texts)
    for row, text in enumerate(texts):
        weights, words, modifiers = _terms_one_by_one(text)
        start, end = v.matrix.indptr[row], v.matrix.indptr[row + 1]
        keys = [v.vocab[c] for c in v.matrix.indices[start:end]]
        assert dict(zip(keys, v.matrix.data[start:end], strict=True)) == weights
        assert [v.surface_texts[s] for s in v.surface_ids[start:end]] == [
            "/".join(words[k]) for k in keys
        ]
        assert v.modifier_count[row] == len(modifiers)
        assert v.number_count[row] == sum(k.startswith("p:#") for k in keys)
        assert v.direction[row] == ("p:UP" in weights) - ("p:DOWN" in weights)
        assert list(v.kinds.data[start:end]) == [
            2.0 if k in modifiers else 3.0 if k.startswith("p:#") else 1.0 for k in keys
        ]
    # columns are numbered by first appearance
    assert v.vocab[:3] == ["p:DOWN", "p:SICKLEAVE", "p:STAFF"]
    evidence = _pair_evidence(pl.DataFrame({"a_row": [0, 0, 1], "b_row": [5, 6, 0]}), v)
    assert evidence["evidence"].to_list() == [
        ["sjukfrånvaron", "minska ~ sänka"],
        ["sjukfrånvaron", "medarbetarna", "minska"],  # by weight, then key
        [],
    ]


def test_one_text_at_many_units_gives_a_linear_number_of_pairs_and_one_cluster():
    n = 40
    doc = _doc(
        goals=[(f"g{i:02d}", "Budgeten ska vara i balans") for i in range(n)]
        + [("x", "Nämnden ska ha en budget i balans")],
        owners=[(f"g{i:02d}", f"U{i:02d}") for i in range(n)] + [("x", "X")],
    )
    result = find_overlap(doc)
    assert len(result.pairs) <= 4 * (n + 1)  # a band, not n^2 / 2 = 800
    assert result.clusters["cluster_id"].n_unique() == 1
    assert result.clusters.height == n + 1
    share = overlap_share(doc, result)
    assert share["overlap_share"].min() == 1.0


def test_small_groups_list_every_pair():
    doc = _doc(
        goals=[(f"g{i}", "Budgeten ska vara i balans") for i in range(5)],
        owners=[(f"g{i}", f"U{i}") for i in range(5)],
    )
    assert len(find_overlap(doc).pairs) == 10


def test_a_cycle_in_parent_links_ends_and_pairs_no_goal_with_itself():
    doc = _doc(
        goals=[
            ("a", "Sänka sjukfrånvaron"),
            ("b", "Minska sjukfrånvaron"),
            ("c", "Öka antalet bostäder"),
        ],
        owners=[("a", "A"), ("b", "B"), ("c", "C")],
        parents={"a": "b", "b": "a", "c": "c"},
    )
    result = find_overlap(doc)
    assert {(a, b) for a, b, _ in _pair_set(result)} <= {("a", "b"), ("b", "a")}
    assert all(r["a_goal_id"] != r["b_goal_id"] for r in result.pairs.iter_rows(named=True))


def test_cluster_label_ties_are_decided_by_the_rule_not_by_float_noise():
    """0.1 + 0.2 + 0.3 and 0.3 + 0.3 are the same weight; summed as floats they differ in
    the last bit, which used to pick the label (and swap it from run to run)."""
    import polars as pl

    from goalload.model import new_document
    from goalload.overlap import _clusters

    goals = pl.DataFrame(
        {
            "goal_id": ["G1", "G2", "X1", "X2", "X3"],
            "text": ["Minska sjukfrånvaron", "Sänka sjukfrånvaron!", "x1", "x2", "x3"],
        }
    )
    doc = new_document("tie", goals=goals)
    pairs = pl.DataFrame(
        {
            "a_goal_id": ["G2", "G2", "G2", "G1", "G1"],
            "b_goal_id": ["X1", "X2", "X3", "X1", "X2"],
            "score": [0.1, 0.2, 0.3, 0.3, 0.3],
        }
    )
    assert 0.1 + 0.2 + 0.3 != 0.3 + 0.3
    labels = {_clusters(pairs, doc)["label"][0] for _ in range(5)}
    assert labels == {"Minska sjukfrånvaron"}  # equal weight and length: the lowest id


@pytest.mark.parametrize("name", ["hierarchy_columns", "levels_in_rows", "sample"])
def test_a_higher_threshold_derived_from_a_lower_one_equals_computing_it(name):
    from goalload.overlap import at_threshold
    from goalload.overlap_views import threshold_options
    from tests.conftest import FLAT_EXAMPLE, LEVELS_EXAMPLE, SAMPLE

    path = {"hierarchy_columns": FLAT_EXAMPLE, "levels_in_rows": LEVELS_EXAMPLE, "sample": SAMPLE}[
        name
    ]
    doc = read_path(path)
    base = find_overlap(doc)
    higher = [t for t in threshold_options() if t > DEFAULT_THRESHOLD]
    lowest = find_overlap(doc, MIN_THRESHOLD)  # both kinds' blocks start low: many slices
    shuffled = dataclasses.replace(lowest, pairs=lowest.pairs.reverse(), goal_codes=None)
    assert not shuffled.pairs.equals(lowest.pairs)
    for start in (base, lowest, shuffled):  # the last in no order: filtered, not sliced
        for threshold in [t for t in threshold_options() if t >= start.threshold]:
            want, got = find_overlap(doc, threshold), at_threshold(start, doc, threshold)
            assert got.threshold == threshold
            if start is not shuffled:
                assert got.pairs.equals(want.pairs), threshold
            else:
                assert got.pairs.sort(got.pairs.columns).equals(want.pairs.sort(want.pairs.columns))
            assert got.clusters.equals(want.clusters), threshold
            assert got.shared_indicators.equals(want.shared_indicators)
    if name == "sample":  # pairs of many scores: the higher thresholds drop some
        assert any(not at_threshold(base, doc, t).pairs.equals(base.pairs) for t in higher)
    with pytest.raises(ValueError):
        at_threshold(base, doc, 0.3)


# --- numpy in place of scipy.sparse ---------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_components_equal_scipys_numbering(seed):
    """Components numbered by their lowest node, as scipy's connected_components does
    (cluster numbers break ties by it)."""
    sparse = pytest.importorskip("scipy.sparse")
    from scipy.sparse.csgraph import connected_components

    from goalload.overlap import components

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(0, 2 * n))
    a, b = rng.integers(0, n, m), rng.integers(0, n, m)
    graph = sparse.coo_matrix((np.ones(m), (a, b)), shape=(n, n))
    want = connected_components(graph, directed=False)[1]
    assert components(n, a, b).tolist() == want.tolist()


def test_components_of_a_long_path_and_of_no_edges():
    from goalload.overlap import components

    n = 5000
    order = np.random.default_rng(1).permutation(n)
    assert set(components(n, order[:-1], order[1:]).tolist()) == {0}
    empty = np.zeros(0, dtype=np.int64)
    assert components(3, empty, empty).tolist() == [0, 1, 2]
    assert components(0, empty, empty).tolist() == []


@pytest.mark.parametrize("seed", range(4))
def test_candidate_pairs_equal_the_sparse_product_pattern(seed):
    """Blocks of rows give each pair (left <= right) sharing a prefix term once."""
    from goalload.overlap import _candidates, _Csr, _transpose

    rng = np.random.default_rng(seed)
    rows, columns = 40, 15
    dense = rng.random((rows, columns)) < 0.15
    other = rng.random((rows, columns)) < 0.2

    def csr(mask):
        indptr = np.concatenate(([0], np.cumsum(mask.sum(axis=1))))
        return _Csr(None, np.nonzero(mask)[1], indptr, mask.shape)

    products = [(csr(dense), _transpose(csr(other))), (csr(other), _transpose(csr(dense)))]
    want = (dense.astype(int) @ other.T.astype(int) + other.astype(int) @ dense.T.astype(int)) > 0
    for chunk in (1, 7, rows):
        found = set()
        for start in range(0, rows, chunk):
            left, right = _candidates(products, start, min(start + chunk, rows), rows)
            pairs = list(zip(left.tolist(), right.tolist(), strict=True))
            assert len(pairs) == len(set(pairs))
            found |= set(pairs)
        assert found == set(zip(*np.nonzero(np.triu(want)), strict=True))


@pytest.mark.parametrize("seed", range(4))
def test_sorting_helpers_equal_numpys(seed):
    """_distinct is np.unique with index and inverse; _sort_by is a stable lexsort, also
    when the combined key would not fit (lexsort fallback); _codes_in_order numbers
    values by first appearance."""
    from goalload.overlap import _codes_in_order, _distinct, _sort_by

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 30, int(rng.integers(0, 200)))
    floats = rng.choice([0.5, 0.35, 1.0, 0.28], len(values))
    for array in (values, -floats):
        distinct, inverse, first = _distinct(array)
        want = np.unique(array, return_index=True, return_inverse=True)
        assert distinct.tolist() == want[0].tolist()
        assert first.tolist() == want[1].tolist()
        assert inverse.tolist() == want[2].ravel().tolist()
    major, minor = rng.integers(0, 5, len(values)), rng.integers(0, 7, len(values))
    want = np.lexsort((minor, values, major)).tolist()
    assert _sort_by(major, values, 30, minor, 7).tolist() == want
    assert _sort_by(major, values, 2**40, minor, 2**40).tolist() == want
    codes, first_seen = _codes_in_order(values)
    seen = list(dict.fromkeys(values.tolist()))
    assert first_seen.tolist() == seen
    assert codes.tolist() == [seen.index(x) for x in values.tolist()]


@pytest.mark.parametrize("size", [0, 1, 7, 2000, 2001, 5000])
def test_normalize_series_equals_normalize_on_both_sides_of_the_short_path(size):
    """Short columns go through the cached function value by value; longer ones through
    polars. Both equal `normalize` element by element (null -> "")."""
    from goalload.text import normalize, normalize_series

    rng = random.Random(size)
    pieces = ["Minska", "sjukfrånvaron", "2 000", "6,5 %", "e-post", "ÅRSKURS", " ", "–", "tre"]
    values = [
        None if rng.random() < 0.05 else " ".join(rng.choices(pieces, k=rng.randint(0, 5)))
        for _ in range(size)
    ]
    got = normalize_series(pl.Series("namn", values, dtype=pl.String))
    assert got.name == "namn" and got.dtype == pl.String
    assert got.to_list() == [normalize(v) for v in values]


def test_overlap_share_paths_for_few_and_many_pairs_agree(monkeypatch):
    """overlap_share flags goals through a short path for small outputs and a
    join-saving one for large: both give the same shares, also for goals with several
    owners and goals without any."""
    import goalload.overlap as overlap_module

    doc = _doc(
        goals=[
            ("a", "Minska sjukfrånvaron"),
            ("b", "Sänka sjukfrånvaron"),
            ("c", "Minska sjukfrånvaron bland medarbetarna"),
            ("d", "Öka antalet bostäder"),
            ("e", "Fler bostäder ska byggas"),
            ("f", "Öka antalet nya bostäder"),
            ("g", "Minska sjukfrånvaron"),
        ],
        owners=[
            *[("a", "A"), ("b", "B"), ("b", "A"), ("c", "A")],
            *[("d", "C"), ("e", "C"), ("f", "D"), ("f", "C")],
        ],
        parents={"c": "a", "f": "d"},
    )
    found = find_overlap(doc, 0.4)
    assert found.pairs.height > 3
    monkeypatch.setattr(overlap_module, "_FEW_PAIRS", 10**9)
    few = overlap_share(doc, found)
    monkeypatch.setattr(overlap_module, "_FEW_PAIRS", -1)
    many = overlap_share(doc, found)
    assert few.equals(many)
    assert few["overlap_share"].sum() > 0
