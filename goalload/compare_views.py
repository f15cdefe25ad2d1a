"""The tables the Jämför and Kolada pages show, as pure polars functions.

goalload.compare and goalload.kolada compute; this module shapes their answers for a
screen: one row per metric, level or unit with one column per document, numbers
already written the way the reader's language writes them (1 234; 6,5), and the
editable tables a person uses to confirm or correct unit matches and Kolada matches,
with the functions that read the corrections back. No Streamlit here, so the figures
a page shows are the figures the tests compute.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from goalload import compare, kolada
from goalload.formatting import format_decimal, format_int, format_percent
from goalload.i18n import label, t
from goalload.metrics import LOAD_COLUMNS, TOTALS
from goalload.model import UNIT_LEVELS, GoalDocument

TOTAL_METRICS = TOTALS  # the document totals shown, in this order
# The figures at the top of the page: the last document's, with the change since the first.
HEADLINE_METRICS = (
    "goals",
    "indicators",
    "assignments",
    "reporting_occasions_per_year",
    "steering_signals",
)
# Counts of one size drawn together; reporting occasions (ten times larger) stay in tables.
TOTAL_CHART_METRICS = ("goals", "indicators", "assignments", "steering_signals")
UNIT_METRICS = LOAD_COLUMNS
METHOD_ORDER = {"suggested": 0, "person": 1, "new": 2, "same_name": 3}
KOLADA_METHOD_ORDER = {"fuzzy": 0, "person": 1, "id": 2, "none": 3}


def order_documents(docs: Sequence[GoalDocument]) -> list[GoalDocument]:
    """Oldest first when every document has a year (compare takes years in order)."""
    if docs and all(d.year for d in docs):
        return sorted(docs, key=lambda d: d.year)
    return list(docs)


def is_years(docs: Sequence[GoalDocument]) -> bool:
    """Years of one municipality (same name), rather than municipalities side by side."""
    names = {compare._name_key(d.name) for d in docs}
    return len(names) == 1


def _labels(result: dict) -> list[str]:
    return [d["label"] for d in result["documents"]]


def signed(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A change with its sign: "+5", "−6", "0"."""
    if value is None:
        return "–"
    text = format_int(value, lang) if decimals == 0 else format_decimal(value, lang, decimals)
    return f"+{text}" if value > 0 else text


def _change(values: list[float | int | None]) -> float | int | None:
    """Last minus first, when both documents have a value."""
    if len(values) < 2 or values[0] is None or values[-1] is None:
        return None
    return values[-1] - values[0]


# --- totals, levels, units --------------------------------------------------------------


def totals_long(result: dict, metrics: Sequence[str] = TOTAL_CHART_METRICS) -> pl.DataFrame:
    """[category, document, value]: the document totals, for a grouped bar chart."""
    rows = [
        {"category": m, "document": d, "value": float(result["totals"][d].get(m) or 0)}
        for m in metrics
        for d in _labels(result)
    ]
    return pl.DataFrame(
        rows, schema={"category": pl.String, "document": pl.String, "value": pl.Float64}
    )


def totals_table(result: dict, lang: str = "sv") -> pl.DataFrame:
    """One row per metric, one column per document, and the change first to last."""
    docs = _labels(result)
    rows = []
    for m in TOTAL_METRICS:
        values = [result["totals"][d].get(m) for d in docs]
        rows.append(
            {
                "metric": label("metric", m, lang),
                **{d: format_int(v, lang) for d, v in zip(docs, values, strict=True)},
                **({"change": signed(_change(values), lang)} if len(docs) > 1 else {}),
            }
        )
    return pl.DataFrame(rows, schema=_text_schema(["metric", *docs], len(docs) > 1))


def _text_schema(columns: list[str], change: bool) -> dict:
    return {c: pl.String for c in [*columns, *(["change"] if change else [])]}


def has_population(result: dict) -> bool:
    return any(result["totals"][d].get("per_1000_inhabitants") for d in _labels(result))


def per_1000_long(result: dict) -> pl.DataFrame:
    """[category, document, value] per 1,000 inhabitants; documents without population left out."""
    rows = [
        {"category": m, "document": d, "value": float(per[m])}
        for m in compare.PER_1000_METRICS
        for d in _labels(result)
        if (per := result["totals"][d].get("per_1000_inhabitants")) and m in per
    ]
    return pl.DataFrame(
        rows, schema={"category": pl.String, "document": pl.String, "value": pl.Float64}
    )


