"""Kolada: which indicators could be taken from the public KPI database instead of by hand.

Kolada (run by RKA, "Källa: Kolada") publishes about 6,000 key figures for every
municipality and region. An indicator a controller collects by hand every month may
already be there, free. This module

- recognises Kolada ids (N12345 / U12345) wherever a document writes them,
- obtains the KPI catalogue: from a CSV the user supplies, from the Kolada API v3
  (`/v3/kpi`, paged) cached on disk with its fetch date, or says plainly that it has none,
- matches indicator names without an id to catalogue titles with Swedish-aware fuzzy
  matching (TF-IDF over word stems and character 4-grams, cosine similarity computed as
  a join on an inverted index), claiming a match only above `DEFAULT_MATCH_THRESHOLD`,
  which was measured on a labelled set (docs/kolada_compare.md),
- counts per unit how many of its indicators are available in Kolada.

Nothing here decides for the user: every match carries its score and the runner-up
candidates so a person can confirm or correct it (`confirmed` starts False).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from goalload import text as swedish
from goalload.errors import GoalloadError, InputError
from goalload.model import GoalDocument

KOLADA_ID_PATTERN = re.compile(r"\b[NU]\d{5}\b")

API_BASE_URL = "https://api.kolada.se/v3"
PUBLIC_KPI_URL = "https://www.kolada.se/verktyg/fri-sokning/?kpis={kpi_id}"
PER_PAGE = 5000  # the API's page size limit
FETCH_TIMEOUT_S = 8.0
MAX_PAGES = 50  # 6,099 KPIs today: two pages; a loop guard, not a limit anyone should meet
CACHE_MAX_AGE_DAYS = 30
CACHE_FILE = "kolada_kpi.parquet"
CACHE_META_FILE = "kolada_kpi.json"

# Cosine score (0..1) above which a fuzzy match is claimed. Chosen on
# tests/data/indicator_names_labelled.csv for precision first (see docs/kolada_compare.md);
# below it the candidates are still shown, for a person to pick from.
DEFAULT_MATCH_THRESHOLD = 0.55

CATALOGUE_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "title": pl.String,
    "description": pl.String,
    "operating_area": pl.String,
    "perspective": pl.String,
    "municipality_type": pl.String,  # K kommun, L region, A both
    "is_divided_by_gender": pl.Int64,
    "publ_period": pl.Int64,
    "has_ou_data": pl.Int64,
}

MATCH_SCHEMA: dict[str, Any] = {
    "indicator_id": pl.String,
    "indicator": pl.String,
    "unit": pl.String,
    "kolada_id": pl.String,  # null when no match is claimed
    "title": pl.String,
    "score": pl.Float64,  # best candidate's score, 1.0 for an id the document names
    "method": pl.String,  # "id" (the document names it) | "fuzzy" | "none"
    "confirmed": pl.Boolean,
    "candidates": pl.List(
        pl.Struct({"kolada_id": pl.String, "title": pl.String, "score": pl.Float64})
    ),
}

ORIGIN_LABELS_SV = {
    "file": "fil",
    "api": "Kolada API v3",
    "cache": "sparad kopia från Kolada API v3",
}


def find_kolada_ids(text: str | None) -> list[str]:
    """Every Kolada id in a cell, in order, each once ("Kolada N15419, U23471")."""
    if not text:
        return []
    return list(dict.fromkeys(KOLADA_ID_PATTERN.findall(text)))


def kolada_url(kpi_id: str) -> str:
    """The KPI's public page on kolada.se, where anyone can look the figure up."""
    return PUBLIC_KPI_URL.format(kpi_id=urllib.parse.quote(kpi_id))


# --- Swedish text -----------------------------------------------------------------
# Normalisation and tokens come from goalload.text, shared with overlap detection. The
# stop words and the stemmer stay here, on purpose: goalload.text's are tuned for goal
# sentences (its stop words drop "alla", "minst", "högst", which tell KPIs apart: "klarat
# minst två kurser", "i alla ämnen"; its stemmer, tried here, costs 1-2 points of
# precision on the labelled set), while KPI titles are noun phrases.

_STOP_WORDS = frozenset(
    """och i på av för som med till en ett den det de att är om vid inom eller har hur
    per från samt under efter där sin sitt sina kan ska mot utan varav the""".split()  # noqa: SIM905
)

# Spellings that mean the same in this domain. Applied to both sides of a match.
_SYNONYMS = {
    "inv": "invånare",
    "procent": "andel",
    "%": "andel",
    "medarbetare": "anställda",  # Kolada writes "anställda" where plans say "medarbetare"
    "medarbetarna": "anställda",
    "kunskapskraven": "betygskriterierna",  # Skolverket's renaming (2022); Kolada follows
    "kunskapskrav": "betygskriterierna",
    "nki": "index",
    "ca": "",
    "st": "antal",
    "försörjningsstöd": "ekonomiskt bistånd",  # Kolada's word for it
    "försörjningsstödet": "ekonomiskt bistånd",
}

_SUFFIXES = sorted(
    """heterna hetens arnas ernas ornas andes anden arens heter heten arna erna orna ande
    arne aste ades ende ens ern ets ars ers ast het are ade ad ar er or as es at en et na
    an a e s""".split(),  # noqa: SIM905
    key=len,
    reverse=True,
)


