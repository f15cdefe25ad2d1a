"""Scenarios: apply chosen recommendations and rules to get a new GoalDocument.

A scenario never mutates the document it starts from: `apply` returns a new
GoalDocument, so "before" and "after" can be measured with the same metrics and
compared unit by unit (`compare`, `compare_totals`). An optional time estimate turns
reporting occasions into hours with explicit, editable assumptions (`TimeAssumptions`),
always labelled as assumptions.

The concrete edits a recommendation makes are a `Changes` value (remove these goals,
merge those into that one, report this indicator yearly ...). `apply` combines the
Changes of every chosen recommendation and performs them in one pass; the rules
(a goal cap per unit, a maximum frequency, goals or indicators picked by hand) come
after. Saving a scenario stores the ids of the chosen recommendations and the rules as
JSON, so a committee can bring the same choice to the next meeting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import polars as pl

from goalload import metrics
from goalload.errors import InputError
from goalload.model import FREQUENCIES, FREQUENCY_LABELS_SV, SOURCE_KINDS, GoalDocument

# ---------------------------------------------------------------------------------
# Changes: the concrete edits behind a recommendation


@dataclass(frozen=True)
class Changes:
    """Edits to a document, each a tuple so the value is hashable and JSON-able.

    Removing a goal removes its owners and links; goals below it are re-attached to
    the nearest surviving goal above (or to the goal it was merged into). Indicators
    are never removed implicitly: a change that should remove one lists it.
    """

    remove_goals: tuple[str, ...] = ()
    # (goal that goes, goal that stays): the one that stays takes over owners and children
    merge_goals: tuple[tuple[str, str], ...] = ()
    remove_goal_owners: tuple[tuple[str, str], ...] = ()  # (goal, unit)
    move_links: tuple[tuple[str, str, str], ...] = ()  # (indicator, from goal, to goal)
    remove_links: tuple[tuple[str, str], ...] = ()  # (goal, indicator)
    remove_indicators: tuple[str, ...] = ()
    replace_indicators: tuple[tuple[str, str], ...] = ()  # (duplicate, the one kept)
    set_frequency: tuple[tuple[str, str], ...] = ()  # (indicator, frequency)
    remove_recipients: tuple[tuple[str, str], ...] = ()  # (assignment, unit)

    def is_empty(self) -> bool:
        return not any(vars(self).values())  # the fields, without getattr each

    def to_dict(self) -> dict[str, list]:
        """The non-empty fields as lists; explicit rather than dataclasses.asdict, whose
        deep copy dominated recommend_json on a large document."""
        result = {}
        for name, values in vars(self).items():  # the fields in order, without getattr each
            if values:
                result[name] = [list(v) if isinstance(v, tuple) else v for v in values]
        return result

    @staticmethod
    def combine(changes: Iterable[Changes]) -> Changes:
        """One Changes doing all of them; each item once, first occurrence wins."""
        changes = list(changes)
        if len(changes) == 1:  # most recommendations have one part: it is the result
            only = changes[0]
            if all(len(set(items)) == len(items) for items in vars(only).values() if items):
                return only
        merged: dict[str, dict] = {name: {} for name in _CHANGE_FIELDS}
        for change in changes:
            for name, items in vars(change).items():  # the fields, without getattr each
                if items:
                    # an existing key keeps its place: the first occurrence wins
                    merged[name].update(dict.fromkeys(items))
        return Changes(**{name: tuple(items) for name, items in merged.items()})


_CHANGE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Changes))


def _pairs(items: Iterable[tuple], names: tuple[str, ...]) -> pl.DataFrame:
    rows = list(items)
    return pl.DataFrame(
        {n: [r[i] for r in rows] for i, n in enumerate(names)},
        schema=dict.fromkeys(names, pl.String),
    )


def _ids(items: Iterable[str]) -> pl.Series:
    return pl.Series(list(items), dtype=pl.String)


def _replacement_parents(goals: pl.DataFrame, removed: set[str], merged: dict[str, str]) -> dict:
    """Removed goal -> the surviving goal its children attach to (None at the top)."""
    rows = goals.filter(pl.col("goal_id").is_in(_ids(removed).implode()))
    parent_of = dict(zip(rows["goal_id"].to_list(), rows["parent_goal_id"].to_list(), strict=True))
    result: dict[str, str | None] = {}
    for goal in removed:
        seen: set[str] = set()
        current: str | None = goal
        while current is not None and current in removed and current not in seen:
            seen.add(current)
            current = merged.get(current, parent_of.get(current))
        result[goal] = current if current not in removed else None
    return result


def apply_changes(doc: GoalDocument, changes: Changes) -> GoalDocument:
    """A new document with the edits made; the input is left untouched."""
    if changes.is_empty():
        return doc
    goals, owners, links = doc.goals, doc.goal_owners, doc.goal_indicators
    indicators, recipients = doc.indicators, doc.assignment_recipients

    # 1. duplicate indicators become the one kept
    if changes.replace_indicators:
        mapping = dict(changes.replace_indicators)
        links = links.with_columns(pl.col("indicator_id").replace(mapping)).unique(
            ["goal_id", "indicator_id"], keep="first", maintain_order=True
        )
        indicators = indicators.filter(~pl.col("indicator_id").is_in(_ids(mapping).implode()))
    # 2. links moved to another goal (a dropped layer's measurement goes up)
    if changes.move_links:
        moves = _pairs(changes.move_links, ("indicator_id", "goal_id", "to_goal"))
        links = (
            links.join(moves, on=["indicator_id", "goal_id"], how="left")
            .with_columns(pl.coalesce("to_goal", "goal_id").alias("goal_id"))
            .drop("to_goal")
            .unique(["goal_id", "indicator_id"], keep="first", maintain_order=True)
        )
    # 3. links removed
    if changes.remove_links:
        links = links.join(
            _pairs(changes.remove_links, ("goal_id", "indicator_id")),
            on=["goal_id", "indicator_id"],
            how="anti",
        )
    # 4. merged goals hand their owners to the goal that stays
    merged = dict(changes.merge_goals)
    if merged:
        taken = owners.filter(pl.col("goal_id").is_in(_ids(merged).implode())).with_columns(
            pl.col("goal_id").replace(merged)
        )
        owners = pl.concat([owners, taken]).unique(maintain_order=True)
    # 5. single owners removed (a unit lets go of a goal it shares)
    if changes.remove_goal_owners:
        owners = owners.join(
            _pairs(changes.remove_goal_owners, ("goal_id", "unit_id")),
            on=["goal_id", "unit_id"],
            how="anti",
        )
    # 6. goals removed; children re-attached to the nearest surviving goal above
    removed = set(changes.remove_goals) | set(merged)
    if removed:
        gone = _ids(removed).implode()
        new_parent = _replacement_parents(goals, removed, merged)
        goals = goals.filter(~pl.col("goal_id").is_in(gone)).with_columns(
            pl.when(pl.col("parent_goal_id").is_in(gone))
            .then(
                pl.col("parent_goal_id").replace_strict(
                    new_parent, default=None, return_dtype=pl.String
                )
            )
            .otherwise(pl.col("parent_goal_id"))
            .alias("parent_goal_id")
        )
        owners = owners.filter(~pl.col("goal_id").is_in(gone))
        links = links.filter(~pl.col("goal_id").is_in(gone))
    # 7. indicators removed
    if changes.remove_indicators:
        gone = _ids(changes.remove_indicators).implode()
        indicators = indicators.filter(~pl.col("indicator_id").is_in(gone))
        links = links.filter(~pl.col("indicator_id").is_in(gone))
    # 8. reporting frequencies lowered
    if changes.set_frequency:
        indicators = _set_frequencies(indicators, dict(changes.set_frequency))
    # 9. assignment recipients removed (a joint assignment has one lead)
    if changes.remove_recipients:
        recipients = recipients.join(
            _pairs(changes.remove_recipients, ("assignment_id", "unit_id")),
            on=["assignment_id", "unit_id"],
            how="anti",
        )
    return doc.replace(
        goals=goals,
        goal_owners=owners,
        goal_indicators=links,
        indicators=indicators,
        assignment_recipients=recipients,
    )


def _set_frequencies(indicators: pl.DataFrame, new: Mapping[str, str]) -> pl.DataFrame:
    occasions = {i: FREQUENCIES[f] for i, f in new.items()}
    hit = pl.col("indicator_id").is_in(_ids(new).implode())
    return indicators.with_columns(
        pl.when(hit)
        .then(
            pl.col("indicator_id").replace_strict(dict(new), default=None, return_dtype=pl.String)
        )
        .otherwise(pl.col("frequency"))
        .alias("frequency"),
        pl.when(hit)
        .then(pl.col("indicator_id").replace_strict(occasions, default=None, return_dtype=pl.Int64))
        .otherwise(pl.col("occasions_per_year"))
        .alias("occasions_per_year"),
    )


def exclusive_indicators(doc: GoalDocument, goal_ids: Iterable[str]) -> list[str]:
    """Indicators linked to these goals and to no other goal: they go with the goals."""
    goal_ids = _ids(set(goal_ids)).implode()
    links = doc.goal_indicators.select("goal_id", "indicator_id")
    touched = links.filter(pl.col("goal_id").is_in(goal_ids))["indicator_id"].unique()
    elsewhere = links.filter(~pl.col("goal_id").is_in(goal_ids))["indicator_id"].unique()
    keep = set(elsewhere.to_list())
    return sorted(i for i in touched.to_list() if i not in keep)


# ---------------------------------------------------------------------------------
# Rules and apply


@dataclass(frozen=True)
class Rules:
    """What a committee decides on top of (or instead of) the recommendations.

    goal_cap: at most this many own goals per unit (None: no cap); unit_goal_caps
    overrides it for single units. max_frequency: no indicator is reported more often
    than this (one of model.FREQUENCIES). removed_goals / removed_indicators: picked by
    hand; a removed goal takes the indicators that measured only it along.
    """

    goal_cap: int | None = None
    max_frequency: str | None = None
    removed_goals: frozenset[str] = frozenset()
    removed_indicators: frozenset[str] = frozenset()
    unit_goal_caps: tuple[tuple[str, int], ...] = ()

    def is_empty(self) -> bool:
        return self == Rules()

    def to_dict(self) -> dict[str, Any]:
        return {
            "goal_cap": self.goal_cap,
            "max_frequency": self.max_frequency,
            "removed_goals": sorted(self.removed_goals),
            "removed_indicators": sorted(self.removed_indicators),
            "unit_goal_caps": {u: c for u, c in self.unit_goal_caps},
        }


def rule_changes(doc: GoalDocument, rules: Rules) -> Changes:
    """The edits the rules ask for, except the goal cap (it depends on what is left)."""
    removed_goals = sorted(set(rules.removed_goals) & set(doc.goals["goal_id"].to_list()))
    removed_indicators = set(rules.removed_indicators) | set(
        exclusive_indicators(doc, removed_goals)
    )
    removed_indicators &= set(doc.indicators["indicator_id"].to_list())
    lowered: tuple[tuple[str, str], ...] = ()
    if rules.max_frequency is not None:
        if rules.max_frequency not in FREQUENCIES:
            allowed = ", ".join(FREQUENCY_LABELS_SV.values())
            raise InputError(
                f"Okänd högsta frekvens {rules.max_frequency!r}. Välj en av: {allowed}."
            )
        ceiling = FREQUENCIES[rules.max_frequency]
        too_often = doc.indicators.filter(
            (pl.col("occasions_per_year") > ceiling)
            & ~pl.col("indicator_id").is_in(_ids(removed_indicators).implode())
        )["indicator_id"]
        lowered = tuple((i, rules.max_frequency) for i in too_often.to_list())
    return Changes(
        remove_goals=tuple(removed_goals),
        remove_indicators=tuple(sorted(removed_indicators)),
        set_frequency=lowered,
    )


def apply(
    doc: GoalDocument, recommendations: Iterable = (), rules: Rules | None = None
) -> GoalDocument:
    """A NEW document with the chosen recommendations and then the rules applied."""
    after = apply_changes(doc, Changes.combine(r.changes for r in recommendations))
    if rules is None or rules.is_empty():
        return after
    after = apply_changes(after, rule_changes(after, rules))
    if rules.goal_cap is not None or rules.unit_goal_caps:
        from goalload.recommend import goal_cap_changes  # recommend builds on this module

        caps = dict(rules.unit_goal_caps)
        after = apply_changes(after, goal_cap_changes(after, rules.goal_cap, caps))
    return after


# ---------------------------------------------------------------------------------
# Before / after


def compare(
    before: GoalDocument, after: GoalDocument, before_load: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per unit: every load metric before, after and the change, plus a total row.

    The total row sums the units (a goal shared by three units counts three times
    there, as it does in each unit's load); `compare_totals` has document totals.
    `before_load` is metrics.unit_load(before) when the caller keeps it (the app does,
    and compares on every tick).
    """
    cols = metrics.LOAD_COLUMNS
    a = metrics.unit_load(before) if before_load is None else before_load
    b = metrics.unit_load(after).select("unit_id", *cols)
    table = a.join(b, on="unit_id", how="left", suffix="_after").select(
        "unit_id",
        "unit",
        "level",
        *[
            expr
            for c in cols
            for expr in (
                pl.col(c).alias(f"{c}_before"),
                pl.col(f"{c}_after").fill_null(0).alias(f"{c}_after"),
                (pl.col(f"{c}_after").fill_null(0) - pl.col(c)).alias(f"{c}_delta"),
            )
        ],
    )
    total = table.select(
        pl.lit(None, dtype=pl.String).alias("unit_id"),
        pl.lit("Totalt").alias("unit"),
        pl.lit(None, dtype=pl.String).alias("level"),
        *[pl.col(c).sum() for c in table.columns[3:]],
    )
    return pl.concat([table, total], how="vertical_relaxed")