def per_1000_table(result: dict, lang: str = "sv") -> pl.DataFrame:
    """Per 1,000 inhabitants: one row per metric, plus the population it is divided by."""
    docs = _labels(result)
    population = {d["label"]: d["population"] for d in result["documents"]}
    rows = [
        {
            "metric": t("compare.population", lang),
            **{d: format_int(population[d], lang) for d in docs},
        }
    ]
    for m in compare.PER_1000_METRICS:
        rows.append(
            {
                "metric": label("metric", m, lang),
                **{
                    d: format_decimal(
                        (result["totals"][d].get("per_1000_inhabitants") or {}).get(m), lang, 2
                    )
                    for d in docs
                },
            }
        )
    return pl.DataFrame(rows, schema=_text_schema(["metric", *docs], False))


def levels_present(result: dict) -> list[str]:
    """The unit levels any document uses, top to bottom."""
    present = {lvl for d in _labels(result) for lvl in result["by_level"][d]}
    return [lvl for lvl in (*UNIT_LEVELS, "unknown") if lvl in present]


def by_level_long(result: dict, metric: str) -> pl.DataFrame:
    """[category, document, value]: `metric` per unit (the mean) per level and document."""
    rows = [
        {"category": lvl, "document": d, "value": float(values["per_unit"][metric])}
        for lvl in levels_present(result)
        for d in _labels(result)
        if (values := result["by_level"][d].get(lvl))
    ]
    return pl.DataFrame(
        rows, schema={"category": pl.String, "document": pl.String, "value": pl.Float64}
    )


def by_level_table(result: dict, metric: str, lang: str = "sv") -> pl.DataFrame:
    """Per level: how many units each document has there and their mean `metric`."""
    docs = _labels(result)
    rows = []
    for lvl in levels_present(result):
        row = {"level": label("level", lvl, lang)}
        for d in docs:
            values = result["by_level"][d].get(lvl)
            row[f"units:{d}"] = format_int(values["units"] if values else None, lang)
            row[f"per_unit:{d}"] = format_decimal(
                values["per_unit"][metric] if values else None, lang, 1
            )
        rows.append(row)
    columns = ["level", *(f"{p}:{d}" for d in docs for p in ("units", "per_unit"))]
    return pl.DataFrame(rows, schema={c: pl.String for c in columns})


def units_long(result: dict, metric: str) -> pl.DataFrame:
    """[unit, level, document, value]: `metric` per compared unit and document (null: absent)."""
    rows = [
        {
            "unit": u["unit"],
            "level": u["level"],
            "document": d,
            "value": (u["values"].get(d) or {}).get(metric),
        }
        for u in result["units"]
        for d in _labels(result)
    ]
    return pl.DataFrame(
        rows,
        schema={
            "unit": pl.String,
            "level": pl.String,
            "document": pl.String,
            "value": pl.Float64,
        },
    )


def top_compared_units(result: dict, metric: str, n: int) -> list[str]:
    """The `n` compared units with the largest `metric` in any document, largest first."""
    long = units_long(result, metric)
    if long.is_empty():
        return []
    ranked = (
        long.group_by("unit", maintain_order=True)
        .agg(top=pl.col("value").max())
        .sort(["top", "unit"], descending=[True, False], nulls_last=True)
    )
    return ranked["unit"].head(n).to_list()


def units_table(result: dict, metric: str, lang: str = "sv") -> pl.DataFrame:
    """Per compared unit: its level, `metric` in each document ("–" where absent), change.

    Units renamed between documents are listed under their latest name, with the other
    names in `names`. Sorted by the largest value, so the heaviest units come first.
    """
    docs = _labels(result)
    order = {u: i for i, u in enumerate(top_compared_units(result, metric, len(result["units"])))}
    rows = []
    for u in sorted(result["units"], key=lambda u: order.get(u["unit"], len(order))):
        values = [(u["values"].get(d) or {}).get(metric) for d in docs]
        other = [n for n in dict.fromkeys(u["names"].values()) if n != u["unit"]]
        rows.append(
            {
                "unit": u["unit"],
                "names": "; ".join(other),
                "level": label("level", u["level"], lang) if u["level"] else "",
                **{d: format_int(v, lang) for d, v in zip(docs, values, strict=True)},
                **({"change": signed(_change(values), lang)} if len(docs) > 1 else {}),
            }
        )
    return pl.DataFrame(rows, schema=_text_schema(["unit", "names", "level", *docs], len(docs) > 1))


