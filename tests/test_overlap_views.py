"""goalload.overlap_views: what the Överlapp page shows, on the two layout examples.

The planted overlaps (../shared/examples/README.md): "Öka andelen elever som når
kunskapskraven i alla ämnen" at two committees, C12 restating its KF goal B9, "Sänka
sjukfrånvaron" (every committee) / "Minska sjukfrånvaron bland medarbetarna"
(Socialnämnden) and the sick-leave indicator shared by those two goals. Every figure is
checked against goalload.overlap's own frames or JSON, so a view that drops, doubles or
mislabels a pair fails.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

from goalload import overlap_views as views
from goalload.formatting import NBSP
from goalload.model import new_document
from goalload.overlap import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    find_overlap,
    overlap_json,
    unit_pairs,
)
from goalload.read import read_path

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"
FLAT = EXAMPLES / "flat_export_example.xlsx"
LEVELS = EXAMPLES / "levels_in_rows_example.xlsx"
BUN, KFN, SN = "Barn- och utbildningsnämnden", "Kultur- och fritidsnämnden", "Socialnämnden"


@pytest.fixture(scope="module")
def flat():
    doc = read_path(FLAT)
    return doc, find_overlap(doc)


@pytest.fixture(scope="module")
def levels():
    doc = read_path(LEVELS)
    return doc, find_overlap(doc)


def goal_id_of(doc, text: str, unit: str) -> str:
    owned = doc.goals_with_owners().filter((pl.col("text") == text) & (pl.col("unit") == unit))
    assert owned.height == 1, (text, unit)
    return owned["goal_id"][0]


# --- headline --------------------------------------------------------------------------


def test_flat_figures_count_the_planted_overlaps(flat):
    doc, overlap = flat
    figs = views.figures(doc, overlap)
    assert figs["horizontal_pairs"] == 2  # kunskapskraven twice, sick leave twice
    assert figs["pass_through_goals"] == 1  # C12 restates B9
    assert figs["shared_indicators"] == 1  # the sick-leave indicator
    assert figs["clusters"] == 3
    kunskap = "Öka andelen elever som når kunskapskraven i alla ämnen"
    expected = {
        goal_id_of(doc, kunskap, BUN),
        goal_id_of(doc, kunskap, KFN),
        goal_id_of(doc, "Minska sjukfrånvaron bland medarbetarna", SN),
        goal_id_of(doc, "Sänka sjukfrånvaron", SN),
        "C12",
    }
    assert set(views.overlapping_goals(overlap).to_list()) == expected
    assert figs["goals_with_overlap"] == len(expected)
    assert figs["goals"] == doc.goals.height
    assert figs["overlap_share"] == pytest.approx(len(expected) / doc.goals.height)


@pytest.mark.parametrize("threshold", [MIN_THRESHOLD, 0.4, DEFAULT_THRESHOLD, 0.8, 1.0])
def test_figures_follow_find_overlap_at_every_threshold(levels, threshold):
    doc, _ = levels
    overlap = find_overlap(doc, threshold)
    figs = views.figures(doc, overlap)
    kinds = overlap.pairs["kind"].to_list()
    assert figs["horizontal_pairs"] == kinds.count("horizontal")
    assert figs["clusters"] == len(set(overlap.clusters["cluster_id"].to_list()))
    through = overlap.pairs.filter(pl.col("kind") == "pass_through")
    assert figs["pass_through_goals"] == len(set(through["a_goal_id"].to_list()))
    assert figs["shared_indicators"] == len(overlap_json(doc, threshold)["shared_indicators"])


def test_summary_is_one_swedish_sentence_with_the_figures(flat):
    doc, overlap = flat
    figs = views.figures(doc, overlap)
    text = views.summary(figs, "sv")
    assert text.startswith(f"33{NBSP}% av målen (5 av 15)")
    assert "3 teman" in text
    assert "Ett mål upprepar bara ett mål ovanför sig." in text  # one, in words
    english = views.summary(figs, "en")
    assert english.startswith("33% of the goals (5 of 15)")
    assert "One goal only restates" in english
    assert views.figure_text("overlap_share", figs, "sv") == f"33{NBSP}%"


def unrelated_goals(goals: int = 2):
    """A council with the first `goals` of two goals that share nothing."""
    return new_document(
        "Liten",
        units=pl.DataFrame(
            {"unit_id": ["KF"], "name": ["Kommunfullmäktige"], "level": ["council"]}
        ),
        goals=pl.DataFrame(
            {"goal_id": ["G1", "G2"], "text": ["Öka läsförmågan", "Bygg cykelvägar"]}
        ).head(goals),
        goal_owners=pl.DataFrame({"goal_id": ["G1", "G2"], "unit_id": ["KF", "KF"]}).head(goals),
    )


def test_summary_when_nothing_overlaps():
    doc = unrelated_goals()
    overlap = find_overlap(doc)
    figs = views.figures(doc, overlap)
    assert figs["goals_with_overlap"] == 0 and figs["overlap_share"] == 0.0
    assert views.summary(figs) == (
        "Inget av de 2 målen säger samma sak som ett annat mål vid den här tröskeln."
    )
    assert views.cluster_rows(doc, overlap).is_empty()
    assert views.shared_goal_matrix(doc, overlap).is_empty()
    assert views.shared_indicator_table(doc, overlap).is_empty()
    assert views.pass_through_table(doc, overlap).is_empty()


def test_an_empty_document_has_zero_figures():
    doc = new_document("Tom")
    figs = views.figures(doc, find_overlap(doc))
    assert figs["goals"] == 0 and figs["overlap_share"] == 0.0


def test_threshold_options_hold_the_default_and_the_bounds():
    options = views.threshold_options()
    assert options == sorted(options)
    assert options[0] == MIN_THRESHOLD and options[-1] == 1.0
    assert DEFAULT_THRESHOLD in options
    for threshold in options:
        find_overlap(new_document("x"), threshold)  # every option is accepted


# --- unit × unit -----------------------------------------------------------------------


def test_matrix_is_symmetric_and_equals_unit_pairs(flat):
    doc, overlap = flat
    matrix = views.shared_goal_matrix(doc, overlap)
    order = matrix["unit_id"].to_list()
    rows = matrix["pairs"].to_list()
    n = len(order)
    assert all(rows[i][i] == 0 for i in range(n))
    assert all(rows[i][j] == rows[j][i] for i in range(n) for j in range(n))
    assert matrix["shared"].to_list() == [sum(r) for r in rows]
    assert matrix["shared"].to_list() == sorted(matrix["shared"].to_list(), reverse=True)
    expected = {frozenset((a, b)): c for a, b, c in unit_pairs(doc, overlap).iter_rows()}
    shown = {
        frozenset((order[i], order[j])): rows[i][j]
        for i in range(n)
        for j in range(i + 1, n)
        if rows[i][j]
    }
    assert shown == expected
    ids = {name: uid for uid, name in doc.unit_names().items()}
    # The kunskapskraven goal at the two committees is their one shared goal.
    assert rows[order.index(ids[BUN])][order.index(ids[KFN])] == 1


def test_matrix_top_keeps_the_units_with_most_and_their_square(levels):
    doc, overlap = levels
    full = views.shared_goal_matrix(doc, overlap)
    top = views.shared_goal_matrix(doc, overlap, top=1)
    assert top["unit_id"].to_list() == full["unit_id"].to_list()[:1]
    assert top["pairs"].to_list() == [[0]]
    names = set(full["unit"].to_list())
    assert names == {SN, BUN}  # "Budgeten ska vara i balans" at both
    assert views.shared_goal_units(doc, overlap).equals(full.drop("pairs"))


# --- clusters --------------------------------------------------------------------------


def test_clusters_list_every_member_with_its_text_and_owners(flat):
    doc, overlap = flat
    rows = views.cluster_rows(doc, overlap)
    members = views.cluster_members(doc, overlap)
    assert (
        rows["cluster_id"].to_list()
        == overlap.clusters["cluster_id"].unique(maintain_order=True).to_list()
    )
    assert members.select("cluster_id", "goal_id").equals(
        overlap.clusters.select("cluster_id", "goal_id")
    )
    assert rows["goals"].to_list() == [
        members.filter(pl.col("cluster_id") == c).height for c in rows["cluster_id"]
    ]
    texts = dict(zip(doc.goals["goal_id"], doc.goals["text"], strict=True))
    assert members["text"].to_list() == [texts[g] for g in members["goal_id"]]
    sick = members.filter(pl.col("text") == "Sänka sjukfrånvaron").row(0, named=True)
    # One goal for every committee: the first owners named, the rest counted.
    owners = doc.goal_owners.filter(pl.col("goal_id") == sick["goal_id"])["unit_id"].to_list()
    assert len(owners) > views.MAX_OWNER_NAMES
    names = [n for u, n in doc.unit_names().items() if u in owners]  # document order
    more = len(owners) - views.MAX_OWNER_NAMES
    assert sick["unit"] == ", ".join(names[: views.MAX_OWNER_NAMES]) + f" och {more} till"
    english = views.cluster_members(doc, overlap, "en")
    assert english.filter(pl.col("goal_id") == sick["goal_id"])["unit"][0].endswith(
        f" and {more} more"
    )
    cluster = rows.filter(pl.col("cluster_id") == sick["cluster_id"]).row(0, named=True)
    assert cluster["units"] == len(owners)  # C18's owner, Socialnämnden, is one of them
    assert set(cluster["evidence"]) == {"sjukfrånvaron", "minska ~ sänka"}  # one spelling


def test_evidence_is_highlighted_in_each_text(flat):
    doc, overlap = flat
    members = views.cluster_members(doc, overlap)
    by_text = {r["text"]: r for r in members.iter_rows(named=True)}
    short = by_text["Sänka sjukfrånvaron"]
    long = by_text["Minska sjukfrånvaron bland medarbetarna"]
    assert views.highlight_markdown(short["text"], short["words"]) == "**Sänka** **sjukfrånvaron**"
    assert views.highlight_markdown(long["text"], long["words"]) == (
        "**Minska** **sjukfrånvaron** bland medarbetarna"
    )


def test_highlighting_keeps_the_text_and_escapes_markup():
    text = "Öka [länk](http://x) <b>Sjukfrånvaron</b> **fett** 100 %"
    segments = views.highlight_segments(text, ["sjukfrånvaron", "100"])
    assert "".join(part for part, _ in segments) == text
    assert [part for part, hit in segments if hit] == ["Sjukfrånvaron", "100"]
    markdown = views.highlight_markdown(text, ["sjukfrånvaron"])
    assert "**Sjukfrånvaron**" in markdown
    assert "\\[länk\\]\\(http\\:" in markdown
    assert "\\<b\\>" in markdown and "\\*\\*fett\\*\\*" in markdown
    assert views.highlight_segments("", ["x"]) == []
    assert views.highlight_segments("Inget här", []) == [("Inget här", False)]


@pytest.mark.parametrize(
    "text",
    [
        "Öka [länk](http://x) <b>Sjukfrånvaron</b> **fett** 100 %",
        "a_b c*d **e** 2 000 % sjukfrånvaron_x",
        "Sänka SJUKFRÅNVARON, sjukfrånvaron! barn/barngrupp ~ minska",
        "Ett \x00 och \x01 i texten: sjukfrånvaron",
        "",
        None,
    ],
)
def test_highlighted_markdown_is_each_piece_escaped_and_the_hits_in_bold(text):
    """Marking the words in one pass and escaping the text whole equals escaping the
    pieces of highlight_segments one by one, the hits in bold."""
    from goalload.formatting import escape_markdown

    for words in ([], ["sjukfrånvaron"], ["a_b", "e", "2000", "procent", "barn"], ["fett", "x"]):
        pieces = views.highlight_segments(text, words)
        expected = "".join(
            f"**{escape_markdown(part)}**" if hit else escape_markdown(part) for part, hit in pieces
        )
        assert views.highlight_markdown(text, words) == expected


def test_members_table_escapes_pipes_and_names(flat):
    doc, overlap = flat
    members = views.cluster_members(doc, overlap).head(2)
    hostile = members.with_columns(unit=pl.lit("A | B"), text=pl.lit("Mål | med rör"))
    table = views.members_markdown(hostile, ("Enhet", "Mål-ID", "Mål"))
    lines = table.splitlines()
    assert lines[0] == "| Enhet | Mål\\-ID | Mål |"
    assert len(lines) == 2 + hostile.height
    assert all(line.count(" | ") == 2 for line in lines[2:])  # a user's "|" is escaped


# --- pass-through goals ----------------------------------------------------------------


def test_pass_through_per_level_and_table_on_levels_example(levels):
    doc, overlap = levels
    by_level = views.pass_through_by_level(doc, overlap)
    counts = dict(zip(by_level["level"], by_level["pass_through"], strict=True))
    assert counts == {"council": 0, "committee": 1, "administration": 0, "unit": 2}
    assert by_level["goals"].sum() == doc.goals.height
    table = views.pass_through_table(doc, overlap)
    restated = set(zip(table["goal_id"], table["parent_goal_id"], strict=True))
    assert restated == {("N2", "KF1"), ("E2", "N5"), ("E1", "F1")}
    e1 = table.filter(pl.col("goal_id") == "E1").row(0, named=True)
    assert e1["goal"] == "Korta handläggningstiden för ekonomiskt bistånd"
    assert e1["parent_goal"] == "Handläggningstiden för ekonomiskt bistånd ska kortas"
    assert e1["level"] == "Enhet" and e1["score"] == "1,00"
    assert "korta ~ kortas" in e1["evidence"]
    assert table["level"].to_list() == ["Nämnd", "Enhet", "Enhet"]  # top level first
    assert views.pass_through_table(doc, overlap, "en")["level"].to_list()[0] == "Committee"


def test_pass_through_on_flat_example(flat):
    doc, overlap = flat
    table = views.pass_through_table(doc, overlap)
    assert table.height == 1
    row = table.row(0, named=True)
    assert (row["goal_id"], row["parent_goal_id"]) == ("C12", "B9")
    assert (row["unit"], row["parent_unit"]) == (SN, "Kommunfullmäktige")
    by_level = views.pass_through_by_level(doc, overlap)
    assert by_level["pass_through"].sum() == views.figures(doc, overlap)["pass_through_goals"]


# --- shared indicators -----------------------------------------------------------------


@pytest.mark.parametrize("example", ["flat", "levels"])
def test_shared_indicators_have_overlap_json_places(example, request):
    doc, overlap = request.getfixturevalue(example)
    table = views.shared_indicator_table(doc, overlap)
    shared = overlap_json(doc)["shared_indicators"]
    expected = {s["indicator"]: len(s["places"]) for s in shared}
    assert dict(zip(table["indicator"], table["places"], strict=True)) == expected
    for row in table.iter_rows(named=True):
        assert len(row["where"].split("; ")) == row["places"]


def test_the_sick_leave_indicator_is_shared_by_both_sick_leave_goals(flat):
    doc, overlap = flat
    table = views.shared_indicator_table(doc, overlap)
    assert table["indicator"].to_list() == ["Sjukfrånvaro, andel av ordinarie arbetstid (%)"]
    where = table["where"][0]
    short = goal_id_of(doc, "Sänka sjukfrånvaron", SN)
    long = goal_id_of(doc, "Minska sjukfrånvaron bland medarbetarna", SN)
    assert f"{SN} ({long})" in where.split("; ")
    assert f"({short})" in where


def test_small_clusters_show_cards_with_unbroken_ids():
    row = {"unit": "Ängsskolan [x]", "goal_id": "BUF-ANG-6", "text": "Sänka sjukfrånvaron"}
    card = views.member_card({**row, "words": ["sjukfrånvaron"]})
    assert card == f":gray[Ängsskolan \\[x\\] · BUF{views.NB_HYPHEN}ANG{views.NB_HYPHEN}6]" + (
        "\n\nSänka **sjukfrånvaron**"
    )
    frame = pl.DataFrame([{**row, "words": []}])
    assert f"| BUF{views.NB_HYPHEN}ANG{views.NB_HYPHEN}6 |" in views.members_markdown(
        frame, ("Enhet", "Mål-ID", "Mål")
    )


def test_empty_and_full_tables_have_the_same_columns(flat):
    doc, overlap = flat
    empty = find_overlap(new_document("Tom"))
    for build, schema in (
        (views.cluster_rows, views.CLUSTER_ROW_SCHEMA),
        (views.shared_indicator_table, views.SHARED_INDICATOR_ROW_SCHEMA),
    ):
        assert dict(build(doc, overlap).schema) == schema
        assert dict(build(new_document("Tom"), empty).schema) == schema


def test_members_can_be_limited_to_the_shown_clusters(levels):
    doc, overlap = levels
    full = views.cluster_members(doc, overlap)
    first = full["cluster_id"][0]
    some = views.cluster_members(doc, overlap, cluster_ids=[first], per_cluster=1)
    assert some.rows() == full.filter(pl.col("cluster_id") == first).head(1).rows()


def test_the_page_figures_draw_the_views(levels):
    from goalload import charts

    doc, overlap = levels
    matrix = views.shared_goal_matrix(doc, overlap)
    heat = charts.overlap_heatmap(matrix).data[0]
    n = matrix.height
    assert [list(r) for r in heat.z] == [
        [v if v and i != j else None for j, v in enumerate(row)]
        for i, row in enumerate(matrix["pairs"].to_list())
    ]
    assert all(heat.z[i][i] is None for i in range(n))  # the diagonal stays blank
    assert len(heat.y) == len(heat.x) == n
    by_level = views.pass_through_by_level(doc, overlap)
    bars = charts.pass_through_bars(by_level, "sv").data[0]
    assert list(bars.y) == ["Fullmäktige", "Nämnd", "Förvaltning", "Enhet"]
    assert list(bars.x) == by_level["pass_through"].to_list()
    assert list(bars.text) == ["0 av 2", "1 av 5", "0 av 2", "2 av 3"]
    assert list(charts.pass_through_bars(by_level, "en").data[0].text)[-1] == "2 of 3"


# --- the views from first principles, on documents with goals of several owners ----------


@pytest.fixture(scope="module")
def generated():
    from goalload.samplegen import generate_document

    doc = generate_document(goals=600, seed=7)
    return doc, find_overlap(doc, MIN_THRESHOLD)


def _owners_of(doc) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for goal_id, unit_id in doc.goal_owners.select("goal_id", "unit_id").iter_rows():
        owners.setdefault(goal_id, set()).add(unit_id)
    return owners


@pytest.mark.parametrize("which", ["flat", "levels", "generated"])
def test_unit_pairs_count_every_owner_pair_of_every_duplicate(which, request):
    """unit_pairs against a plain loop: each horizontal goal pair counts once for every
    pair of distinct units owning its two goals (the fast path takes the owners the
    pair names; goals of several owners go through the owners table)."""
    doc, overlap = request.getfixturevalue(which)
    owners = _owners_of(doc)
    several = sum(len(units) > 1 for units in owners.values())
    if which == "flat":
        assert several  # "Sänka sjukfrånvaron" belongs to every committee
    counted: dict[tuple[str, str], set[tuple]] = {}
    h = overlap.pairs.filter(pl.col("kind") == "horizontal")
    for a, b in h.select("a_goal_id", "b_goal_id").iter_rows():
        for x in owners.get(a, ()):
            for y in owners.get(b, ()):
                if x != y:
                    units = tuple(sorted((x, y)))
                    counted.setdefault(units, set()).add((a, b, *units))
    expected = {pair: len(goal_pairs) for pair, goal_pairs in counted.items()}
    got = {(x, y): n for x, y, n in unit_pairs(doc, overlap).iter_rows()}
    assert got == expected
    per_unit: dict[str, int] = {}
    for (x, y), n in expected.items():
        per_unit[x] = per_unit.get(x, 0) + n
        per_unit[y] = per_unit.get(y, 0) + n
    # counted by the goals' places, and from the pairs' ids when those are not known
    for found in (overlap, dataclasses.replace(overlap, goal_codes=None)):
        units = views.shared_goal_units(doc, found)
        assert dict(units.select("unit_id", "shared").iter_rows()) == per_unit
        matrix = views.shared_goal_matrix(doc, found)
        order, rows = matrix["unit_id"].to_list(), matrix["pairs"].to_list()
        cells = {
            tuple(sorted((order[i], order[j]))): rows[i][j]
            for i in range(len(order))
            for j in range(len(order))
            if rows[i][j]
        }
        assert cells == expected


@pytest.mark.parametrize("which", ["flat", "levels", "generated"])
def test_views_equal_without_the_goal_codes(which, request):
    """A result carrying its goals' places (find_overlap, at_threshold) gives the same
    figures and clusters as one without them (built by hand, or older)."""
    from goalload.overlap import at_threshold

    doc, overlap = request.getfixturevalue(which)
    assert overlap.goal_codes is not None
    for threshold in (overlap.threshold, DEFAULT_THRESHOLD, 0.8):
        found = at_threshold(overlap, doc, threshold)
        bare = dataclasses.replace(found, goal_codes=None)
        assert views.figures(doc, found) == views.figures(doc, bare)
        assert views.figures(doc, found)["goals_with_overlap"] == len(
            views.overlapping_goals(found)
        )
        again = at_threshold(bare, doc, threshold)  # clusters from the ids themselves
        assert again.clusters.equals(found.clusters)


@pytest.mark.parametrize("which", ["flat", "levels", "generated"])
def test_member_words_are_the_words_of_the_goals_sorted_evidence(which, request):
    doc, overlap = request.getfixturevalue(which)
    items: dict[str, set[str]] = {}
    for a, b, evidence in overlap.pairs.select("a_goal_id", "b_goal_id", "evidence").iter_rows():
        for goal in (a, b):
            items.setdefault(goal, set()).update(evidence or ())
    members = views.cluster_members(doc, overlap)
    assert members.height == overlap.clusters.height
    for goal_id, words in members.select("goal_id", "words").iter_rows():
        assert words == views._evidence_words(sorted(items.get(goal_id, ())))


@pytest.mark.parametrize("which", ["flat", "levels", "generated"])
def test_cluster_rows_count_the_same_with_and_without_the_codes(which, request, monkeypatch):
    """Themes' words counted by integer keys (in a table, or sorted when the table would be
    large) equal the plain count by cluster name and word list."""
    from goalload.overlap import at_threshold

    doc, overlap = request.getfixturevalue(which)
    for threshold in (overlap.threshold, DEFAULT_THRESHOLD):
        found = at_threshold(overlap, doc, threshold)
        plain = views.cluster_rows(doc, dataclasses.replace(found, goal_codes=None))
        assert views.cluster_rows(doc, found).equals(plain)
        monkeypatch.setattr(views, "_KEY_TABLE_FACTOR", 0)
        assert views.cluster_rows(doc, found).equals(plain)
        monkeypatch.undo()


@pytest.mark.parametrize("goals", [0, 2])
def test_every_threshold_view_of_a_document_without_overlap_is_empty(goals):
    """The page's views at any threshold derived from the lowest, for an empty document
    and one whose two goals share nothing (the integer paths on empty arrays)."""
    from goalload.overlap import at_threshold, evidence_codes

    doc = unrelated_goals(goals)
    base = find_overlap(doc, MIN_THRESHOLD)
    for threshold in (MIN_THRESHOLD, DEFAULT_THRESHOLD, 1.0):
        found = at_threshold(base, doc, threshold)
        assert len(evidence_codes(found)) == 0
        assert views.figures(doc, found)["goals_with_overlap"] == 0
        pairs = views.unit_pair_numbers(doc, found)
        units = views.shared_goal_units(doc, found, pairs)
        assert units.is_empty()
        assert views.shared_goal_matrix(doc, found, top=20, pairs=pairs, units=units).is_empty()
        assert views.cluster_rows(doc, found).is_empty()
        assert views.cluster_members(doc, found).is_empty()
        levels = views.goal_levels(doc)
        assert views.pass_through_table(doc, found, "sv", levels).is_empty()
        through = views.pass_through_by_level(doc, found, levels)["pass_through"]
        assert through.sum() == 0


def test_two_goals_owned_by_the_same_two_units_are_one_pair_between_them():
    """Goals both owned by A and B (and one also by C) are one near-duplicate pair
    between A and B, not one in each direction."""
    doc = new_document(
        "Delade mål",
        units=pl.DataFrame(
            {
                "unit_id": ["A", "B", "C"],
                "name": ["Barn- och utbildningsnämnden", "Socialnämnden", "Kulturnämnden"],
                "level": ["committee"] * 3,
            }
        ),
        goals=pl.DataFrame(
            {
                "goal_id": ["G1", "G2"],
                "text": [
                    "Sänka sjukfrånvaron bland medarbetarna",
                    "Sänka sjukfrånvaron bland medarbetarna i förvaltningen",
                ],
            }
        ),
        goal_owners=pl.DataFrame(
            {"goal_id": ["G1", "G1", "G2", "G2", "G2"], "unit_id": ["A", "B", "A", "B", "C"]}
        ),
    )
    overlap = find_overlap(doc)
    assert overlap.pairs.filter(pl.col("kind") == "horizontal").height == 1
    assert unit_pairs(doc, overlap).rows() == [("A", "B", 1), ("A", "C", 1), ("B", "C", 1)]
    for found in (overlap, dataclasses.replace(overlap, goal_codes=None)):
        units = views.shared_goal_units(doc, found)
        assert dict(units.select("unit_id", "shared").iter_rows()) == {"A": 2, "B": 2, "C": 2}


HEADERS = ("Enhet", "Mål-id", "Mål")


@pytest.mark.parametrize("which", ["flat", "levels", "generated"])
def test_threshold_views_bundle_the_single_views(which, request):
    """What Överlapp draws at a threshold, computed in one go (and ahead, in the
    background), is each view computed on its own; the themes listed are the largest."""
    from goalload.overlap import at_threshold

    doc, base = request.getfixturevalue(which)
    levels = views.goal_levels(doc)
    for threshold in (DEFAULT_THRESHOLD, 0.8):
        found = at_threshold(base, doc, threshold)
        bundle = views.threshold_views(doc, found, "sv", levels, max_clusters=3)
        assert bundle.figures == views.figures(doc, found)
        assert bundle.units.equals(views.shared_goal_units(doc, found))
        assert bundle.clusters.equals(views.cluster_rows(doc, found))
        assert bundle.by_level.equals(views.pass_through_by_level(doc, found))
        assert bundle.through.equals(views.pass_through_table(doc, found, "sv"))
        assert bundle.shown == bundle.clusters.head(3).to_dicts()


@pytest.mark.parametrize("which", ["flat", "levels", "generated"])
def test_a_theme_shows_its_first_members_as_cards_or_a_table(which, request):
    """An opened theme's members are its first members, as cards up to SIDE_BY_SIDE and
    as one table above that."""
    from goalload.overlap import at_threshold

    doc, base = request.getfixturevalue(which)
    shown = []
    for threshold in (DEFAULT_THRESHOLD, 0.8):
        found = at_threshold(base, doc, threshold)
        every = views.cluster_members(doc, found, "sv")
        for row in views.cluster_rows(doc, found).head(3).to_dicts():
            cluster = views.theme(doc, found, "sv", row, HEADERS, max_members=4)
            mine = every.filter(pl.col("cluster_id") == row["cluster_id"]).head(4)
            assert cluster.row == row
            assert cluster.members_shown == mine.height == min(row["goals"], 4)
            if mine.height <= views.SIDE_BY_SIDE:
                assert cluster.table is None
                assert cluster.cards == tuple(views.member_card(m) for m in mine.to_dicts())
            else:
                assert cluster.cards == ()
                assert cluster.table == views.members_markdown(mine, HEADERS)
            shown.append(cluster)
    # the examples' themes are pairs (cards); the generated document's are larger (tables)
    assert {c.table is None for c in shown} == {which != "generated"}
    if which == "generated":
        assert {c.members_shown for c in shown} == {4}  # cut at max_members


def test_threshold_views_of_a_document_without_overlap():
    doc = unrelated_goals(2)
    found = find_overlap(doc, DEFAULT_THRESHOLD)
    bundle = views.threshold_views(doc, found, "en", views.goal_levels(doc), max_clusters=40)
    assert bundle.shown == [] and bundle.clusters.is_empty() and bundle.units.is_empty()
    assert bundle.through.is_empty()
