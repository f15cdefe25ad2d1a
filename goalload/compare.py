"""Compare goal documents: years of one municipality, or municipalities side by side.

Directors ask whether the load went down since last year and how they compare with
their neighbours. Two things make that hard: units get renamed ("Utbildningsnämnden"
becomes "Barn- och utbildningsnämnden") and goals get reworded. This module

- suggests which units in the documents are the same unit (`match_units`), with a
  score a person can confirm or correct (`apply_unit_mapping`),
- puts every load metric (goalload.metrics) per unit, per unit level and in total side
  by side, per 1,000 inhabitants where a document gives its population,
- lists the goals added, removed, unchanged and reworded between the first and the
  last document (`goal_changes`).

Documents are compared in the order given; for years, give the oldest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import polars as pl

from goalload import text as swedish
from goalload.metrics import LOAD_COLUMNS, document_totals, unit_load
from goalload.model import LEVEL_LABELS_SV, UNIT_LEVELS, GoalDocument

# Suggested unit matches below this score are not made: the unit stays on its own row.
UNIT_MATCH_THRESHOLD = 0.5
# Sharing the document's own unit id (e.g. "BUN" in both years) adds this to the score.
SAME_ID_BONUS = 0.15

# A core word shared by more earlier units than this does not propose matches.
_MAX_WORD_UNITS = 25

# Metrics shown per 1,000 inhabitants (counts of things a municipality carries).
PER_1000_METRICS = (
    "goals",
    "indicators",
    "assignments",
    "reporting_occasions_per_year",
    "steering_signals",
)

MATCH_SCHEMA = {
    "document": pl.String,  # the document's label (see `document_labels`)
    "unit_id": pl.String,
    "unit": pl.String,  # the name as written in that document
    "level": pl.String,
    "label": pl.String,  # the name it is compared under
    "score": pl.Float64,  # 1.0 for the same name; the similarity for a suggestion
    "method": pl.String,  # "same_name" | "suggested" | "new" | "person"
    "confirmed": pl.Boolean,
}

# Words that say what kind of unit it is, not which one: "Barn- och
# utbildningsnämnden" and "Utbildningsnämnden" differ in "barn", not in "nämnden".
_LEVEL_WORDS = (
    "nämnden",
    "nämnd",
    "förvaltningen",
    "förvaltning",
    "styrelsen",
    "styrelse",
    "fullmäktige",
    "kontoret",
    "kontor",
    "avdelningen",
    "avdelning",
    "enheten",
    "enhet",
    "bolaget",
    "aktiebolag",
    "ab",
)
_LEVEL_SUFFIX = re.compile(rf"({'|'.join(sorted(_LEVEL_WORDS, key=len, reverse=True))})$")


def document_labels(docs: Sequence[GoalDocument]) -> list[str]:
    """One distinct label per document: "Name Year", numbered if two are alike."""
    labels: list[str] = []
    for doc in docs:
        base = " ".join(p for p in (doc.name or "Dokument", str(doc.year or "")) if p).strip()
        label, n = base, 2
        while label in labels:
            label, n = f"{base} ({n})", n + 1
        labels.append(label)
    return labels


@lru_cache(maxsize=100_000)
def _name_key(name: str | None) -> str:
    """Case, punctuation, spacing and number formatting ignored (goalload.text)."""
    return swedish.normalize(name)


@lru_cache(maxsize=100_000)
def _name_core(name: str | None) -> frozenset[str]:
    """The words that say which unit it is: level words and linking -s dropped.

    "Barn- och utbildningsnämnden" -> {barn, utbildning}; "Miljö- och byggnämnden" and
    "Bygg- och miljönämnden" -> {bygg, miljö}.
    """
    words = [w for w in _name_key(name).split() if w not in {"och", "samt", "för", "i"}]
    core = set()
    for word in words:
        stripped = _LEVEL_SUFFIX.sub("", word) if len(word) > 6 else word
        stripped = stripped or word
        if len(stripped) > 4 and stripped.endswith("s"):
            stripped = stripped[:-1]
        core.add(stripped)
    return frozenset(core)


def _name_similarity(a: str | None, b: str | None) -> float:
    """0..1: containment and Jaccard of the core words, averaged (renames keep a core)."""
    ca, cb = _name_core(a), _name_core(b)
    if not ca or not cb:
        return 0.0
    shared = len(ca & cb)
    return 0.5 * shared / min(len(ca), len(cb)) + 0.5 * shared / len(ca | cb)


class _Seen:
    """Units seen in earlier documents, indexed by exact name and by core word."""

    def __init__(self) -> None:
        self.units: list[dict] = []  # {"level", "unit_id", "names", "latest"}
        self.by_key: dict[str, list[int]] = {}
        self.by_word: dict[str, set[int]] = {}
        self.by_id: dict[str, set[int]] = {}

    def add(self, unit: dict, index: int | None = None) -> int:
        """Record `unit` as a new unit (index None) or as a name of unit `index`."""
        if index is None:
            self.units.append({"level": unit["level"], "unit_id": unit["unit_id"], "names": []})
            index = len(self.units) - 1
        seen = self.units[index]
        seen["names"].append(unit["name"])
        seen["latest"] = unit["name"]
        seen["unit_id"] = unit["unit_id"] or seen["unit_id"]
        if unit["unit_id"]:
            self.by_id.setdefault(unit["unit_id"], set()).add(index)
        self.by_key.setdefault(_name_key(unit["name"]), []).append(index)
        for word in _name_core(unit["name"]):
            self.by_word.setdefault(word, set()).add(index)
        return index

    def same_name(self, unit: dict, taken: set[int]) -> int | None:
        for i in self.by_key.get(_name_key(unit["name"]), []):
            if i not in taken and _levels_agree(unit["level"], self.units[i]["level"]):
                return i
        return None

    def candidates(self, unit: dict, taken: set[int]) -> list[tuple[float, int]]:
        """(score, index) for earlier units sharing a core word or the unit's own id."""
        # A word many units share ("skolan", "förskola") says little about which unit
        # it is and would make this quadratic: only distinctive words propose a match.
        postings = [self.by_word.get(w, set()) for w in _name_core(unit["name"])]
        indices = set().union(*(p for p in postings if len(p) <= _MAX_WORD_UNITS))
        indices |= self.by_id.get(unit["unit_id"], set())
        out = []
        for i in sorted(indices - taken):
            seen = self.units[i]
            if not _levels_agree(unit["level"], seen["level"]):
                continue
            score = max(_name_similarity(unit["name"], n) for n in seen["names"])
            if unit["unit_id"] and unit["unit_id"] == seen["unit_id"]:
                score += SAME_ID_BONUS
            out.append((score, i))
        return out