# --- unit matches: the editor and what a person changed ---------------------------------


def match_editor_frame(matches: pl.DataFrame, documents: Sequence[str], lang: str = "sv"):
    """The unit matches as a person checks them: suggestions first, one row per unit.

    Columns: document, unit (as written), level, method (in words), score (text),
    matched (the same unit's names in the other documents), label (compared as: the
    editable choice) and confirmed (the editable tick).
    """
    first = documents[0] if documents else None
    method_text = (
        pl.when((pl.col("method") == "new") & (pl.col("document") == first))
        .then(pl.lit(t("compare.method.first", lang)))
        .otherwise(
            pl.col("method").replace_strict(
                {m: t(f"compare.method.{m}", lang) for m in METHOD_ORDER},
                default=pl.col("method"),
            )
        )
    )
    doc_rank = {d: i for i, d in enumerate(documents)}
    indexed = matches.with_row_index("_row")
    partners = (
        indexed.select("_row", "document", "label")
        .join(indexed.select("label", "document", "unit"), on="label", suffix="_other")
        .filter(pl.col("document") != pl.col("document_other"))
        .with_columns(
            _rank=pl.col("document_other").replace_strict(doc_rank, default=99),
            text=pl.format("{} ({})", "unit", "document_other"),
        )
        .sort("_rank")
        .group_by("_row")
        .agg(matched=pl.col("text").str.join("; "))
    )
    return (
        indexed.join(partners, on="_row", how="left")
        .with_columns(
            _order=pl.col("method").replace_strict(METHOD_ORDER, default=9),
            _first=pl.col("document") == first,
            _doc=pl.col("document").replace_strict(doc_rank, default=99),
        )
        .sort(["_order", "_first", "_doc", "_row"])
        .select(
            "document",
            "unit",
            level=pl.col("level").replace_strict(
                {c: label("level", c, lang) for c in UNIT_LEVELS},
                default=pl.lit(""),
                return_dtype=pl.String,
            ),
            method=method_text,
            score=pl.when(pl.col("method") != "new")
            .then(
                pl.col("score").map_elements(
                    lambda s: format_decimal(s, lang, 2), return_dtype=pl.String
                )
            )
            .otherwise(pl.lit("")),
            matched=pl.col("matched").fill_null(""),
            label="label",
            confirmed="confirmed",
        )
    )


def label_options(matches: pl.DataFrame, alone: str) -> list[str]:
    """What a unit can be compared as: `alone` (break the match), any label, any name."""
    names = pl.concat([matches["label"], matches["unit"]]).drop_nulls().unique().sort()
    return [alone, *names.to_list()]


def mapping_from_editor(shown: pl.DataFrame, edited: pl.DataFrame, alone: str) -> dict[str, str]:
    """{"document::unit": label} for each row a person changed or confirmed.

    `shown` is `match_editor_frame`'s table, `edited` the same table back from the
    editor (same rows, same order). A confirmed row keeps its label but becomes the
    person's (goalload.compare.apply_unit_mapping marks it confirmed). A row set to
    `alone` breaks its match: it and the units it was matched with in the other
    documents are each compared under their own name.
    """
    both = shown.select("document", "unit", "label", "confirmed").with_columns(
        new_label=edited["label"].fill_null(pl.col("label")),
        new_confirmed=edited["confirmed"].fill_null(False),
    )
    changed = both.filter(
        (pl.col("new_label") != pl.col("label")) | (pl.col("new_confirmed") & ~pl.col("confirmed"))
    )
    mapping: dict[str, str] = {}
    for row in changed.iter_rows(named=True):
        if row["new_label"] != alone:
            mapping[f"{row['document']}::{row['unit']}"] = row["new_label"]
            continue
        partners = both.filter(
            (pl.col("label") == row["label"]) & (pl.col("document") != row["document"])
        )
        for partner in partners.iter_rows(named=True):
            if partner["unit"] != partner["label"]:
                mapping.setdefault(f"{partner['document']}::{partner['unit']}", partner["unit"])
        mapping[f"{row['document']}::{row['unit']}"] = row["unit"]
    return mapping


