"""Where detail steering could be reduced: concrete, explainable recommendations.

Each recommendation has a kind (RECOMMENDATION_KINDS), the units and items it touches,
a Swedish rationale that cites the evidence (the texts, scores, frequencies), the
concrete edits (`scenario.Changes`) and its effect: how many goals, indicators,
assignments and reporting occasions per year it removes, measured with the same
definitions as `goalload.metrics`.

No double counting. Two recommendations interact when they touch the same goal, the
same indicator (its existence, frequency, or which units carry it) or the same
assignment: the reporting total is a sum over indicators of occasions × carrying
units, so two changes to one indicator do not add up. Candidates are therefore taken
in a fixed order of precedence (the most specific explanation first: a pass-through
goal before a duplicate, a duplicate before an activity goal, ... the goal cap last)
and each claims what it touches; a later candidate keeps only the parts nobody has
claimed. A candidate left with nothing is kept as information (effect 0, `covered_by`
naming the recommendation that already handles it), so every pattern found is still
shown with its evidence. Because claims are disjoint, applying ANY subset of the
recommendations changes the document totals by exactly the sum of their effects
(tested with hypothesis), and applying all of them gives `totals_after_all`.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from goalload import metrics
from goalload.classify import GOAL_TYPE_LABELS_SV, _classify_goals, goal_types
from goalload.formatting import format_int as _format_int
from goalload.formatting import format_number
from goalload.model import (
    FREQUENCIES,
    FREQUENCY_LABELS_SV,
    UNIT_LEVELS,
    GoalDocument,
)
from goalload.scenario import Changes, apply_changes
from goalload.text import normalize_series

# Counts repeat across thousands of texts: formatted once each.
format_int = functools.lru_cache(maxsize=4096)(_format_int)

RECOMMENDATION_KINDS: tuple[str, ...] = (
    "merge_duplicates",
    "drop_pass_through",
    "report_shared_indicator_once",
    "measure_or_drop_unmeasured",
    "move_activity_goal_down",
    "lower_frequency",
    "joint_assignment",
    "above_goal_cap",
)
KIND_LABELS_SV = {
    "merge_duplicates": "Slå ihop likalydande mål",
    "drop_pass_through": "Ta bort mål som upprepar målet ovanför",
    "report_shared_indicator_once": "Rapportera delad indikator en gång",
    "measure_or_drop_unmeasured": "Mät eller ta bort omätta mål",
    "move_activity_goal_down": "Flytta aktivitetsmål till verksamhetsplanen",
    "lower_frequency": "Rapportera inte oftare än källan uppdateras",
    "joint_assignment": "Gör uppdrag till många nämnder gemensamt",
    "above_goal_cap": "Enhet över måltaket",
}
# The order in which candidates claim what they touch (module docstring).
PRECEDENCE: tuple[str, ...] = (
    "drop_pass_through",
    "move_activity_goal_down",
    "merge_duplicates",
    "measure_or_drop_unmeasured",
    "report_shared_indicator_once",
    "joint_assignment",
    "lower_frequency",
    "above_goal_cap",
)
_NO_CHANGES = Changes()  # immutable: shared by every informational recommendation
EFFECT_KEYS = ("goals", "indicators", "assignments", "reporting_occasions_per_year")

DEFAULT_GOAL_CAP = 10
"""Own goals per unit above which `above_goal_cap` suggests cutting (adjustable).

