"""The tables the Överlapp page shows, as pure polars functions of an Overlap.

goalload.overlap finds the near-duplicate goals, the pass-through goals and the shared
indicators; this module shapes its answer for a meeting: the headline figures and the
sentence under them, the unit × unit matrix of shared goals, the clusters with their
members' texts side by side, the pass-through goals per level and the shared
indicators with their places. No Streamlit here, so the figures on screen are the
figures the tests compute.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import polars as pl

from goalload.formatting import escape_markdown, format_int, format_number, format_percent
from goalload.i18n import label, t
from goalload.model import UNIT_LEVELS, GoalDocument
from goalload.overlap import (
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
    Overlap,
    evidence_codes,
    owner_pair_rows,
    unit_pair_rows,
)
from goalload.text import normalize

# The headline figures, in the order shown (keys of `figures`).
HEADLINE: tuple[str, ...] = (
    "horizontal_pairs",
    "clusters",
    "pass_through_goals",
    "shared_indicators",
    "overlap_share",
)
THRESHOLD_STEP = 0.05
MAX_OWNER_NAMES = 3  # owners named per goal; the rest counted ("och 7 till")
MAX_EVIDENCE = 8  # shared words listed per cluster
SIDE_BY_SIDE = 3  # clusters up to this size show their goals as cards next to each other
NB_HYPHEN = "\u2011"
CLUSTER_ROW_SCHEMA = {
    "cluster_id": pl.String,
    "label": pl.String,
    "goals": pl.Int64,
    "units": pl.Int64,
    "evidence": pl.List(pl.String),
}
SHARED_INDICATOR_ROW_SCHEMA = {
    "indicator": pl.String,
    "kolada_id": pl.String,
    "places": pl.Int64,
    "where": pl.String,
}
_LEVEL_RANK = {level: rank for rank, level in enumerate(UNIT_LEVELS)}
_WORD = re.compile(r"\w+")


def threshold_options(step: float = THRESHOLD_STEP) -> list[float]:
    """The thresholds the slider offers: MIN_THRESHOLD..1 in steps, the default among them."""
    count = round((1.0 - MIN_THRESHOLD) / step)
    options = {round(MIN_THRESHOLD + i * step, 2) for i in range(count + 1)}
    options.add(round(DEFAULT_THRESHOLD, 2))
    return sorted(x for x in options if MIN_THRESHOLD <= x <= 1.0)


def _kind(overlap: Overlap, kind: str) -> pl.DataFrame:
    return overlap.pairs.filter(pl.col("kind") == kind)


def overlapping_goals(overlap: Overlap) -> pl.Series:
    """Goals that say what another goal says: both sides of a horizontal pair and the
    lower goal of a pass-through pair (the ancestor it restates is the original)."""
    h = _kind(overlap, "horizontal")
    return (
        pl.concat([h["a_goal_id"], h["b_goal_id"], _kind(overlap, "pass_through")["a_goal_id"]])
        .unique()
        .sort()
    )


def figures(doc: GoalDocument, overlap: Overlap) -> dict[str, int | float]:
    """The headline: near-duplicate pairs between units, clusters, pass-through goals,
    shared indicators, and the share of all goals that overlap another."""
    goals = doc.goals["goal_id"].n_unique()
    horizontal = (overlap.pairs["kind"] == "horizontal").to_numpy()
    h = overlap.pairs.filter(pl.Series(horizontal))
    through = overlap.pairs.filter(pl.Series(~horizontal))["a_goal_id"]
    flagged = _count_overlapping(overlap, horizontal, h, through)
    return {
        "horizontal_pairs": h.height,
        "clusters": overlap.clusters["cluster_id"].n_unique(),
        "pass_through_goals": through.n_unique(),
        "shared_indicators": overlap.shared_indicators["indicator_key"].n_unique(),
        "goals_with_overlap": flagged,
        "goals": goals,
        "overlap_share": flagged / goals if goals else 0.0,
    }


def _count_overlapping(
    overlap: Overlap, horizontal: np.ndarray, h: pl.DataFrame, through: pl.Series
) -> int:
    """overlapping_goals(overlap).len(): from the goals' places in id order when the
    result has them (a city's 600,000 ids are not hashed again at each threshold)."""
    if overlap.goal_codes is None:
        return pl.concat([h["a_goal_id"], h["b_goal_id"], through]).n_unique()
    ids, a, b = overlap.goal_codes
    flagged = np.zeros(len(ids), dtype=bool)
    flagged[a] = True  # both sides of a horizontal pair, the lower goal of a pass-through
    flagged[b[horizontal]] = True
    return int(flagged.sum())


def figure_text(key: str, figs: dict[str, int | float], lang: str = "sv") -> str:
    """A headline figure as shown: counts as whole numbers, the share as a percentage."""
    if key == "overlap_share":
        return format_percent(figs[key], lang, 0)
    return format_int(figs[key], lang)


def summary(figs: dict[str, int | float], lang: str = "sv") -> str:
    """One sentence a politician can repeat: how much of the document says it twice."""
    if not figs["goals_with_overlap"]:
        return t("overlap.summary_none", lang, goals=format_int(figs["goals"], lang))
    text = t(
        "overlap.summary",
        lang,
        share=format_percent(figs["overlap_share"], lang, 0),
        flagged=format_int(figs["goals_with_overlap"], lang),
        goals=format_int(figs["goals"], lang),
        clusters=format_int(figs["clusters"], lang),
    )
    through = figs["pass_through_goals"]
    if through == 1:
        return f"{text} {t('overlap.summary_through_one', lang)}"
    if through:
        through_text = t("overlap.summary_through", lang, through=format_int(through, lang))
        return f"{text} {through_text}"
    return text


# --- unit × unit ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitPairs:
    """The units of each near-duplicate goal pair as numbers: x[k] and y[k] (different
    units) for each pair and pair of owners that `unit_pairs` counts; unit_ids[n] is unit
    number n. What the heatmap counts, as integers (a city has 300,000)."""

    unit_ids: pl.Series
    x: np.ndarray
    y: np.ndarray


def unit_pair_numbers(doc: GoalDocument, overlap: Overlap) -> UnitPairs:
    """`unit_pair_rows` as numbers. A pair of goals with one owner each is one pair of
    units; with the goals' places known (`Overlap.goal_codes`) their owners are looked
    up by place, and only pairs with a goal of several owners go through polars."""
    owners = doc.goal_owners.select("goal_id", "unit_id").unique()
    unit_ids = owners["unit_id"].drop_nulls().unique().sort()
    numbers = unit_ids.to_frame("unit_id").with_row_index("number")
    if overlap.goal_codes is None:
        rows = unit_pair_rows(doc, overlap)
        return UnitPairs(unit_ids, *(_numbered(rows[c], numbers) for c in ("x", "y")))
    ids, a, b = overlap.goal_codes
    per_goal = owners.group_by("goal_id").agg(owners=pl.len(), unit_id=pl.col("unit_id").first())
    placed = ids.to_frame("goal_id").join(per_goal, on="goal_id", how="left", maintain_order="left")
    unit_of = _numbered(placed["unit_id"], numbers)
    several = (placed["owners"].fill_null(0) > 1).to_numpy()
    horizontal = (overlap.pairs["kind"] == "horizontal").to_numpy()
    a, b = a[horizontal], b[horizontal]
    x, y = unit_of[a], unit_of[b]
    expand = several[a] | several[b]
    simple = ~expand & (x >= 0) & (y >= 0) & (x != y)
    x, y = x[simple], y[simple]
    if expand.any():
        general = owner_pair_rows(
            overlap.pairs.filter(pl.Series(horizontal)).filter(pl.Series(expand)), owners
        )
        x = np.concatenate([x, _numbered(general["x"], numbers)])
        y = np.concatenate([y, _numbered(general["y"], numbers)])
    return UnitPairs(unit_ids, x, y)


def _numbered(values: pl.Series, numbers: pl.DataFrame) -> np.ndarray:
    """Each unit id's number (-1 for none)."""
    return (
        values.rename("unit_id")
        .to_frame()
        .join(numbers, on="unit_id", how="left", maintain_order="left")["number"]
        .fill_null(-1)
        .to_numpy()
        .astype(np.int64)
    )


def shared_goal_units(
    doc: GoalDocument, overlap: Overlap, pairs: UnitPairs | None = None
) -> pl.DataFrame:
    """Units with near-duplicate goals at other units, most first.

    Columns unit_id, unit, parent (its name), shared (near-duplicate goal pairs with
    every other unit). One row per unit: cheap however many units there are. `pairs`:
    `unit_pair_numbers(doc, overlap)`, when the caller has it.
    """
    if pairs is None:
        pairs = unit_pair_numbers(doc, overlap)
    size = len(pairs.unit_ids)
    shared = np.bincount(pairs.x, minlength=size) + np.bincount(pairs.y, minlength=size)
    names = doc.units.select("unit_id", unit="name", parent_id="parent_id").unique(
        "unit_id", keep="first", maintain_order=True
    )
    parents = names.select(parent_id="unit_id", parent="unit")
    return (
        pl.DataFrame({"unit_id": pairs.unit_ids, "shared": shared.astype(np.int64)})
        .filter(pl.col("shared") > 0)
        .join(names, on="unit_id", how="left")
        .join(parents, on="parent_id", how="left")
        .with_columns(unit=pl.coalesce("unit", "unit_id"))
        .sort(["shared", "unit", "unit_id"], descending=[True, False, False])
        .select("unit_id", "unit", "parent", "shared")
    )


def shared_goal_matrix(
    doc: GoalDocument,
    overlap: Overlap,
    top: int | None = None,
    pairs: UnitPairs | None = None,
    units: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """`shared_goal_units` (the `top` with most, or all) with their row of the matrix.

    pairs (list): goal pairs with each unit in the same row order, 0 on the diagonal;
    the matrix is the square of the units kept. `pairs` as for shared_goal_units, and
    `units` its result, when the caller has them.
    """
    if pairs is None:
        pairs = unit_pair_numbers(doc, overlap)
    if units is None:
        units = shared_goal_units(doc, overlap, pairs)
    if top is not None:
        units = units.head(top)
    # each kept unit's place in the matrix, by unit number (-1: not kept)
    place = np.full(len(pairs.unit_ids), -1, dtype=np.int64)
    kept = _numbered(units["unit_id"], pairs.unit_ids.to_frame("unit_id").with_row_index("number"))
    place[kept] = np.arange(len(kept))
    px, py = place[pairs.x], place[pairs.y]
    inside = (px >= 0) & (py >= 0)
    matrix = np.zeros((len(kept), len(kept)), dtype=np.int64)
    np.add.at(matrix, (px[inside], py[inside]), 1)
    matrix += matrix.T  # each pair of units in both directions
    return units.with_columns(pairs=pl.Series(matrix.tolist(), dtype=pl.List(pl.Int64)))


# --- clusters ------------------------------------------------------------------------


def _owner_names(
    doc: GoalDocument,
    lang: str = "sv",
    most: int = MAX_OWNER_NAMES,
    goal_ids: pl.Series | None = None,
) -> pl.DataFrame:
    """goal_id -> its owners' names ("A, B, C och 7 till"), in the document's unit order.

    A goal for every committee would otherwise fill a table cell with ten names.
    `goal_ids` limits it to those goals.
    """
    names = doc.units.select("unit_id", "name").with_row_index("order")
    owned = doc.goal_owners.select("goal_id", "unit_id")
    if goal_ids is not None:
        owned = owned.filter(pl.col("goal_id").is_in(goal_ids.implode()))
    owners = (
        owned.unique()
        .join(names, on="unit_id", how="left")
        .sort("order", nulls_last=True)
        .group_by("goal_id", maintain_order=True)
        .agg(names=pl.coalesce("name", "unit_id"))
    )
    shown = [
        ", ".join(names)
        if len(names) <= most
        else t(
            "overlap.more_units",
            lang,
            names=", ".join(names[:most]),
            n=format_int(len(names) - most, lang),
        )
        for names in owners["names"].to_list()
    ]
    return owners.select("goal_id").with_columns(unit=pl.Series(shown, dtype=pl.String))


def _evidence_words(items: Iterable[str]) -> list[str]:
    """The words behind evidence items ("sänka ~ minska", "barn/barngrupp")."""
    words: list[str] = []
    for item in items:
        for side in item.split("~"):
            for word in side.split("/"):
                word = word.strip()
                if word and word not in words:
                    words.append(word)
    return words


def _canonical(item: str) -> str:
    """ "sänka ~ minska" and "minska ~ sänka" are the same evidence: one spelling."""
    sides = sorted(dict.fromkeys(side.strip() for side in item.split("~")))
    return " ~ ".join(sides)


# Cluster × evidence-list keys are counted in a table while it is at most this many times
# the pairs (else sorted): a few megabytes at most.
_KEY_TABLE_FACTOR = 8


def _evidence_by_cluster(overlap: Overlap, member_of: pl.DataFrame) -> pl.DataFrame:
    """cluster_id, evidence (a word list), pairs: how many pairs whose lower-id goal is
    in the cluster have that list. With the goals' places known, pairs are grouped by
    two integers instead of by cluster name and list (a third of the time)."""
    if overlap.goal_codes is None:
        return (
            overlap.pairs.select("a_goal_id", "evidence")
            .join(member_of, left_on="a_goal_id", right_on="goal_id")
            .group_by("cluster_id", "evidence")
            .agg(pairs=pl.len())
        )
    ids, a, _ = overlap.goal_codes
    # clusters come in cluster order, so a run of one cluster_id is one cluster number
    numbered = member_of.with_columns(number=pl.col("cluster_id").rle_id())
    places = numbered.join(
        ids.to_frame("goal_id").with_row_index("place"), on="goal_id", how="inner"
    )
    cluster_of = np.full(len(ids), -1, dtype=np.int64)
    cluster_of[places["place"].to_numpy()] = places["number"].to_numpy()
    of_pair = cluster_of[a]
    rows = np.flatnonzero(of_pair >= 0)
    codes = evidence_codes(overlap)
    width = int(codes.max(initial=-1)) + 1
    key = of_pair[rows] * width + codes[rows]
    if key.size and int(key.max()) < _KEY_TABLE_FACTOR * (len(codes) + 128):
        # counted in a table: key -> pairs, and the first pair with it (for its list)
        pairs = np.bincount(key)
        first = np.full(len(pairs), len(codes), dtype=np.int64)
        np.minimum.at(first, key, rows)  # the first pair with each key
        keys = np.flatnonzero(pairs)
        pairs, first = pairs[keys], first[keys]
    else:  # too many clusters × lists for a table
        keys, at, pairs = np.unique(key, return_index=True, return_counts=True)
        first = rows[at]
    names = numbered.unique("number", keep="first", maintain_order=True)["cluster_id"]
    return pl.DataFrame(
        {
            "cluster_id": names.gather(keys // max(width, 1)),
            "evidence": overlap.pairs["evidence"].gather(first),
            "pairs": pl.Series(pairs, dtype=pl.UInt32),
        }
    )


def cluster_rows(doc: GoalDocument, overlap: Overlap) -> pl.DataFrame:
    """One row per cluster, largest first: id, label, goals, units, evidence.

    units: distinct owners of its goals; evidence: what its pairs share, the most
    common first, at most MAX_EVIDENCE (the words to read the texts side by side for).
    """
    if overlap.clusters.is_empty():
        return pl.DataFrame(schema=CLUSTER_ROW_SCHEMA)
    member_of = overlap.clusters.select("cluster_id", "goal_id")
    # Pairs of a cluster that share the same words counted once per word list before
    # the lists are taken apart: a large city's 300,000 pairs have a few thousand.
    evidence = _evidence_by_cluster(overlap, member_of).explode("evidence").drop_nulls("evidence")
    canonical = {e: _canonical(e) for e in evidence["evidence"].unique()}
    evidence = (
        evidence.with_columns(pl.col("evidence").replace_strict(canonical))
        .group_by("cluster_id", "evidence")
        .agg(n=pl.col("pairs").sum())
        .sort(["n", "evidence"], descending=[True, False])
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col("evidence").head(MAX_EVIDENCE))
    )
    units = (
        member_of.join(doc.goal_owners.select("goal_id", "unit_id"), on="goal_id", how="left")
        .group_by("cluster_id")
        .agg(units=pl.col("unit_id").drop_nulls().n_unique().cast(pl.Int64))
    )
    return (
        overlap.clusters.group_by("cluster_id", "label", maintain_order=True)
        .agg(goals=pl.len().cast(pl.Int64))
        .join(units, on="cluster_id", how="left", maintain_order="left")
        .join(evidence, on="cluster_id", how="left", maintain_order="left")
        .with_columns(evidence=pl.col("evidence").fill_null([]))
    )


def cluster_members(
    doc: GoalDocument,
    overlap: Overlap,
    lang: str = "sv",
    *,
    cluster_ids: Iterable[str] | None = None,
    per_cluster: int | None = None,
) -> pl.DataFrame:
    """The member goals of clusters, their texts side by side.

    Columns cluster_id, unit (owners' names), goal_id, text, words (the evidence words
    of the pairs this goal is in, to highlight in its text). In the clusters' order.
    `cluster_ids` and `per_cluster` (the first members of each) limit the work to what
    is shown: a large document has thousands of members.
    """
    members = overlap.clusters.select("cluster_id", "goal_id")
    if cluster_ids is not None:
        members = members.filter(pl.col("cluster_id").is_in(list(cluster_ids)))
    if per_cluster is not None:
        members = members.filter(pl.int_range(pl.len()).over("cluster_id") < per_cluster)
    goal_ids = members["goal_id"].unique()
    both = pl.concat(
        [
            overlap.pairs.select(goal_id="a_goal_id", evidence="evidence"),
            overlap.pairs.select(goal_id="b_goal_id", evidence="evidence"),
        ]
    ).filter(pl.col("goal_id").is_in(goal_ids.implode()))
    # Each goal's distinct items in sorted order, each item's words worked out once (a
    # goal in a large theme has hundreds of pairs, most with the same few items).
    items = (
        both.explode("evidence")
        .drop_nulls("evidence")
        .unique(["goal_id", "evidence"])
        .sort(["goal_id", "evidence"])
    )
    distinct = items["evidence"].unique()
    split = pl.DataFrame(
        {"evidence": distinct, "word": [_evidence_words((e,)) for e in distinct]},
        schema={"evidence": pl.String, "word": pl.List(pl.String)},
    )
    words = (
        items.join(split, on="evidence", how="left", maintain_order="left")
        .explode("word")
        .drop_nulls("word")
        .group_by("goal_id", maintain_order=True)
        .agg(words=pl.col("word").unique(maintain_order=True))
    )
    texts = doc.goals.select("goal_id", "text").unique("goal_id", keep="first")
    return (
        members.join(
            _owner_names(doc, lang, goal_ids=goal_ids),
            on="goal_id",
            how="left",
            maintain_order="left",
        )
        .join(texts, on="goal_id", how="left", maintain_order="left")
        .join(words, on="goal_id", how="left", maintain_order="left")
        .select(
            "cluster_id",
            pl.col("unit").fill_null(""),
            "goal_id",
            pl.col("text").fill_null(""),
            pl.col("words").fill_null([]),
        )
    )


def highlight_segments(text: str, words: Iterable[str]) -> list[tuple[str, bool]]:
    """`text` cut into (part, is_evidence) pieces: a word is evidence when it normalises
    to one of `words` (evidence words are normalised: "Sjukfrånvaron" matches
    "sjukfrånvaron"). Joining the parts gives the text back unchanged."""
    wanted = set(words)
    segments: list[tuple[str, bool]] = []
    last = 0
    for match in _WORD.finditer(text or ""):
        hit = bool(wanted) and normalize(match.group()) in wanted
        if not hit:
            continue
        if match.start() > last:
            segments.append((text[last : match.start()], False))
        segments.append((match.group(), True))
        last = match.end()
    if last < len(text or ""):
        segments.append((text[last:], False))
    return segments


def highlight_markdown(text: str, words: Iterable[str]) -> str:
    """The text as safe Markdown with its evidence words in bold: user text is escaped
    first, so nothing in a goal text can become markup.

    The words are marked in one pass and the text escaped whole (escaping is character
    by character, so that equals escaping each piece): a large theme list has thousands
    of texts."""
    text = text or ""
    wanted = set(words)
    if not wanted:
        return escape_markdown(text)
    if _BOLD_START in text or _BOLD_END in text:  # cannot be marked: piece by piece
        return "".join(
            f"**{escape_markdown(part)}**" if hit else escape_markdown(part)
            for part, hit in highlight_segments(text, wanted)
        )

    def mark(match: re.Match[str]) -> str:
        word = match.group()
        return f"{_BOLD_START}{word}{_BOLD_END}" if normalize(word) in wanted else word

    marked = escape_markdown(_WORD.sub(mark, text))
    return marked.replace(_BOLD_START, "**").replace(_BOLD_END, "**")


# Marks around evidence words before escaping (never markup, never in a typed text).
_BOLD_START, _BOLD_END = "\x00", "\x01"


def _goal_id_markdown(goal_id: str) -> str:
    """A goal id that never breaks at its hyphens ("BUF-ANG-6" stays on one line)."""
    return escape_markdown(goal_id).replace("\\-", NB_HYPHEN)


def members_markdown(members: pl.DataFrame, headers: tuple[str, str, str]) -> str:
    """A cluster's members as a Markdown table (unit | goal id | text, evidence in bold)."""
    head = "| " + " | ".join(escape_markdown(h) for h in headers) + " |"
    lines = [head, "|---|---|---|"]
    for row in members.iter_rows(named=True):
        cells = (
            escape_markdown(row["unit"]),
            _goal_id_markdown(row["goal_id"]),
            highlight_markdown(row["text"], row["words"]),
        )
        lines.append("| " + " | ".join(c.replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)


def member_card(row: dict) -> str:
    """One member of a small cluster as Markdown for a card: unit and goal id on top, the
    text below with the evidence in bold (for texts shown next to each other)."""
    head = f"{escape_markdown(row['unit'])} · {_goal_id_markdown(row['goal_id'])}"
    return f":gray[{head}]\n\n{highlight_markdown(row['text'], row['words'])}"


@dataclass(frozen=True)
class ShownCluster:
    """A theme as the page draws it: its row of `cluster_rows`, and its first members
    either as cards next to each other (up to SIDE_BY_SIDE) or as one Markdown table."""

    row: dict
    members_shown: int
    cards: tuple[str, ...]
    table: str | None


def theme(
    doc: GoalDocument,
    overlap: Overlap,
    lang: str,
    row: dict,
    headers: tuple[str, str, str],
    *,
    max_members: int,
) -> ShownCluster:
    """One theme (a row of cluster_rows) with its first `max_members` goals as Markdown:
    worked out when the user opens the theme, not for every theme listed (a large city's
    40 themes took 40-140 ms of each new threshold)."""
    members = cluster_members(
        doc, overlap, lang, cluster_ids=[row["cluster_id"]], per_cluster=max_members
    )
    if members.height <= SIDE_BY_SIDE:
        cards = tuple(member_card(member) for member in members.iter_rows(named=True))
        return ShownCluster(row, members.height, cards, None)
    return ShownCluster(row, members.height, (), members_markdown(members, headers))


@dataclass(frozen=True)
class ThresholdViews:
    """What Överlapp shows at one threshold, apart from what its own widgets choose (the
    heatmap's number of units, the pass-through level, the themes opened): computed in
    one go, so the page can have the neighbouring thresholds worked out while the user
    reads."""

    overlap: Overlap
    figures: dict[str, int | float]
    unit_pairs: UnitPairs
    units: pl.DataFrame
    clusters: pl.DataFrame
    shown: list[dict]  # the rows of the themes listed, the largest first
    by_level: pl.DataFrame
    through: pl.DataFrame


def threshold_views(
    doc: GoalDocument,
    overlap: Overlap,
    lang: str,
    levels: pl.DataFrame,
    *,
    max_clusters: int,
    pause: Callable[[], None] = lambda: None,
) -> ThresholdViews:
    """The page's tables at overlap.threshold: headline figures, unit pairs, the themes
    (the `max_clusters` largest listed; their goals come from theme() when opened) and
    the pass-through goals. `levels`: goal_levels(doc).
    pause() is called between the steps (each tens of milliseconds on a large city): a
    background caller waits there while a page is drawn, or stops."""
    pause()
    figs = figures(doc, overlap)
    pause()
    unit_pairs = unit_pair_numbers(doc, overlap)
    units = shared_goal_units(doc, overlap, unit_pairs)
    pause()
    clusters = cluster_rows(doc, overlap)
    shown = clusters.head(max_clusters).to_dicts()
    pause()
    by_level = pass_through_by_level(doc, overlap, levels)
    through = pass_through_table(doc, overlap, lang, levels)
    return ThresholdViews(overlap, figs, unit_pairs, units, clusters, shown, by_level, through)


# --- pass-through goals --------------------------------------------------------------


def goal_levels(doc: GoalDocument) -> pl.DataFrame:
    """goal_id -> the unit level of its highest owner (a goal belongs to one level), and
    that level's rank. The same at every threshold: the page keeps it per document."""
    return (
        doc.goal_owners.select("goal_id", "unit_id")
        .join(doc.units.select("unit_id", "level"), on="unit_id", how="inner")
        .drop_nulls("level")
        .with_columns(rank=pl.col("level").replace_strict(_LEVEL_RANK, default=len(UNIT_LEVELS)))
        .sort("rank")
        .group_by("goal_id", maintain_order=True)
        .agg(level=pl.col("level").first(), rank=pl.col("rank").first())
    )


def pass_through_by_level(
    doc: GoalDocument, overlap: Overlap, levels: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per unit level with goals (top first): its goals, how many restate an ancestor,
    and that share. Columns level, goals, pass_through, share. `levels`:
    goal_levels(doc), when the caller has it."""
    if levels is None:
        levels = goal_levels(doc)
    through = _kind(overlap, "pass_through").select(goal_id="a_goal_id").unique()
    return (
        levels.join(through.with_columns(hit=pl.lit(1)), on="goal_id", how="left")
        .group_by("level", "rank")
        .agg(
            goals=pl.len().cast(pl.Int64),
            pass_through=pl.col("hit").sum().cast(pl.Int64),
        )
        .sort("rank")
        .select(
            "level",
            "goals",
            "pass_through",
            share=(pl.col("pass_through") / pl.col("goals")).cast(pl.Float64),
        )
    )


def pass_through_table(
    doc: GoalDocument, overlap: Overlap, lang: str = "sv", levels: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per pass-through pair: the goal, and the goal above it that it restates.

    Columns level (its name), level_code, unit, goal_id, goal, parent_unit,
    parent_goal_id, parent_goal, score (as text), evidence (as text). Top level first,
    then by unit and goal. `levels` as for pass_through_by_level.
    """
    pairs = _kind(overlap, "pass_through")
    owners = _owner_names(doc, lang, goal_ids=pl.concat([pairs["a_goal_id"], pairs["b_goal_id"]]))
    texts = doc.goals.select("goal_id", "text").unique("goal_id", keep="first")
    if levels is None:
        levels = goal_levels(doc)
    rows = (
        pairs.select("a_goal_id", "b_goal_id", "score", "evidence")
        .join(levels.rename({"goal_id": "a_goal_id"}), on="a_goal_id", how="left")
        .join(owners.rename({"goal_id": "a_goal_id"}), on="a_goal_id", how="left")
        .join(texts.rename({"goal_id": "a_goal_id", "text": "goal"}), on="a_goal_id", how="left")
        .join(
            owners.rename({"goal_id": "b_goal_id", "unit": "parent_unit"}),
            on="b_goal_id",
            how="left",
        )
        .join(
            texts.rename({"goal_id": "b_goal_id", "text": "parent_goal"}),
            on="b_goal_id",
            how="left",
        )
        .sort(["rank", "unit", "a_goal_id", "b_goal_id"], nulls_last=True)
    )
    level_names = {code: label("level", code, lang) for code in UNIT_LEVELS}
    return rows.select(
        level=pl.col("level").replace_strict(level_names, default=pl.col("level")),
        level_code="level",
        unit="unit",
        goal_id="a_goal_id",
        goal="goal",
        parent_unit="parent_unit",
        parent_goal_id="b_goal_id",
        parent_goal="parent_goal",
        score=pl.Series([format_number(s, lang, 2) for s in rows["score"]], dtype=pl.String),
        evidence=pl.col("evidence").list.join(", "),
    )


# --- shared indicators ---------------------------------------------------------------


def shared_indicator_table(doc: GoalDocument, overlap: Overlap, lang: str = "sv") -> pl.DataFrame:
    """One row per shared indicator, most places first: indicator, kolada_id, places
    (count), where ("Units (goal id)" per goal it measures; the unit alone where it
    measures no goal). The places are overlap_json's: one per goal, whoever owns it."""
    shared = overlap.shared_indicators
    if shared.is_empty():
        return pl.DataFrame(schema=SHARED_INDICATOR_ROW_SCHEMA)
    names = doc.units.select("unit_id", name="name").unique("unit_id", keep="first")
    place = (
        pl.when(pl.col("goal_id").is_null())
        .then(pl.coalesce("name", "unit_id"))
        .otherwise(pl.format("{} ({})", pl.coalesce("unit", pl.lit("")), "goal_id"))
    )
    # Goals first (in goal order), then the units where it measures no goal.
    return (
        shared.join(names, on="unit_id", how="left", maintain_order="left")
        .join(_owner_names(doc, lang), on="goal_id", how="left", maintain_order="left")
        .with_columns(place=place, unlinked=pl.col("goal_id").is_null())
        .sort(["indicator_key", "unlinked", "goal_id", "unit_id"], nulls_last=True)
        .group_by("indicator_key", maintain_order=True)
        .agg(
            indicator=pl.col("indicator").first(),
            kolada_id=pl.col("kolada_id").first(),
            places=pl.col("place").n_unique().cast(pl.Int64),
            where=pl.col("place").unique(maintain_order=True).str.join("; "),
        )
        .sort(["places", "indicator"], descending=[True, False])
        .drop("indicator_key")
    )