def renamed_units(result: dict) -> list[dict]:
    """Compared units whose name differs between documents: {"unit", "names"}."""
    return [
        {"unit": u["unit"], "names": list(dict.fromkeys(u["names"].values()))}
        for u in result["units"]
        if len(set(u["names"].values())) > 1
    ]


# --- a person's edits, kept while they visit other pages ---------------------------------


def _row_keys(frame: pl.DataFrame, keys: Sequence[str]) -> list[str]:
    return (
        frame.select(
            pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in keys], separator="::")
        )
        .to_series()
        .to_list()
    )


def edits_between(
    base: pl.DataFrame, edited: pl.DataFrame, keys: Sequence[str], columns: Sequence[str]
) -> dict[str, dict]:
    """{row key: {column: value}}: the cells of `columns` a person changed in an editor.

    Streamlit forgets an editor's edits when the person opens another page; the page
    keeps these and gives them back through `with_edits` when the person returns.
    """
    row_keys = _row_keys(base, keys)
    edits: dict[str, dict] = {}
    for column in columns:
        for i in base[column].ne_missing(edited[column]).arg_true().to_list():
            edits.setdefault(row_keys[i], {})[column] = edited[column][i]
    return edits


def with_edits(base: pl.DataFrame, edits: dict[str, dict], keys: Sequence[str]) -> pl.DataFrame:
    """`base` with the kept edits written into their cells (rows found by `keys`)."""
    if not edits:
        return base
    row_keys = _row_keys(base, keys)
    columns = sorted({c for cells in edits.values() for c in cells})
    return base.with_columns(
        pl.Series(
            c,
            [edits.get(k, {}).get(c, v) for k, v in zip(row_keys, base[c].to_list(), strict=True)],
            dtype=base.schema[c],
        )
        for c in columns
    )


# --- goal changes between two chosen documents ------------------------------------------


def changes_between(
    docs: Sequence[GoalDocument], result: dict, first: int, last: int
) -> dict[str, list[dict]]:
    """Goals added, removed, reworded and unchanged from docs[first] to docs[last].

    Units are matched as in `result` (its unit_matches, with the person's corrections).
    """
    matches = pl.DataFrame(result["unit_matches"], schema=compare.MATCH_SCHEMA)
    labels = _labels(result)

    def units(i: int) -> pl.DataFrame:
        return matches.filter(pl.col("document") == labels[i]).select("unit_id", "label")

    return compare.goal_changes(docs[first], docs[last], units(first), units(last))


CHANGE_KINDS = ("goals_added", "goals_removed", "goals_reworded", "goals_unchanged")


def change_table(changes: dict[str, list[dict]], kind: str) -> pl.DataFrame:
    """One kind of goal change as a table (reworded goals with both texts)."""
    if kind == "goals_reworded":
        schema = {
            "goal_id_before": pl.String,
            "goal_before": pl.String,
            "goal_id": pl.String,
            "goal": pl.String,
            "unit": pl.String,
        }
    else:
        schema = {"goal_id": pl.String, "goal": pl.String, "unit": pl.String}
    rows = [{c: row.get(c) for c in schema} for row in changes.get(kind, [])]
    return pl.DataFrame(rows, schema=schema)


# --- Kolada: the match editor and per-unit counts ---------------------------------------


def candidates_text(candidates: list[dict] | None, lang: str = "sv") -> str:
    """ "N15419 Title (0,62); ..." for a person to pick from."""
    return "; ".join(
        f"{c['kolada_id']} {c['title']} ({format_decimal(c['score'], lang, 2)})"
        for c in candidates or []
    )