def match_units(
    docs: Sequence[GoalDocument], *, threshold: float = UNIT_MATCH_THRESHOLD
) -> pl.DataFrame:
    """Suggest which units are the same across documents (one row per unit per document).

    Documents are taken in order; each unit is matched to a unit already seen (same
    level, or a level unknown on one side): the same name first, then the most similar
    name at or above `threshold` (each earlier unit taken at most once per document;
    sharing the document's own unit id adds SAME_ID_BONUS). A unit with no match starts
    a row of its own. Matched units are compared under the name they have in the latest
    document that has them.
    """
    seen = _Seen()
    rows: list[dict] = []
    for doc, doc_label in zip(docs, document_labels(docs), strict=True):
        taken: set[int] = set()
        pending = []
        for unit in doc.units.select("unit_id", "name", "level").to_dicts():
            same = seen.same_name(unit, taken)
            if same is None:
                pending.append(unit)
                continue
            taken.add(same)
            rows.append(_row(doc_label, unit, seen.add(unit, same), 1.0, "same_name"))
        scored = sorted(
            (
                (score, -ui, -i)
                for ui, unit in enumerate(pending)
                for score, i in seen.candidates(unit, taken)
            ),
            reverse=True,
        )
        placed: dict[int, tuple[int, float]] = {}
        for score, neg_ui, neg_i in scored:
            ui, i = -neg_ui, -neg_i
            if score >= threshold and ui not in placed and i not in taken:
                placed[ui] = (i, score)
                taken.add(i)
        for ui, unit in enumerate(pending):
            if ui in placed:
                i, score = placed[ui]
                rows.append(_row(doc_label, unit, seen.add(unit, i), min(score, 0.99), "suggested"))
            else:
                rows.append(_row(doc_label, unit, seen.add(unit), 1.0, "new"))
    for row in rows:
        row["label"] = seen.units[row.pop("_seen")]["latest"]
    return pl.DataFrame(rows, schema=MATCH_SCHEMA)