def compare_totals(before: GoalDocument, after: GoalDocument) -> pl.DataFrame:
    """Document totals before and after: the headline deltas ("−34 mål")."""
    t0, t1 = metrics.document_totals(before), metrics.document_totals(after)
    return pl.DataFrame(
        {
            "metric": list(t0),
            "before": [t0[k] for k in t0],
            "after": [t1[k] for k in t0],
            "delta": [t1[k] - t0[k] for k in t0],
        },
        schema={"metric": pl.String, "before": pl.Int64, "after": pl.Int64, "delta": pl.Int64},
    )


# ---------------------------------------------------------------------------------
# Time estimate (assumptions, not measurements)

ASSUMPTION_LABEL_SV = (
    "Antaganden, inte mätningar: timmar per rapporteringstillfälle efter datakälla. "
    "Ändra dem till er egen erfarenhet."
)


@dataclass(frozen=True)
class TimeAssumptions:
    """Hours one reporting occasion takes, by the indicator's source kind.

    Defaults are round guesses for the order of magnitude and are ASSUMPTIONS: a
    Kolada figure is fetched and commented in minutes; a figure from an own system
    needs an extract; a survey needs compiling; a manual count takes collecting from
    several people. A report-back on an assignment is a short written report.
    """

    kolada: float = 0.25
    system: float = 1.0
    survey: float = 2.0
    manual: float = 3.0
    unknown: float = 1.5
    assignment_report_back: float = 8.0

    def hours_per_source(self) -> dict[str, float]:
        return {k: float(getattr(self, k)) for k in SOURCE_KINDS}

    def to_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