def kolada_editor_frame(matches: pl.DataFrame, lang: str = "sv") -> pl.DataFrame:
    """The Kolada matches as a person checks them: name matches first, then ids, then none.

    Columns: indicator, unit, kolada_id (editable), title, score (text), method (in
    words), candidates (text), url (the KPI's public page) and confirmed (editable).
    """
    methods = {m: t(f"kolada.method.{m}", lang) for m in KOLADA_METHOD_ORDER}
    return (
        matches.with_row_index("_row")
        .with_columns(_order=pl.col("method").replace_strict(KOLADA_METHOD_ORDER, default=9))
        .sort(["_order", "_row"])
        .select(
            "indicator_id",
            "indicator",
            "unit",
            "kolada_id",
            "title",
            score=pl.col("score").map_elements(
                lambda s: format_decimal(s, lang, 2), return_dtype=pl.String
            ),
            method=pl.col("method").replace_strict(methods, default=pl.col("method")),
            candidates=pl.col("candidates").map_elements(
                lambda c: candidates_text(c.to_list() if hasattr(c, "to_list") else c, lang),
                return_dtype=pl.String,
            ),
            url=pl.when(pl.col("kolada_id").is_not_null()).then(
                pl.col("kolada_id").map_elements(kolada.kolada_url, return_dtype=pl.String)
            ),
            confirmed="confirmed",
        )
    )


def apply_kolada_edits(
    matches: pl.DataFrame, shown: pl.DataFrame, edited: pl.DataFrame, titles: dict[str, str]
) -> tuple[pl.DataFrame, list[str]]:
    """The matches with a person's corrections, and the ids typed that Kolada does not have.

    A changed Kolada-ID (typed, any case) replaces the match (method "person", confirmed);
    an emptied one rejects it; a ticked row is confirmed. An id the catalogue does not
    have is not counted and comes back in the second list.
    """
    typed = edited["kolada_id"].cast(pl.String).str.strip_chars().str.to_uppercase()
    typed = typed.replace("", None)
    both = shown.select("indicator_id", old="kolada_id").with_columns(
        new=typed, ticked=edited["confirmed"].fill_null(False)
    )
    changed = both.filter(pl.col("new").ne_missing(pl.col("old")))
    unknown = sorted({i for i in changed["new"].drop_nulls().to_list() if i not in titles})
    edits = both.select(
        "indicator_id",
        "ticked",
        new_id=pl.when(pl.col("new").is_in(unknown)).then(None).otherwise(pl.col("new")),
        is_changed=pl.col("new").ne_missing(pl.col("old")),
    )
    merged = matches.join(edits, on="indicator_id", how="left", maintain_order="left")
    corrected = merged.with_columns(
        kolada_id=pl.when(pl.col("is_changed")).then(pl.col("new_id")).otherwise("kolada_id"),
        method=pl.when(pl.col("is_changed")).then(pl.lit("person")).otherwise("method"),
        confirmed=pl.col("confirmed")
        | pl.col("is_changed").fill_null(False)
        | pl.col("ticked").fill_null(False),
    ).with_columns(
        title=pl.when(pl.col("is_changed"))
        .then(pl.col("kolada_id").replace_strict(titles, default=None, return_dtype=pl.String))
        .otherwise("title")
    )
    return corrected.select(matches.columns), unknown


def kolada_summary(matches: pl.DataFrame) -> dict[str, int]:
    """How many indicators, and how many are in Kolada by id, by name, by a person, not."""
    counts = dict(matches.group_by("method").len().iter_rows())
    return {
        "indicators": matches.height,
        "in_kolada": int(matches["kolada_id"].is_not_null().sum()),
        "by_id": counts.get("id", 0),
        "by_name": counts.get("fuzzy", 0),
        "by_person": int(
            matches.filter(
                (pl.col("method") == "person") & pl.col("kolada_id").is_not_null()
            ).height
        ),
    }


def per_unit_table(per_unit: pl.DataFrame, lang: str = "sv") -> pl.DataFrame:
    """kolada.per_unit_kolada, most available first, with the share and numbers as text."""
    ranked = per_unit.sort(
        ["available_in_kolada", "indicators", "unit"], descending=[True, True, False]
    )
    return ranked.select(
        "unit",
        indicators=pl.col("indicators").map_elements(
            lambda v: format_int(v, lang), return_dtype=pl.String
        ),
        available_in_kolada=pl.col("available_in_kolada").map_elements(
            lambda v: format_int(v, lang), return_dtype=pl.String
        ),
        by_hand=(pl.col("indicators") - pl.col("available_in_kolada")).map_elements(
            lambda v: format_int(v, lang), return_dtype=pl.String
        ),
        share=(pl.col("available_in_kolada") / pl.col("indicators")).map_elements(
            lambda v: format_percent(v, lang, 0), return_dtype=pl.String
        ),
    )
