"""What stands out in a document, in plain sentences computed from its figures.

The overview page opens with these so a politician sees the point before the charts:
"Socialnämnden har tre gånger så många indikatorer som medianen för nämnderna (12 mot 4)."
Each sentence is produced only when the data supports it (a threshold is passed), with
the numbers that triggered it, and the list is ordered by how strongly each one stands
out. Nothing is canned: a document where nothing stands out gets no sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from goalload import metrics
from goalload.formatting import format_decimal, format_int, format_percent
from goalload.i18n import number_word, t
from goalload.model import GoalDocument

# A unit stands out when it carries at least this many times its peers' median.
RATIO_THRESHOLD = 2.0
# ...and by at least this much in absolute terms ("4 against 2" is noise).
MIN_EXCESS = 3
# Peers: at least this many units on the same level, or a median says little.
MIN_PEERS = 3
# "k of n units carry half": said only when k is at most this share of n.
CONCENTRATION_SHARE = 0.25
# Frequencies that count as frequent reporting, and the share of occasions worth mentioning.
FREQUENT = ("week", "month", "quarter")
FREQUENT_SHARE = 0.3
# An assignment to this many units or more is a broad one.
BROAD_ASSIGNMENT = 5

RATIO_METRICS = ("indicators", "own_goals", "reporting_occasions_per_year")


@dataclass(frozen=True)
class Insight:
    """One sentence and why it was chosen: kind names the rule, weight orders the list."""

    kind: str
    text: str
    weight: float
    subject: str | None = None  # the unit the sentence is about, if one


def ratio_words(ratio: float, lang: str = "sv") -> str:
    """3.1 -> "tre gånger", 2.0 -> "dubbelt", 2.6 -> "2,6 gånger"."""
    if 1.9 <= ratio < 2.25:
        return t("ratio.twice", lang)
    nearest = round(ratio)
    if abs(ratio - nearest) < 0.25 and nearest <= 10:
        return t("ratio.times", lang, n=number_word(nearest, lang))
    return t("ratio.times", lang, n=format_decimal(ratio, lang, 1))


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def times_median(load: pl.DataFrame, metric: str, lang: str = "sv") -> Insight | None:
    """The unit furthest above the median of its level for `metric`, if ≥ RATIO_THRESHOLD."""
    peers = (
        load.filter(pl.col("level").is_not_null())
        .with_columns(
            median=pl.col(metric).median().over("level"),
            peers=pl.len().over("level"),
        )
        .filter(
            (pl.col("peers") >= MIN_PEERS)
            & (pl.col("median") > 0)
            & (pl.col(metric) - pl.col("median") >= MIN_EXCESS)
        )
        .with_columns(ratio=pl.col(metric) / pl.col("median"))
        .sort(["ratio", "unit"], descending=[True, False])
    )
    if peers.height == 0 or peers["ratio"][0] < RATIO_THRESHOLD:
        return None
    top = peers.row(0, named=True)
    text = t(
        "sum.times_median",
        lang,
        unit=top["unit"],
        ratio=ratio_words(top["ratio"], lang),
        metric=t(f"metric.plural.{metric}", lang),
        level=t(f"level.plural.{top['level']}", lang),
        value=format_int(top[metric], lang),
        median=format_decimal(top["median"], lang),
    )
    return Insight(f"times_median:{metric}", text, float(top["ratio"]), top["unit_id"])


def concentration(
    load: pl.DataFrame, metric: str = "indicators", lang: str = "sv"
) -> Insight | None:
    """Few units carrying half of the load: "Three of 24 units carry half of all indicators"."""
    values = load[metric].fill_null(0).sort(descending=True)
    total = values.sum()
    n = load.height
    if n < 2 * MIN_PEERS or total <= 0:
        return None
    shares = (values.cum_sum() / total).to_list()
    k = next(i + 1 for i, s in enumerate(shares) if s >= 0.5)
    if k > CONCENTRATION_SHARE * n:
        return None
    share = shares[k - 1]
    text = t(
        "sum.concentration",
        lang,
        count=_capitalise(number_word(k, lang)),
        total=format_int(n, lang),
        share=format_percent(share, lang, 0),
        metric=t(f"metric.plural.{metric}", lang),
    )
    # Weight: how far from an even spread (k/n of the units would carry k/n of the load).
    return Insight(f"concentration:{metric}", text, float(share / (k / n)))


def unmeasured(totals: dict, lang: str = "sv") -> Insight | None:
    goals, count = totals.get("goals", 0), totals.get("unmeasured_goals", 0)
    if not goals or not count:
        return None
    share = count / goals
    text = t(
        "sum.unmeasured",
        lang,
        count=format_int(count, lang),
        total=format_int(goals, lang),
        share=format_percent(share, lang, 0),
    )
    return Insight("unmeasured", text, 1.0 + 2 * share)


def frequent_reporting(doc: GoalDocument, lang: str = "sv") -> Insight | None:
    occasions = doc.indicators["occasions_per_year"].fill_null(1)
    total = occasions.sum()
    if not total:
        return None
    frequent = doc.indicators.filter(pl.col("frequency").is_in(FREQUENT))
    share = frequent["occasions_per_year"].fill_null(1).sum() / total
    if share < FREQUENT_SHARE:
        return None
    text = t(
        "sum.frequent",
        lang,
        share=format_percent(share, lang, 0),
        occasions=format_int(total, lang),
    )
    return Insight("frequent", text, 1.0 + share)


def manual_sources(doc: GoalDocument, lang: str = "sv") -> Insight | None:
    kinds = doc.indicators["source_kind"].fill_null("unknown")
    known = kinds.filter(kinds != "unknown")
    if known.len() == 0:
        return None
    manual = known.is_in(["manual", "survey"]).sum()
    if manual == 0:
        return None
    share = manual / kinds.len()
    text = t(
        "sum.manual",
        lang,
        share=_capitalise(format_percent(share, lang, 0)),
        kolada=format_int((kinds == "kolada").sum(), lang),
    )
    return Insight("manual", text, 1.0 + share)


def orphans(totals: dict, lang: str = "sv") -> Insight | None:
    count = totals.get("orphan_indicators", 0)
    if not count:
        return None
    key = "sum.orphan" if count == 1 else "sum.orphans"
    return Insight("orphans", t(key, lang, count=format_int(count, lang)), 1.2)


def broad_assignments(doc: GoalDocument, lang: str = "sv") -> Insight | None:
    per_assignment = doc.assignment_recipients.group_by("assignment_id").agg(
        units=pl.col("unit_id").n_unique()
    )
    count = per_assignment.filter(pl.col("units") >= BROAD_ASSIGNMENT).height
    if count == 0:
        return None
    text = t(
        "sum.broad_assignment_one" if count == 1 else "sum.broad_assignment",
        lang,
        count=format_int(count, lang),
        units=number_word(BROAD_ASSIGNMENT, lang),
    )
    return Insight("broad_assignment", text, 1.1)


def summarize(
    doc: GoalDocument,
    lang: str = "sv",
    *,
    load: pl.DataFrame | None = None,
    totals: dict | None = None,
    limit: int = 5,
) -> list[Insight]:
    """The sentences worth saying about `doc`, strongest first (at most `limit`).

    Texts are plain (not Markdown): escape them where they are rendered.
    """
    load = metrics.unit_load(doc) if load is None else load
    totals = metrics.document_totals(doc) if totals is None else totals
    candidates = [
        *(times_median(load, m, lang) for m in RATIO_METRICS),
        concentration(load, "indicators", lang),
        unmeasured(totals, lang),
        frequent_reporting(doc, lang),
        manual_sources(doc, lang),
        orphans(totals, lang),
        broad_assignments(doc, lang),
    ]
    found = sorted((c for c in candidates if c is not None), key=lambda i: i.weight, reverse=True)
    # One sentence per unit: the same committee topping three metrics is one finding.
    said: set[str] = set()
    unique = []
    for insight in found:
        if insight.subject in said:
            continue
        if insight.subject is not None:
            said.add(insight.subject)
        unique.append(insight)
    return unique[:limit]