def reporting_hours(doc: GoalDocument, assumptions: TimeAssumptions) -> dict[str, Any]:
    """Occasions and hours by source, counted like the metrics (each unit reports)."""
    per_unit = metrics.unit_indicators(doc).join(
        doc.indicators.select("indicator_id", "occasions_per_year", "source_kind"),
        on="indicator_id",
    )
    carried = per_unit["indicator_id"].unique().implode()
    uncarried = doc.indicators.filter(~pl.col("indicator_id").is_in(carried)).select(
        "indicator_id", "occasions_per_year", "source_kind"
    )
    occasions = (
        pl.concat([per_unit.drop("unit_id"), uncarried])
        .with_columns(pl.col("source_kind").fill_null("unknown"))
        .group_by("source_kind")
        .agg(pl.col("occasions_per_year").sum())
    )
    by_source = dict.fromkeys(SOURCE_KINDS, 0)
    by_source.update(dict(occasions.iter_rows()))
    report_backs = int(
        metrics.unit_assignments(doc)
        .join(doc.assignments.select("assignment_id", "report_backs_per_year"), on="assignment_id")[
            "report_backs_per_year"
        ]
        .sum()
    )
    rates = assumptions.hours_per_source()
    hours = {k: by_source[k] * rates.get(k, rates["unknown"]) for k in by_source}
    hours["assignments"] = report_backs * assumptions.assignment_report_back
    return {
        "occasions": {**{k: int(v) for k, v in by_source.items()}, "assignments": report_backs},
        "hours": {k: round(v, 1) for k, v in hours.items()},
        "total_hours": round(sum(hours.values()), 1),
    }