def _stem(word: str) -> str:
    """A light Swedish suffix stripper (Snowball's step 1-2, simplified)."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-2:] in {"dd", "gd", "nn", "dt", "gt", "kt", "tt"}:
        word = word[:-1]
    return word


def _words(phrase: str) -> list[str]:
    """The content words of a phrase, normalised as everywhere in goalload (goalload.text:
    NFKC, casefold, numbers as one token, "%" as "procent"), Kolada spellings applied."""
    out = []
    for raw in swedish.tokens(phrase):
        word = _SYNONYMS.get(raw, raw)
        for part in word.split():
            if part and part not in _STOP_WORDS:
                out.append(part)
    return out


@lru_cache(maxsize=200_000)
def _word_features(word: str) -> tuple[str, ...]:
    """A word's feature keys: its stem ("w:") and its character 4-grams ("c:").

    The 4-grams carry compounds ("sjukfrånvaro" ~ "långtidssjukfrånvaro") and
    inflections the stemmer misses; the stem carries whole-word agreement.
    """
    padded = f"<{word}>"
    grams = [padded] if len(padded) <= 4 else [padded[i : i + 4] for i in range(len(padded) - 3)]
    return (f"w:{_stem(word)}", *(f"c:{g}" for g in grams))


def _features(text: str | None) -> list[str]:
    """Every feature key of a text, repeated as often as it occurs."""
    if not text:
        return []
    return [key for word in _words(text) for key in _word_features(word)]


def _feature_frame(texts: list[str | None]) -> pl.DataFrame:
    """Long table (doc, key, kind, tf): one row per distinct feature of each text."""
    features = [_features(text) for text in texts]
    frame = pl.DataFrame(
        {
            "doc": [doc for doc, feats in enumerate(features) for _ in feats],
            "key": [key for feats in features for key in feats],
        },
        schema={"doc": pl.Int64, "key": pl.String},
    )
    return (
        frame.group_by("doc", "key")
        .agg(tf=pl.len().cast(pl.Float64))
        .with_columns(kind=pl.col("key").str.head(1))
    )


# Weight of the word-stem cosine against the 4-gram cosine in the final score.
_WORD_WEIGHT = 0.5
# Character 4-grams in more than this share of KPI titles ("<and", "ndel") add little
# to a cosine but most of the work, so they are left out (before normalising, so the
# cosine is exact over what remains). Word stems are always kept: "kostnad" or
# "invånare" are common and still decide between close variants.
_MAX_GRAM_DF_SHARE = 0.1
# Name rows scored at once: the dense score block is rows x KPIs float32.
_QUERY_CHUNK = 256

# Kinds of KPI that are rarely what a plan means, however close the words: the
# survey's margin of error, a model-estimated value, a KPI Kolada no longer updates
# ("(-2023)"), and a KPI for the other kind of organisation (region vs municipality).
# Each multiplies the score by its factor unless the name itself asks for that kind.
_PRIORS: dict[str, tuple[str, str, float]] = {
    # flag: (regex on the KPI title, regex on the indicator name that lifts it, factor)
    "uncertainty": (r"(?i)^osäkerhetstal", r"(?i)osäkerhet", 0.8),
    "model": (r"(?i)modellberäkn|förväntat värde|salsa", r"(?i)modell|förväntat|salsa", 0.85),
    "discontinued": (r"\(\s*-\s*\d{4}\s*\)", r"$^", 0.9),
}
# A KPI Kolada publishes only for the other kind of organisation has no values for this
# one at all: it can hardly replace what the document collects.
_OTHER_TYPE_FACTOR = 0.6

# What a figure measures, read from its words. A name and a KPI that both say what they
# measure and say different things ("Antal besök" / "Kostnad ..., kr/inv") are rarely
# the same figure.
_MEASURE_KINDS: dict[str, str] = {
    "cost": r"(?i)\b(kostnad\w*|nettokostnad\w*|intäkt\w*|kr|tkr|mnkr|kronor|miljoner kronor)\b|kr/",
    "share": r"(?i)\b(andel\w*|procent)\b|%",
    "count": r"(?i)\b(antal\w*)\b",
    "time": r"(?i)\b(dagar|dag|dygn|minuter|timmar|veckor|\w*tid(en)?)\b",
    "index": r"(?i)\b(\w*index|medelvärde|nki|betyg\w*)\b",
}
_OTHER_MEASURE_FACTOR = 0.8
# One unit's own figure ("Sjukfrånvaro, Norrskolan") matched to a KPI that Kolada has
# only for the whole municipality: the unit's figure is not there.
_NO_UNIT_DATA_FACTOR = 0.6


def _tfidf(frame: pl.DataFrame, vocab: pl.DataFrame, n_docs: int) -> pl.DataFrame:
    """TF-IDF weights L2-normalised per (doc, kind) and scaled by the kind's weight,
    so one dot product over all features is the combined score.

    Features the catalogue has never seen get the highest idf: they count in a name's
    norm (a word no KPI has makes every match weaker) but never in a dot product.
    """
    unseen_idf = math.log(n_docs + 1) + 1.0
    kind_weight = {"w": _WORD_WEIGHT, "c": 1.0 - _WORD_WEIGHT}
    return (
        frame.join(vocab, on="key", how="left")
        .filter((pl.col("kind") == "w") | (pl.col("df_share").fill_null(0.0) <= _MAX_GRAM_DF_SHARE))
        .with_columns(w=(1 + pl.col("tf").log()) * pl.col("idf").fill_null(unseen_idf))
        .with_columns(
            w=pl.col("w")
            / (pl.col("w") ** 2).sum().over("doc", "kind").sqrt()
            * pl.col("kind").replace_strict(kind_weight, return_dtype=pl.Float64).sqrt()
        )
    )


def _measure_kinds(texts: list[str]) -> np.ndarray:
    """Bit set per text of the `_MEASURE_KINDS` its words name (0 = says nothing)."""
    series = pl.Series(texts, dtype=pl.String).fill_null("")
    bits = np.zeros(len(texts), dtype=np.uint8)
    for bit, pattern in enumerate(_MEASURE_KINDS.values()):
        bits |= series.str.contains(pattern).to_numpy().astype(np.uint8) << bit
    return bits


@dataclass(frozen=True)
class _Index:
    """An inverted index over KPI titles: per feature, the KPIs that have it (CSC)."""

    vocab: pl.DataFrame  # key, fid, idf, df_share
    indptr: np.ndarray  # postings of feature f: indptr[f]:indptr[f+1]
    kpi: np.ndarray  # KPI row of each posting (int32)
    weight: np.ndarray  # its weight (float32)
    flags: dict[str, np.ndarray]  # _PRIORS flag -> bool per KPI
    mtype: np.ndarray  # municipality type per KPI ("K", "L", "A")
    measures: np.ndarray  # bit set of _MEASURE_KINDS per KPI (uint8)
    ou: np.ndarray  # Kolada publishes it per organisational unit (school, care home)

    @classmethod
    def build(cls, frame: pl.DataFrame) -> _Index:
        n = max(frame.height, 1)
        feats = _feature_frame(frame["title"].to_list())
        vocab = (
            feats.group_by("key")
            .agg(df=pl.len())
            .sort("key")
            .with_row_index("fid")
            .with_columns(
                fid=pl.col("fid").cast(pl.Int64),
                idf=((n + 1) / (pl.col("df") + 1)).log() + 1.0,
                df_share=pl.col("df") / n,
            )
            .drop("df")
        )
        post = _tfidf(feats, vocab, n).sort("fid", "doc")
        counts = np.bincount(post["fid"].to_numpy(), minlength=vocab.height)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        flags = {
            flag: frame["title"].str.contains(pattern).fill_null(False).to_numpy()
            for flag, (pattern, _, _) in _PRIORS.items()
        }
        measures = _measure_kinds(frame["title"].fill_null("").to_list())
        return cls(
            vocab=vocab,
            indptr=indptr,
            kpi=post["doc"].to_numpy().astype(np.int32),
            weight=post["w"].to_numpy().astype(np.float32),
            flags=flags,
            mtype=frame["municipality_type"].fill_null("A").to_numpy(),
            measures=measures,
            ou=frame["has_ou_data"].fill_null(0).to_numpy() == 1,
        )

    def top_k(
        self,
        names: list[str],
        top_k: int,
        municipality_type: str | None,
        unit_figures: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(KPI rows, scores), each names x top_k, best first.

        `unit_figures` marks names that are one unit's own figure: KPIs without unit data
        in Kolada score lower for them.
        """
        n_kpi = len(self.mtype)
        k = max(1, min(top_k, n_kpi))
        query = _tfidf(_feature_frame(names), self.vocab, n_kpi).filter(pl.col("fid").is_not_null())
        q_doc = query["doc"].to_numpy()
        q_fid = query["fid"].to_numpy()
        q_w = query["w"].to_numpy().astype(np.float32)
        asks = {
            flag: np.array([bool(re.search(ask, name or "")) for name in names])
            for flag, (_, ask, _) in _PRIORS.items()
        }
        other_type = (
            (self.mtype != "A") & (self.mtype != municipality_type)
            if municipality_type
            else np.zeros(n_kpi, dtype=bool)
        )
        base = np.where(other_type, _OTHER_TYPE_FACTOR, 1.0).astype(np.float32)
        name_measures = _measure_kinds(names)
        if unit_figures is None:
            unit_figures = np.zeros(len(names), dtype=bool)
        best_rows = np.zeros((len(names), k), dtype=np.int64)
        best_scores = np.zeros((len(names), k), dtype=np.float32)
        for start in range(0, len(names), _QUERY_CHUNK):
            stop = min(start + _QUERY_CHUNK, len(names))
            sel = (q_doc >= start) & (q_doc < stop)
            scores = self._scores(q_doc[sel] - start, q_fid[sel], q_w[sel], stop - start)
            scores *= base
            no_unit_data = unit_figures[start:stop, None] & ~self.ou[None, :]
            scores *= np.where(no_unit_data, np.float32(_NO_UNIT_DATA_FACTOR), np.float32(1.0))
            for flag, (_, _, penalty) in _PRIORS.items():
                hit = self.flags[flag][None, :] & ~asks[flag][start:stop, None]
                scores *= np.where(hit, np.float32(penalty), np.float32(1.0))
            said = name_measures[start:stop, None]
            differ = (said != 0) & (self.measures[None, :] != 0) & ((said & self.measures) == 0)
            scores *= np.where(differ, np.float32(_OTHER_MEASURE_FACTOR), np.float32(1.0))
            part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            part_scores = np.take_along_axis(scores, part, axis=1)
            # best first; ties by KPI id order, so results do not depend on the platform
            order = np.lexsort((part, -part_scores), axis=1)
            best_rows[start:stop] = np.take_along_axis(part, order, axis=1)
            best_scores[start:stop] = np.take_along_axis(part_scores, order, axis=1)
        return best_rows, best_scores

    def _scores(self, doc: np.ndarray, fid: np.ndarray, w: np.ndarray, rows: int) -> np.ndarray:
        """Dense rows x KPIs dot products: expand each feature's postings, scatter-add."""
        n_kpi = len(self.mtype)
        starts = self.indptr[fid]
        lengths = self.indptr[fid + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros((rows, n_kpi), dtype=np.float32)
        # positions of every posting of every query feature, without a Python loop
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        positions = np.arange(total, dtype=np.int64) + offsets
        flat = np.repeat(doc.astype(np.int64) * n_kpi, lengths) + self.kpi[positions]
        values = np.repeat(w, lengths) * self.weight[positions]
        return (
            np.bincount(flat, weights=values, minlength=rows * n_kpi)
            .astype(np.float32)
            .reshape(rows, n_kpi)
        )


@dataclass(frozen=True)
class Catalogue:
    """The Kolada KPI catalogue and where it came from (shown next to every result)."""

    frame: pl.DataFrame
    origin: str  # "file" | "api" | "cache"
    fetched: date | None = None
    source: str = ""  # path or URL
    stale: bool = field(default=False)

    def __len__(self) -> int:
        return self.frame.height

    def describe_sv(self) -> str:
        """One Swedish line: what the catalogue is, where from and how old."""
        what = ORIGIN_LABELS_SV.get(self.origin, self.origin)
        when = f", hämtad {self.fetched.isoformat()}" if self.fetched else ""
        old = " (äldre kopia: Kolada gick inte att nå)" if self.stale else ""
        return f"Kolada-katalogen: {len(self)} nyckeltal från {what}{when}{old}."

    @cached_property
    def index(self) -> _Index:
        """The matching index, built on first use (about a second for 6,000 KPIs)."""
        return _Index.build(self.frame)

    def titles(self) -> dict[str, str]:
        return dict(zip(self.frame["id"], self.frame["title"], strict=True))


def _conform_catalogue(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in CATALOGUE_SCHEMA if c not in frame.columns]
    frame = frame.with_columns(pl.lit(None).alias(c) for c in missing)
    frame = frame.select(
        pl.col(c).cast(pl.String).cast(t, strict=False) if t != pl.String else pl.col(c).cast(t)
        for c, t in CATALOGUE_SCHEMA.items()
    )
    return (
        frame.with_columns(pl.col("id").str.strip_chars(), pl.col("title").str.strip_chars())
        .filter(pl.col("id").str.contains(r"^[NU]\d{5}$") & pl.col("title").is_not_null())
        .unique("id", keep="first", maintain_order=True)
    )


_CSV_HEADER_SYNONYMS = {
    "kpi": "id",
    "kpi_id": "id",
    "kpi-id": "id",
    "kolada-id": "id",
    "nyckeltals-id": "id",
    "titel": "title",
    "nyckeltal": "title",
    "namn": "title",
    "beskrivning": "description",
}


def load_catalogue_csv(path_or_bytes: str | os.PathLike[str] | bytes) -> pl.DataFrame:
    """A catalogue CSV (Kolada's columns id, title, ...; comma or semicolon separated).

    Raises InputError in Swedish when the file has no id and title columns.
    """
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        try:
            data = Path(path_or_bytes).read_bytes()
        except OSError as exc:
            raise InputError(
                f"Kolada-katalogen '{path_or_bytes}' gick inte att läsa ({exc.strerror or exc}). "
                "Kontrollera sökvägen till CSV-filen."
            ) from exc
    last_columns: list[str] = []
    for sep in (",", ";", "\t"):
        try:
            frame = pl.read_csv(
                io.BytesIO(data), separator=sep, infer_schema=False, encoding="utf8-lossy"
            )
        except (pl.exceptions.ComputeError, pl.exceptions.NoDataError):
            continue
        renamed = {
            c: _CSV_HEADER_SYNONYMS.get(c.strip().casefold(), c.strip().casefold())
            for c in frame.columns
        }
        frame = frame.rename(renamed)
        last_columns = frame.columns
        if {"id", "title"} <= set(frame.columns):
            return _conform_catalogue(frame)
    found = ", ".join(last_columns[:6]) or "inga"
    raise InputError(
        "Kolada-katalogen saknar kolumnerna 'id' och 'title' (hittade: "
        f"{found}). Använd katalogen som Kolada publicerar, med nyckeltalets id och titel."
    )


Opener = Callable[..., Any]


def _get_json(url: str, opener: Opener, timeout: float) -> dict:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "goalload"}
    )
    with opener(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def _next_url(page: dict, current: str) -> str | None:
    """The next page: v3 answers `next_url`; older answers `next_page` (URL or number)."""
    nxt = page.get("next_url") or page.get("next_page")
    if not nxt or not page.get("values"):
        return None
    if isinstance(nxt, int) or str(nxt).isdigit():
        parts = urllib.parse.urlsplit(current)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["page"] = str(nxt)
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    return urllib.parse.urljoin(current, str(nxt))


def _api_rows(values: list[dict]) -> pl.DataFrame:
    rows = [
        {c: (int(v[c]) if isinstance(v.get(c), bool) else v.get(c)) for c in CATALOGUE_SCHEMA}
        for v in values
        if isinstance(v, dict)
    ]
    frame = pl.DataFrame(rows, schema={c: pl.String for c in CATALOGUE_SCHEMA}, strict=False)
    return _conform_catalogue(frame)


def fetch_catalogue(
    cache_dir: str | os.PathLike[str],
    *,
    opener: Opener = urllib.request.urlopen,
    base_url: str = API_BASE_URL,
    timeout: float = FETCH_TIMEOUT_S,
    today: date | None = None,
) -> Catalogue:
    """Fetch every KPI from `/v3/kpi` (all pages) and cache it with today's date.

    Raises OSError (URLError included) or ValueError when Kolada cannot be reached or
    answers something that is not a KPI list; `get_catalogue` turns that into a reason.
    """
    url: str | None = f"{base_url.rstrip('/')}/kpi?per_page={PER_PAGE}"
    values: list[dict] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        page = _get_json(url, opener, timeout)
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise ValueError("Kolada svarade inte med en lista över nyckeltal.")
        values.extend(page["values"])
        url = _next_url(page, url)
    frame = _api_rows(values)
    if frame.is_empty():
        raise ValueError("Kolada svarade utan nyckeltal.")
    fetched = today or datetime.now(UTC).date()
    source = f"{base_url.rstrip('/')}/kpi"
    _write_cache(Path(cache_dir), frame, fetched, source)
    return Catalogue(frame=frame, origin="api", fetched=fetched, source=source)


def _write_cache(cache_dir: Path, frame: pl.DataFrame, fetched: date, source: str) -> None:
    """Cache the catalogue; a cache that cannot be written only costs the next fetch."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_dir / (CACHE_FILE + ".tmp")
        frame.write_parquet(tmp)
        tmp.replace(cache_dir / CACHE_FILE)
        meta = {"fetched": fetched.isoformat(), "source": source, "kpis": frame.height}
        (cache_dir / CACHE_META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    except OSError:
        pass


def read_cache(cache_dir: str | os.PathLike[str]) -> Catalogue | None:
    """The cached catalogue with its fetch date, or None when there is no usable cache."""
    path = Path(cache_dir) / CACHE_FILE
    meta_path = Path(cache_dir) / CACHE_META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        frame = _conform_catalogue(pl.read_parquet(path))
        fetched = date.fromisoformat(meta["fetched"])
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None
    if frame.is_empty():
        return None
    return Catalogue(frame=frame, origin="cache", fetched=fetched, source=meta.get("source", ""))


def default_cache_dir() -> Path:
    """$GOALLOAD_CACHE_DIR, else ~/.cache/goalload (XDG_CACHE_HOME respected)."""
    if env := os.environ.get("GOALLOAD_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "goalload"


def get_catalogue(
    user_csv: str | os.PathLike[str] | bytes | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    opener: Opener = urllib.request.urlopen,
    base_url: str = API_BASE_URL,
    timeout: float = FETCH_TIMEOUT_S,
    max_age_days: int = CACHE_MAX_AGE_DAYS,
    today: date | None = None,
) -> tuple[Catalogue | None, str]:
    """The catalogue and a Swedish line saying where it came from, or None and why not.

    Order: the user's CSV (when given) > a cache younger than `max_age_days` > the API
    (then cached) > an older cache (marked stale) > None. Errors in the user's CSV are
    raised as InputError: the user asked for that file and must hear what is wrong.
    """
    if user_csv is not None:
        frame = load_catalogue_csv(user_csv)
        if frame.is_empty():
            raise InputError("Kolada-katalogen innehåller inga nyckeltal med giltigt id.")
        source = "uppladdad fil" if isinstance(user_csv, bytes) else str(user_csv)
        catalogue = Catalogue(frame=frame, origin="file", source=source)
        return catalogue, catalogue.describe_sv()

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    today = today or datetime.now(UTC).date()
    cached = read_cache(cache)
    if cached and cached.fetched and (today - cached.fetched).days <= max_age_days:
        return cached, cached.describe_sv()
    try:
        fetched = fetch_catalogue(
            cache, opener=opener, base_url=base_url, timeout=timeout, today=today
        )
        return fetched, fetched.describe_sv()
    except (OSError, ValueError) as exc:
        reason = _network_reason(exc)
    if cached:
        stale = Catalogue(
            frame=cached.frame,
            origin="cache",
            fetched=cached.fetched,
            source=cached.source,
            stale=True,
        )
        return stale, stale.describe_sv()
    return None, (
        f"Kolada-katalogen finns inte: {reason} Ingen sparad kopia finns heller. "
        "Ladda upp katalogen som CSV (kolumnerna id och title) eller försök igen med "
        "nätverksanslutning."
    )


class CatalogueUnavailable(GoalloadError):
    """Neither a catalogue file, a cached copy nor the Kolada API: the message says so."""


def require_catalogue(
    user_csv: str | os.PathLike[str] | bytes | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Catalogue:
    """`get_catalogue`, raising CatalogueUnavailable (Swedish reason) when there is none."""
    catalogue, message = get_catalogue(user_csv, cache_dir, **options)
    if catalogue is None:
        raise CatalogueUnavailable(message)
    return catalogue


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"Kolada svarade med fel {exc.code}."
    if isinstance(exc, (urllib.error.URLError, TimeoutError, ConnectionError)):
        return "Kolada API gick inte att nå (inget nätverk?)."
    if isinstance(exc, ValueError):
        return f"Kolada svarade oväntat ({exc})."
    return "Kolada API gick inte att nå."


# --- Matching ---------------------------------------------------------------------


def _indicator_units(doc: GoalDocument) -> pl.DataFrame:
    """indicator_id -> the names of its units (owner, else the owners of its goals)."""
    names = doc.units.select("unit_id", unit=pl.col("name"))
    owned = doc.indicators.select("indicator_id", unit_id=pl.col("owner_id")).drop_nulls()
    via_goals = (
        doc.goal_indicators.select("goal_id", "indicator_id")
        .join(doc.goal_owners, on="goal_id", how="inner")
        .select("indicator_id", "unit_id")
    )
    links = (
        pl.concat([owned, via_goals])
        .join(names, on="unit_id", how="left")
        .with_columns(unit=pl.coalesce("unit", "unit_id"))
    )
    return (
        links.unique(["indicator_id", "unit"], maintain_order=True)
        .group_by("indicator_id", maintain_order=True)
        .agg(unit=pl.col("unit").str.join("; "))
    )


def match_names(
    names: list[str],
    catalogue: Catalogue,
    *,
    top_k: int = 3,
    municipality_type: str | None = "K",
    unit_figures: list[bool] | None = None,
) -> pl.DataFrame:
    """Top-k catalogue candidates per name: (row, kolada_id, title, score), best first.

    `municipality_type` is "K" for a municipality's document, "L" for a region's (KPIs
    for the other kind score lower), None for no preference. `unit_figures` marks names
    that are one unit's own figure (KPIs Kolada has no unit data for score lower).
    Equal names are scored once.
    """
    schema = {"row": pl.Int64, "kolada_id": pl.String, "title": pl.String, "score": pl.Float64}
    flags = unit_figures if unit_figures is not None else [False] * len(names)
    keys = [(name or "", bool(flag)) for name, flag in zip(names, flags, strict=True)]
    distinct = list(dict.fromkeys(keys))
    if not distinct or catalogue.frame.is_empty():
        return pl.DataFrame(schema=schema)
    rows, scores = catalogue.index.top_k(
        [name for name, _ in distinct],
        top_k,
        municipality_type,
        np.array([flag for _, flag in distinct], dtype=bool),
    )
    where = {key: i for i, key in enumerate(distinct)}
    pick = np.array([where[key] for key in keys], dtype=np.int64)
    k = rows.shape[1]
    kpi_rows = rows[pick].ravel()
    return pl.DataFrame(
        {
            "row": np.repeat(np.arange(len(names), dtype=np.int64), k),
            "kolada_id": catalogue.frame["id"].to_numpy()[kpi_rows],
            "title": catalogue.frame["title"].to_numpy()[kpi_rows],
            "score": np.clip(scores[pick].ravel().astype(np.float64), 0.0, 1.0),
        },
        schema=schema,
    ).filter(pl.col("score") > 0)


def organisation_type(doc: GoalDocument) -> str:
    """ "L" for a region's document (a unit or the name says region), else "K"."""
    names = [doc.name or "", *doc.units["name"].fill_null("").to_list()]
    return "L" if any(re.search(r"(?i)\bregion", n) for n in names) else "K"


def _without_unit_names(names: list[str], doc: GoalDocument) -> tuple[list[str], list[bool]]:
    """Names with the document's own unit names taken out, and which names had one.

    "Sjukfrånvaro, Kulturskolan (%)": the unit's name says whose figure it is, not what
    it measures, and left in it only lowers every score. Such a name is one unit's
    figure, which Kolada has only for KPIs with unit data (see `_NO_UNIT_DATA_FACTOR`).
    """
    units = sorted(
        {n for n in doc.units["name"].drop_nulls().to_list() if len(n) >= 4}, key=len, reverse=True
    )
    if not units:
        return names, [False] * len(names)
    pattern = re.compile(r"(?i)\b(" + "|".join(re.escape(u) for u in units) + r")\b")
    found = [bool(pattern.search(name)) for name in names]
    return [pattern.sub(" ", n) if f else n for n, f in zip(names, found, strict=True)], found


def match_indicators(
    doc: GoalDocument,
    catalogue: Catalogue,
    threshold: float = DEFAULT_MATCH_THRESHOLD,
    top_k: int = 3,
) -> pl.DataFrame:
    """One row per indicator: its Kolada match (or none), the score and the candidates.

    An id the document names (the Kolada-ID column, or an id anywhere in the name or
    source) is an exact match with score 1.0. Other names are matched fuzzily; the best
    candidate is claimed only when its score reaches `threshold`. KPIs for the other
    kind of organisation (region / municipality, see `organisation_type`) score lower.
    """
    ind = doc.indicators
    if ind.is_empty():
        return pl.DataFrame(schema=MATCH_SCHEMA)
    text_ids = pl.concat_str(
        [pl.col("name").fill_null(""), pl.col("source").fill_null("")], separator=" "
    ).str.extract(KOLADA_ID_PATTERN.pattern, 0)
    ind = ind.with_columns(
        doc_kolada_id=pl.coalesce(
            pl.col("kolada_id").str.extract(KOLADA_ID_PATTERN.pattern, 0), text_ids
        )
    )
    names, unit_figures = _without_unit_names(ind["name"].fill_null("").to_list(), doc)
    candidates = match_names(
        names,
        catalogue,
        top_k=top_k,
        municipality_type=organisation_type(doc),
        unit_figures=unit_figures,
    )
    cand_lists = (
        candidates.rename({"row": "_pos"})
        .group_by("_pos", maintain_order=True)
        .agg(
            candidates=pl.struct("kolada_id", "title", "score"),
            best_id=pl.col("kolada_id").first(),
            best_title=pl.col("title").first(),
            best_score=pl.col("score").first(),
        )
    )
    titles = catalogue.frame.select(doc_kolada_id=pl.col("id"), id_title=pl.col("title"))
    frame = (
        ind.with_row_index("_pos")
        .with_columns(pl.col("_pos").cast(pl.Int64))
        .join(cand_lists, on="_pos", how="left")
        .join(titles, on="doc_kolada_id", how="left")
        .join(_indicator_units(doc), on="indicator_id", how="left")
    )
    claimed = pl.col("best_score") >= threshold
    has_id = pl.col("doc_kolada_id").is_not_null()
    return frame.select(
        "indicator_id",
        indicator=pl.col("name"),
        unit=pl.col("unit"),
        kolada_id=pl.when(has_id)
        .then(pl.col("doc_kolada_id"))
        .when(claimed)
        .then(pl.col("best_id")),
        title=pl.when(has_id).then(pl.col("id_title")).when(claimed).then(pl.col("best_title")),
        score=pl.when(has_id).then(pl.lit(1.0)).otherwise(pl.col("best_score").fill_null(0.0)),
        method=pl.when(has_id)
        .then(pl.lit("id"))
        .when(claimed)
        .then(pl.lit("fuzzy"))
        .otherwise(pl.lit("none")),
        confirmed=pl.lit(False),
        candidates=pl.col("candidates").fill_null(pl.lit([], dtype=MATCH_SCHEMA["candidates"])),
    ).cast(MATCH_SCHEMA)


def _unit_indicators(doc: GoalDocument) -> pl.DataFrame:
    """[unit_id, indicator_id] per DOMAIN.md: linked to the unit's goals or owned by it."""
    try:
        from goalload.metrics import unit_indicators
    except ImportError:  # metrics not there yet: the same definition, locally
        owned = doc.indicators.select("indicator_id", unit_id=pl.col("owner_id")).drop_nulls()
        via_goals = doc.goal_indicators.join(doc.goal_owners, on="goal_id").select(
            "indicator_id", "unit_id"
        )
        return pl.concat(
            [owned.select("unit_id", "indicator_id"), via_goals.select("unit_id", "indicator_id")]
        ).unique()
    return unit_indicators(doc).select("unit_id", "indicator_id")


def per_unit_kolada(doc: GoalDocument, matches: pl.DataFrame) -> pl.DataFrame:
    """Per unit: its indicators and how many of them Kolada already publishes.

    Counts a match whether claimed by id, by name or confirmed by a person (a person
    who corrects a match sets kolada_id; one who rejects it sets it to null).
    """
    available = matches.filter(pl.col("kolada_id").is_not_null()).select(
        "indicator_id", in_kolada=pl.lit(1)
    )
    counts = (
        _unit_indicators(doc)
        .join(available, on="indicator_id", how="left")
        .group_by("unit_id")
        .agg(
            indicators=pl.col("indicator_id").n_unique(),
            available_in_kolada=pl.col("in_kolada").sum(),
        )
    )
    return (
        doc.units.select("unit_id", unit=pl.col("name"), row=pl.col("row"))
        .with_row_index("order")
        .join(counts, on="unit_id", how="inner")
        .sort("order")
        .select(
            "unit_id",
            "unit",
            pl.col("indicators").cast(pl.Int64),
            pl.col("available_in_kolada").fill_null(0).cast(pl.Int64),
        )
    )


def kolada_json(
    doc: GoalDocument,
    catalogue: Catalogue,
    *,
    threshold: float = DEFAULT_MATCH_THRESHOLD,
) -> dict:
    """The CLI's `kolada` answer: matches per indicator and availability per unit."""
    matches = match_indicators(doc, catalogue, threshold=threshold)
    per_unit = per_unit_kolada(doc, matches)
    return {
        "catalogue": {
            "origin": catalogue.origin,
            "fetched": catalogue.fetched.isoformat() if catalogue.fetched else None,
            "kpis": len(catalogue),
            "description": catalogue.describe_sv(),
        },
        "threshold": threshold,
        "matches": [
            {
                "indicator": row["indicator"],
                "unit": row["unit"],
                "kolada_id": row["kolada_id"],
                "title": row["title"],
                "score": round(row["score"], 3),
                "confirmed": row["confirmed"],
                "method": row["method"],
                "url": kolada_url(row["kolada_id"]) if row["kolada_id"] else None,
                "candidates": [{**c, "score": round(c["score"], 3)} for c in row["candidates"]],
            }
            for row in matches.iter_rows(named=True)
        ],
        "per_unit": [
            {
                "unit": row["unit"],
                "indicators": row["indicators"],
                "available_in_kolada": row["available_in_kolada"],
            }
            for row in per_unit.iter_rows(named=True)
        ],
    }


def _cut(text: str | None, width: int) -> str:
    text = text or "–"
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(result: dict) -> str:
    """The `kolada` answer as plain text (Swedish headings, Swedish decimal comma)."""
    lines = []
    if desc := result.get("catalogue", {}).get("description"):
        lines += [desc, ""]
    lines.append(f"{'Indikator':<45} {'Enhet':<28} {'Kolada-ID':<9} {'Poäng':>5}  Titel")
    for m in result["matches"]:
        score = f"{m['score']:.2f}".replace(".", ",")
        lines.append(
            f"{_cut(m['indicator'], 45):<45} {_cut(m['unit'], 28):<28} "
            f"{m['kolada_id'] or '–':<9} {score:>5}  {_cut(m['title'], 60)}"
        )
    lines += ["", f"{'Enhet':<40} {'Indikatorer':>11} {'Finns i Kolada':>14}"]
    for u in result["per_unit"]:
        lines.append(
            f"{_cut(u['unit'], 40):<40} {u['indicators']:>11} {u['available_in_kolada']:>14}"
        )
    return "\n".join(lines)


def labelled_precision(
    labelled: pl.DataFrame, catalogue: Catalogue, threshold: float = DEFAULT_MATCH_THRESHOLD
) -> dict[str, float]:
    """Precision and coverage of name matching on a labelled set.

    `labelled` has columns indicator, kolada_id (null = Kolada has none) and
    also_accepted (";"-separated ids of variants of the same measure, e.g. another
    school type); optionally organisation ("K" municipality, the default, or "L"
    region: whose document the name comes from). strict: the claimed id is kolada_id;
    lenient: it is any accepted id.
    """
    if "organisation" not in labelled.columns:
        labelled = labelled.with_columns(organisation=pl.lit("K"))
    labelled = labelled.with_columns(pl.col("organisation").fill_null("K"))
    tops = []
    for (org,), group in labelled.with_row_index("row").group_by("organisation"):
        found = match_names(group["indicator"].to_list(), catalogue, top_k=1, municipality_type=org)
        rows = group["row"].cast(pl.Int64).to_list()
        tops.append(found.with_columns(pl.col("row").replace_strict(dict(enumerate(rows)))))
    top = pl.concat(tops)
    frame = (
        labelled.with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
        .join(
            top.select("row", "kolada_id", "score").rename({"kolada_id": "got"}),
            on="row",
            how="left",
        )
        .with_columns(
            claimed=pl.col("score").fill_null(0.0) >= threshold,
            accepted=pl.concat_list(
                pl.col("kolada_id"),
                pl.col("also_accepted").fill_null("").str.split(";"),
            ),
        )
        .with_columns(
            strict=pl.col("got") == pl.col("kolada_id"),
            lenient=pl.col("accepted").list.contains(pl.col("got")),
        )
    )
    claimed = frame.filter("claimed")
    labelled_pos = frame.filter(pl.col("kolada_id").is_not_null())
    n_claimed = max(claimed.height, 1)
    n_pos = max(labelled_pos.height, 1)
    negatives = frame.filter(pl.col("kolada_id").is_null())
    return {
        "threshold": threshold,
        "names": frame.height,
        "with_kolada": labelled_pos.height,
        "claimed": claimed.height,
        "precision_strict": claimed["strict"].fill_null(False).sum() / n_claimed,
        "precision": claimed["lenient"].fill_null(False).sum() / n_claimed,
        "recall": labelled_pos.filter("claimed")["lenient"].fill_null(False).sum() / n_pos,
        "top1_any_threshold": labelled_pos["lenient"].fill_null(False).sum() / n_pos,
        "false_claims_on_none": (
            negatives["claimed"].sum() / max(negatives.height, 1) if negatives.height else 0.0
        ),
    }