From the reference figures in DOMAIN.md: Upplands Väsby cut about 100 overarching goals
to 10; Karlstad runs 22 goals over 4 goal areas (5–6 per area); Lund has 4 KF goals and
Stockholm 3 inriktningsmål. 10 is the most generous figure a municipality reached by
deliberately cutting, so a unit above it carries more goals than any of them found
workable. It is a default, not a norm: the page and the CLI let the user change it.
"""
JOINT_MIN_RECIPIENTS = 3  # "many committees": Göteborg counted 15 of 83 to more than one
# Sources that update once a year: Kolada publishes yearly; municipal surveys
# (elevenkät, brukarundersökning, medarbetarenkät) are run once a year.
YEARLY_SOURCE_KINDS: tuple[str, ...] = ("kolada", "survey")
# Levels where a goal is political steering; an activity goal there is detail steering.
STEERING_LEVELS: tuple[str, ...] = ("council", "board", "committee", "company")


@dataclass(frozen=True, eq=False)
class Recommendation:
    """One recommendation. Equal to another with the same field values, also when one of
    them builds its texts lazily (`_LazyTexts`)."""

    id: str  # stable: kind + the key item, so a saved scenario finds it again
    kind: str
    title: str  # one Swedish line
    units: tuple[str, ...]  # unit names as written in the document
    items: tuple[dict[str, Any], ...]  # {"type", "id", "text", "action", ...}
    rationale: str  # Swedish, cites the evidence
    effect: dict[str, int]  # EFFECT_KEYS -> removed (negative = added)
    changes: Changes = field(default_factory=Changes)
    evidence: tuple[str, ...] = ()
    covered_by: str | None = None  # informational: another recommendation handles this

    @property
    def score(self) -> int:
        """What ranks recommendations: load removed, each goal, indicator, assignment
        and reporting occasion counting one."""
        return sum(self.effect.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "units": list(self.units),
            "items": [dict(i) for i in self.items],
            "rationale": self.rationale,
            "effect": dict(self.effect),
            "evidence": list(self.evidence),
            "covered_by": self.covered_by,
            "changes": self.changes.to_dict(),
        }

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in _RECOMMENDATION_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Recommendation):
            return NotImplemented
        return self is other or self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # effect is a dict, as before


_RECOMMENDATION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Recommendation))
_TEXT_FIELDS: tuple[str, ...] = ("title", "units", "items", "rationale", "evidence")


class _Text:
    """A text field of a `_LazyTexts` recommendation: all five texts are built on first
    access of any of them, then stored on the instance like ordinary fields (a
    non-data descriptor: the instance's own value wins once it is there)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, rec: Any, owner: type | None = None) -> Any:
        if rec is None:
            return self
        values = rec.__dict__
        if self.name not in values:
            make = values.get("_make_texts")
            if make is not None:  # None: another thread has just built them
                values.update(make())
                values.pop("_make_texts", None)
        return values[self.name]


class _LazyTexts(Recommendation):
    """A Recommendation whose title, units, items, rationale and evidence are built only
    when first read: the Minska page lists thousands of informational recommendations
    but opens one at a time. Pickles and copies as a plain Recommendation."""

    title = _Text()
    units = _Text()
    items = _Text()
    rationale = _Text()
    evidence = _Text()

    def __reduce__(self) -> tuple:
        return (Recommendation, self._values())


# ---------------------------------------------------------------------------------
# Candidates before reconciliation


@dataclass(slots=True)  # tens of thousands on a large document
class _Part:
    """One separable piece of a candidate: its edits and everything they touch."""

    changes: Changes
    atoms: frozenset[tuple[str, str]]
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Candidate:
    kind: str
    key: str
    parts: list[_Part]
    # builds (title, units, items, rationale, evidence) from the parts that survived
    describe: Callable[[list[_Part]], tuple[str, tuple, tuple, str, tuple]]

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def _link_maps(doc: GoalDocument) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """goal -> its indicators, indicator -> its goals (in link order)."""
    links = doc.goal_indicators
    return _grouped(links["goal_id"].to_list(), links["indicator_id"].to_list(), both=True)


def _grouped(keys: list, values: list, both: bool = False) -> Any:
    """key -> [values in row order] (and value -> [keys] when `both`), keys in order of
    first appearance. A dict loop: measured faster than a polars group_by, whose list
    column is slow to turn into Python lists, on small and large documents alike."""
    by_key: dict[Any, list] = {}
    by_value: dict[Any, list] = {}
    for k, v in zip(keys, values, strict=True):
        found = by_key.get(k)
        if found is None:
            by_key[k] = [v]
        else:
            found.append(v)
        if both:
            found = by_value.get(v)
            if found is None:
                by_value[v] = [k]
            else:
                found.append(k)
    return (by_key, by_value) if both else by_key


def _exclusive(links: dict, linked_goals: dict, goals: Iterable[str]) -> list[str]:
    """Indicators of these goals linked to no other goal: they go with the goals."""
    goals = set(goals)
    found = {i for g in goals for i in links.get(g, []) if set(linked_goals.get(i, [])) <= goals}
    return sorted(found)


class _Context:
    """Lookups every builder needs, computed once per document.

    The memoised lookups are plain dicts filled on first use: the same goals, units and
    indicators are described many times.
    """

    def __init__(self, doc: GoalDocument):
        self.doc = doc
        units = doc.units
        unit_ids = units["unit_id"].to_list()
        self.unit_name = dict(zip(unit_ids, units["name"].to_list(), strict=True))
        self.unit_level = dict(zip(unit_ids, units["level"].to_list(), strict=True))
        self.unit_order = {u: i for i, u in enumerate(unit_ids)}
        goals = doc.goals
        goal_ids = goals["goal_id"].to_list()
        self.goal_ids = goal_ids
        self.goal_text = dict(zip(goal_ids, goals["text"].to_list(), strict=True))
        self.goal_parent = dict(zip(goal_ids, goals["parent_goal_id"].to_list(), strict=True))
        self.goal_order = {g: i for i, g in enumerate(goal_ids)}
        self.goal_children: dict[str, list[str]] = {}
        for g, p in self.goal_parent.items():
            if p is not None:
                self.goal_children.setdefault(p, []).append(g)
        owners = doc.goal_owners
        self.owners = _grouped(owners["goal_id"].to_list(), owners["unit_id"].to_list())
        self.links, self.linked_goals = _link_maps(doc)
        self._indicators = doc.indicators
        self.ind_ids = self._indicators["indicator_id"].to_list()
        self.ind_known = set(self.ind_ids)
        self._columns: dict[str, dict[str, Any]] = {}
        self.ind_name = self.column("name")
        self.carried = carried = metrics.unit_indicators(doc)
        self.carriers = _grouped(carried["indicator_id"].to_list(), carried["unit_id"].to_list())
        self._owner_names: dict[str, str] = {}
        self._owner_unit_names: dict[str, list[str]] = {}
        self._top_rank: dict[str, int] = {}
        self._exclusive1: dict[str, list[str]] | None = None
        self._goal_items: dict[tuple[str, str], dict[str, Any]] = {}
        self._indicator_items: dict[str, dict[str, dict[str, Any]]] = {}  # action -> id ->
        self._item_rows: dict[str, tuple] | None = None
        self._unit_keys: dict[str, tuple[int, int]] = {}
        self._quoted_goals: dict[str, str] = {}
        self._quoted_indicators: dict[str, str] = {}
        self._goal_atoms: dict[str, frozenset[tuple[str, str]]] = {}

    def column(self, name: str) -> dict[str, Any]:
        """indicator id -> the value of one column (a repeated id: its last row)."""
        values = self._columns.get(name)
        if values is None:
            values = dict(zip(self.ind_ids, self._indicators[name].to_list(), strict=True))
            self._columns[name] = values
        return values

    def level_rank(self, unit_id: str | None) -> int:
        return _LEVEL_RANK.get(self.unit_level.get(unit_id), len(UNIT_LEVELS))

    def unit_rank_key(self, unit_id: str) -> tuple[int, int]:
        """The highest unit first (level, then document order): who reports or leads."""
        key = self._unit_keys.get(unit_id)
        if key is None:
            key = (self.level_rank(unit_id), self.unit_order.get(unit_id, 0))
            self._unit_keys[unit_id] = key
        return key

    def top_owner_rank(self, goal_id: str) -> int:
        rank = self._top_rank.get(goal_id)
        if rank is None:
            rank = min(
                (self.level_rank(u) for u in self.owners.get(goal_id, [])),
                default=len(UNIT_LEVELS),
            )
            self._top_rank[goal_id] = rank
        return rank

    def exclusive(self, goals: Iterable[str]) -> list[str]:
        goals = list(goals)
        if len(goals) == 1:
            return list(self._exclusive_of_one().get(goals[0], ()))
        return _exclusive(self.links, self.linked_goals, goals)

    def _exclusive_of_one(self) -> dict[str, list[str]]:
        """goal -> the indicators linked to that goal only (sorted), for all goals at once."""
        if self._exclusive1 is None:
            sole: dict[str, list[str]] = {}
            for indicator, goals in self.linked_goals.items():
                if len(goals) == 1 or len(set(goals)) == 1:
                    sole.setdefault(goals[0], []).append(indicator)
            for found in sole.values():
                found.sort()
            self._exclusive1 = sole
        return self._exclusive1

    def occasions(self, goal_id: str) -> int:
        """Reporting occasions per year of the goal's indicators."""
        occ = self.column("occasions_per_year")
        return sum(occ[i] or 1 for i in self.links.get(goal_id, []))

    def owner_unit_names(self, goal_id: str) -> list[str]:
        names = self._owner_unit_names.get(goal_id)
        if names is None:
            unit_name = self.unit_name
            names = [unit_name.get(u, u) for u in self.owners.get(goal_id, [])]
            self._owner_unit_names[goal_id] = names
        return names

    def owner_names(self, goal_id: str) -> str:
        text = self._owner_names.get(goal_id)
        if text is None:
            names = self.owner_unit_names(goal_id)
            text = self._owner_names[goal_id] = _join(names) if names else "ingen ägare"
        return text

    def quoted_goal_with_owners(self, goal_id: str) -> str:
        text = self._quoted_goals.get(goal_id)
        if text is None:
            text = f"{_q(self.goal_text.get(goal_id))} ({self.owner_names(goal_id)})"
            self._quoted_goals[goal_id] = text
        return text

    def quoted_indicator(self, indicator_id: str) -> str:
        text = self._quoted_indicators.get(indicator_id)
        if text is None:
            text = f"{_q(self.ind_name.get(indicator_id))} ({self.frequency_sv(indicator_id)})"
            self._quoted_indicators[indicator_id] = text
        return text

    def goal_atoms(self, goal_id: str) -> frozenset[tuple[str, str]]:
        """A goal and every indicator it links: removing it changes who carries them."""
        atoms = self._goal_atoms.get(goal_id)
        if atoms is None:
            atoms = frozenset(
                [("goal", goal_id)] + [("ind", i) for i in self.links.get(goal_id, ())]
            )
            self._goal_atoms[goal_id] = atoms
        return atoms

    # Items are made once per (id, action) and shared by the recommendations that list
    # them: nothing changes an item (Recommendation.to_dict hands out copies), and a
    # large document lists 135,000 indicator items.

    def goal_item(self, goal_id: str, action: str) -> dict[str, Any]:
        item = self._goal_items.get((goal_id, action))
        if item is None:
            item = self._goal_items[(goal_id, action)] = {
                "type": "goal",
                "id": goal_id,
                "text": self.goal_text.get(goal_id) or "",
                "units": list(self.owner_unit_names(goal_id)),
                "action": action,
            }
        return item

    def indicator_item(self, indicator_id: str, action: str) -> dict[str, Any]:
        return self.indicator_items((indicator_id,), action)[0]

    def indicator_items(self, indicator_ids: Iterable[str], action: str) -> list[dict[str, Any]]:
        """indicator_item of each id, in one call (a merge lists tens of thousands)."""
        made = self._indicator_items.get(action)
        if made is None:
            made = self._indicator_items[action] = {}
        if self._item_rows is None:
            self._item_rows = dict(
                zip(
                    self.ind_ids,
                    zip(*(self._indicators[c].to_list() for c in _ITEM_COLUMNS), strict=True),
                    strict=True,
                )
            )
        rows = self._item_rows
        items = []
        for i in indicator_ids:
            item = made.get(i)
            if item is None:
                name, frequency, source, kolada = rows.get(i, _NO_ITEM_ROW)
                item = made[i] = {
                    "type": "indicator",
                    "id": i,
                    "text": name or "",
                    "frequency": frequency,
                    "source": source,
                    "kolada_id": kolada,
                    "action": action,
                }
            items.append(item)
        return items

    def frequency_sv(self, indicator_id: str) -> str:
        freq = self.column("frequency").get(indicator_id)
        return _FREQUENCY_SV.get(freq, "okänd frekvens")


_LEVEL_RANK = {level: UNIT_LEVELS.index(level) for level in UNIT_LEVELS}
_ITEM_COLUMNS = ("name", "frequency", "source", "kolada_id")
_NO_ITEM_ROW = (None, None, None, None)
_FREQUENCY_SV = {k: v.lower() for k, v in FREQUENCY_LABELS_SV.items()}


def _q(text: str | None) -> str:
    return f"«{(text or '').strip()}»"


_SHOWN = 8  # a rationale names this many goals or pairs, then counts the rest


def _join(words: list[str], limit: int = _SHOWN) -> str:
    """ "a, b och c"; a long list ends in "och 12 till" (the items list has them all)."""
    words = [w for w in words if w]
    if len(words) > limit:
        return ", ".join(words[:limit]) + f" och {format_int(len(words) - limit)} till"
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def _join_quoted(items: list, fmt: Callable[[Any], str], limit: int = _SHOWN) -> str:
    """`_join([fmt(x) for x in items])` for an `fmt` that never returns "" (its texts are
    quoted): formats only the items a long list shows."""
    if len(items) > limit:
        return (
            ", ".join(fmt(x) for x in items[:limit]) + f" och {format_int(len(items) - limit)} till"
        )
    return _join([fmt(x) for x in items], limit)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


LEVEL_PHRASE_SV = {
    "council": "fullmäktigenivå",
    "board": "styrelsenivå",
    "committee": "nämndnivå",
    "company": "bolagsnivå",
    "administration": "förvaltningsnivå",
    "unit": "enhetsnivå",
}
_PRECISE = re.compile(r"\d+(?:[ ,.]\d+)*\s*(?:%|procent)?")


@functools.lru_cache(maxsize=4096)  # scores and confidences repeat a lot
def _score_sv(score: float | None) -> str:
    return "–" if score is None else format_number(float(score), "sv", 2)


def _units_of(ctx: _Context, goal_ids: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for g in goal_ids:
        for u in ctx.owners.get(g, []):
            seen.setdefault(ctx.unit_name.get(u, u))
    return tuple(seen)


def _indicator_list(ctx: _Context, ids: Iterable[str]) -> str:
    return _join_quoted(list(ids), ctx.quoted_indicator)


# ---------------------------------------------------------------------------------
# Overlap evidence


def _merge_lines(pairs: pl.DataFrame, members: pl.DataFrame) -> dict[int, _Lines]:
    """component -> its evidence lines: every overlap pair inside a merge component, in
    the order the rationale lists them.

    `members`: goal_id, comp, pos (place in the component's goal list), order (in the
    document). A goal's pairs are listed in the overlap's row order, each pair once,
    from the goal earlier in the document. Built with polars joins: a large city has
    300,000 pairs, most inside one component.
    """
    ev = pairs.select("a_goal_id", "b_goal_id", "score", "evidence").with_row_index("r")
    # both goals in one component; the pair is listed from the goal earlier in the document
    joined = ev.join(
        members.select(a_goal_id="goal_id", comp="comp", pos_a="pos", order_a="order"),
        on="a_goal_id",
    ).join(
        members.select(b_goal_id="goal_id", comp="comp", pos_b="pos", order_b="order"),
        on=["b_goal_id", "comp"],
    )
    a_first = pl.col("order_a") < pl.col("order_b")
    lines = joined.filter(pl.col("order_a") != pl.col("order_b")).select(
        "comp",
        "r",
        "score",
        words="evidence",
        x=pl.when(a_first).then("a_goal_id").otherwise("b_goal_id"),
        y=pl.when(a_first).then("b_goal_id").otherwise("a_goal_id"),
        pos=pl.when(a_first).then("pos_a").otherwise("pos_b"),
    )
    if lines.height == 0:
        return {}
    # by (comp, pos, r) as one integer key when it fits: sorting on three keys took
    # twice as long on a large city
    n_pos, n_rows = members.height + 1, ev.height + 1
    if (members["comp"].max() + 1) * n_pos * n_rows < 2**62:
        lines = lines.sort((pl.col("comp") * n_pos + pl.col("pos")) * n_rows + pl.col("r"))
    else:
        lines = lines.sort("comp", "pos", "r")
    scores = lines["score"].drop_nulls().unique().to_list()
    words = pl.col("words").list.head(6).list.join(", ")
    lines = lines.with_columns(
        score_sv=pl.col("score")
        .replace_strict(scores, [_score_sv(x) for x in scores], default=None)
        .fill_null("–"),
        words_sv=pl.when(pl.col("words").list.len() > 0).then(words).otherwise(pl.lit("–")),
    ).select(
        "comp",
        "x",
        "y",
        line=pl.format("{} ↔ {}: likhet {}; gemensamt: {}", "x", "y", "score_sv", "words_sv"),
    )
    grouped = lines.group_by("comp", maintain_order=True).agg("line", "x", "y")
    return {
        c: _Lines(line, grouped, n)
        for n, (c, line) in enumerate(
            zip(grouped["comp"].to_list(), grouped["line"].to_list(), strict=True)
        )
    }


@dataclass
class _Lines:
    """A merge component's evidence lines; which goals each line pairs is read from the
    frame only when some of the goals are handled elsewhere (rarely)."""

    lines: list[str]
    frame: pl.DataFrame
    row: int

    def among(self, members: set[str]) -> list[str]:
        """The lines whose two goals are both members."""
        if len(self.lines) < _MANY_LINES:
            xs = self.frame["x"][self.row].to_list()
            ys = self.frame["y"][self.row].to_list()
            return [
                line
                for line, a, b in zip(self.lines, xs, ys, strict=True)
                if a in members and b in members
            ]
        wanted = pl.Series(list(members), dtype=pl.String).implode()
        both = self.frame["x"][self.row].is_in(wanted) & self.frame["y"][self.row].is_in(wanted)
        return list(itertools.compress(self.lines, both.to_list()))


_MANY_LINES = 20_000  # from here on polars filters a component's lines faster than Python


def _evidence_words(words: list[str]) -> str:
    return ", ".join(words[:6]) if words else "–"


# ---------------------------------------------------------------------------------
# Builders, one per kind


def _pass_through(ctx: _Context, overlap: Any) -> list[_Candidate]:
    pairs = getattr(overlap, "pairs", None)
    if pairs is None or pairs.height == 0:
        return []
    restates: dict[str, tuple[str, float, list[str]]] = {}  # child -> (restated goal, score, words)
    for row in pairs.filter(pl.col("kind") == "pass_through").iter_rows(named=True):
        a, b = row["a_goal_id"], row["b_goal_id"]
        child, parent = _child_and_parent(ctx, a, b)
        if child is None or child in restates:
            continue
        restates[child] = (parent, row.get("score"), list(row.get("evidence") or []))

    # chains (Z restates Y restates X) become one candidate that keeps the top goal
    def top(goal: str) -> str:
        seen = set()
        while goal in restates and goal not in seen:
            seen.add(goal)
            goal = restates[goal][0]
        return goal

    groups: dict[str, list[str]] = {}
    for child in sorted(restates, key=lambda g: ctx.goal_order.get(g, 0)):
        groups.setdefault(top(child), []).append(child)
    candidates = []
    for kept, children in groups.items():
        if kept in restates:  # a cycle in the evidence: nothing sensible to keep
            continue
        parts = []
        for child in children:
            # The goal above is measured already: what measured only the restating goal
            # goes with it. Otherwise its measurement moves up, so nothing is left unmeasured.
            if ctx.links.get(kept) or _measured_below(ctx, kept, set(children)):
                moved, dropped = [], ctx.exclusive([child])
            else:
                moved = [i for i in ctx.links.get(child, []) if i not in ctx.links.get(kept, [])]
                dropped = []
            atoms = ctx.goal_atoms(child) | ({("goal", kept)} if moved else set())
            parts.append(
                _Part(
                    Changes(
                        remove_goals=(child,),
                        move_links=tuple((i, child, kept) for i in moved),
                        remove_indicators=tuple(dropped),
                    ),
                    frozenset(atoms),
                    {
                        "child": child,
                        "restated": restates[child][0],
                        "score": restates[child][1],
                        "words": restates[child][2],
                        "moved": moved,
                        "dropped": dropped,
                        "kept": kept,
                    },
                )
            )
        candidates.append(
            _Candidate("drop_pass_through", children[0], parts, _describe_pass_through(ctx))
        )
    return candidates


def _measured_below(ctx: _Context, goal: str, skip: set[str]) -> bool:
    """Whether a goal below `goal`, other than those in `skip`, has an indicator."""
    stack, seen = list(ctx.goal_children.get(goal, [])), set()
    while stack:
        g = stack.pop()
        if g in seen:
            continue
        seen.add(g)
        if g not in skip and ctx.links.get(g):
            return True
        stack.extend(ctx.goal_children.get(g, []))
    return False


def _child_and_parent(ctx: _Context, a: str, b: str) -> tuple[str | None, str | None]:
    """Which of two goals restates the other: the one below in the goal chain, else the
    one whose owner sits lower in the organisation."""
    for child, parent in ((b, a), (a, b)):
        seen, goal = set(), ctx.goal_parent.get(child)
        while goal is not None and goal not in seen:
            if goal == parent:
                return child, parent
            seen.add(goal)
            goal = ctx.goal_parent.get(goal)
    ra, rb = ctx.top_owner_rank(a), ctx.top_owner_rank(b)
    if ra == rb:
        return None, None
    return (b, a) if rb > ra else (a, b)


def _how_similar(ctx: _Context, a: str, b: str, score: float | None) -> str:
    same = (ctx.goal_text.get(a) or "").strip().casefold() == (
        ctx.goal_text.get(b) or ""
    ).strip().casefold()
    return "ordagrant" if same else f"med samma innehåll (likhet {_score_sv(score)})"


def _describe_pass_through(ctx: _Context):
    def describe(parts: list[_Part]):
        kept = parts[0].data["kept"]
        children = [p.data["child"] for p in parts]
        sentences = []
        evidence = []
        for p in parts:
            d = p.data
            how = _how_similar(ctx, d["child"], d["restated"], d["score"])
            sentences.append(
                f"{_q(ctx.goal_text.get(d['child']))} ({ctx.owner_names(d['child'])}) upprepar "
                f"{_q(ctx.goal_text.get(d['restated']))} ({ctx.owner_names(d['restated'])}) {how}."
            )
            evidence.append(
                f"{d['child']} ↔ {d['restated']}: likhet {_score_sv(d['score'])}; "
                f"gemensamt: {_evidence_words(d['words'])}"
            )
        moved = [i for p in parts for i in p.data["moved"]]
        text = " ".join(sentences) + (
            " Målet lägger till ett led i styrkedjan utan nytt innehåll: ta bort det och "
            "följ upp målet ovanför direkt."
            if len(parts) == 1
            else " Målen lägger till led i styrkedjan utan nytt innehåll: ta bort dem och "
            "följ upp målet ovanför direkt."
        )
        if moved:
            text += (
                f" {_plural(len(moved), 'Indikatorn', 'Indikatorerna')} {_indicator_list(ctx, moved)} "
                f"följs i stället upp under {_q(ctx.goal_text.get(kept))}."
            )
        items = tuple([ctx.goal_item(g, "remove") for g in children]) + (
            ctx.goal_item(kept, "keep"),
        )
        dropped = [i for p in parts for i in p.data["dropped"]]
        if dropped:
            text += (
                f" {_plural(len(dropped), 'Indikatorn', 'Indikatorerna')} "
                f"{_indicator_list(ctx, dropped)} mätte bara "
                + _plural(len(parts), "det målet", "de målen")
                + " och går med "
                + _plural(len(parts), "det", "dem")
                + "; målet ovanför följs upp med sina egna."
            )
        items += tuple(ctx.indicator_items(moved, "move"))
        items += tuple(ctx.indicator_items(dropped, "remove"))
        title = (
            "Ta bort ett mål som upprepar målet ovanför"
            if len(children) == 1
            else f"Ta bort {format_int(len(children))} mål som upprepar målet ovanför"
        )
        return title, _units_of(ctx, children), items, text, tuple(evidence)

    return describe


def _merge(ctx: _Context, overlap: Any) -> list[_Candidate]:
    clusters = getattr(overlap, "clusters", None)
    pairs = getattr(overlap, "pairs", None)
    if clusters is None or clusters.height == 0 or pairs is None:
        return []
    horizontal = pairs.filter(pl.col("kind") == "horizontal")
    components = _components(ctx, clusters, horizontal)
    candidates, member_rows = [], []
    links, goal_order = ctx.links, ctx.goal_order
    sole = ctx._exclusive_of_one()
    for comp, (kept, group) in enumerate(_merge_groups(ctx, components, horizontal)):
        kept_links = set(links.get(kept, ()))
        kept_atoms = ctx.goal_atoms(kept)
        parts = []
        others = sorted([g for g in group if g != kept], key=goal_order.__getitem__)
        for goal in others:
            dropped = [i for i in sole.get(goal, ()) if i not in kept_links]
            parts.append(
                _Part(
                    Changes(merge_goals=((goal, kept),), remove_indicators=tuple(dropped)),
                    ctx.goal_atoms(goal) | kept_atoms,
                    {"goal": goal, "kept": kept, "dropped": dropped},
                )
            )
        member_rows += [(g, comp, pos, goal_order[g]) for pos, g in enumerate([kept, *others])]
        candidates.append((comp, kept, parts))
    members = pl.DataFrame(
        member_rows,
        schema={"goal_id": pl.String, "comp": pl.Int64, "pos": pl.Int64, "order": pl.Int64},
        orient="row",
    )
    lines = _merge_lines(pairs, members)
    return [
        _Candidate(
            "merge_duplicates", kept, parts, _describe_merge(ctx, lines.get(comp), len(parts))
        )
        for comp, kept, parts in candidates
    ]


def _merge_rank(ctx: _Context, goal: str) -> tuple:
    """Which goal of a group is kept (the smallest): the highest owner; then a measured
    goal, the one cheapest to report on (its owners' peers take over its indicators), the
    most widely owned, the first in the document."""
    return (
        ctx.top_owner_rank(goal),
        not ctx.links.get(goal),
        ctx.occasions(goal),
        -len(ctx.owners.get(goal, ())),
        ctx.goal_order.get(goal, 0),
    )


def _merge_groups(
    ctx: _Context, components: list[list[str]], horizontal: pl.DataFrame
) -> list[tuple[str, list[str]]]:
    """(kept goal, its group) to merge: within each component, the best-ranked goal not
    yet grouped is kept, with every goal whose text is its text or a near-duplicate of it
    (a horizontal pair between the two texts); the next best-ranked goal left starts the
    next group. A goal left alone, its near-duplicates all grouped before it, joins the
    group of its most similar one.

    A component chains near-duplicates of near-duplicates: a generated municipality's
    formulaic texts chained 963 different texts into one ("Främja andelen ekologiska
    livsmedel" with "Främja andelen elever med godkända betyg"), which no one would merge.
    Texts are compared normalised (goals with the same text are paired in a band, not
    all with each other)."""
    if not components:
        return []
    goals = [g for component in components for g in component]
    texts = normalize_series(pl.Series([ctx.goal_text.get(g) or "" for g in goals]))
    key = dict(zip(goals, texts.to_list(), strict=True))
    codes = pl.DataFrame({"goal_id": goals, "key": texts})
    near = (
        horizontal.select("a_goal_id", "b_goal_id", score=pl.col("score").fill_null(0.0))
        .join(codes.rename({"goal_id": "a_goal_id", "key": "a"}), on="a_goal_id")
        .join(codes.rename({"goal_id": "b_goal_id", "key": "b"}), on="b_goal_id")
        .filter(pl.col("a") != pl.col("b"))
    )
    # text -> {near-duplicate text: the best score of a pair between them}; a large city
    # has 100,000s of pairs between a few thousand texts, so built in polars
    adjacent = (
        pl.concat([near.select(one="a", other="b", score="score"),
                   near.select(one="b", other="a", score="score")])
        .group_by("one", "other")
        .agg(pl.col("score").max())
        .group_by("one")
        .agg("other", "score")
    )
    neighbours: dict[str, dict[str, float]] = {
        one: dict(zip(others, scores, strict=True))
        for one, others, scores in adjacent.iter_rows()
    }
    groups: list[tuple[str, list[str]]] = []
    for component in components:
        by_key: dict[str, list[str]] = {}
        for goal in component:
            by_key.setdefault(key[goal], []).append(goal)
        group_of: dict[str, int] = {}  # text -> index in groups, or -1: left alone
        for kept in sorted(component, key=lambda g: _merge_rank(ctx, g)):
            if key[kept] in group_of:
                continue
            near_kept = neighbours.get(key[kept], {})
            keys = [key[kept], *(k for k in near_kept if k in by_key and k not in group_of)]
            members = [g for k in keys for g in by_key[k]]
            index = len(groups) if len(members) >= 2 else -1
            group_of.update(dict.fromkeys(keys, index))
            if index >= 0:
                groups.append((kept, members))
        for alone in [k for k, index in group_of.items() if index < 0]:
            nearest = max(
                (k for k in neighbours.get(alone, {}) if group_of.get(k, -1) >= 0),
                key=lambda k: (neighbours[alone][k], -group_of[k]),
                default=None,
            )
            if nearest is not None:
                groups[group_of[nearest]][1].extend(by_key[alone])
    return groups


def _components(ctx: _Context, clusters: pl.DataFrame, horizontal: pl.DataFrame) -> list[list[str]]:
    """Within each cluster of near-duplicates, the goals its horizontal pairs connect
    (two or more), in the order of their first goal: `_merge_groups` splits them into
    the groups to merge.

    Clusters come in order of first appearance, each goal once per cluster and only goals
    of the document; the components are found for all clusters at once (`overlap.components`).
    """
    order = pl.DataFrame({"goal_id": list(ctx.goal_order)}, schema={"goal_id": pl.String})
    members = (
        clusters.select("cluster_id", "goal_id")
        .with_row_index("row")
        .with_columns(first=pl.col("row").min().over("cluster_id"))
        .join(order, on="goal_id", how="semi")
        .unique(["cluster_id", "goal_id"], keep="first", maintain_order=True)
        .sort("first", "row")
        .with_row_index("node")
    )
    if members.height == 0:
        return []
    m = members.select("cluster_id", "goal_id", "node")
    edges = (
        horizontal.select("a_goal_id", "b_goal_id")
        .join(m.rename({"goal_id": "a_goal_id", "node": "a"}), on="a_goal_id")
        .join(m.rename({"goal_id": "b_goal_id", "node": "b"}), on=["b_goal_id", "cluster_id"])
    )
    from goalload.overlap import components

    labels = components(
        members.height,
        edges["a"].to_numpy().astype(np.int64),
        edges["b"].to_numpy().astype(np.int64),
    )
    goals = members["goal_id"].to_list()
    result: dict[int, list[str]] = {}  # label -> goals; a dict keeps first-node order
    for node, label in enumerate(labels.tolist()):
        result.setdefault(label, []).append(goals[node])
    return [c for c in result.values() if len(c) >= 2]


def _all_same(ctx: _Context, goals: list[str]) -> bool:
    return len({(ctx.goal_text.get(g) or "").strip().casefold() for g in goals}) == 1


def _describe_merge(ctx: _Context, lines: _Lines | None, n_parts: int):
    def describe(parts: list[_Part]):
        kept = parts[0].data["kept"]
        goals = [kept] + [p.data["goal"] for p in parts]
        listed = _join_quoted(goals, ctx.quoted_goal_with_owners)
        units = _units_of(ctx, goals)
        evidence: list[str] = []
        if lines is not None:
            # all parts, or some goals are handled by other recommendations
            evidence = lines.lines if len(parts) == n_parts else lines.among(set(goals))
        text = (
            f"{format_int(len(goals))} mål säger {'samma' if _all_same(ctx, goals) else 'nästan samma'} "
            f"sak: {listed}. "
            f"Gör dem till ett gemensamt mål, {_q(ctx.goal_text.get(kept))}, som "
            f"{_join(list(units))} äger tillsammans."
        )
        if evidence:
            text += (
                " Likhet: "
                + "; ".join(evidence[:_SHOWN])
                + (
                    f" (och {format_int(len(evidence) - _SHOWN)} par till)."
                    if len(evidence) > _SHOWN
                    else "."
                )
            )
        dropped = [i for p in parts for i in p.data["dropped"]]
        if dropped:
            text += (
                f" Indikatorer som bara mätte de mål som går upp i det gemensamma: "
                f"{_indicator_list(ctx, dropped)}; det gemensamma målet mäts med sina egna."
            )
        items = (ctx.goal_item(kept, "keep_shared"),) + tuple(
            ctx.goal_item(p.data["goal"], "merge") for p in parts
        )
        items += tuple(ctx.indicator_items(dropped, "remove"))
        title = f"Slå ihop {format_int(len(goals))} likalydande mål till ett gemensamt"
        return title, units, items, text, tuple(evidence)

    return describe


def _activity_goals(ctx: _Context, types: pl.DataFrame) -> list[_Candidate]:
    """Activity goals set at a steering level, or pushed into the chain below it.

    Goals with the same text (one activity handed to every school) form one candidate.
    """
    activity = types.filter(pl.col("goal_type") == "activity")
    groups: dict[str, list[_Part]] = {}
    for goal, triggers, confidence in zip(
        activity["goal_id"].to_list(),
        activity["triggers"].to_list(),
        activity["confidence"].to_list(),
        strict=True,
    ):
        levels = [ctx.unit_level.get(u) for u in ctx.owners.get(goal, [])]
        if not levels:
            continue
        steering = any(lv in STEERING_LEVELS for lv in levels)
        if not steering and ctx.goal_parent.get(goal) is None:
            continue  # an operational unit's own activity outside the goal chain
        dropped = ctx.exclusive([goal])
        part = _Part(
            Changes(remove_goals=(goal,), remove_indicators=tuple(dropped)),
            frozenset(ctx.goal_atoms(goal)),
            {
                "goal": goal,
                "triggers": list(triggers or []),
                "confidence": confidence,
                "steering": steering,
                "dropped": dropped,
                "levels": levels,
            },
        )
        key = " ".join((ctx.goal_text.get(goal) or "").casefold().split())
        groups.setdefault(key, []).append(part)
    describe = _describe_activity(ctx)
    return [
        _Candidate("move_activity_goal_down", parts[0].data["goal"], parts, describe)
        for parts in groups.values()
    ]


def _describe_activity(ctx: _Context):
    def describe(parts: list[_Part]):
        d = parts[0].data
        goals = [p.data["goal"] for p in parts]
        text_of_goal = ctx.goal_text.get(goals[0]) or ""
        levels = _join(
            sorted(
                {LEVEL_PHRASE_SV.get(lv, "okänd nivå") for p in parts for lv in p.data["levels"]}
            )
        )
        triggers = ", ".join(f"«{t}»" for t in d["triggers"]) or "–"
        precise = [m.group(0).strip() for m in _PRECISE.finditer(text_of_goal)]
        units = _units_of(ctx, goals)
        where = _join(list(units)) if units else "ingen ägare"
        many = len(goals) > 1
        text = (
            (f"{format_int(len(goals))} mål med samma text, " if many else "")
            + f"{_q(text_of_goal)} ({where}, {levels}), beskriver en aktivitet, "
            f"inte ett resultat: klassat som aktivitetsmål av orden {triggers} "
            f"(säkerhet {_score_sv(d['confidence'])})"
            + (f", med en exakt nivå ({_join(precise)})" if precise else "")
            + ". "
        )
        if any(p.data["steering"] for p in parts):
            text += (
                "När en politisk nivå bestämmer hur arbetet ska göras är det detaljstyrning. "
                "Flytta aktiviteten till förvaltningens verksamhetsplan och låt nämnden följa "
                "upp det resultat aktiviteten ska leda till."
            )
        else:
            text += (
                "Som mål i styrkedjan, med rapportering uppåt, styr den verksamhetens vardag i "
                "detalj. Låt aktiviteten stå i den egna verksamhetsplanen i stället, och följ "
                "upp det resultat den ska leda till."
            )
        dropped = [i for p in parts for i in p.data["dropped"]]
        if dropped:
            text += (
                f" {_plural(len(dropped), 'Indikatorn', 'Indikatorerna')} "
                f"{_indicator_list(ctx, dropped)} följer med aktiviteten."
            )
        items = tuple([ctx.goal_item(g, "move_to_operational_plan") for g in goals])
        items += tuple(ctx.indicator_items(dropped, "remove"))
        evidence = tuple(
            f"{p.data['goal']}: aktivitetsmål, orden "
            + (", ".join(f"«{t}»" for t in p.data["triggers"]) or "–")
            + f", säkerhet {_score_sv(p.data['confidence'])}"
            for p in parts
        )
        title = (
            f"Flytta {format_int(len(goals))} aktivitetsmål till verksamhetsplanen"
            if many
            else "Flytta aktivitetsmål till verksamhetsplanen"
        )
        return title, units, items, text, evidence

    return describe


def measured_through_children(doc: GoalDocument) -> set[str]:
    """Goals with no indicator of their own that a goal below them (at any depth) measures.

    Council goals in flat exports carry no indicators: they are followed up through the
    committee goals beneath them, so they are not 'unmeasured'.
    """
    measured = set(doc.goal_indicators["goal_id"].to_list())
    parents = dict(zip(doc.goals["goal_id"], doc.goals["parent_goal_id"], strict=True))
    result: set[str] = set()
    for goal in measured:
        seen = set()
        parent = parents.get(goal)
        while parent is not None and parent not in seen and parent not in result:
            seen.add(parent)
            result.add(parent)
            parent = parents.get(parent)
    return result - measured


def _unmeasured(ctx: _Context) -> list[_Candidate]:
    through_children = measured_through_children(ctx.doc)
    candidates = []
    for goal in ctx.doc.goals["goal_id"].to_list():
        if ctx.links.get(goal) or goal in through_children:
            continue
        part = _Part(Changes(remove_goals=(goal,)), frozenset({("goal", goal)}), {"goal": goal})
        candidates.append(
            _Candidate("measure_or_drop_unmeasured", goal, [part], _describe_unmeasured(ctx))
        )
    return candidates


def _describe_unmeasured(ctx: _Context):
    def describe(parts: list[_Part]):
        goal = parts[0].data["goal"]
        text = (
            f"{_q(ctx.goal_text.get(goal))} ({ctx.owner_names(goal)}) har ingen indikator, och "
            "inget mål under det har någon heller. Ett mål som inte följs upp går inte att "
            "bedöma: ge det en indikator eller ta bort det. Scenariot räknar med att det tas bort."
        )
        evidence = (f"{goal}: 0 indikatorer, inga underliggande mål med indikatorer",)
        return (
            "Mät eller ta bort ett omätt mål",
            _units_of(ctx, [goal]),
            (ctx.goal_item(goal, "measure_or_remove"),),
            text,
            evidence,
        )

    return describe


def _shared_indicators(ctx: _Context, overlap: Any) -> list[_Candidate]:
    shared = getattr(overlap, "shared_indicators", None)
    if shared is None or shared.height == 0:
        return []
    candidates = []
    groups = shared.group_by("indicator_key", maintain_order=True).agg(
        "indicator_id",
        "goal_id",
        "unit_id",
        pl.col("indicator").first(),
        pl.col("kolada_id").drop_nulls().first(),
    )
    describe = _describe_shared(ctx)
    kolada_of = ctx.column("kolada_id")
    occasions_of = ctx.column("occasions_per_year")
    known, goal_text, carriers_of = ctx.ind_known, ctx.goal_text, ctx.carriers
    owners, linked_goals, goal_order = ctx.owners, ctx.linked_goals, ctx.goal_order
    for key, ids, goals, name, kolada in zip(
        *(groups[c].to_list() for c in ("indicator_key", "indicator_id", "goal_id")),
        groups["indicator"].to_list(),
        groups["kolada_id"].to_list(),
        strict=True,
    ):
        ids = [i for i in dict.fromkeys(ids) if i in known]
        if not ids:
            continue
        goals = [g for g in dict.fromkeys(goals) if g in goal_text]
        carriers = {u for i in ids for u in carriers_of.get(i, ())}
        if not carriers:
            continue
        reporter = (
            min(carriers, key=ctx.unit_rank_key) if len(carriers) > 1 else next(iter(carriers))
        )
        canonical = ids[0]
        if len(ids) > 1:
            canonical = min(
                ids,
                key=lambda i: (
                    reporter not in carriers_of.get(i, ()),
                    kolada_of[i] is None,
                    occasions_of[i] or 1,
                    i,
                ),
            )
        duplicates = [i for i in ids if i != canonical]
        unlink = [
            (g, i)
            for i in ids
            for g in linked_goals.get(i, ())
            if reporter not in owners.get(g, ())
        ]
        # A goal linked to a duplicate gets the canonical id first, then loses the link.
        removed_links = tuple(
            dict.fromkeys([(g, canonical if i in duplicates else i) for g, i in unlink])
        )
        changes = (
            Changes(
                replace_indicators=tuple([(d, canonical) for d in duplicates]),
                remove_links=removed_links,
            )
            if duplicates or removed_links
            else _NO_CHANGES
        )
        # Nothing to change when every goal using it belongs to the reporting unit: the
        # load already counts it once per unit. Still shown, as information (no atoms).
        atoms = frozenset() if changes is _NO_CHANGES else frozenset([("ind", i) for i in ids])
        places = [(g, u) for g in goals for u in owners.get(g, ())]
        data = {
            "ids": ids,
            "canonical": canonical,
            "duplicates": duplicates,
            "reporter": reporter,
            "unlink_goals": sorted({g for g, _ in unlink}, key=lambda g: goal_order.get(g, 0))
            if unlink
            else [],
            "places": places,
            "goals": goals,
            "carriers": carriers,
            "name": name,
            "kolada": kolada,
            "key": key,
        }
        candidates.append(
            _Candidate(
                "report_shared_indicator_once", canonical, [_Part(changes, atoms, data)], describe
            )
        )
    return candidates


def _describe_shared(ctx: _Context):
    def describe(parts: list[_Part]):
        d = parts[0].data
        canonical, reporter = d["canonical"], d["reporter"]
        unit_name, goal_text = ctx.unit_name, ctx.goal_text
        reporter_name = unit_name.get(reporter, reporter)
        kolada = f" (Kolada {d['kolada']})" if d["kolada"] else ""
        owners = ctx.owners
        goals = [g for g in d["goals"] if owners.get(g)]  # the goals of `places`, in order
        unlinked = set(d["unlink_goals"])
        kept = [g for g in goals if g not in unlinked]
        order = ctx.unit_order
        carriers = sorted(d["carriers"], key=lambda u: order.get(u, 0))
        occ = ctx.column("occasions_per_year")[canonical] or 1
        name = ctx.ind_name.get(canonical)
        text = (
            f"Indikatorn {_q(name)}{kolada} används under "
            f"{format_int(len(goals))} mål: "
            + _join_quoted(goals, ctx.quoted_goal_with_owners)
            + ". "
            + (
                f"{format_int(len(carriers))} enheter rapporterar den, "
                if len(carriers) > 1
                else f"{unit_name.get(carriers[0], carriers[0])} rapporterar den, "
                if carriers
                else "Den rapporteras "
            )
            + f"{ctx.frequency_sv(canonical)} ({format_int(occ)} {_plural(occ, 'gång', 'gånger')} per år)"
            + (" var. " if len(carriers) > 1 else ". ")
        )
        if d["unlink_goals"]:
            text += (
                f"Rapportera den en gång, av {reporter_name}"
                + (f" under {_join_quoted(kept, lambda g: _q(goal_text.get(g)))}" if kept else "")
                + ", och låt "
                + _join_quoted(d["unlink_goals"], ctx.quoted_goal_with_owners)
                + " hänvisa till samma siffra i stället för att rapportera den själv"
                + ("a" if len(d["unlink_goals"]) > 1 else "")
                + "."
            )
        elif not d["duplicates"]:
            text += (
                "Varje enhet som följer upp den räknas redan bara en gång i målbördan, så "
                "förslaget ändrar inte summan: se till att siffran tas fram en gång och att "
                "målen hänvisar till den."
            )
        if d["duplicates"]:
            text = text.rstrip() + (
                f" Samma indikator finns under {format_int(len(d['ids']))} namn eller id:n: "
                f"{_indicator_list(ctx, d['ids'])}; de blir en."
            )
        items = [ctx.indicator_item(canonical, "report_once")]
        items += ctx.indicator_items(d["duplicates"], "replace")
        items += [
            {
                "type": "link",
                "id": f"{g}→{canonical}",
                "text": f"{goal_text.get(g)} → {name}",
                "action": "unlink",
            }
            for g in d["unlink_goals"]
        ]
        evidence = (f"nyckel {d['key']!r}: " + ", ".join([f"{u}/{g}" for g, u in d["places"]]),)
        units = tuple([unit_name.get(u, u) for u in carriers])
        return "Rapportera en delad indikator en gång", units, tuple(items), text, evidence

    return describe


def _joint_assignments(ctx: _Context, min_recipients: int) -> list[_Candidate]:
    doc = ctx.doc
    recipients: dict[str, list[str]] = {}
    for a, u in (
        doc.assignment_recipients.select("assignment_id", "unit_id")
        .unique(maintain_order=True)
        .iter_rows()
    ):
        recipients.setdefault(a, []).append(u)
    candidates = []
    for row in doc.assignments.iter_rows(named=True):
        a = row["assignment_id"]
        units = recipients.get(a, [])
        if len(units) < min_recipients:
            continue
        lead = min(
            units,
            key=lambda u: (
                ctx.unit_level.get(u) != "board",
                u != row.get("issuer_id"),
                ctx.level_rank(u),
                ctx.unit_order.get(u, 0),
            ),
        )
        others = [u for u in units if u != lead]
        part = _Part(
            Changes(remove_recipients=tuple((a, u) for u in others)),
            frozenset({("asg", a)}),
            {"row": row, "units": units, "lead": lead},
        )
        candidates.append(_Candidate("joint_assignment", a, [part], _describe_joint(ctx)))
    return candidates


def _describe_joint(ctx: _Context):
    def describe(parts: list[_Part]):
        d = parts[0].data
        row, units, lead = d["row"], d["units"], d["lead"]
        rb = row.get("report_backs_per_year") or 1
        names = [ctx.unit_name.get(u, u) for u in units]
        text = (
            f"Uppdraget {_q(row.get('text'))} går till {format_int(len(units))} mottagare ({_join(names)}), "
            f"som var och en återrapporterar ({row.get('report_back') or 'okänd tidpunkt'}): "
            f"{format_int(len(units) * rb)} återrapporteringar per år. Gör det till ett gemensamt "
            f"uppdrag där {ctx.unit_name.get(lead, lead)} samordnar och återrapporterar en gång för alla."
        )
        item = {
            "type": "assignment",
            "id": row["assignment_id"],
            "text": row.get("text") or "",
            "units": names,
            "lead": ctx.unit_name.get(lead, lead),
            "action": "make_joint",
        }
        evidence = (
            f"uppdrag {row['assignment_id']}: {format_int(len(units))} mottagare × {format_int(rb)} återrapportering(ar) per år",
        )
        return "Gör ett uppdrag till många nämnder gemensamt", tuple(names), (item,), text, evidence

    return describe


def _lower_frequency(ctx: _Context) -> list[_Candidate]:
    yearly = FREQUENCIES["year"]
    rows = ctx.doc.indicators.filter(
        pl.col("source_kind").is_in(list(YEARLY_SOURCE_KINDS))
        & (pl.col("occasions_per_year") > yearly)
    ).select(  # what the describe text uses
        "indicator_id",
        "name",
        "kolada_id",
        "source",
        "source_kind",
        "owner_id",
        "occasions_per_year",
    )
    by_unit: dict[str, list[dict]] = {}
    for row in rows.iter_rows(named=True):
        carriers = ctx.carriers.get(row["indicator_id"], [])
        unit = row["owner_id"] or min(carriers, key=ctx.unit_rank_key, default="")
        by_unit.setdefault(unit or "", []).append(row)
    candidates = []
    describe = _describe_lower(ctx)
    for unit, indicator_rows in by_unit.items():
        parts = [
            _Part(
                Changes(set_frequency=((r["indicator_id"], "year"),)),
                frozenset({("ind", r["indicator_id"])}),
                {"row": r, "unit": unit},
            )
            for r in indicator_rows
        ]
        candidates.append(_Candidate("lower_frequency", unit or "-", parts, describe))
    return candidates


def _describe_lower(ctx: _Context):
    def describe(parts: list[_Part]):
        unit = parts[0].data["unit"]
        rows = [p.data["row"] for p in parts]
        listed = []
        for r in rows:
            source = (
                "Kolada" + (f" {r['kolada_id']}" if r.get("kolada_id") else "")
                if r["source_kind"] == "kolada"
                else (f"enkät: {r.get('source') or 'enkät'}")
            )
            listed.append(f"{_q(r['name'])} ({source}, {ctx.frequency_sv(r['indicator_id'])})")
        carriers = sorted(
            {u for r in rows for u in ctx.carriers.get(r["indicator_id"], [])},
            key=lambda u: ctx.unit_order.get(u, 0),
        )
        who = ctx.unit_name.get(unit, unit) if unit else "ingen enhet"
        text = (
            ("En indikator" if len(rows) == 1 else f"{format_int(len(rows))} indikatorer")
            + f" hos {who} hämtas från "
            f"Kolada eller en årlig enkät, som uppdateras en gång per år, men rapporteras oftare: "
            f"{_join(listed)}. Att rapportera oftare än källan uppdateras ger inga nya siffror: "
            f"rapportera {_plural(len(rows), 'den', 'dem')} en gång per år."
        )
        if carriers:
            text += (
                " Rapporteras i dag av " + _join([ctx.unit_name.get(u, u) for u in carriers]) + "."
            )
        items = tuple(
            {**ctx.indicator_item(r["indicator_id"], "set_frequency"), "new_frequency": "year"}
            for r in rows
        )
        evidence = tuple(
            f"{r['indicator_id']}: källa {r.get('source') or r['source_kind']}, {r['occasions_per_year']} gånger per år → 1"
            for r in rows
        )
        units = tuple(ctx.unit_name.get(u, u) for u in carriers)
        return (
            "Rapportera en årlig indikator en gång per år"
            if len(rows) == 1
            else f"Rapportera {format_int(len(rows))} årliga indikatorer en gång per år",
            units,
            items,
            text,
            evidence,
        )

    return describe


# ---------------------------------------------------------------------------------
# The goal cap: what is left above it after everything else


_CUT_ORDER = {"activity": 0, "output": 1, "resource": 2, "effect": 3}


def _cap_choices(
    doc: GoalDocument,
    cap_for: Callable[[str], int | None],
    blocked: set,
    types: dict[str, str] | None = None,
) -> dict[str, list[tuple[str, bool]]]:
    """unit -> [(goal, sole_owner)] to cut so the unit is at its cap.

    Cut first what steers most in detail and is least tied into the chain: activity,
    then output, resource and effect goals; within a type, goals with no parent goal,
    then those with fewest indicators, then the last in the document.
    """
    owners = doc.goal_owners.select("goal_id", "unit_id")
    counts = owners.group_by("unit_id").agg(n=pl.len())
    links, _ = _link_maps(doc)
    if types is None:
        types = dict(goal_types(doc).iter_rows())
    parent = dict(zip(doc.goals["goal_id"], doc.goals["parent_goal_id"], strict=True))
    order = {g: i for i, g in enumerate(doc.goals["goal_id"])}
    n_links = dict(doc.goal_indicators.group_by("goal_id").agg(n=pl.len()).iter_rows())
    n_owners = dict(owners.group_by("goal_id").agg(n=pl.len()).iter_rows())
    goals_of: dict[str, list[str]] = {}
    for g, u in owners.iter_rows():
        goals_of.setdefault(u, []).append(g)
    unit_order = {u: i for i, u in enumerate(doc.units["unit_id"])}
    result: dict[str, list[tuple[str, bool]]] = {}
    taken: set[str] = set()
    for unit, n in sorted(counts.iter_rows(), key=lambda r: unit_order.get(r[0], 0)):
        cap = cap_for(unit)
        if cap is None or n <= cap:
            continue
        ranked = sorted(
            goals_of.get(unit, []),
            key=lambda g: (
                _CUT_ORDER.get(types.get(g, "effect"), 3),
                parent.get(g) is not None,
                n_links.get(g, 0),
                -order.get(g, 0),
            ),
        )
        chosen = []
        for g in ranked:
            if len(chosen) == n - cap:
                break
            if (
                g in taken
                or ("goal", g) in blocked
                or any(("ind", i) in blocked for i in links.get(g, []))
            ):
                continue
            chosen.append((g, n_owners.get(g, 1) <= 1))
            taken.add(g)
        if chosen:
            result[unit] = chosen
    return result


def _cap_part_changes(maps: tuple[dict, dict], unit: str, goal: str, sole: bool) -> Changes:
    if sole:
        return Changes(remove_goals=(goal,), remove_indicators=tuple(_exclusive(*maps, [goal])))
    return Changes(remove_goal_owners=((goal, unit),))


def goal_cap_changes(
    doc: GoalDocument, cap: int | None, unit_caps: dict[str, int] | None = None
) -> Changes:
    """The edits that bring every unit down to its cap (scenario rules use this)."""
    unit_caps = unit_caps or {}
    choices = _cap_choices(doc, lambda u: unit_caps.get(u, cap), set())
    maps = _link_maps(doc)
    return Changes.combine(
        _cap_part_changes(maps, u, g, sole) for u, gs in choices.items() for g, sole in gs
    )


def _above_cap(
    ctx: _Context, cap: int, after: GoalDocument, blocked: set, types: dict[str, str]
) -> list[_Candidate]:
    """Computed on the document as it would be after every other recommendation
    (`after`: their edits applied, but for frequencies and recipients; `blocked`: the
    atoms they claimed)."""
    choices = _cap_choices(after, lambda _u: cap, blocked, types)
    own_after = dict(after.goal_owners.group_by("unit_id").agg(n=pl.len()).iter_rows())
    own_before = dict(ctx.doc.goal_owners.group_by("unit_id").agg(n=pl.len()).iter_rows())
    candidates = []
    for unit, goals in choices.items():
        parts = []
        for goal, sole in goals:
            atoms = {("goal", goal)} | {("ind", i) for i in ctx.links.get(goal, [])}
            parts.append(
                _Part(
                    _cap_part_changes((ctx.links, ctx.linked_goals), unit, goal, sole),
                    frozenset(atoms),
                    {
                        "goal": goal,
                        "sole": sole,
                        "unit": unit,
                        "cap": cap,
                        "before": own_before.get(unit, 0),
                        "after_others": own_after.get(unit, 0),
                        "type": types.get(goal, "effect"),
                    },
                )
            )
        candidates.append(_Candidate("above_goal_cap", unit, parts, _describe_cap(ctx)))
    return candidates


def _describe_cap(ctx: _Context):
    def describe(parts: list[_Part]):
        d = parts[0].data
        unit, cap = d["unit"], d["cap"]
        name = ctx.unit_name.get(unit, unit)
        listed = _join(
            [
                f"{_q(ctx.goal_text.get(p.data['goal']))} ({GOAL_TYPE_LABELS_SV[p.data['type']].lower()}"
                + ("" if p.data["sole"] else ", delat: enheten släpper sitt ägarskap")
                + ")"
                for p in parts
            ]
        )
        text = (
            f"{name} har {format_int(d['before'])} egna mål"
            + (
                f" ({format_int(d['after_others'])} efter de andra förslagen)"
                if d["after_others"] != d["before"]
                else ""
            )
            + f", över taket på {format_int(cap)} mål per enhet (justerbart; standardvärdet kommer från "
            "kommuner som medvetet skurit ned, t.ex. Upplands Väsby från cirka 100 till 10 mål). "
            f"För att nå taket föreslås {format_int(len(parts))} mål bort, aktivitets- och "
            f"prestationsmål före effektmål: {listed}."
        )
        items = tuple(
            ctx.goal_item(p.data["goal"], "remove" if p.data["sole"] else "remove_owner")
            for p in parts
        )
        evidence = (f"{name}: {d['before']} egna mål, tak {cap}",)
        return f"{name}: ner till {format_int(cap)} mål", (name,), items, text, evidence

    return describe


# ---------------------------------------------------------------------------------
# Reconciliation, effects, ranking


def _reconcile(
    candidates: list[_Candidate], claimed: dict[tuple[str, str], str] | None = None
) -> tuple[list[tuple[_Candidate, list[_Part]]], list[tuple[_Candidate, str]]]:
    """Accept parts in precedence order so that no two recommendations share an atom.

    `claimed` (atom -> recommendation id) carries claims over from an earlier round.
    """
    claimed = {} if claimed is None else claimed
    accepted, covered = [], []
    free = claimed.keys().isdisjoint
    for cand in candidates:
        parts = cand.parts
        is_free = [free(p.atoms) for p in parts]
        if not any(is_free):  # covered: only the first part's blocker is named
            covered.append((cand, _blocker(parts[0], claimed)))
            continue
        keep, blocked = [], []
        for p, ok in zip(parts, is_free, strict=True):
            if ok:
                keep.append(p)
            else:
                blocked.append((p, _blocker(p, claimed)))
        for p in keep:
            claimed.update(dict.fromkeys(p.atoms, cand.id))
        accepted.append((cand, keep, blocked))
    return accepted, covered


def _blocker(part: _Part, claimed: dict[tuple[str, str], str]) -> str:
    """Who claimed the part's first claimed atom (in sorted order)."""
    return claimed[min(a for a in part.atoms if a in claimed)]


def _indicator_terms(doc: GoalDocument, carried: pl.DataFrame | None = None) -> dict[str, int]:
    """Each indicator's share of the reporting total, as metrics.document_totals counts it:
    occasions × units carrying it, or the occasions once when no unit does.
    `carried`: metrics.unit_indicators(doc), when the caller has it."""
    carried = metrics.unit_indicators(doc) if carried is None else carried
    carriers = carried.group_by("indicator_id").agg(n=pl.len())
    terms = doc.indicators.select("indicator_id", "occasions_per_year").join(
        carriers, on="indicator_id", how="left"
    )
    terms = terms.with_columns(
        t=pl.col("occasions_per_year") * pl.max_horizontal(pl.col("n").fill_null(0), pl.lit(1))
    )
    return _as_dict(terms, "indicator_id", "t")


def _assignment_terms(doc: GoalDocument) -> dict[str, int]:
    counts = metrics.unit_assignments(doc).group_by("assignment_id").agg(n=pl.len())
    terms = doc.assignments.select("assignment_id", "report_backs_per_year").join(
        counts, on="assignment_id", how="left"
    )
    terms = terms.with_columns(t=pl.col("report_backs_per_year") * pl.col("n").fill_null(0))
    return _as_dict(terms, "assignment_id", "t")


def _as_dict(frame: pl.DataFrame, key: str, value: str) -> dict:
    return dict(zip(frame[key].to_list(), frame[value].to_list(), strict=True))


def _effects(
    doc: GoalDocument,
    accepted: list[tuple[_Candidate, list[_Part]]],
    after: GoalDocument,
    carried: pl.DataFrame | None = None,
) -> dict[str, dict[str, int]]:
    """Each recommendation's effect, attributed through the atoms it claimed; `after`:
    the document with all of them applied.

    Claims are disjoint, so the state of an indicator after applying everything is the
    state after applying only the recommendation that claimed it: one pass suffices.
    """
    ind0, ind1 = _indicator_terms(doc, carried), _indicator_terms(after)
    asg0, asg1 = _assignment_terms(doc), _assignment_terms(after)
    goals0 = set(doc.goals["goal_id"].to_list())
    goals1 = set(after.goals["goal_id"].to_list())
    effects = {}
    for cand, parts, _ in accepted:
        atoms = parts[0].atoms if len(parts) == 1 else frozenset().union(*(p.atoms for p in parts))
        goals = indicators = occasions = 0  # all integers: the order of the sums is free
        for kind, key in atoms:
            if kind == "ind":
                occasions += ind0.get(key, 0) - ind1.get(key, 0)
                indicators += key in ind0 and key not in ind1
            elif kind == "goal":
                goals += key in goals0 and key not in goals1
            elif kind == "asg":
                occasions += asg0.get(key, 0) - asg1.get(key, 0)
        effects[cand.id] = {
            "goals": goals,
            "indicators": indicators,
            "assignments": 0,
            "reporting_occasions_per_year": int(occasions),
        }
    return effects


def find_overlap_or_none(doc: GoalDocument) -> Any:
    try:
        from goalload.overlap import find_overlap
    except ImportError:  # overlap analysis not available in this build
        return None
    if doc.goals.height == 0:  # nothing can overlap
        return None
    return find_overlap(doc)


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while recommendations are built.

    A large document yields a million small objects (items, texts, atoms) and none of
    them form cycles; the collector would walk all of them over and over (a fifth of
    the time). Left alone when it is already off (another caller turned it off).

    Turned on again, the first allocation would start a young collection walking all of
    them once more (0.06 s of a municipality's recommendations): when nothing else is
    frozen, they are moved to the oldest generation unwalked instead (freeze + unfreeze
    splice the lists). The app freezes its own long-lived objects; those are never
    unfrozen here.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def recommend(
    doc: GoalDocument,
    *,
    overlap: Any = None,
    goal_cap: int = DEFAULT_GOAL_CAP,
    joint_min_recipients: int = JOINT_MIN_RECIPIENTS,
    include_covered: bool = True,
) -> list[Recommendation]:
    """Every recommendation for the document, ranked by effect (largest first).

    `overlap` is a goalload.overlap result (computed with its default threshold when
    None). Recommendations that another one already handles come last, with effect 0
    and `covered_by` set (leave them out with include_covered=False); their texts
    (title, units, items, rationale, evidence) are built when first read.
    """
    if overlap is None:
        overlap = find_overlap_or_none(doc)
    with _without_gc():
        return _recommend(
            doc, overlap, goal_cap, joint_min_recipients, include_covered, lazy_covered=True
        )[0]


def _recommend(
    doc: GoalDocument,
    overlap: Any,
    goal_cap: int | None,
    joint_min_recipients: int,
    include_covered: bool,
    lazy_covered: bool = False,
) -> tuple[list[Recommendation], GoalDocument]:
    """The recommendations, and the document with all of them applied. `lazy_covered`:
    the informational recommendations build their texts on first access."""
    ctx = _Context(doc)
    types = _classify_goals(doc, ("activity",))  # the triggers are cited for activity goals
    by_kind = {
        "drop_pass_through": _pass_through(ctx, overlap),
        "merge_duplicates": _merge(ctx, overlap),
        "move_activity_goal_down": _activity_goals(ctx, types),
        "measure_or_drop_unmeasured": _unmeasured(ctx),
        "report_shared_indicator_once": _shared_indicators(ctx, overlap),
        "joint_assignment": _joint_assignments(ctx, joint_min_recipients),
        "lower_frequency": _lower_frequency(ctx),
    }
    ordered = [c for kind in PRECEDENCE if kind in by_kind for c in by_kind[kind]]
    claimed: dict[tuple[str, str], str] = {}
    accepted, covered = _reconcile(ordered, claimed)
    # each accepted recommendation's edits, combined once (combining all of them in this
    # order is the same as combining all their parts)
    changes = [Changes.combine(p.changes for p in ps) for _, ps, _ in accepted]
    combined = Changes.combine(changes)
    if goal_cap is None:
        after = apply_changes(doc, combined)
    else:
        # The cap looks at goals, owners and links only: it is computed on the document
        # with the edits but the frequencies and recipients, and those come after, with
        # the cap's own edits. The same document as applying everything at once: each
        # step of apply_changes is a filter, an anti-join or a re-parenting to the
        # nearest surviving goal above, which the two rounds reach in two hops.
        type_of = _as_dict(types, "goal_id", "goal_type")
        without = dataclasses.replace(combined, set_frequency=(), remove_recipients=())
        first = apply_changes(doc, without)
        capped = _above_cap(ctx, goal_cap, first, set(claimed), type_of)
        more, more_covered = _reconcile(capped, claimed)
        accepted += more
        covered += more_covered
        more_changes = [Changes.combine(p.changes for p in ps) for _, ps, _ in more]
        changes += more_changes
        rest = Changes(
            set_frequency=combined.set_frequency, remove_recipients=combined.remove_recipients
        )
        after = apply_changes(first, Changes.combine([rest, *more_changes]))
    effects = _effects(doc, accepted, after, ctx.carried)
    result = [
        _build(ctx, c, parts, effects[c.id], blocked, changes=change)
        for (c, parts, blocked), change in zip(accepted, changes, strict=True)
    ]
    result.sort(key=lambda r: (-r.score, PRECEDENCE.index(r.kind), r.id))
    if include_covered:
        zero = dict.fromkeys(EFFECT_KEYS, 0)
        extra = [
            _build(ctx, c, c.parts, zero, covered_by=blocker, lazy=lazy_covered)
            for c, blocker in covered
        ]
        result += sorted(extra, key=lambda r: (PRECEDENCE.index(r.kind), r.id))
    return result, after


def _build(
    ctx: _Context,
    cand: _Candidate,
    parts: list[_Part],
    effect: dict[str, int],
    blocked: list[tuple[_Part, str]] = (),
    covered_by: str | None = None,
    changes: Changes | None = None,
    lazy: bool = False,
) -> Recommendation:
    """`changes`: the parts' edits combined, when the caller has them already; `lazy`:
    the texts are built on first access."""
    if covered_by:
        changes = _NO_CHANGES
    elif changes is None:
        changes = Changes.combine(p.changes for p in parts)
    if lazy:
        rec = object.__new__(_LazyTexts)
        rec.__dict__.update(
            id=cand.id,
            kind=cand.kind,
            effect=dict(effect),
            changes=changes,
            covered_by=covered_by,
            _make_texts=functools.partial(_texts, ctx, cand, parts, blocked, covered_by),
        )
        return rec
    # Filled in directly, in field order: the dataclass __init__ of a frozen class sets
    # each field through object.__setattr__, a fifth of the cost of a recommendation.
    t = _texts(ctx, cand, parts, blocked, covered_by)
    rec = object.__new__(Recommendation)
    rec.__dict__.update(
        id=cand.id,
        kind=cand.kind,
        title=t["title"],
        units=t["units"],
        items=t["items"],
        rationale=t["rationale"],
        effect=dict(effect),
        changes=changes,
        evidence=t["evidence"],
        covered_by=covered_by,
    )
    return rec


def _texts(
    ctx: _Context,
    cand: _Candidate,
    parts: list[_Part],
    blocked: list[tuple[_Part, str]],
    covered_by: str | None,
) -> dict[str, Any]:
    """title, units, items, rationale and evidence of a recommendation."""
    title, units, items, rationale, evidence = cand.describe(parts)
    if covered_by:
        rationale += (
            f" Räknas inte med i summan: förslaget {covered_by} ändrar samma mål, indikatorer "
            "eller uppdrag, och effekterna skulle annars räknas dubbelt. Genomförs det och "
            "analysen körs om, visas det här förslaget igen med sin egen effekt om det "
            "fortfarande gäller."
        )
    handled = [(item, blocker) for part, blocker in blocked for item in _part_items(ctx, part)]
    if handled:
        rationale += (
            " Räknas inte här, eftersom andra förslag ändrar samma mål eller indikatorer: "
            + _join_quoted(handled, lambda h: f"{_q(h[0]['text'])} ({h[1]})")
            + "."
        )
        items = tuple(items) + tuple(
            {**item, "action": "handled_elsewhere", "handled_by": blocker}
            for item, blocker in handled
        )
    return {
        "title": title,
        "units": tuple(units),
        "items": tuple(items),
        "rationale": rationale,
        "evidence": tuple(evidence),
    }


def _part_items(ctx: _Context, part: _Part) -> list[dict[str, Any]]:
    """The goals and indicators a part is about, for listing it as handled elsewhere."""
    ch = part.changes
    goals = [
        *ch.remove_goals,
        *(g for g, _ in ch.merge_goals),
        *(g for g, _ in ch.remove_goal_owners),
    ]
    indicators = [i for i, _ in ch.set_frequency]
    return [ctx.goal_item(g, "") for g in dict.fromkeys(goals)] + ctx.indicator_items(
        dict.fromkeys(indicators), ""
    )


def recommend_json(
    doc: GoalDocument, *, goal_cap: int = DEFAULT_GOAL_CAP, overlap: Any = None
) -> dict[str, Any]:
    """The CLI's JSON: recommendations, totals before, totals with all of them applied."""
    return recommend_with_json(doc, goal_cap=goal_cap, overlap=overlap)[1]


def recommend_with_json(
    doc: GoalDocument, *, goal_cap: int = DEFAULT_GOAL_CAP, overlap: Any = None
) -> tuple[list[Recommendation], dict[str, Any]]:
    """recommend() and recommend_json() from one computation: the app shows both (the
    Minska page the objects, the reports and slides the JSON)."""
    if overlap is None:
        overlap = find_overlap_or_none(doc)
    with _without_gc():
        # `after` applies every accepted part: the same edits as all recommendations
        recs, after = _recommend(doc, overlap, goal_cap, JOINT_MIN_RECIPIENTS, True)
        totals_after = metrics.document_totals(after)
        return recs, recommendations_json(doc, recs, totals_after, goal_cap)


def recommend_with_after(
    doc: GoalDocument, *, goal_cap: int = DEFAULT_GOAL_CAP, overlap: Any = None
) -> tuple[list[Recommendation], GoalDocument]:
    """recommend() at the JSON's settings, and the document with all of them applied
    (equal to scenario.apply(doc, all actionable ones)): the app shows the objects first,
    starts Minska's default scenario from that document, and builds the JSON
    (`recommendations_json`) only when the reports or slides need it. Informational
    recommendations build their texts when first read."""
    if overlap is None:
        overlap = find_overlap_or_none(doc)
    with _without_gc():
        return _recommend(doc, overlap, goal_cap, JOINT_MIN_RECIPIENTS, True, lazy_covered=True)


JSON_PAUSE_EVERY = 50  # recommendations turned into JSON between two calls of `pause`


def recommendations_json(
    doc: GoalDocument,
    recommendations: Iterable[Recommendation],
    totals_after_all: dict[str, int],
    goal_cap: int | None = DEFAULT_GOAL_CAP,
    pause: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """recommend_json()'s result from what `recommend_with_after` returned (the same
    document and goal cap): equal to recommend_json(doc, goal_cap=goal_cap).

    `pause` is called every JSON_PAUSE_EVERY recommendations: the app's worker waits
    there while a page is drawn (a large city's informational texts, built here, take
    2-3 s, and a page drawn alongside takes up to twice as long)."""
    with _without_gc():
        dicts = []
        for n, rec in enumerate(recommendations, 1):
            dicts.append(rec.to_dict())
            if pause is not None and n % JSON_PAUSE_EVERY == 0:
                pause()
        return {
            "goal_cap": goal_cap,
            "recommendations": dicts,
            "totals_before": metrics.document_totals(doc),
            "totals_after_all": dict(totals_after_all),
        }


def render_table(result: dict[str, Any]) -> str:
    """The recommend JSON as plain text for `--format table`."""
    lines = []
    header = f"{'#':>3}  {'Förslag':<44} {'Mål':>5} {'Ind.':>5} {'Uppdr.':>6} {'Rapp./år':>9}  Id"
    lines.append(header)
    lines.append("-" * len(header))
    for n, rec in enumerate(result.get("recommendations", []), 1):
        e = rec["effect"]
        title = rec["title"] if len(rec["title"]) <= 44 else rec["title"][:43] + "…"
        mark = " (ingår i annat förslag)" if rec.get("covered_by") else ""
        lines.append(
            f"{n:>3}  {title:<44} {_neg(e['goals']):>5} {_neg(e['indicators']):>5} "
            f"{_neg(e['assignments']):>6} {_neg(e['reporting_occasions_per_year']):>9}  {rec['id']}{mark}"
        )
    before, after = result.get("totals_before", {}), result.get("totals_after_all", {})
    lines.append("")
    lines.append(f"{'':<24} {'Före':>8} {'Efter alla':>11}")
    labels = {
        "goals": "Mål",
        "indicators": "Indikatorer",
        "assignments": "Uppdrag",
        "reporting_occasions_per_year": "Rapporteringar per år",
        "unmeasured_goals": "Omätta mål",
    }
    for key, label in labels.items():
        if key in before:
            lines.append(
                f"{label:<24} {format_int(before[key]):>8} {format_int(after.get(key)):>11}"
            )
    return "\n".join(lines)


def _neg(removed: int) -> str:
    return "0" if not removed else format_int(-removed)


CHANGES_TABLE_SCHEMA = {
    "recommendation_id": pl.String,
    "kind": pl.String,
    "title": pl.String,
    "item_type": pl.String,
    "item_id": pl.String,
    "text": pl.String,
    "units": pl.String,
    "action": pl.String,
    "goals_removed": pl.Int64,
    "indicators_removed": pl.Int64,
    "reporting_occasions_removed": pl.Int64,
    "rationale": pl.String,
}


def changes_table(recommendations: Iterable[Recommendation]) -> pl.DataFrame:
    """One row per item of each recommendation: the list to bring to the meeting.

    The effect columns are on the recommendation's first row only, so a column sum is
    the total effect.
    """
    rows = []
    for rec in recommendations:
        for n, item in enumerate(rec.items or ({"type": "", "id": "", "text": ""},)):
            first = n == 0
            rows.append(
                {
                    "recommendation_id": rec.id,
                    "kind": rec.kind,
                    "title": rec.title,
                    "item_type": item.get("type"),
                    "item_id": item.get("id"),
                    "text": item.get("text"),
                    "units": ", ".join(item.get("units") or []) or None,
                    "action": item.get("action"),
                    "goals_removed": rec.effect["goals"] if first else None,
                    "indicators_removed": rec.effect["indicators"] if first else None,
                    "reporting_occasions_removed": rec.effect["reporting_occasions_per_year"]
                    if first
                    else None,
                    "rationale": rec.rationale if first else None,
                }
            )
    return pl.DataFrame(rows, schema=CHANGES_TABLE_SCHEMA)