def time_estimate(
    before: GoalDocument,
    after: GoalDocument,
    assumptions: TimeAssumptions | None = None,
    hours_before: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Reporting hours per year before and after, under explicit assumptions.
    `hours_before` is reporting_hours(before, assumptions) when the caller keeps it (the
    app does: only `after` changes with every tick)."""
    assumptions = assumptions or TimeAssumptions()
    b = reporting_hours(before, assumptions) if hours_before is None else hours_before
    a = reporting_hours(after, assumptions)
    return {
        "is_assumption": True,
        "label": ASSUMPTION_LABEL_SV,
        "assumptions": assumptions.to_dict(),
        "before": b,
        "after": a,
        "hours_saved": round(b["total_hours"] - a["total_hours"], 1),
    }


# ---------------------------------------------------------------------------------
# Saving and loading a scenario

SCENARIO_FORMAT = "goalload-scenario"
SCENARIO_VERSION = 1
MAX_SCENARIO_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Scenario:
    """What a saved scenario file holds: chosen recommendations, rules, assumptions."""

    accepted: tuple[str, ...] = ()
    rules: Rules = field(default_factory=Rules)
    assumptions: TimeAssumptions = field(default_factory=TimeAssumptions)
    document: str = ""  # the document's name when saved, to warn on a mismatch


def save_scenario(
    accepted: Iterable[str],
    rules: Rules | None = None,
    assumptions: TimeAssumptions | None = None,
    *,
    document: str = "",
) -> bytes:
    """The scenario as UTF-8 JSON, for a download button."""
    payload = {
        "format": SCENARIO_FORMAT,
        "version": SCENARIO_VERSION,
        "document": document,
        "accepted": list(dict.fromkeys(accepted)),
        "rules": (rules or Rules()).to_dict(),
        "assumptions": (assumptions or TimeAssumptions()).to_dict(),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def _bad(message: str) -> InputError:
    return InputError(f"Scenariofilen går inte att läsa: {message}")


def _string_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(f"'{name}' ska vara en lista med id:n (text).")
    return value


def _count(value: Any, name: str, *, optional: bool = True) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _bad(f"'{name}' ska vara ett heltal, 0 eller större (fick {value!r}).")
    return value


def _frequency(value: Any) -> str | None:
    if value is None:
        return None
    if value in FREQUENCIES:
        return value
    by_label = {v.casefold(): k for k, v in FREQUENCY_LABELS_SV.items()}
    if isinstance(value, str) and value.strip().casefold() in by_label:
        return by_label[value.strip().casefold()]
    allowed = ", ".join(FREQUENCY_LABELS_SV.values())
    raise _bad(f"okänd frekvens {value!r} i 'max_frequency'. Använd en av: {allowed}.")


def _rules(raw: Any) -> Rules:
    if raw is None:
        return Rules()
    if not isinstance(raw, dict):
        raise _bad("'rules' ska vara ett objekt.")
    caps = raw.get("unit_goal_caps") or {}
    if not isinstance(caps, dict):
        raise _bad("'unit_goal_caps' ska vara ett objekt {enhet: tak}.")
    return Rules(
        goal_cap=_count(raw.get("goal_cap"), "goal_cap"),
        max_frequency=_frequency(raw.get("max_frequency")),
        removed_goals=frozenset(_string_list(raw.get("removed_goals"), "removed_goals")),
        removed_indicators=frozenset(
            _string_list(raw.get("removed_indicators"), "removed_indicators")
        ),
        unit_goal_caps=tuple(
            sorted(
                (str(u), _count(c, f"unit_goal_caps[{u}]", optional=False)) for u, c in caps.items()
            )
        ),
    )


def _assumptions(raw: Any) -> TimeAssumptions:
    if raw is None:
        return TimeAssumptions()
    if not isinstance(raw, dict):
        raise _bad("'assumptions' ska vara ett objekt.")
    known = {f.name for f in fields(TimeAssumptions)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise _bad(f"okänt antagande {key!r}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1000:
            raise _bad(f"antagandet {key!r} ska vara ett antal timmar mellan 0 och 1 000.")
        values[key] = float(value)
    return TimeAssumptions(**values)


def load_scenario(data: bytes) -> Scenario:
    """Read a file written by `save_scenario`; anything else raises InputError."""
    if len(data) > MAX_SCENARIO_BYTES:
        raise _bad("filen är större än 2 MB och kan inte vara en sparad scenariofil.")
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(
            "det är inte en JSON-fil som Goalload har sparat. Välj en fil som slutar på .json."
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != SCENARIO_FORMAT:
        raise _bad("filen saknar Goalloads scenariomärkning. Spara scenariot igen från sidan.")
    if payload.get("version") != SCENARIO_VERSION:
        raise _bad(
            f"version {payload.get('version')!r} stöds inte (den här versionen läser {SCENARIO_VERSION})."
        )
    document = payload.get("document", "")
    if not isinstance(document, str):
        raise _bad("'document' ska vara text.")
    return Scenario(
        accepted=tuple(dict.fromkeys(_string_list(payload.get("accepted"), "accepted"))),
        rules=_rules(payload.get("rules")),
        assumptions=_assumptions(payload.get("assumptions")),
        document=document,
    )


def choose(recommendations: Iterable, accepted: Iterable[str]) -> tuple[list, list[str]]:
    """The recommendations a saved scenario accepted, and the saved ids no longer found
    (the document changed since it was saved: the page says so instead of failing)."""
    by_id = {r.id: r for r in recommendations}
    wanted = list(dict.fromkeys(accepted))
    return [by_id[i] for i in wanted if i in by_id], [i for i in wanted if i not in by_id]