def _levels_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _row(doc_label: str, unit: dict, index: int, score: float, method: str) -> dict:
    return {
        "document": doc_label,
        "unit_id": unit["unit_id"],
        "unit": unit["name"],
        "level": unit["level"],
        "score": score,
        "method": method,
        "confirmed": False,
        "_seen": index,
    }


def apply_unit_mapping(matches: pl.DataFrame, mapping: Mapping[str, str]) -> pl.DataFrame:
    """Apply what a person confirmed or corrected: {unit name as written: compare as}.

    A key may also be "document label::unit name" to correct one document only. Units
    given the same label are compared as one (their values are summed); a unit given
    its own name again stands alone. Mapped rows get method "person", confirmed True.
    """
    if not mapping:
        return matches
    scoped = pl.concat_str([pl.col("document"), pl.lit("::"), pl.col("unit")])
    plain = {k: v for k, v in mapping.items() if "::" not in k}
    per_doc = {k: v for k, v in mapping.items() if "::" in k}
    new_label = pl.coalesce(
        scoped.replace_strict(per_doc, default=None, return_dtype=pl.String),
        pl.col("unit").replace_strict(plain, default=None, return_dtype=pl.String),
    )
    return matches.with_columns(
        label=pl.coalesce(new_label, pl.col("label")),
        method=pl.when(new_label.is_not_null()).then(pl.lit("person")).otherwise("method"),
        confirmed=new_label.is_not_null() | pl.col("confirmed"),
        score=pl.when(new_label.is_not_null()).then(pl.lit(1.0)).otherwise("score"),
    )


# --- goal changes ------------------------------------------------------------------------


def _content_key(texts: list[str]) -> dict[str, str]:
    """Text -> its content key (concepts and stems, sorted): equal keys = reworded only."""
    return {t: " ".join(sorted(swedish.content_keys(t))) for t in texts}


def _goal_pairs(doc: GoalDocument, unit_labels: pl.DataFrame) -> pl.DataFrame:
    """(goal_id, text, unit) per goal and owner, with the owner's comparison label."""
    owned = (
        doc.goals.select("goal_id", "text")
        .join(doc.goal_owners, on="goal_id", how="left")
        .join(unit_labels, on="unit_id", how="left")
    )
    texts = owned["text"].fill_null("").unique().to_list()
    norms = {t: _name_key(t) for t in texts}
    keys = _content_key(texts)
    return owned.with_columns(
        unit=pl.col("label").fill_null(""),
        norm=pl.col("text").fill_null("").replace_strict(norms, return_dtype=pl.String),
        ckey=pl.col("text").fill_null("").replace_strict(keys, return_dtype=pl.String),
    ).select("goal_id", "text", "unit", "norm", "ckey")


