"""Overlap: goals that say the same thing twice, and indicators reported in several places.

Three signals (DOMAIN.md):
- horizontal overlap: near-duplicate goals owned by different units;
- pass-through goals: a goal whose text restates its parent goal or another ancestor
  (it adds a layer, not content);
- shared indicators: the same indicator (same Kolada id, same normalised name or a
  near-duplicate name) measured in several places.
Near-duplicates are grouped into clusters (themes) with a representative label.

How two goal texts are compared (`goal_similarity`): each text becomes a weighted set of
terms from `goalload.text` (municipal concepts, stems, compound parts and compound keys,
numbers). The score is the cosine of the two weight vectors, damped when *both* texts
have content the other lacks (a substitution: "psykisk hälsa" / "fysisk hälsa",
"arbetsklimat" / "näringslivsklimat"), when a compound's modifier is missing on the other
side ("arbetsklimat" / "klimat"), when the figures differ ("årskurs 6" / "årskurs 9") and
when one says increase and the other decrease.
One text adding words to the other ("Sänka sjukfrånvaron" / "Minska sjukfrånvaron bland
medarbetarna") is not damped. The default threshold and its precision and recall on the
labelled set tests/data/goal_pairs.csv are in docs/overlap.md.

Scale: texts are deduplicated, turned into a sparse matrix, and candidate pairs come from
prefix filtering (only the rarer terms of each text are indexed, chosen so that a pair
sharing none of them cannot reach the threshold); candidates are then scored exactly and
each text keeps its `top_k` best neighbours. No dense n x n matrix is ever built.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from goalload.errors import InputError
from goalload.model import GoalDocument
from goalload.text import key_signatures, normalize_series, word_term

# Chosen on the dev part of tests/data/goal_pairs.csv (docs/overlap.md): F1 is flat from
# 0.40 to 0.60; 0.55 is where precision is highest on that plateau (P 0.98, R 0.83),
# because a false "duplicate" shown to a politician costs more than a missed one.
DEFAULT_THRESHOLD: float = 0.55
# Below this nearly every pair of goals would count: it says nothing and costs time.
MIN_THRESHOLD: float = 0.2
# Indicator names are near-duplicates only when almost everything matches ("åk 6" vs
# "åk 9" must stay apart).
INDICATOR_THRESHOLD: float = 0.85
# At most this many neighbours per distinct text: bounds the output when hundreds of
# goals say the same thing (clusters still connect them all).
TOP_K: int = 10
# Identical texts at many units: each goal is paired with the next _BAND goals of the
# same text, so a text at 500 units gives ~1,000 pairs, not 125,000; the cluster still
# lists all 500.
_BAND = 2
_FULL_GROUP = 6  # up to this many goals with one text, every pair is listed
# Above this many distinct indicator names (country-scale data), near-duplicate names
# are not searched; Kolada id, normalised name and word signature still group them.
FUZZY_NAME_LIMIT = 20_000

# Term weights: content words count fully, the words every goal uses little.
_KIND_WEIGHT = {"content": 1.0, "generic": 0.35, "direction": 0.5, "number": 1.0}
_HEAD_WEIGHT = 0.8  # a compound's head ("klimat" in "arbetsklimat")
_MODIFIER_WEIGHT = 0.6  # its modifier ("arbet")
_COMPOUND_WEIGHT = 0.5  # the compound as a whole ("arbet|klimat")
_SUBSTITUTION_DAMPING = 1.5  # how hard content missing on both sides pulls the score down
_DIRECTION_CONFLICT = 0.5  # "öka" against "minska"
# A compound whose modifier the other text lacks names something narrower
# ("arbetsklimat" vs "klimat", "förskollärare" vs "lärare").
_NARROWER_COMPOUND = 0.4
# Different figures on both sides ("årskurs 6" / "årskurs 9", "2030" / "2045") are
# different targets.
_NUMBER_CONFLICT = 0.5
_CHUNK = 2048  # rows per candidate-generation block: bounds memory
# Up to this many pairs overlap_share takes the path with fewer polars calls (each has
# a fixed cost); above it the one that joins less.
_FEW_PAIRS = 20_000
_SCORE_BATCH = 200_000  # candidate pairs scored at once: bounds memory
_FULL_CROSS = 16  # goal pairs per text pair listed in full up to this many
_PLAIN, _MODIFIER, _NUMBER = 1.0, 2.0, 3.0  # term kinds in _Vectors.kinds

PAIR_SCHEMA = {
    "a_goal_id": pl.String,
    "b_goal_id": pl.String,
    "a_unit_id": pl.String,
    "b_unit_id": pl.String,
    "kind": pl.String,
    "score": pl.Float64,
    "evidence": pl.List(pl.String),
}
CLUSTER_SCHEMA = {"cluster_id": pl.String, "label": pl.String, "goal_id": pl.String}
SHARED_INDICATOR_SCHEMA = {
    "indicator_key": pl.String,
    "indicator": pl.String,
    "kolada_id": pl.String,
    "indicator_id": pl.String,
    "goal_id": pl.String,
    "unit_id": pl.String,
}


@dataclass(frozen=True)
class Overlap:
    """Everything `find_overlap` found in one document at one threshold.

    pairs: one row per goal pair. kind "horizontal": near-duplicates owned by different
    units; "pass_through": a (the lower goal) restates b (its parent or another
    ancestor). a_unit_id / b_unit_id are one owner of each goal (distinct owners where
    the goals have them); all owners are in doc.goal_owners and `unit_pairs()`.
    evidence: the words the two texts share ("sjukfrånvaron", "minska ~ färre").
    clusters: one row per member goal of each group of near-duplicates.
    shared_indicators: one row per place (goal, unit) an indicator is used, for
    indicator keys used in at least two places.
    goal_codes: the document's goal ids in id order and each pair's a and b as places
    in them (None when not known): `at_threshold` clusters with them instead of
    encoding the ids again, a third of its time.
    """

    pairs: pl.DataFrame
    clusters: pl.DataFrame
    shared_indicators: pl.DataFrame
    threshold: float
    goal_codes: tuple[pl.Series, np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )
    # Worked out from the result when first needed (`evidence_codes`).
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


# --- vectors -------------------------------------------------------------------------


# Every token seen so far and its terms: documents (and a country's municipalities)
# share most of their words, so each is analysed once per process. Bounded: replaced
# by empty containers when full (a caller holding the old key list keeps valid ids).
_TOKEN_CACHE: dict[str, object] = {"terms": {}, "key_ids": {}, "keys": []}
_TOKEN_CACHE_LIMIT = 500_000
_TOKEN_LOCK = threading.Lock()


def _token_terms(
    tokens: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The weighted terms each token adds to a text, in the order they are added: a
    compound its modifier, head and whole; a simple word itself; a stop word nothing.

    Returns per token how many terms it adds, then the terms of all tokens laid end to
    end: key id, weight, modifier (a compound's modifier); and the keys by id.
    """
    with _TOKEN_LOCK:
        if len(_TOKEN_CACHE["terms"]) > _TOKEN_CACHE_LIMIT:  # type: ignore[arg-type]
            _TOKEN_CACHE.update(terms={}, key_ids={}, keys=[])
        terms: dict[str, tuple] = _TOKEN_CACHE["terms"]  # type: ignore[assignment]
        key_ids: dict[str, int] = _TOKEN_CACHE["key_ids"]  # type: ignore[assignment]
        keys: list[str] = _TOKEN_CACHE["keys"]  # type: ignore[assignment]
        for token in tokens:
            if token not in terms:
                entries = []
                for key, weight, modifier in _analyse_token(token):
                    if key not in key_ids:
                        key_ids[key] = len(keys)
                        keys.append(key)
                    entries.append((key_ids[key], weight, modifier))
                terms[token] = tuple(entries)
        found = [terms[token] for token in tokens]
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    flat = [term for entries in found for term in entries]
    key_id = np.fromiter((t[0] for t in flat), dtype=np.int64, count=len(flat))
    weight = np.fromiter((t[1] for t in flat), dtype=np.float64, count=len(flat))
    modifier = np.fromiter((t[2] for t in flat), dtype=bool, count=len(flat))
    return lengths, key_id, weight, modifier, keys


def _analyse_token(token: str) -> list[tuple[str, float, bool]]:
    term = word_term(token)
    if term is None:
        return []
    base = _KIND_WEIGHT[term.kind]
    if len(term.parts) == 2:
        return [
            ("p:" + term.parts[0], base * _MODIFIER_WEIGHT, True),
            ("p:" + term.parts[1], base * _HEAD_WEIGHT, False),
            ("w:" + term.key, base * _COMPOUND_WEIGHT, False),
        ]
    return [("p:" + term.key, base, False)]


@dataclass(frozen=True)
class _Csr:
    """A compressed sparse row matrix with sorted columns in each row: what scoring needs
    of scipy.sparse, in numpy (importing scipy.sparse costs more than the overlap of a
    small document). `data` is None for a pattern (a 0/1 matrix)."""

    data: np.ndarray | None
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]

    @property
    def nnz(self) -> int:
        return len(self.indices)

    @cached_property
    def entry_keys(self) -> np.ndarray:
        """Per entry row * columns + column: ascending (columns ascend in each row)."""
        keys = np.repeat(
            np.arange(self.shape[0], dtype=np.int64) * self.shape[1], np.diff(self.indptr)
        )
        keys += self.indices
        return keys