def goal_changes(
    first: GoalDocument,
    last: GoalDocument,
    first_units: pl.DataFrame,
    last_units: pl.DataFrame,
) -> dict[str, list[dict]]:
    """Goals added, removed, reworded and unchanged from `first` to `last`.

    A goal is the same goal when its normalised text (case, punctuation and spacing
    ignored) is the same at the same unit (units compared under their matched labels,
    so a renamed committee keeps its goals). A goal that is not the same but has the
    same content words at the same unit (synonyms such as öka/höja and minska/sänka
    counted as one, through goalload.text) is reworded. Everything else in `last` was
    added; everything else in `first` was removed. A goal with several owners is the
    same if it is the same at any one of them. Each list names the goals (id as in its
    document, text, units), not only how many.

    `first_units` / `last_units` map unit_id -> label (from `match_units`).
    """
    a = _goal_pairs(first, first_units)
    b = _goal_pairs(last, last_units)
    same = _one_to_one(b, a, ["norm", "unit"])
    rest_a = a.filter(~pl.col("goal_id").is_in(same["goal_id_before"].implode()))
    rest_b = b.filter(~pl.col("goal_id").is_in(same["goal_id"].implode()))
    reworded = _one_to_one(
        rest_b.filter(pl.col("ckey") != ""), rest_a.filter(pl.col("ckey") != ""), ["ckey", "unit"]
    )
    texts_b = b.select("goal_id", "text", "unit").unique("goal_id", keep="first")
    texts_a = a.select(goal_id_before="goal_id", text_before="text").unique("goal_id_before")
    reworded_rows = reworded.join(texts_b, on="goal_id").join(texts_a, on="goal_id_before")
    return {
        "goals_added": _goal_list(
            rest_b.filter(~pl.col("goal_id").is_in(reworded["goal_id"].implode()))
        ),
        "goals_removed": _goal_list(
            rest_a.filter(~pl.col("goal_id").is_in(reworded["goal_id_before"].implode()))
        ),
        "goals_reworded": [
            {
                "goal_id": r["goal_id"],
                "goal_id_before": r["goal_id_before"],
                "goal": r["text"],
                "goal_before": r["text_before"],
                "unit": r["unit"],
            }
            for r in reworded_rows.sort("goal_id").iter_rows(named=True)
        ],
        "goals_unchanged": _goal_list(b.filter(pl.col("goal_id").is_in(same["goal_id"].implode()))),
    }


def _one_to_one(b: pl.DataFrame, a: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """Pairs (goal_id, goal_id_before) agreeing on `on`, each goal used at most once.

    A goal listed at several units is one goal: it pairs with one goal of the other
    document, so a duplicate goal at the same unit cannot make two goals "unchanged".
    Pairs with the same goal id and then with more agreeing units are taken first.
    """
    candidates = (
        b.join(a, on=on, how="inner", suffix="_before")
        .group_by("goal_id", "goal_id_before")
        .agg(units=pl.len())
        .with_columns(same_id=pl.col("goal_id") == pl.col("goal_id_before"))
        .sort(
            ["same_id", "units", "goal_id", "goal_id_before"], descending=[True, True, False, False]
        )
    )
    used_b: set[str] = set()
    used_a: set[str] = set()
    pairs = []
    for gb, ga in candidates.select("goal_id", "goal_id_before").iter_rows():
        if gb not in used_b and ga not in used_a:
            used_b.add(gb)
            used_a.add(ga)
            pairs.append((gb, ga))
    return pl.DataFrame(
        pairs, schema={"goal_id": pl.String, "goal_id_before": pl.String}, orient="row"
    )


def _goal_list(pairs: pl.DataFrame) -> list[dict]:
    """One entry per goal, its units joined ("; "), in goal id order."""
    grouped = (
        pairs.group_by("goal_id", maintain_order=True)
        .agg(
            goal=pl.col("text").first(),
            units=pl.col("unit").filter(pl.col("unit") != "").unique(maintain_order=True),
        )
        .sort("goal_id")
    )
    return [
        {"goal_id": r["goal_id"], "goal": r["goal"], "unit": "; ".join(r["units"])}
        for r in grouped.iter_rows(named=True)
    ]


# --- the comparison -------------------------------------------------------------------------


def _per_1000(values: Mapping[str, float | int], population: int | None) -> dict | None:
    if not population:
        return None
    return {m: round(values[m] * 1000 / population, 3) for m in PER_1000_METRICS if m in values}


def compare_json(
    docs: Sequence[GoalDocument],
    *,
    unit_mapping: Mapping[str, str] | None = None,
) -> dict:
    """The CLI's `compare` answer.

    {"documents": [...], "units": [{"unit", "level", "names", "values": {document:
    {metric: value}}}], "totals": {document: {...}}, "by_level": {document: {level:
    {...}}}, "changes": {"from", "to", "goals_added", "goals_removed", "goals_reworded",
    "goals_unchanged"}, "unit_matches": [...]}. Totals and levels carry
    "per_1000_inhabitants" where the document gives its population.
    """
    if not docs:
        return {
            "documents": [],
            "units": [],
            "totals": {},
            "by_level": {},
            "changes": {},
            "unit_matches": [],
        }
    labels = document_labels(docs)
    matches = apply_unit_mapping(match_units(docs), unit_mapping or {})
    loads = []
    totals: dict[str, dict] = {}
    for doc, label in zip(docs, labels, strict=True):
        load = unit_load(doc)
        doc_totals = dict(document_totals(doc, load))
        doc_totals["per_1000_inhabitants"] = _per_1000(doc_totals, doc.population)
        totals[label] = doc_totals
        loads.append(
            load.with_columns(document=pl.lit(label)).join(
                matches.filter(pl.col("document") == label).select("unit_id", "label"),
                on="unit_id",
                how="left",
            )
        )
    load_all = pl.concat(loads).with_columns(pl.col("label").fill_null(pl.col("unit")))
    per_unit = load_all.group_by("label", "document", maintain_order=True).agg(
        pl.col("level").first(),
        pl.col("unit").first().alias("name"),
        *[pl.col(m).sum() for m in LOAD_COLUMNS],
    )
    units = []
    order = matches.select("label").unique(maintain_order=True)["label"].to_list()
    by_label = {lbl: [] for lbl in order}
    for row in per_unit.iter_rows(named=True):
        by_label.setdefault(row["label"], []).append(row)
    for lbl, rows in by_label.items():
        if not rows:
            continue
        units.append(
            {
                "unit": lbl,
                "level": rows[-1]["level"],
                "names": {r["document"]: r["name"] for r in rows},
                "values": {r["document"]: {m: r[m] for m in LOAD_COLUMNS} for r in rows},
            }
        )
    by_level = _by_level(load_all, docs, labels)
    first_units = matches.filter(pl.col("document") == labels[0]).select("unit_id", "label")
    last_units = matches.filter(pl.col("document") == labels[-1]).select("unit_id", "label")
    changes = {"from": labels[0], "to": labels[-1]}
    changes.update(goal_changes(docs[0], docs[-1], first_units, last_units))
    return {
        "documents": [
            {
                "label": label,
                "name": doc.name,
                "year": doc.year,
                "population": doc.population,
                "file": doc.info.file_name,
            }
            for doc, label in zip(docs, labels, strict=True)
        ],
        "units": units,
        "totals": totals,
        "by_level": by_level,
        "changes": changes,
        "unit_matches": matches.to_dicts(),
    }


def _by_level(load_all: pl.DataFrame, docs: Sequence[GoalDocument], labels: list[str]) -> dict:
    """Per document and unit level: how many units, summed metrics, mean per unit."""
    sums = load_all.group_by("document", "level").agg(
        *[pl.col(m).sum() for m in LOAD_COLUMNS], units=pl.len()
    )
    population = {label: doc.population for doc, label in zip(docs, labels, strict=True)}
    rank = {lvl: i for i, lvl in enumerate(UNIT_LEVELS)}
    out: dict[str, dict] = {label: {} for label in labels}
    rows = sorted(sums.iter_rows(named=True), key=lambda r: rank.get(r["level"], 99))
    for row in rows:
        values = {m: row[m] for m in LOAD_COLUMNS}
        out[row["document"]][row["level"] or "unknown"] = {
            "units": row["units"],
            **values,
            "per_unit": {m: round(row[m] / row["units"], 2) for m in LOAD_COLUMNS},
            "per_1000_inhabitants": _per_1000(
                {
                    "steering_signals": values["steering_signals"],
                    "indicators": values["indicators"],
                    "assignments": values["assignments"],
                    "reporting_occasions_per_year": values["reporting_occasions_per_year"],
                },
                population[row["document"]],
            ),
        }
    return out


# --- text ---------------------------------------------------------------------------------

_METRIC_LABELS_SV = {
    "units": "Enheter",
    "goals": "Mål",
    "own_goals": "Egna mål",
    "received_goals": "Mottagna mål",
    "indicators": "Indikatorer",
    "assignments": "Uppdrag",
    "reporting_occasions_per_year": "Rapporteringstillfällen/år",
    "orphan_indicators": "Indikatorer utan mål",
    "unmeasured_goals": "Mål utan indikator",
    "steering_signals": "Styrsignaler",
}


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    else:
        text = f"{value:,}"
    return text.replace(",", " ").replace(".", ",")


def render_table(result: dict) -> str:
    """The `compare` answer as plain text with Swedish headings."""
    docs = [d["label"] for d in result["documents"]]
    width = max([14, *(len(d) for d in docs)])
    lines = ["Totalt"]
    header = f"{'':<30}" + "".join(f"{d:>{width + 2}}" for d in docs)
    lines.append(header)
    metrics = [m for m in _METRIC_LABELS_SV if any(m in result["totals"][d] for d in docs)]
    for m in metrics:
        cells = "".join(f"{_fmt(result['totals'][d].get(m)):>{width + 2}}" for d in docs)
        lines.append(f"{_METRIC_LABELS_SV[m]:<30}{cells}")
    if any(result["totals"][d].get("per_1000_inhabitants") for d in docs):
        lines += ["", "Per 1 000 invånare", header]
        for m in PER_1000_METRICS:
            cells = "".join(
                f"{_fmt((result['totals'][d].get('per_1000_inhabitants') or {}).get(m)):>{width + 2}}"
                for d in docs
            )
            lines.append(f"{_METRIC_LABELS_SV[m]:<30}{cells}")
    lines += [
        "",
        "Styrsignaler per enhet",
        f"{'Enhet':<40}" + "".join(f"{d:>{width + 2}}" for d in docs),
    ]
    for unit in result["units"]:
        cells = "".join(
            f"{_fmt(unit['values'].get(d, {}).get('steering_signals')):>{width + 2}}" for d in docs
        )
        name = unit["unit"] if len(unit["unit"]) <= 40 else unit["unit"][:39] + "…"
        lines.append(f"{name:<40}{cells}")
    renamed = [u for u in result["units"] if len(set(u["names"].values())) > 1]
    if renamed:
        lines += ["", "Enheter som bytt namn (förslag att bekräfta)"]
        lines += [f"  {' → '.join(dict.fromkeys(u['names'].values()))}" for u in renamed]
    ch = result.get("changes") or {}
    if ch:
        lines += ["", f"Mål från {ch['from']} till {ch['to']}"]
        for key, title in (
            ("goals_added", "Nya"),
            ("goals_removed", "Borttagna"),
            ("goals_reworded", "Omformulerade"),
            ("goals_unchanged", "Oförändrade"),
        ):
            lines.append(f"  {title}: {len(ch[key])}")
        for key, sign in (("goals_added", "+"), ("goals_removed", "−")):
            for g in ch[key]:
                lines.append(f"    {sign} {g['goal']} ({g['unit'] or 'ingen enhet'})")
    level_names = LEVEL_LABELS_SV
    if result.get("by_level"):
        lines += ["", "Per enhetstyp (styrsignaler per enhet)"]
        levels = [lvl for lvl in UNIT_LEVELS if any(lvl in result["by_level"][d] for d in docs)]
        for lvl in levels:
            cells = "".join(
                f"{_fmt(result['by_level'][d].get(lvl, {}).get('per_unit', {}).get('steering_signals')):>{width + 2}}"
                for d in docs
            )
            lines.append(f"{level_names.get(lvl, lvl):<30}{cells}")
    return "\n".join(lines)