def _index_array(values: np.ndarray, largest: int) -> np.ndarray:
    """int32 indices when they fit (as scipy stores them), else int64."""
    return values.astype(np.int32 if largest < 2**31 else np.int64, copy=False)


def _segments(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The elements of segments [starts[k], starts[k] + lengths[k]) laid end to end:
    each one's segment k and its position."""
    lengths = np.asarray(lengths, dtype=np.int64)
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    position = np.arange(int(lengths.sum()), dtype=np.int64)
    position += (np.asarray(starts, dtype=np.int64) - (np.cumsum(lengths) - lengths))[owner]
    return owner, position


def _take_rows(m: _Csr, rows: np.ndarray) -> _Csr:
    """Some rows of a matrix, in the given order (scipy's m[rows])."""
    lengths = np.diff(m.indptr)[rows]
    _, position = _segments(m.indptr[rows], lengths)
    indptr = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
    return _Csr(
        None if m.data is None else m.data[position],
        m.indices[position],
        _index_array(indptr, max(int(indptr[-1]), m.shape[1])),
        (len(rows), m.shape[1]),
    )


def _transpose(m: _Csr) -> _Csr:
    """The pattern of m's transpose: per column, its rows in ascending order."""
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
    order = np.argsort(m.indices, kind="stable")
    indptr = np.concatenate(
        ([0], np.cumsum(np.bincount(m.indices, minlength=m.shape[1]), dtype=np.int64))
    )
    largest = max(m.nnz, m.shape[0])
    return _Csr(None, _index_array(rows[order], largest), indptr, (m.shape[1], m.shape[0]))


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of the undirected graph on nodes 0..n-1 with edges
    (a[k], b[k]): each node's component, numbered by the component's lowest node (as
    scipy.sparse.csgraph.connected_components numbers them), in numpy.

    Every root hooks under the lowest root it has an edge to, then every node is
    pointed straight at its root; a few rounds on real graphs.
    """
    parent = np.arange(n, dtype=np.int64)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while len(a):
        ra, rb = parent[a], parent[b]
        apart = ra != rb
        if not apart.any():
            break
        a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]
        np.minimum.at(parent, np.maximum(ra, rb), np.minimum(ra, rb))
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    return _distinct(parent)[1]


@dataclass(frozen=True)
class _Vectors:
    """Sparse term vectors of distinct texts, with what scoring needs per row."""

    matrix: _Csr  # weights
    kinds: _Csr  # same pattern: _MODIFIER, _NUMBER or _PLAIN per term
    modifier_count: np.ndarray  # per row: terms that are a compound's modifier
    number_count: np.ndarray  # per row: number terms
    norm2: np.ndarray  # squared row norms
    direction: np.ndarray  # +1 increase, -1 decrease, 0 neither/both
    surface_ids: np.ndarray  # per term in CSR order: its words, an index in surface_texts
    surface_texts: list[str]  # distinct "/"-joined words behind a term
    vocab: list[str]  # term keys by column

    @cached_property
    def lookup(self) -> tuple[np.ndarray, np.ndarray | None]:
        """`_term_keys` of the matrix, built when first needed (not every vector set is
        scored)."""
        return _term_keys(self.matrix)


def _vectorize(texts: list[str], *, normalized: bool = False) -> _Vectors:
    """Weighted term vectors of texts (`goalload.text.content_terms`, weighted by kind
    and compound part; a term's weight in a text is its largest). Python runs once per
    distinct token; columns are numbered by first appearance (text, then word order),
    which fixes the order every score sums in."""
    series = pl.Series("text", texts, dtype=pl.String).fill_null("")
    if not normalized:
        series = normalize_series(series)
    words = (
        series.str.split(" ")
        .to_frame("token")
        .with_row_index("row")
        .explode("token")
        .filter(pl.col("token") != "")
    )
    tokens = words["token"].unique(maintain_order=True)
    words = words.join(
        tokens.to_frame().with_row_index("t"), on="token", how="left", maintain_order="left"
    )
    token_list = tokens.to_list()
    lengths, key_id, weight, modifier, keys = _token_terms(token_list)
    # Every (word, term) in word order, then term order: entries of a word's token.
    t = words["t"].to_numpy().astype(np.int64)
    owner, position = _segments((np.cumsum(lengths) - lengths)[t], lengths[t])
    entry_row = words["row"].to_numpy().astype(np.int64)[owner]
    entry_key = key_id[position]
    entry_token = t[owner]
    # Group by (row, key); groups in order of their first entry.
    combined = entry_row * np.int64(len(keys) + 1) + entry_key
    by_group = np.argsort(combined, kind="stable")  # a group's entries stay in order
    boundary = np.ones(len(by_group), dtype=bool)
    boundary[1:] = combined[by_group][1:] != combined[by_group][:-1]
    starts = np.flatnonzero(boundary)
    first = by_group[starts]
    count = np.diff(np.r_[starts, len(by_group)])
    groups = np.argsort(first, kind="stable")
    if len(starts):
        group_weight = np.maximum.reduceat(weight[position][by_group], starts)[groups]
        group_modifier = np.logical_or.reduceat(modifier[position][by_group], starts)[groups]
    else:
        group_weight, group_modifier = np.zeros(0), np.zeros(0, dtype=bool)
    found_row, found_key = entry_row[first][groups], entry_key[first][groups]
    # A term's surface: its word; a term reached from several words ("arbetsklimat",
    # "klimatet"): all of them, first seen first, joined by "/" (few terms are).
    surface = entry_token[first][groups]
    several = np.flatnonzero(count[groups] > 1)
    joined: dict[str, int] = {}
    for g in several.tolist():
        at = starts[groups[g]]
        words_of = dict.fromkeys(entry_token[by_group[at : at + count[groups[g]]]].tolist())
        if len(words_of) > 1:
            text = "/".join(token_list[w] for w in words_of)
            surface[g] = len(token_list) + joined.setdefault(text, len(joined))
    surface_codes, surface_first = _codes_in_order(surface)
    surface_texts = [*token_list, *joined]
    surface_texts = [surface_texts[i] for i in surface_first.tolist()]
    # Columns by the keys' first appearance.
    key_codes, key_first = _codes_in_order(found_key)
    vocab = [keys[k] for k in key_first.tolist()]
    n = len(texts)
    term_rows = found_row
    column = key_codes
    indptr = np.concatenate(([0], np.cumsum(np.bincount(term_rows, minlength=n)))).astype(np.int64)
    # Terms in column order within each row (what sort_indices would do).
    order = np.lexsort((column, term_rows))
    shape = (n, max(len(vocab), 1))
    largest = max(len(column), *shape)
    matrix = _Csr(
        group_weight[order],
        _index_array(column[order], largest),
        _index_array(indptr, largest),
        shape,
    )
    is_number = np.array([k.startswith("p:#") for k in vocab], dtype=bool)[column][order]
    modifier = group_modifier[order]
    kinds = _Csr(
        np.where(modifier, _MODIFIER, np.where(is_number, _NUMBER, _PLAIN)),
        matrix.indices,
        matrix.indptr,
        shape,
    )
    rows_sorted = term_rows[order]
    column_sorted = column[order]

    def has(key: str) -> np.ndarray:
        return np.array([k == key for k in vocab], dtype=bool)[column_sorted]

    direction = np.bincount(rows_sorted, weights=has("p:UP"), minlength=n) - np.bincount(
        rows_sorted, weights=has("p:DOWN"), minlength=n
    )
    return _Vectors(
        matrix=matrix,
        kinds=kinds,
        modifier_count=np.bincount(rows_sorted, weights=modifier, minlength=n).astype(np.float64),
        number_count=np.bincount(rows_sorted, weights=is_number, minlength=n).astype(np.float64),
        norm2=_row_sums(matrix.data * matrix.data, matrix.indptr),
        direction=direction.astype(np.int8),
        surface_ids=surface_codes[order],
        surface_texts=surface_texts,
        vocab=vocab,
    )


def _row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Per row the sum of its values, added as scipy's csr sum(axis=1) adds them
    (np.add.reduceat over the non-empty rows), so the bits are the same."""
    sums = np.zeros(len(indptr) - 1)
    nonempty = np.flatnonzero(np.diff(indptr))
    if len(nonempty):
        sums[nonempty] = np.add.reduceat(values, indptr[nonempty].astype(np.intp))
    return sums


def _codes_in_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value as an index into the distinct values in first-appearance order, and
    those distinct values."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(len(values), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    first = order[new]  # where each distinct value (in value order) first appears
    by_appearance = np.argsort(first)
    code = np.empty(len(first), dtype=np.int64)
    code[by_appearance] = np.arange(len(first))
    codes = np.empty(len(values), dtype=np.int64)
    codes[order] = code[np.cumsum(new) - 1]
    return codes, ordered[new][by_appearance]


_DENSE_LOOKUP = 16_000_000  # rows x columns up to which term positions sit in a dense table


def _term_keys(matrix: _Csr) -> tuple[np.ndarray, np.ndarray | None]:
    """Keys (row * columns + column) of a sorted CSR matrix's terms, and a dense lookup
    from key to position + 1 when rows x columns is small enough."""
    keys = matrix.entry_keys
    positions = None
    if matrix.shape[0] * matrix.shape[1] <= _DENSE_LOOKUP:
        positions = np.zeros(matrix.shape[0] * matrix.shape[1], dtype=np.int32)
        positions[keys] = np.arange(1, len(keys) + 1, dtype=np.int32)
    return keys, positions


def _shared_terms(
    v: _Vectors, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terms row pairs (left[k], right[k]) share: (k, position in left's data,
    position in right's data), ordered by k, then by column (CSR order).

    Every term of each left row is looked up in its right row: in a dense
    row x column table of positions when that is small, else by binary search in the
    sorted (row, column) keys of all terms.
    """
    m = v.matrix
    keys, table = v.lookup
    # int32 throughout when the dense table exists (its keys fit), else int64.
    kind = np.int32 if table is not None and m.nnz < 2**31 and len(left) < 2**31 else np.int64
    indptr = m.indptr.astype(kind)
    lengths = indptr[left + 1] - indptr[left]
    total = int(lengths.sum(dtype=np.int64))
    pair = np.repeat(np.arange(len(left), dtype=kind), lengths)
    offset = np.cumsum(lengths, dtype=kind)
    offset -= lengths
    offset -= indptr[left]
    pos_a = np.arange(total, dtype=kind)
    pos_a -= offset[pair]
    query = (right * m.shape[1]).astype(kind)[pair]
    query += m.indices[pos_a]
    if table is not None:
        hit = np.flatnonzero(table[query])
        return pair[hit], pos_a[hit], table[query[hit]].astype(kind) - 1
    pos_b = np.minimum(np.searchsorted(keys, query), max(len(keys) - 1, 0))
    hit = keys[pos_b] == query if len(keys) else np.zeros(total, dtype=bool)
    return pair[hit], pos_a[hit], pos_b[hit]


def _pair_scores(
    v: _Vectors, left: np.ndarray, right: np.ndarray, *, symmetric: bool = False
) -> np.ndarray:
    """Exact scores of row pairs (left[k], right[k]), vectorised.

    `symmetric` damps by the less covered side instead of the better covered one: for
    indicator names, where one name adding words makes it a different measure.

    Every quantity below is a numpy reduction over the terms each pair shares (summed
    in column order, so a pair's score is the same bits wherever it is computed).
    """
    m = len(left)
    if m == 0:
        return np.zeros(0)
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    row, pos_a, pos_b = _shared_terms(v, left, right)
    wa, wb = v.matrix.data[pos_a], v.matrix.data[pos_b]
    ka, kb = v.kinds.data[pos_a], v.kinds.data[pos_b]

    def per_pair(values: np.ndarray) -> np.ndarray:
        return np.bincount(row, weights=values, minlength=m)

    dot = per_pair(wa * wb)
    shared_a, shared_b = per_pair(wa * wa), per_pair(wb * wb)
    # Three small counts in one pass: shared modifiers of a, of b, shared numbers.
    counts = per_pair(
        (ka == _MODIFIER) + (kb == _MODIFIER) * 64.0 + (ka == _NUMBER) * 4096.0
    ).astype(np.int64)
    na, nb = v.norm2[left], v.norm2[right]
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where((na > 0) & (nb > 0), dot / np.sqrt(na * nb), 0.0)
        cover = np.minimum if symmetric else np.maximum
        coverage = cover(np.where(na > 0, shared_a / na, 0.0), np.where(nb > 0, shared_b / nb, 0.0))
    score = cosine * np.clip(1.0 - _SUBSTITUTION_DAMPING * (1.0 - coverage), 0.0, 1.0)
    lost_a = v.modifier_count[left] - (counts % 64)
    lost_b = v.modifier_count[right] - (counts // 64 % 64)
    score = np.where((lost_a > 0) | (lost_b > 0), score * (1.0 - _NARROWER_COMPOUND), score)
    shared_numbers = counts // 4096
    other_a = v.number_count[left] - shared_numbers
    other_b = v.number_count[right] - shared_numbers
    score = np.where((other_a > 0) & (other_b > 0), score * _NUMBER_CONFLICT, score)
    conflict = (v.direction[left].astype(np.int16) * v.direction[right]) < 0
    score = np.where(conflict, score * _DIRECTION_CONFLICT, score)
    # Rounded so that float noise never decides which side of a threshold a pair falls.
    return np.clip(np.round(score, 9), 0.0, 1.0)


def _prefix_matrix(v: _Vectors, share: float, df: np.ndarray | None = None) -> _Csr:
    """Binary matrix of each row's rarer terms: its prefix for candidate search.

    Terms are ordered rarest first (by how many texts have them). Each row leaves out its
    most common terms as long as their share of the row's squared norm stays below
    `share`. Two texts whose rarest shared term is outside a row's prefix share less than
    `share` of that row's mass, which bounds the score (prefix filtering: see
    `_neighbours`).
    """
    m = v.matrix
    if df is None:
        df = np.bincount(m.indices, minlength=m.shape[1])
    rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    norm2 = v.norm2[rows]
    term_share = np.divide(m.data**2, norm2, out=np.zeros_like(m.data), where=norm2 > 0)
    # Most common first within each row; cumulative share from the common end.
    order = np.lexsort((m.indices, -df[m.indices], rows))
    cum = np.zeros(len(order))
    if len(order):
        total = np.cumsum(term_share[order])
        starts = m.indptr[:-1][rows[order]]
        cum = total - np.concatenate(([0.0], total))[starts]
    keep = np.zeros(len(order), dtype=bool)
    keep[order] = cum >= share - 1e-6  # a margin for rounded scores
    return _Csr(
        None,
        m.indices[keep],
        np.concatenate(([0], np.cumsum(np.bincount(rows[keep], minlength=m.shape[0])))),
        m.shape,
    )


_CLASS_WIDTH = 32  # rows with more terms than this are never merged into a class


def _row_classes(v: _Vectors) -> tuple[np.ndarray, np.ndarray]:
    """Rows with identical vectors (terms, weights, kinds) grouped: many texts differ only
    in words that map to the same terms ("minska" / "sänka"), and every score depends on
    the vector alone. Returns (class of each row, first row of each class); classes are
    numbered by their first row. Rows longer than _CLASS_WIDTH stay alone (still exact).
    """
    m = v.matrix
    n = m.shape[0]
    lengths = np.diff(m.indptr).astype(np.int64)
    width = int(min(lengths.max(initial=0), _CLASS_WIDTH))
    slot = np.arange(m.nnz, dtype=np.int64) - np.repeat(m.indptr[:-1].astype(np.int64), lengths)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    inside = slot < width
    table = np.zeros((n, 1 + 3 * width))
    table[:, 0] = lengths
    for k, values in enumerate((m.indices, m.data, v.kinds.data)):
        table[rows[inside], 1 + k * width + slot[inside]] = values[inside]
    long = lengths > width
    table[long, 0] = -1 - np.flatnonzero(long)  # unique: never merged
    # Equal rows have equal bytes (no value is -0.0 or NaN): one sort of the rows as
    # byte strings instead of a lexsort over every column.
    rows_as_bytes = np.ascontiguousarray(table).view(np.dtype((np.void, table.shape[1] * 8)))
    _, inverse, first_row = _distinct(rows_as_bytes.ravel())
    number = np.empty(len(first_row), dtype=np.int64)
    number[np.argsort(first_row)] = np.arange(len(first_row))  # classes by their first row
    return number[inverse], np.sort(first_row).astype(np.int64)


def _subset(v: _Vectors, rows: np.ndarray) -> _Vectors:
    """The vectors of some rows (for scoring; no evidence)."""
    matrix = _take_rows(v.matrix, rows)
    kinds = _Csr(_take_rows(v.kinds, rows).data, matrix.indices, matrix.indptr, matrix.shape)
    return _Vectors(
        matrix=matrix,
        kinds=kinds,
        modifier_count=v.modifier_count[rows],
        number_count=v.number_count[rows],
        norm2=v.norm2[rows],
        direction=v.direction[rows],
        surface_ids=np.zeros(matrix.nnz, dtype=np.int64),
        surface_texts=[],
        vocab=v.vocab,
    )


def _neighbours(
    v: _Vectors, threshold: float, top_k: int, *, symmetric: bool = False
) -> tuple[np.ndarray, ...]:
    """Pairs of distinct rows scoring >= threshold, each row keeping its top_k best.

    Exact, without comparing all pairs. Let f be the rarest term two texts share. A
    score >= t needs cosine >= t, so f lies in both texts' cosine prefixes (share t^2),
    and it needs the better-covered text (all texts when `symmetric`) to share at least
    c = 1 - (1 - t) / damping of its mass, so f lies in that text's (much shorter)
    coverage prefix. Candidates are the pairs meeting both; they are scored exactly, in
    blocks of rows so memory stays bounded. Returns (left, right, score), left < right.

    The search runs over distinct vectors (`_row_classes`); each row's top_k are then
    picked from the members of the classes its class matched, best score first and
    lowest row first among equal scores.
    """
    n = v.matrix.shape[0]
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty, np.zeros(0)
    row_class, reps = _row_classes(v)
    size = np.bincount(row_class)
    cv = v if len(reps) == n else _subset(v, reps)
    c = len(reps)
    df = np.bincount(v.matrix.indices, minlength=v.matrix.shape[1])
    covered = max(0.0, 1.0 - (1.0 - threshold) / _SUBSTITUTION_DAMPING)
    by_cover = _prefix_matrix(cv, covered, df)
    by_cosine = by_cover if symmetric else _prefix_matrix(cv, threshold * threshold, df)
    products = [(by_cover, _transpose(by_cosine))]
    if not symmetric:
        products.append((by_cosine, _transpose(by_cover)))
    chunk = max(1, min(_CHUNK, _MARKER // c))
    lefts, rights, scores = [], [], []
    for start in range(0, c, chunk):
        # Scores are symmetric to the bit and so are the candidates: each pair is scored
        # once (left <= right) and its hit listed both ways.
        left, right = _candidates(products, start, min(start + chunk, c), c)
        keep = (left != right) | (size[left] > 1)  # a class pairs with itself if it has 2+ rows
        left, right = left[keep], right[keep]
        score = np.concatenate(
            [
                _pair_scores(
                    cv, left[i : i + _SCORE_BATCH], right[i : i + _SCORE_BATCH], symmetric=symmetric
                )
                for i in range(0, len(left), _SCORE_BATCH)
            ]
            or [np.zeros(0)]
        )
        hit = score >= threshold
        left, right, score = left[hit], right[hit], score[hit]
        apart = left != right
        lefts += [left, right[apart]]
        rights += [right, left[apart]]
        scores += [score, score[apart]]
    cl, cr, cs = (np.concatenate(x) for x in (lefts, rights, scores))
    # Rows of each class in row order.
    members = np.argsort(row_class, kind="stable")
    class_start = np.concatenate(([0], np.cumsum(size)))[:-1]
    # Per class: its best matches as rows (the first top_k + 1 of each matched class
    # suffice: a row drops only itself), best first, then by row.
    take = np.minimum(size[cr], top_k + 1) if top_k else size[cr]
    offset = np.arange(int(take.sum())) - np.repeat(np.cumsum(take) - take, take)
    lc = np.repeat(cl, take)
    ls = np.repeat(cs, take)
    lj = members[np.repeat(class_start[cr], take) + offset]
    order = np.lexsort((lj, -ls, lc))
    lc, ls, lj = lc[order], ls[order], lj[order]
    if top_k:
        lc, ls, lj = (x[_rank_within(lc) <= top_k] for x in (lc, ls, lj))
    # Per row: its class's list without itself, the first top_k.
    list_start = np.searchsorted(lc, np.arange(c))
    list_len = np.bincount(lc, minlength=c)
    count = list_len[row_class]
    rows = np.repeat(np.arange(n, dtype=np.int64), count)
    at = np.repeat(list_start[row_class], count) + (
        np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    )
    other, score = lj[at], ls[at]
    distinct = other != rows
    rows, other, score = rows[distinct], other[distinct], score[distinct]
    if top_k:
        top = _rank_within(rows) < top_k
        rows, other, score = rows[top], other[top], score[top]
    left, right = np.minimum(rows, other), np.maximum(rows, other)
    key = left * n + right
    first = _distinct(key)[2]
    return left[first], right[first], score[first]


_MARKER = 4_000_000  # candidate (row, row) slots marked at once (bytes): bounds memory


def _candidates(
    products: list[tuple[_Csr, _Csr]], start: int, end: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (left, right) with start <= left < end and left <= right < width sharing
    a term of some (prefix, transposed prefix) pair: the upper triangle of the pattern of
    the sparse product prefix @ other.T, each pair once."""
    lefts, rights = [], []
    for prefix, other_t in products:
        lo, hi = prefix.indptr[start], prefix.indptr[end]
        rows = np.repeat(
            np.arange(start, end, dtype=np.int64), np.diff(prefix.indptr[start : end + 1])
        )
        terms = prefix.indices[lo:hi].astype(np.int64)
        # A term's rows in other_t ascend: only those from the left row on are taken
        # (found by one search in the (term, row) keys of all its entries).
        term_start = np.searchsorted(other_t.entry_keys, terms * width + rows)
        owner, position = _segments(term_start, other_t.indptr[terms + 1] - term_start)
        lefts.append(rows[owner])
        rights.append(other_t.indices[position].astype(np.int64))
    left, right = np.concatenate(lefts), np.concatenate(rights)
    # Each pair once: marked in a table of (left - start, right), read back in order
    # (cheaper than sorting the pairs, and the table is small).
    marker = np.zeros((end - start) * width, dtype=bool)
    marker[(left - start) * width + right] = True
    left, right = np.divmod(np.flatnonzero(marker), width)
    return left + start, right


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True, return_index=True) as (distinct, inverse,
    first index), by one stable argsort (numpy's own is several times slower here)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(len(values), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse, order[new]


def _sort_by(major: np.ndarray, *keys_and_sizes: np.ndarray | int) -> np.ndarray:
    """The order sorting by `major`, then by each key (non-negative, below its size),
    stably: one argsort of a combined integer when it fits in 62 bits, else lexsort."""
    keys = keys_and_sizes[::2]
    sizes = [max(int(size), 1) for size in keys_and_sizes[1::2]]
    span = int(major.max(initial=0)) + 1
    for size in sizes:
        span *= size
    if span >= 2**62:
        return np.lexsort((*reversed(keys), major))
    combined = np.asarray(major, dtype=np.int64).copy()
    for key, size in zip(keys, sizes, strict=True):
        combined *= size
        combined += key
    return np.argsort(combined, kind="stable")


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal values of a sorted array."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    first = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    return np.arange(len(groups)) - np.repeat(first, np.diff(np.r_[first, len(groups)]))


def _pair_evidence(text_pairs: pl.DataFrame, v: _Vectors) -> pl.DataFrame:
    """`_evidence` for many text pairs (a_row, b_row) at once: adds column evidence.

    The shared terms come from `_shared_terms`, ordered strongest first (weight in a,
    then key), turned into items ("a" or "a ~ b") and deduplicated per pair, all in numpy;
    only the distinct items are built as Python strings.
    """
    left = text_pairs["a_row"].to_numpy().astype(np.int64)
    right = text_pairs["b_row"].to_numpy().astype(np.int64)
    pair, pos_a, pos_b = _shared_terms(v, left, right)
    key_rank = np.empty(len(v.vocab), dtype=np.int64)
    key_rank[sorted(range(len(v.vocab)), key=v.vocab.__getitem__)] = np.arange(len(v.vocab))
    # By pair, heaviest first, then key (a pair shares a key once: a total order), as
    # one integer: the few distinct weights ranked, heaviest first.
    weights, weight_rank, _ = _distinct(-v.matrix.data[pos_a])
    order = _sort_by(
        pair, weight_rank, len(weights), key_rank[v.matrix.indices[pos_a]], len(key_rank)
    )
    pair, pos_a, pos_b = pair[order], pos_a[order], pos_b[order]
    surface_a, surface_b = v.surface_ids[pos_a], v.surface_ids[pos_b]
    width = len(v.surface_texts) + 1
    item = surface_a * width + np.where(surface_a == surface_b, 0, surface_b + 1)
    # First occurrence of each item within its pair, in order.
    by_item = _sort_by(pair, item, width * width)
    first = np.ones(len(by_item), dtype=bool)
    first[1:] = (np.diff(pair[by_item]) != 0) | (np.diff(item[by_item]) != 0)
    kept = np.sort(by_item[first])
    pair, item = pair[kept], item[kept]
    distinct, inverse, _ = _distinct(item)
    texts = v.surface_texts
    words = [
        texts[a] if b == 0 else f"{texts[a]} ~ {texts[b - 1]}"
        for a, b in zip(*np.divmod(distinct, width), strict=True)
    ]
    lists = (
        pl.DataFrame(
            {
                "i": pair.astype(np.int64),
                "evidence": pl.Series(words, dtype=pl.String).gather(inverse),
            }
        )
        .with_columns(pl.col("i").set_sorted())  # it is: several times faster grouping
        .group_by("i", maintain_order=True)
        .agg("evidence")
    )
    if lists.height == len(left):  # every pair shares a term (pairs that score do)
        return text_pairs.with_columns(evidence=lists["evidence"])
    return (
        text_pairs.with_row_index("i")
        .with_columns(pl.col("i").cast(pl.Int64))
        .join(lists, on="i", how="left", maintain_order="left")
        .drop("i")
        .with_columns(pl.col("evidence").fill_null(pl.lit([], pl.List(pl.String))))
    )


# --- public: two texts ---------------------------------------------------------------


def goal_similarity(a: str, b: str) -> tuple[float, list[str]]:
    """Score (0..1) of how much two goal texts say the same thing, and the shared words.

    The same computation `find_overlap` runs at scale, so a pair's score here equals its
    score in a document.
    """
    v = _vectorize([a or "", b or ""])
    score = float(_pair_scores(v, np.array([0]), np.array([1]))[0])
    evidence = _pair_evidence(pl.DataFrame({"a_row": [0], "b_row": [1]}), v)["evidence"]
    return score, evidence[0].to_list()


# --- public: a document --------------------------------------------------------------


def _ancestor_pairs(goals: pl.DataFrame, max_depth: int = 25) -> pl.DataFrame:
    """(goal_id, ancestor_id, depth) for every ancestor reachable via parent_goal_id."""
    parent = goals.select("goal_id", "parent_goal_id").drop_nulls().unique()
    parent = parent.filter(pl.col("goal_id") != pl.col("parent_goal_id"))
    frontier = parent.select("goal_id", ancestor_id=pl.col("parent_goal_id"), depth=pl.lit(1))
    found = [frontier]
    for depth in range(2, max_depth + 1):
        frontier = (
            frontier.join(parent, left_on="ancestor_id", right_on="goal_id")
            .select("goal_id", ancestor_id=pl.col("parent_goal_id"), depth=pl.lit(depth))
            .filter(pl.col("goal_id") != pl.col("ancestor_id"))
        )
        if frontier.is_empty():
            break
        found.append(frontier)
    return (
        pl.concat(found)
        .sort("depth")
        .unique(["goal_id", "ancestor_id"], keep="first", maintain_order=True)
    )


def _owner_lists(doc: GoalDocument) -> pl.DataFrame:
    return (
        doc.goal_owners.drop_nulls("unit_id")
        .unique()
        .sort("unit_id")
        .group_by("goal_id")
        .agg(owners=pl.col("unit_id"))
    )


def _normalized(texts: pl.Series) -> pl.Series:
    """`normalize` over a column, each distinct text once (null -> "")."""
    return normalize_series(texts)


def _sv(x: float) -> str:
    """A number as Swedish text: decimal comma."""
    return f"{x:g}".replace(".", ",")


def find_overlap(
    doc: GoalDocument, threshold: float = DEFAULT_THRESHOLD, *, top_k: int = TOP_K
) -> Overlap:
    """Near-duplicate and pass-through goals, their clusters, and shared indicators.

    Raises InputError for a threshold outside MIN_THRESHOLD..1 (below it nearly every
    pair of goals would count, which says nothing and costs quadratic time).
    """
    if not MIN_THRESHOLD <= threshold <= 1.0:
        raise InputError(
            f"Tröskeln för överlapp måste vara mellan {_sv(MIN_THRESHOLD)} och 1 "
            f"(angiven: {_sv(threshold)}). Standard är {_sv(DEFAULT_THRESHOLD)}."
        )
    goals = doc.goals.select("goal_id", "text").unique("goal_id", keep="first", maintain_order=True)
    goals = goals.with_columns(norm=_normalized(goals["text"]))
    if goals.is_empty():
        return Overlap(
            pairs=pl.DataFrame(schema=PAIR_SCHEMA),
            clusters=pl.DataFrame(schema=CLUSTER_SCHEMA),
            shared_indicators=shared_indicators(doc),
            threshold=threshold,
        )
    texts = goals.select("norm").unique(maintain_order=True)["norm"].to_list()
    text_index = {t: i for i, t in enumerate(texts)}
    goals = goals.with_columns(row=pl.col("norm").replace_strict(text_index, return_dtype=pl.Int64))
    v = _vectorize(texts, normalized=True)
    owners = _owner_lists(doc)
    # g: each goal's place in goal id order (null first, as polars sorts), carried next
    # to the ids so that pairs are sorted and clustered by integers, not strings.
    by_id = goals["goal_id"].arg_sort().to_numpy()
    place = np.empty(goals.height, dtype=np.int64)
    place[by_id] = np.arange(goals.height)
    goal_rows = goals.select("goal_id", "row", g=pl.Series(place)).join(
        owners, on="goal_id", how="left"
    )

    # Pass-through: each goal against its ancestors, scored directly.
    ancestors = _ancestor_pairs(doc.goals)
    through = ancestors.join(goal_rows.select("goal_id", a_row="row", a_g="g"), on="goal_id").join(
        goal_rows.select(ancestor_id="goal_id", b_row="row", b_g="g"), on="ancestor_id"
    )
    through_scores = _pair_scores(
        v,
        through["a_row"].to_numpy().astype(np.int64),
        through["b_row"].to_numpy().astype(np.int64),
    )
    through = (
        through.with_columns(score=pl.Series(through_scores, dtype=pl.Float64))
        .filter((pl.col("score") >= threshold) & (pl.col("a_row").is_not_null()))
        .sort("depth")
        .select(
            a_goal_id="goal_id",
            b_goal_id="ancestor_id",
            a_row="a_row",
            b_row="b_row",
            score="score",
            kind=pl.lit("pass_through"),
            a_g="a_g",
            b_g="b_g",
        )
    )

    # Horizontal: near-duplicate texts, then goals with those texts.
    left, right, score = _neighbours(v, threshold, top_k)
    text_pairs = pl.DataFrame(
        {"a_row": left, "b_row": right, "score": score},
        schema={"a_row": pl.Int64, "b_row": pl.Int64, "score": pl.Float64},
    )
    members = (
        goal_rows.select("row", "goal_id", "g")
        .sort("g")
        .with_columns(rank=(pl.col("goal_id").cum_count().over("row") - 1).cast(pl.Int64))
    )
    sizes = members.group_by("row").agg(size=pl.len())
    # Within one text: every pair in small groups; in big groups each goal is paired
    # with the next _BAND goals (a band: linear, and the cluster still holds them all).
    ranked = members.join(sizes, on="row")
    a_side = ranked.select(a_row="row", a_goal_id="goal_id", a_rank="rank", size="size", a_g="g")
    small_groups = a_side.filter(pl.col("size") <= _FULL_GROUP)
    within_parts = [
        small_groups.join(
            small_groups.select(b_row="a_row", b_goal_id="a_goal_id", b_rank="a_rank", b_g="a_g"),
            left_on="a_row",
            right_on="b_row",
        )
        .filter(pl.col("b_rank") > pl.col("a_rank"))
        .with_columns(b_row=pl.col("a_row"))
    ]
    big_groups = a_side.filter(pl.col("size") > _FULL_GROUP)
    # (Skipped when there is none: a document rarely has one, and each polars call costs.)
    for step in range(1, min(top_k, _BAND) + 1) if big_groups.height else ():
        within_parts.append(
            big_groups.with_columns(b_rank=pl.col("a_rank") + step)
            .join(
                big_groups.select(b_row="a_row", b_goal_id="a_goal_id", b_rank="a_rank", b_g="a_g"),
                left_on=["a_row", "b_rank"],
                right_on=["b_row", "b_rank"],
            )
            .with_columns(b_row=pl.col("a_row"))
        )
    within = pl.concat(within_parts, how="diagonal").with_columns(score=pl.lit(1.0))
    # Across two texts: every goal pair when the groups are small (documents), else
    # the first _BAND goals of one with the first _BAND of the other; the other goals
    # of each text reach them through the band above, so clusters stay whole and the
    # output stays linear in the number of texts.
    text_pairs = text_pairs.join(sizes.select(a_row="row", a_size="size"), on="a_row").join(
        sizes.select(b_row="row", b_size="size"), on="b_row"
    )
    crossed = pl.col("a_size") * pl.col("b_size") <= _FULL_CROSS
    small = text_pairs.filter(crossed)
    large = text_pairs.filter(~crossed)
    a_members = members.select(a_row="row", a_goal_id="goal_id", a_rank="rank", a_g="g")
    b_members = members.select(b_row="row", b_goal_id="goal_id", b_rank="rank", b_g="g")
    across_parts = [small.join(a_members, on="a_row").join(b_members, on="b_row")]
    if large.height:
        large = (
            large.with_columns(r=pl.int_ranges(min(top_k, _BAND)))
            .explode("r")
            .with_columns(
                a_rank=(pl.col("r") % pl.col("a_size")).cast(pl.Int64),
                b_rank=(pl.col("r") % pl.col("b_size")).cast(pl.Int64),
            )
        )
        across_parts.append(
            large.join(a_members, on=["a_row", "a_rank"]).join(b_members, on=["b_row", "b_rank"])
        )
    across = pl.concat(across_parts, how="diagonal")
    horizontal = (
        pl.concat([within, across], how="diagonal")
        .select("a_goal_id", "b_goal_id", "a_row", "b_row", "score", "a_g", "b_g")
        .with_columns(
            # a is the smaller id (g follows id order): a stable, readable order
            **{
                f"{side}_{c}": pl.when(pl.col("a_g") <= pl.col("b_g"))
                .then(f"{first}_{c}")
                .otherwise(f"{second}_{c}")
                for side, first, second in (("a", "a", "b"), ("b", "b", "a"))
                for c in ("goal_id", "row", "g")
            }
        )
        .filter(pl.col("a_goal_id") != pl.col("b_goal_id"))  # also drops a null id
        .unique(["a_g", "b_g"], keep="first")
    )
    # A goal and its ancestor are pass-through (or nothing), never horizontal.
    lineage = pl.concat(
        [
            ancestors.select(a_goal_id="goal_id", b_goal_id="ancestor_id"),
            ancestors.select(a_goal_id="ancestor_id", b_goal_id="goal_id"),
        ]
    )
    horizontal = horizontal.join(lineage, on=["a_goal_id", "b_goal_id"], how="anti")
    # One goal owned by several units is one goal; two goals owned by exactly the same
    # units are that unit's own repetition, not overlap between units.
    # Owner lists compared as integers: equal lists get equal dense ranks.
    owner_set = goal_rows.select("g", owner_set=pl.col("owners").rank("dense"))
    horizontal = (
        horizontal.join(owner_set.select(a_g="g", a_set="owner_set"), on="a_g", how="left")
        .join(owner_set.select(b_g="g", b_set="owner_set"), on="b_g", how="left")
        .filter(
            pl.col("a_set").is_null()
            | pl.col("b_set").is_null()
            | (pl.col("a_set") != pl.col("b_set"))
        )
        .select(
            "a_goal_id",
            "b_goal_id",
            "a_row",
            "b_row",
            "score",
            "a_g",
            "b_g",
            kind=pl.lit("horizontal"),
        )
    )

    pairs = pl.concat([through, horizontal], how="diagonal")
    pairs, codes = _with_units_and_evidence(pairs, goal_rows, owners, v)
    goal_codes = (goals["goal_id"].gather(by_id), *codes)
    clusters = _clusters(pairs, doc, codes=goal_codes)
    shared = shared_indicators(doc)
    return Overlap(
        pairs=pairs,
        clusters=clusters,
        shared_indicators=shared,
        threshold=threshold,
        goal_codes=goal_codes,
    )


def at_threshold(found: Overlap, doc: GoalDocument, threshold: float) -> Overlap:
    """find_overlap(doc, threshold) from a result at a lower or equal threshold.

    A pair scoring at least the higher threshold was found at the lower one too (scores
    do not depend on it), and each goal's top-k best pairs above the higher threshold are
    among its top-k above the lower one; so filtering the pairs and clustering them again
    gives the same result (tested against find_overlap) in a fraction of the time.
    """
    if threshold < found.threshold:
        raise ValueError(f"{threshold} is below the result's threshold {found.threshold}")
    if threshold == found.threshold:
        return found  # nothing to drop (Överlapp's lowest threshold is its base)
    ranges = _at_least(found.pairs, threshold)
    if ranges is None:
        keep = found.pairs["score"].to_numpy() >= threshold
        pairs = found.pairs.filter(pl.Series(keep))
    else:
        # The first rows of each kind's block, as slices: a filter copied the evidence
        # lists of a city's 300,000 pairs.
        pairs = pl.concat([found.pairs.slice(a, b - a) for a, b in ranges])
        keep = np.concatenate([np.arange(a, b) for a, b in ranges])
    codes = None
    if found.goal_codes is not None:
        ids, a, b = found.goal_codes
        codes = (ids, a[keep], b[keep])
    return Overlap(
        pairs=pairs,
        clusters=_clusters(pairs, doc, codes=codes),
        shared_indicators=found.shared_indicators,
        threshold=threshold,
        goal_codes=codes,
        # the lower threshold's evidence codes serve every higher one
        derived={"evidence_codes": evidence_codes(found)[keep]},
    )


def _at_least(pairs: pl.DataFrame, threshold: float) -> list[tuple[int, int]] | None:
    """The row ranges of `pairs` scoring at least `threshold` when they are in
    find_overlap's order (kind, then best score first): the start of each kind's block.
    None for pairs in another order."""
    through = (pairs["kind"] == "pass_through").to_numpy()
    boundary = int(np.argmax(through)) if through.any() else len(through)
    negated = -pairs["score"].to_numpy()
    blocks = ((0, boundary), (boundary, len(through)))
    if through[:boundary].any() or any((np.diff(negated[a:b]) < 0).any() for a, b in blocks):
        return None
    return [
        (a, a + int(np.searchsorted(negated[a:b], -threshold, side="right"))) for a, b in blocks
    ]


def evidence_codes(found: Overlap) -> np.ndarray:
    """Per pair a number shared by the pairs with the same evidence list: the Överlapp
    page counts a theme's words over them as integers (a city's 300,000 pairs have
    26,000 distinct lists). Worked out once per result; `at_threshold` passes them on."""
    codes = found.derived.get("evidence_codes")
    if codes is None:
        groups = (
            found.pairs.select("evidence")
            .with_row_index("row")
            .group_by("evidence")
            .agg("row")["row"]
        )
        codes = np.empty(found.pairs.height, dtype=np.int64)
        codes[groups.explode().to_numpy()] = np.repeat(
            np.arange(len(groups), dtype=np.int64), groups.list.len().to_numpy()
        )
        found.derived["evidence_codes"] = codes
    return codes


def _with_units_and_evidence(
    pairs: pl.DataFrame, goal_rows: pl.DataFrame, owners: pl.DataFrame, v: _Vectors
) -> tuple[pl.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """The output pairs (PAIR_SCHEMA, sorted) and their goals' places in id order (g)."""
    if pairs.is_empty():
        return pl.DataFrame(schema=PAIR_SCHEMA), (np.zeros(0, np.int64), np.zeros(0, np.int64))
    # Evidence per distinct text pair: identical texts in many goals are worked out once.
    n = np.int64(max(v.matrix.shape[0], 1))
    key = pairs["a_row"].to_numpy().astype(np.int64) * n + pairs["b_row"].to_numpy()
    distinct, evidence_row, _ = _distinct(key)
    evidence = _pair_evidence(pl.DataFrame({"a_row": distinct // n, "b_row": distinct % n}), v)[
        "evidence"
    ]
    info = goal_rows.select(
        "g",
        first=pl.col("owners").list.first(),
        several=pl.col("owners").list.len() > 1,
    )
    with_owners = (
        pairs.select("a_goal_id", "b_goal_id", "kind", "score", "a_g", "b_g")
        .with_columns(_evidence_row=pl.Series(evidence_row.ravel(), dtype=pl.Int64))
        .join(info.select(a_g="g", a_unit_id="first", a_several="several"), on="a_g", how="left")
        .join(info.select(b_g="g", b_unit_id="first", b_several="several"), on="b_g", how="left")
    )
    # One owner each, distinct where possible: an owner of a that b lacks, then an owner
    # of b other than that one. With at most one owner per side that is simply each
    # side's owner, so the list operations run only where a goal has several.
    several = pl.col("a_several").fill_null(False) | pl.col("b_several").fill_null(False)
    a_unit = pl.coalesce(
        pl.col("a_owners").list.set_difference(pl.col("b_owners")).list.sort().list.first(),
        pl.col("a_owners").list.first(),
    )
    b_unit = pl.coalesce(
        pl.col("b_owners")
        .list.set_difference(pl.concat_list(pl.col("a_unit_id")))
        .list.sort()
        .list.first(),
        pl.col("b_owners").list.first(),
    )
    multi = (
        with_owners.filter(several)
        .join(owners.select(a_goal_id="goal_id", a_owners="owners"), on="a_goal_id", how="left")
        .join(owners.select(b_goal_id="goal_id", b_owners="owners"), on="b_goal_id", how="left")
        .with_columns(a_unit_id=a_unit)
        .with_columns(b_unit_id=b_unit)
    )
    columns = [*(c for c in PAIR_SCHEMA if c != "evidence"), "_evidence_row", "a_g", "b_g"]
    joined = pl.concat(
        [with_owners.filter(~several).select(columns), multi.select(columns)]
    ).rechunk()  # gathering from many chunks is several times slower
    # Sorted by kind, best score, a, b (a total order); by integers (g is id order, and
    # "horizontal" < "pass_through"): polars sorts long string columns slowly.
    a_g, b_g = joined["a_g"].to_numpy(), joined["b_g"].to_numpy()
    kind_rank = (joined["kind"] == "pass_through").to_numpy()
    scores, score_rank, _ = _distinct(-joined["score"].to_numpy())
    places = int(max(a_g.max(initial=0), b_g.max(initial=0))) + 1
    order = _sort_by(kind_rank, score_rank, len(scores), a_g, places, b_g, places)
    ordered = joined[order]
    pairs = (
        ordered.with_columns(evidence=evidence.gather(ordered["_evidence_row"]))
        .select(list(PAIR_SCHEMA))
        .cast(PAIR_SCHEMA)
    )
    return pairs, (a_g[order], b_g[order])


def _string_codes(
    *columns: pl.Series, nulls_last: bool = True
) -> tuple[pl.Series, list[np.ndarray]]:
    """The sorted distinct values of some string columns and each column as indices into
    them: integer sort keys for np.lexsort (sorting the distinct values only is far
    cheaper than a polars sort over long string columns)."""
    distinct = pl.concat([c.cast(pl.String).rename("v") for c in columns]).unique()
    # Python sorts a list of strings several times faster than polars here.
    ordered = sorted(distinct.drop_nulls().to_list())
    if distinct.null_count():
        ordered = [*ordered, None] if nulls_last else [None, *ordered]
    values = pl.Series("v", ordered, dtype=pl.String)
    table = values.to_frame().with_row_index("r")
    codes = [
        c.cast(pl.String)
        .rename("v")
        .to_frame()
        .join(table, on="v", how="left", maintain_order="left", nulls_equal=True)["r"]
        .to_numpy()
        .astype(np.int64)
        for c in columns
    ]
    return values, codes


def _clusters(
    pairs: pl.DataFrame,
    doc: GoalDocument,
    codes: tuple[pl.Series, np.ndarray, np.ndarray] | None = None,
) -> pl.DataFrame:
    """Connected groups of near-duplicate goals, labelled by their most central text.

    The most central goal has the highest sum of pair scores, then the shortest text,
    then the lowest id. Clusters are numbered by size, then label. `codes`, when known:
    the goal ids in id order and each pair's a and b as places in it.
    """
    if pairs.is_empty():
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    if codes is None:
        ids, (a, b) = _string_codes(pairs["a_goal_id"], pairs["b_goal_id"])
    else:
        # The ids that occur, in id order, and a, b renumbered among them.
        present = np.zeros(len(codes[0]), dtype=bool)
        present[codes[1]] = present[codes[2]] = True
        number = np.cumsum(present) - 1
        ids = codes[0].gather(np.flatnonzero(present))
        a, b = number[codes[1]], number[codes[2]]
    n = len(ids)
    component = components(n, a, b)
    # Summed in a fixed order and rounded, so float noise never decides the label: a
    # polars group_by sums in thread order, and two goals whose weights tied up to the
    # last bit swapped places from run to run.
    score = pairs["score"].to_numpy()
    weight = np.round(
        np.bincount(np.concatenate([a, b]), weights=np.concatenate([score, score]), minlength=n),
        9,
    )
    texts = ids.to_frame("goal_id").join(
        doc.goals.select("goal_id", "text").unique("goal_id", keep="first", maintain_order=True),
        on="goal_id",
        how="left",
        maintain_order="left",
    )["text"]
    length = texts.str.len_chars().fill_null(-1).to_numpy().astype(np.int64)
    # Per component its label goal: best weight, shortest text (none first), lowest id.
    order = np.lexsort((np.arange(n), length, -weight, component))
    first = order[np.r_[True, np.diff(component[order]) != 0]]
    label = texts.gather(first)  # one per component, by component number
    size = np.bincount(component)
    label_rank = _string_codes(label, nulls_last=False)[1][0]
    by_cluster = np.lexsort((np.arange(len(size)), label_rank, -size))
    number = np.empty(len(size), dtype=np.int64)
    number[by_cluster] = np.arange(1, len(size) + 1)
    rows = np.lexsort((np.arange(n), number[component]))
    return (
        pl.DataFrame(
            {
                "cluster_id": pl.Series(number[component][rows]).cast(pl.String),
                "label": label.gather(component[rows]),
                "goal_id": ids.gather(rows),
            }
        )
        .select(pl.format("K{}", "cluster_id").alias("cluster_id"), "label", "goal_id")
        .cast(CLUSTER_SCHEMA)
    )


def shared_indicators(doc: GoalDocument, threshold: float = INDICATOR_THRESHOLD) -> pl.DataFrame:
    """Indicators used in two or more places, grouped by what makes them the same.

    Indicators are the same when they have the same Kolada id, the same normalised name
    or near-duplicate names (score >= `threshold`). A place is a goal the indicator
    measures (one row per owner of that goal), or the indicator's own unit when it
    measures no goal.
    """
    ind = doc.indicators.select("indicator_id", "name", "kolada_id", "owner_id").unique(
        "indicator_id", keep="first", maintain_order=True
    )
    if ind.is_empty():
        return pl.DataFrame(schema=SHARED_INDICATOR_SCHEMA)
    ind = ind.with_columns(
        kolada=pl.col("kolada_id").str.strip_chars().str.to_uppercase(),
        norm=_normalized(ind["name"]),
    ).with_row_index("i")
    n = ind.height
    # Same words in any order, inflection or synonym ("Sjukfrånvaron, %" / "procent
    # sjukfrånvaro"): one signature, found in linear time at any size.
    names = ind.select("norm").unique()
    names = names.with_columns(signature=key_signatures(names["norm"]))
    ind = ind.join(names, on="norm", how="left").sort("i")
    edges_a: list[np.ndarray] = []
    edges_b: list[np.ndarray] = []
    # Each indicator linked to the first one with the same key (null where it has none;
    # a group of a present key holds only indicators that have it).
    keys = ("kolada", "norm", "signature")
    firsts = ind.select(
        pl.when(pl.col(key).is_not_null() & (pl.col(key) != ""))
        .then(pl.col("i").min().over(key))
        .alias(key)
        for key in keys
    )
    for key in keys:  # (ind is in i order: an indicator's row is its i)
        edges_a.append(firsts[key].drop_nulls().to_numpy().astype(np.int64))
        edges_b.append(np.flatnonzero(firsts[key].is_not_null().to_numpy()))
    # Near-duplicate names: compare each distinct signature once, link their first
    # indicators. Skipped above FUZZY_NAME_LIMIT distinct names (see its comment).
    distinct = ind.group_by("signature", maintain_order=True).agg(
        first=pl.col("i").min(), norm=pl.col("norm").first()
    )
    if 1 < distinct.height <= FUZZY_NAME_LIMIT:
        v = _vectorize(distinct["norm"].fill_null("").to_list(), normalized=True)
        left, right, _ = _neighbours(v, threshold, TOP_K, symmetric=True)
        first = distinct["first"].to_numpy().astype(np.int64)
        edges_a.append(first[left])
        edges_b.append(first[right])
    a, b = np.concatenate(edges_a), np.concatenate(edges_b)
    component = components(n, a, b)
    ind = ind.with_columns(component=pl.Series(component, dtype=pl.Int64))

    linked = doc.goal_indicators.select("indicator_id", "goal_id").drop_nulls().unique()
    places = pl.concat(
        [
            linked.join(doc.goal_owners.select("goal_id", "unit_id"), on="goal_id", how="left"),
            ind.join(linked, on="indicator_id", how="anti")
            .filter(pl.col("owner_id").is_not_null())
            .select("indicator_id", goal_id=pl.lit(None, pl.String), unit_id="owner_id"),
        ]
    )
    # One row per (indicator, goal, unit): the output's rows before their keys.
    places = places.join(ind.select("indicator_id", "component", "i"), on="indicator_id").unique()
    place_key = pl.coalesce(pl.col("goal_id"), pl.format("unit:{}", pl.col("unit_id")))
    counts = places.group_by("component").agg(places=place_key.n_unique())
    keys = (
        ind.sort("i")
        .group_by("component", maintain_order=True)
        .agg(
            indicator=pl.col("name").first(),
            kolada_id=pl.col("kolada").drop_nulls().first(),
            norm=pl.col("norm").first(),
        )
        .with_columns(
            indicator_key=pl.coalesce(
                pl.format("kolada:{}", "kolada_id"), pl.format("namn:{}", "norm")
            )
        )
    )
    keys = keys.join(counts.filter(pl.col("places") >= 2), on="component")
    shared = places.join(keys, on="component")
    # By key, goal, unit (nulls last), then the indicator's place in the document: a
    # total order, so rows that tie on the first three come out the same in every run.
    # (One thread: on tens of thousands of rows that costs less CPU.)
    return (
        shared.sort(
            ["indicator_key", "goal_id", "unit_id", "i"], nulls_last=True, multithreaded=False
        )
        .select(list(SHARED_INDICATOR_SCHEMA))
        .cast(SHARED_INDICATOR_SCHEMA)
    )


def unit_pairs(doc: GoalDocument, overlap: Overlap) -> pl.DataFrame:
    """Horizontal overlap between every pair of distinct units: what a heatmap shows.

    Columns a_unit_id, b_unit_id (a < b), pairs (near-duplicate goal pairs between the
    two units, counting every owner of a shared goal); the most first.
    """
    rows = unit_pair_rows(doc, overlap)
    return (
        rows.group_by(a_unit_id=pl.min_horizontal("x", "y"), b_unit_id=pl.max_horizontal("x", "y"))
        .agg(pairs=pl.len().cast(pl.Int64))
        .sort(["pairs", "a_unit_id", "b_unit_id"], descending=[True, False, False])
    )


def unit_pair_rows(doc: GoalDocument, overlap: Overlap) -> pl.DataFrame:
    """x, y: the two units of each near-duplicate goal pair, once per distinct pair of
    units, in no particular order. What `unit_pairs` counts; the heatmap needs only
    the units' totals and the rows among its top units, so it counts those alone
    (a city has 300,000 unit pairs)."""
    h = overlap.pairs.filter(pl.col("kind") == "horizontal").select(
        "a_goal_id", "b_goal_id", "a_unit_id", "b_unit_id"
    )
    owners = doc.goal_owners.select("goal_id", "unit_id").unique()
    # A pair of goals with one owner each (nearly all) is one pair of units: the owners
    # the pair already names. Only pairs with a goal of several owners are expanded.
    several = owners.group_by("goal_id").len().filter(pl.col("len") > 1)["goal_id"].implode()
    touches = pl.col("a_goal_id").is_in(several) | pl.col("b_goal_id").is_in(several)
    simple = h.filter(~touches & (pl.col("a_unit_id") != pl.col("b_unit_id")))
    return pl.concat(
        [simple.select(x="a_unit_id", y="b_unit_id"), owner_pair_rows(h.filter(touches), owners)]
    )


def owner_pair_rows(pairs: pl.DataFrame, owners: pl.DataFrame) -> pl.DataFrame:
    """x, y for goal pairs (a_goal_id, b_goal_id) whose goals may have several owners:
    every pair of different units owning the two goals, each unordered pair of units
    once per goal pair (goals both owned by A and B are one pair between A and B)."""
    return (
        pairs.select("a_goal_id", "b_goal_id")
        .join(owners.select(a_goal_id="goal_id", x="unit_id"), on="a_goal_id")
        .join(owners.select(b_goal_id="goal_id", y="unit_id"), on="b_goal_id")
        .filter(pl.col("x") != pl.col("y"))
        .select(
            "a_goal_id",
            "b_goal_id",
            x=pl.min_horizontal("x", "y"),
            y=pl.max_horizontal("x", "y"),
        )
        .unique()
        .select("x", "y")
    )


def _flagged_few(pairs: pl.DataFrame, owners: pl.DataFrame) -> pl.DataFrame:
    """overlap_share's (unit_id, goal_id) flags in few polars calls (small outputs)."""
    # Each side of a pair with the other side (none for a pass-through goal): flagged
    # for each owner u when the other goal has an owner other than u.
    horizontal = pl.col("kind") == "horizontal"
    sides = pl.concat(
        [
            pairs.select(goal_id="a_goal_id", other=pl.when(horizontal).then("b_goal_id")),
            pairs.filter(horizontal).select(goal_id="b_goal_id", other="a_goal_id"),
        ]
    )
    other_owners = owners.group_by("goal_id").agg(
        other_unit=pl.col("unit_id").first(), other_owners=pl.len()
    )
    return (
        sides.join(owners, on="goal_id")
        .join(other_owners, left_on="other", right_on="goal_id", how="left")
        .filter(
            pl.col("other").is_null()
            | (pl.col("other_owners") > 1)
            | (pl.col("other_unit") != pl.col("unit_id"))
        )
        .select("unit_id", "goal_id")
    )


def _flagged_many(pairs: pl.DataFrame, owners: pl.DataFrame) -> pl.DataFrame:
    """overlap_share's flags joining each pair once per side (large outputs)."""
    h = pairs.filter(pl.col("kind") == "horizontal").select("a_goal_id", "b_goal_id")
    # Goals with one owner (nearly all): a pair flags each side for its owner when the
    # owners differ. Pairs with a goal of several owners go through the general join.
    info = owners.group_by("goal_id").agg(unit_id=pl.col("unit_id").first(), several=pl.len() > 1)
    h = h.join(
        info.select(a_goal_id="goal_id", a_unit="unit_id", a_several="several"),
        on="a_goal_id",
        how="inner",
    ).join(
        info.select(b_goal_id="goal_id", b_unit="unit_id", b_several="several"),
        on="b_goal_id",
        how="inner",
    )
    several = pl.col("a_several") | pl.col("b_several")
    single = h.filter(~several & (pl.col("a_unit") != pl.col("b_unit")))
    multi = h.filter(several)
    both_ways = pl.concat(
        [
            multi.select(goal_id="a_goal_id", other="b_goal_id"),
            multi.select(goal_id="b_goal_id", other="a_goal_id"),
        ]
    )
    horizontal = pl.concat(
        [
            single.select(unit_id="a_unit", goal_id="a_goal_id"),
            single.select(unit_id="b_unit", goal_id="b_goal_id"),
            both_ways.join(owners, on="goal_id")
            .join(owners.select(other="goal_id", other_unit="unit_id"), on="other")
            .filter(pl.col("unit_id") != pl.col("other_unit"))
            .select("unit_id", "goal_id"),
        ]
    )
    through = (
        pairs.filter(pl.col("kind") == "pass_through")
        .select(goal_id="a_goal_id")
        .join(owners, on="goal_id")
        .select("unit_id", "goal_id")
    )
    return pl.concat([horizontal, through])


def overlap_share(doc: GoalDocument, overlap: Overlap) -> pl.DataFrame:
    """Per unit: the share of its own goals that repeat another unit's or an ancestor's.

    A goal counts for unit u when a near-duplicate of it is owned by a unit other than u
    (horizontal) or when it restates its parent or another ancestor (pass-through).
    Units without own goals get 0.0.
    """
    owners = doc.goal_owners.select("goal_id", "unit_id").drop_nulls().unique()
    if overlap.pairs.height <= _FEW_PAIRS:
        flagged = _flagged_few(overlap.pairs, owners)
    else:
        flagged = _flagged_many(overlap.pairs, owners)
    flagged = flagged.unique().group_by("unit_id").agg(flagged=pl.len())
    own = owners.group_by("unit_id").agg(own=pl.len())
    return (
        doc.units.select("unit_id")
        .join(own, on="unit_id", how="left")
        .join(flagged, on="unit_id", how="left")
        .select(
            "unit_id",
            overlap_share=pl.when(pl.col("own") > 0)
            .then(pl.col("flagged").fill_null(0) / pl.col("own"))
            .otherwise(0.0)
            .cast(pl.Float64),
        )
    )


# --- CLI output ----------------------------------------------------------------------


def overlap_json(doc: GoalDocument, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """The `goalload overlap` JSON: pairs, clusters and shared indicators, by name."""
    result = find_overlap(doc, threshold)
    names = doc.unit_names()
    texts = dict(zip(doc.goals["goal_id"], doc.goals["text"], strict=True))
    owner_names = {
        g: ", ".join(names.get(u, u) for u in units) for g, units in _owner_lists(doc).iter_rows()
    }

    def goal(goal_id: str) -> dict:
        return {
            "goal_id": goal_id,
            "unit": owner_names.get(goal_id, ""),
            "text": texts.get(goal_id, ""),
        }

    pairs = [
        {
            "a": goal(row["a_goal_id"]),
            "b": goal(row["b_goal_id"]),
            "kind": row["kind"],
            "score": round(row["score"], 3),
            "evidence": row["evidence"],
        }
        for row in result.pairs.iter_rows(named=True)
    ]
    owners = doc.goal_owners.select("goal_id", "unit_id").unique()
    cluster_units = (
        result.clusters.join(owners, on="goal_id", how="left")
        .group_by("cluster_id")
        .agg(pl.col("unit_id").drop_nulls().unique().sort())
    )
    units_of = dict(cluster_units.iter_rows())
    clusters = [
        {
            "id": cluster_id,
            "label": label,
            "goals": group["goal_id"].to_list(),
            "units": [names.get(u, u) for u in units_of.get(cluster_id, [])],
        }
        for (cluster_id, label), group in result.clusters.group_by(
            ["cluster_id", "label"], maintain_order=True
        )
    ]
    shared = []
    for _, group in result.shared_indicators.group_by("indicator_key", maintain_order=True):
        first = group.row(0, named=True)
        goal_ids = group["goal_id"].drop_nulls().unique(maintain_order=True).to_list()
        unlinked = group.filter(pl.col("goal_id").is_null())["unit_id"].unique(maintain_order=True)
        shared.append(
            {
                "indicator": first["indicator"],
                "kolada_id": first["kolada_id"],
                "places": [{"unit": owner_names.get(g, ""), "goal_id": g} for g in goal_ids]
                + [{"unit": names.get(u, u), "goal_id": None} for u in unlinked.to_list()],
            }
        )
    return {
        "pairs": pairs,
        "clusters": clusters,
        "shared_indicators": shared,
    }


def render_table(result: dict) -> str:
    """`overlap_json`'s result as plain text for `--format table` (Swedish headings).

    "Dubblett": near-duplicate goals at different units; "Genomlyft": a goal that restates
    its parent or another ancestor (a pass-through goal).
    """
    kinds = {"horizontal": "Dubblett", "pass_through": "Genomlyft"}
    lines = ["Överlapp", ""]
    lines.append(f"Målpar: {len(result['pairs'])}")
    for p in result["pairs"]:
        score = f"{p['score']:.2f}".replace(".", ",")
        lines.append(f"  {kinds.get(p['kind'], p['kind'])}  {score}")
        lines.append(f"    {p['a']['goal_id']} ({p['a']['unit']}): {p['a']['text']}")
        lines.append(f"    {p['b']['goal_id']} ({p['b']['unit']}): {p['b']['text']}")
        if p["evidence"]:
            lines.append(f"    Gemensamt: {', '.join(p['evidence'])}")
    lines += ["", f"Kluster: {len(result['clusters'])}"]
    for c in result["clusters"]:
        lines.append(f"  {c['id']}: {c['label']}  ({len(c['goals'])} mål; {', '.join(c['units'])})")
    lines += ["", f"Delade indikatorer: {len(result['shared_indicators'])}"]
    for s in result["shared_indicators"]:
        kolada = f" [{s['kolada_id']}]" if s["kolada_id"] else ""
        lines.append(f"  {s['indicator']}{kolada}: {len(s['places'])} ställen")
        for place in s["places"]:
            where = place["goal_id"] or "–"
            lines.append(f"    {where} ({place['unit']})")
    return "\n".join(lines)
