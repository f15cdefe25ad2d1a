"""Swedish text normalisation for goal and indicator texts.

Overlap detection, goal classification and Kolada matching all compare short Swedish
phrases written by different people: "Minska personalens sjukfrånvaro" and
"Sjukskrivningarna bland de anställda ska bli färre" say the same thing with no word in
common. This module turns a phrase into comparable terms in four steps:

1. `normalize`: Unicode NFKC, casefold, punctuation to spaces, numbers to one token each
   ("2 000" -> "2000", "6,5 %" -> "6.5 procent"), number words to digits.
2. `tokens` / stop words: words that carry no content in a goal ("ska", "bli", "och").
3. `stem`: a light Swedish suffix stripper (Snowball-like, plus rules for the endings
   goal texts use most: -ning, -het, -an, -on).
4. `concept` and `split_compound`: a municipal synonym map (minska/sänka/färre -> DOWN,
   medarbetare/anställda/personal -> STAFF ...) and a lexicon-based compound splitter
   that keeps the head ("arbetsklimat" -> arbet + klimat), so compounds that share only
   a head ("arbetsklimat" / "näringslivsklimat") stay apart while "företagsklimat" and
   "näringslivsklimat" meet (företag/näringsliv -> BUSINESS).

`content_terms` combines them: the analysed words of a text, each with its stem,
concept, compound parts and weight class. Everything is deterministic and depends on
the text alone (no corpus statistics), so a score between two texts is the same
wherever it is computed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl

# --- normalisation -------------------------------------------------------------------

_NUMBER_WORDS = {
    "två": "2",
    "tre": "3",
    "fyra": "4",
    "fem": "5",
    "sex": "6",
    "sju": "7",
    "åtta": "8",
    "nio": "9",
    "tio": "10",
    "elva": "11",
    "tolv": "12",
    "hundra": "100",
}
# "2 000", "2 000", "6,5", "1.5", "-3": one number, Swedish thousand separators allowed.
_NUMBER = re.compile(
    r"(?<![\w.,])[-−]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|[-−]?\d+(?:[.,]\d+)?"
)
_WORD = re.compile(r"[^\W_]+(?:[.][0-9]+)?", re.UNICODE)
# "e-post" -> "epost"; "gång- och cykelvägar" keeps "gång" (a hyphen before a space).
_INNER_HYPHEN = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_DIGIT = re.compile(r"\d")  # every _NUMBER match has one


def _number_token(match: re.Match[str]) -> str:
    raw = match.group(0).replace("−", "-")
    raw = re.sub(r"[ \u00a0\u202f]", "", raw).replace(",", ".")
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".")
    return f" {raw} "


def normalize(text: str | None) -> str:
    """Canonical form of a phrase: NFKC, casefolded, numbers as single tokens, no punctuation.

    Two texts that differ only in case, punctuation, spacing, Unicode form or number
    formatting ("2 000" / "2000", "6,5" / "6.5") normalise to the same string. "%" becomes
    the word "procent" so that "90 %" and "90 procent" agree.
    """
    if not text:
        return ""
    return _normalize(str(text))


@lru_cache(maxsize=100_000)
def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", str(text)).casefold())
    s = s.replace("%", " procent ")
    # The two substitutions cost most of the time; most texts have no digit or hyphen.
    if _DIGIT.search(s):
        s = _NUMBER.sub(_number_token, s)
    if "-" in s or "‐" in s or "‑" in s:
        s = _INNER_HYPHEN.sub("", s)
    words = _WORD.findall(s)
    return " ".join(_NUMBER_WORDS.get(w, w) for w in words)


# A whitespace run between two characters that could be (or become, under NFKC) digits:
# "2 000" is one number, so such a text is normalised whole; every other text is
# normalised chunk by chunk (whitespace separates words and nothing else crosses it).
_CROSS_CHUNK = r"(?:[0-9]|[^\x00-\x7fåäöÅÄÖéÉ])\s+(?:[0-9]|[^\x00-\x7fåäöÅÄÖéÉ])"


_FEW_TEXTS = 2_000


def normalize_series(texts: pl.Series) -> pl.Series:
    """`normalize` over a column (null -> ""), equal to it element by element.

    Large documents repeat words far more than whole texts, so the Python work is done
    once per distinct whitespace-separated chunk (cached across calls) and polars joins
    the chunks back; only texts where a number may span whitespace go through whole.
    """
    column = texts.cast(pl.String).fill_null("")
    if len(column) <= _FEW_TEXTS:
        # A short column: each value through the cached function, no polars calls.
        return pl.Series(texts.name, [normalize(t) for t in column.to_list()], dtype=pl.String)
    if column.n_unique() <= _FEW_TEXTS:
        # Few texts: the cached per-text function is cheaper than the polars pipeline.
        distinct = column.unique()
        mapping = dict(zip(distinct, (normalize(t) for t in distinct), strict=True))
        return column.replace_strict(mapping, return_dtype=pl.String).alias(texts.name)
    distinct = column.unique().to_frame("text").with_row_index("i")
    cross = distinct["text"].str.contains(_CROSS_CHUNK)
    whole = distinct.filter(cross)
    chunks = (
        distinct.filter(~cross)
        .select("i", chunk=pl.col("text").str.split(" "))  # chunks keep other whitespace
        .rechunk()  # exploding a filtered frame without this is ~1000x slower (polars 2.1)
        .explode("chunk")
    )
    words = chunks["chunk"].unique()
    mapping = pl.DataFrame(
        {"chunk": words, "norm": [_normalize(c) if c else "" for c in words]},
        schema={"chunk": pl.String, "norm": pl.String},
    ).filter(pl.col("norm") != "")
    joined = (
        chunks.join(mapping, on="chunk", how="inner", maintain_order="left")
        .group_by("i", maintain_order=True)
        .agg("norm")  # lists joined afterwards: several times faster than str.join here
        .with_columns(pl.col("norm").list.join(" "))
    )
    slow = pl.Series([normalize(t) for t in whole["text"]], dtype=pl.String)
    table = distinct.join(
        pl.concat([joined, whole.select("i", norm=slow)]), on="i", how="left"
    ).select("text", pl.col("norm").fill_null(""))
    return (
        column.to_frame("text").join(table, on="text", how="left", maintain_order="left")["norm"]
    ).alias(texts.name)


def tokens(text: str | None) -> list[str]:
    """The words of `normalize(text)`, in order, stop words included."""
    return normalize(text).split()


_IS_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def is_number(token: str) -> bool:
    """True for the number tokens `normalize` produces ("2000", "6.5", "-3")."""
    return bool(_IS_NUMBER.fullmatch(token))


def _words(block: str) -> tuple[str, ...]:
    """Whitespace-separated words of a literal block (keeps long word lists readable)."""
    return tuple(block.split())


# --- stop words ----------------------------------------------------------------------

# Function words plus the scaffolding every goal uses ("ska", "bli", "känna sig",
# "alla"): they say nothing about what a goal is about.
STOP_WORDS: frozenset[str] = frozenset(
    _words("""
    alla allt andra annan annat att av bara bland blev bli blir de dem den denna deras
    dess dessa det detta dig din ditt du där efter eller en ens er ett fanns finns fick
    för från få får genom ha hade har hela hon hos hur här i ifrån in inför inga ingen inget
    inom inte jag kan kunna kunde man med mellan men mig min mitt mot måste ni nu när
    och också om oss på sa sadde samt samtliga sig sin sina sitt ska skall skulle som så
    sådan sådana till under upp ut utan vad var vara varit varje vars vi via vid vilka
    vilken vilket våra vårt än även åt över all alltid ytterligare mm etc
    känna känner kännas uppleva upplever upplevs sin sitt sina deras
    gälla gäller göra görs gör både enligt senast minst högst cirka ca
    """)
)

# Words that occur in a large share of municipal goals: they count, but little.
GENERIC_WORDS: frozenset[str] = frozenset(
    _words("""
    kommun kommunen kommunens kommunal kommunala kommunalt verksamhet verksamheten
    verksamheter verksamheterna verksamhetens andel andelen antal antalet nivå nivån
    god gott goda bra möjlighet möjligheten möjligheter del mängd mängden grad graden
    procent säkerställa erbjuda erbjudas ge ges skapa skapas arbeta arbete arbetet
    nämnd nämnden nämndens förvaltning förvaltningen område områden inriktning
    fortsatt fortsätta vår vårt gå går
    """)
)

# --- stemming ------------------------------------------------------------------------

_VOWELS = frozenset("aeiouyäåö")
_STEP1 = sorted(
    _words("""
    heterna hetens arnas ernas ornas andes arens anden andet heten heter arna erna
    orna ande arne aste aren ades erns ningarna ningar ningen ningens ning ingarna ingar
    ingen ingens ing ade are ern ens het ast ers ars ors ad en ar er or as es an a e
    iteterna iteten itetens iteter itet
    """),
    key=len,
    reverse=True,
)
# The same endings by length, longest first: one set lookup per length instead of an
# endswith per ending (two endings of one length cannot both end a word).
_STEP1_BY_LENGTH = tuple(
    (n, frozenset(x for x in _STEP1 if len(x) == n))
    for n in sorted({len(x) for x in _STEP1}, reverse=True)
)
_S_ENDING = frozenset("bcdfghjklmnoprvy")  # not "t": "plats" is a word, not a genitive
_STEP2 = ("dd", "gd", "nn", "dt", "gt", "kt", "tt", "mm", "ll", "ss", "pp", "rr", "gg", "ff")
_IRREGULAR = {
    "bostäder": "bostad",
    "bostäderna": "bostad",
    "bostädernas": "bostad",
    "städer": "stad",
    "städerna": "stad",
    "länder": "land",
    "böcker": "bok",
    "böckerna": "bok",
    "barnen": "barn",
    "barnens": "barn",
    "barns": "barn",
    "män": "man",
    "målet": "mål",
    "målets": "mål",
    "barnet": "barn",
    "kön": "kö",
    "köer": "kö",
    "köerna": "kö",
    "kvinnor": "kvinn",
    "personer": "person",
    "personerna": "person",
    "person": "person",
    "samhälle": "samhäll",
    "samhället": "samhäll",
    "samhällets": "samhäll",
    "unga": "ung",
    "ungas": "ung",
    "äldre": "äldre",
    "äldres": "äldre",
}


def _r1(word: str) -> int:
    """Start of Snowball's R1: after the first non-vowel that follows a vowel, at least 3."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light Swedish stem: strips inflection so "eleverna", "elevers", "elev" agree.

    Snowball's Swedish algorithm with extra endings common in goal texts (-ning, -ing,
    -het, -itet, -an, -et, -ers) and a rule for definite forms in -n ("frånvaron",
    "miljön"), applied until nothing changes, so a stem stems to itself and compound
    parts cut from a stem match the stem of the simple word ("kompetens", "kompetensen"
    -> "kompet"). It over-stems a little by design: the result is a matching key, never
    shown to a user.
    """
    w = word.casefold()
    w = _IRREGULAR.get(w, w)
    while True:  # every pass shortens the word or stops
        shorter = _stem_once(w)
        if shorter == w:
            return w
        w = shorter


def _stem_once(w: str) -> str:
    if len(w) <= 3 or is_number(w):
        return w
    r1 = _r1(w)
    # Step 1: the longest inflectional ending inside R1.
    for n, endings in _STEP1_BY_LENGTH:
        if len(w) - n >= r1 and w[-n:] in endings:
            w = w[:-n]
            break
    else:
        if w.endswith(("et", "ets")) and not w.endswith(("itet", "itets")):
            # neuter definite ("arbetet", "klimatet"), but not "budget" or "kvalitet"
            cut = 2 if w.endswith("et") else 3
            if len(w) - cut >= max(r1, 5):
                w = w[:-cut]
        elif w.endswith("s") and len(w) - 1 >= r1 and w[-2] in _S_ENDING:
            w = w[:-1]
        elif (
            w[-1] == "n"
            and w[-2] in "oöuyå"
            and not w.endswith(("ion", "rson"))
            and len(w) - 1 >= r1
        ):
            w = w[:-1]  # frånvaron -> frånvaro, miljön -> miljö
        elif len(w) > 4 and w.endswith("t") and w[-2] == w[-3] and w[-2] not in _VOWELS:
            w = w[:-1]  # tryggt -> trygg
        elif len(w) > 5 and w.endswith(("vt", "igt", "bart", "samt", "iskt")):
            w = w[:-1]  # kollektivt -> kollektiv, hållbart -> hållbar
        elif w[-1] == "d" and w[-2] in "lrnm" and len(w) - 1 >= max(r1, 4):
            w = w[:-1]  # participles: anmäld -> anmäl
    # Step 2: undouble a final consonant cluster.
    if w.endswith(_STEP2) and len(w) - 1 >= r1:
        w = w[:-1]
    # Step 3: derivational endings.
    for suffix, repl in (("fullt", "full"), ("löst", "lös"), ("lig", ""), ("els", ""), ("ig", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= r1:
            w = w[: -len(suffix)] + repl
            break
    return w


# --- concepts (municipal synonyms) ----------------------------------------------------

# Surface words meaning the same thing in goal texts. Keys are concept names (upper
# case, never shown); the words are stemmed at import so inflected forms hit too.
CONCEPT_WORDS: dict[str, tuple[str, ...]] = {
    # direction of change: the verb of most goals
    "DOWN": _words(
        "minska minskad minskade minskat minskas minskning minskningen sänka sänkt sänkta "
        "sänkas sänkning färre mindre lägre reducera reducerad reduceras reducering korta "
        "kortas kortare förkorta förkortas förkortad begränsa begränsas snabbare"
    ),
    "UP": _words(
        "öka ökad ökade ökat ökas ökning ökningen höja höjd höjas höjning fler flera mer "
        "större högre utöka utökad utökas stiga förbättra förbättras förbättrad "
        "förbättring förbättringar bättre utveckla utvecklas utvecklad stärka stärkas "
        "stärkt stärkta förstärka förstärkas främja främjas lyfta"
    ),
    "STAFF": _words(
        "medarbetare medarbetaren medarbetarna medarbetarnas medarbetar anställd anställda "
        "anställdas personal personalen personalens arbetstagare"
    ),
    "RESIDENT": _words(
        "invånare invånarna invånarnas kommuninvånare kommuninvånarna medborgare "
        "medborgarna medborgarnas kommunmedborgare befolkning befolkningen folk"
    ),
    "SICKLEAVE": _words(
        "sjukfrånvaro sjukfrånvaron sjukfrånvarons sjukskrivning sjukskrivningar "
        "sjukskrivningarna sjukskrivna sjukskriven sjuktal sjuktalet"
    ),
    "BUSINESS": _words(
        "företag företagen företagens företagare näringsliv näringslivet näringslivets "
        "näringsidkare näringslivs företags"
    ),
    "COOPERATE": _words("samverkan samverka samverkar samarbete samarbeta samarbetet samarbetar"),
    "SOCIALAID": _words("försörjningsstöd försörjningsstödet bistånd biståndet"),
    "PREMISES": _words("lokal lokaler lokalerna fastighet fastigheter fastigheterna"),
    "CONSUME": _words("användning användningen förbrukning förbrukningen använda används förbruka"),
    "YOUTH": _words("unga ungdom ungdomar ungdomarna ungdomars"),
    "ELDERLY": _words("äldre seniorer senior pensionärer"),
    "PARENT": _words("föräldrar föräldrarna vårdnadshavare vårdnadshavarna"),
    "ACHIEVE": _words("nå når uppnå uppnår klara klarar"),
    "SAFE": _words("trygg trygga tryggt trygghet tryggheten"),
    "SATISFIED": _words("nöjd nöjda nöjdhet"),
    "PARTICIPATE": _words("delta deltar deltagande deltagandet delaktig delaktiga delaktighet"),
    "HOUSING": _words("bostad bostäder bostäderna"),
    "EMPLOYMENT": _words("sysselsatt sysselsatta sysselsättning sysselsättningen"),
    "HANDLE": _words("handlägga handläggs hantera hanteras handläggning handläggningen"),
    "RECYCLE": _words(
        "återvinna återvinns återvinnas återvunnet återvunna återvunnen återvinning "
        "återvinningen återbruk"
    ),
    "WAIT": _words("kö kön köer köerna väntetid väntetiden väntetider väntetiderna"),
    "UPPER_SECONDARY": _words("gymnasiet gymnasieskola gymnasieskolan gymnasie gymnasiets"),
}
DIRECTION_CONCEPTS = frozenset({"UP", "DOWN"})

# Nouns and stems that compound heads and modifiers are recognised from. A compound is
# split only where both sides are known (or the modifier is long), so unknown words stay
# whole rather than being cut at random.
_LEXICON_WORDS = _words("""
    klimat plats miljö arbete arbets arbet näringsliv företag trafik olycka olyckor
    säkerhet säker trygghet brand fall frånvaro sjuk skola skol lunch mat kök svinn
    energi användning förbrukning utsläpp koldioxid fordon flotta budget investering
    kunskap krav mål plan försörjning kompetens lokal fastighet bostad byggande
    engagemang medarbetare personal omsättning hälsa folk tjänst e vård omsorg hem
    tid handläggning handläggare bygglov lov ansökan beslut väntetid vänte kö barn
    grupp grupper elev lärare förskola förskol förskollärare fritid aktivitet kultur
    idrott förening liv gymnasie gymnasium examen behörighet utbildning program
    resultat matematik läs förmåga simning sim kunnig avfall hushåll matavfall plast
    vatten el dricks bad luft kvalitet gata väg cykel gång kollektiv resa resande
    besök besökare gäst natt nätter museum bibliotek park torg skräp centrum
    placering familj familjehem hem tillsvidare heltid deltid anställd anställning
    timme timmar droger drog förebyggande brott inbrott bränder brand skada skador
    arbetsskada digital infrastruktur social socialt standard dialog kommunikation
    etablering etableringar start lärling praktik sommar jobb service kontakt center
    lärar legitimation information säkerhets system ekonomi ekonomisk hushållning
    skuld skulder bistånd rätt rättighet perspektiv koncern förebyggande kommun byg
    """)


def _stem_phrase(words: tuple[str, ...]) -> list[str]:
    return [stem(w) for w in words]


_STEM_TO_CONCEPT: dict[str, str] = {}
for _concept, _words in CONCEPT_WORDS.items():
    for _w in _words:
        _STEM_TO_CONCEPT.setdefault(_w, _concept)  # surface form, for exact hits
        _STEM_TO_CONCEPT.setdefault(stem(_w), _concept)

# Stems shorter than four letters ("för" from "förening") would cut words at random, so
# only whole lexicon words may be that short.
_LEXICON: frozenset[str] = frozenset(_LEXICON_WORDS) | frozenset(
    w for w in [*_stem_phrase(_LEXICON_WORDS), *_STEM_TO_CONCEPT] if len(w) >= 4
)
_LINKING = ("s", "e", "a", "o")
_MIN_PART = 3


def concept(term: str) -> str:
    """The concept a word or stem belongs to ("färre" -> "DOWN"), else its stem."""
    s = stem(term)
    return _STEM_TO_CONCEPT.get(term) or _STEM_TO_CONCEPT.get(s) or s


@lru_cache(maxsize=200_000)
def split_compound(word_stem: str) -> tuple[str, str] | None:
    """Split a stemmed compound into (modifier, head) using the lexicon, or None.

    The head is the longest known word the stem ends with, leaving a modifier of at
    least three letters (a linking -s/-e is dropped: "arbetsklimat" -> ("arbet",
    "klimat"), "näringslivsklimat" -> ("näringsliv", "klimat")). Words that are concepts
    in their own right ("sjukfrånvaro") are not split.
    """
    if len(word_stem) < 2 * _MIN_PART or word_stem in _STEM_TO_CONCEPT or is_number(word_stem):
        return None
    for cut in range(_MIN_PART, len(word_stem) - _MIN_PART + 1):
        head = word_stem[cut:]
        if head not in _LEXICON:
            continue
        mod = word_stem[:cut]
        bare = [mod[: -len(x)] for x in _LINKING if mod.endswith(x)]
        for m in [*bare, mod]:
            if len(m) >= _MIN_PART and m in _LEXICON:
                return (m, head)
        if len(mod) >= 5:
            return (bare[0] if bare and len(bare[0]) >= 4 else mod, head)
    return None


# --- content terms -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One content word of a text, analysed.

    `key` is what two texts must share for the word to match (a concept, a stem, or
    "modifier|head" for a compound); `parts` are the compound's concept parts (the word
    itself for a simple word); `kind` is "content", "generic", "direction" or "number",
    which decides its weight.
    """

    surface: str
    key: str
    parts: tuple[str, ...]
    kind: str


@lru_cache(maxsize=200_000)
def _term(token: str) -> Term | None:
    if token in STOP_WORDS:
        return None
    if is_number(token):
        return Term(token, "#" + token, (), "number")
    s = stem(token)
    c = _STEM_TO_CONCEPT.get(token) or _STEM_TO_CONCEPT.get(s)
    if c in DIRECTION_CONCEPTS:
        return Term(token, c, (), "direction")
    if c:
        return Term(token, c, (c,), "content")
    kind = "generic" if token in GENERIC_WORDS or s in GENERIC_WORDS else "content"
    split = split_compound(s)
    if split:
        mod, head = (_STEM_TO_CONCEPT.get(p) or concept(p) for p in split)
        return Term(token, f"{mod}|{head}", (mod, head), kind)
    return Term(token, s, (s,), kind)


def word_term(token: str) -> Term | None:
    """The analysed term of one normalised word, None for a stop word (cached)."""
    return _term(token)


def content_terms(text: str | None, *, normalized: bool = False) -> list[Term]:
    """The analysed content words of a text, stop words removed, in text order.

    `normalized=True` says the text is already `normalize`d (skips doing it again).
    """
    words = (text or "").split() if normalized else tokens(text)
    return [t for t in (_term(tok) for tok in words) if t is not None]


def content_keys(text: str | None, *, normalized: bool = False) -> list[str]:
    """Just the matching keys of `content_terms` (concepts, stems, compound keys)."""
    return [t.key for t in content_terms(text, normalized=normalized)]


def key_signatures(normalized: pl.Series) -> pl.Series:
    """Per normalised text: its distinct `content_keys`, sorted, joined by spaces.

    Equal to `" ".join(sorted(set(content_keys(t, normalized=True))))` for each element
    (null -> ""), with the Python work done once per distinct word; keys are sorted as
    integer ranks (sorting long string columns in polars is slow).
    """
    rows = (
        normalized.cast(pl.String)
        .fill_null("")
        .str.split(" ")
        .to_frame("w")
        .with_row_index("i")
        .explode("w")
    )
    distinct = rows["w"].unique().drop_nulls()
    terms = [_term(w) if w else None for w in distinct]
    keys = sorted({t.key for t in terms if t})
    rank = {k: r for r, k in enumerate(keys)}
    mapping = pl.DataFrame(
        {"w": distinct, "r": [rank[t.key] if t else None for t in terms]},
        schema={"w": pl.String, "r": pl.Int64},
    ).drop_nulls()
    found = rows.join(mapping, on="w", how="inner")
    code = np.sort(found["i"].to_numpy().astype(np.int64) * (len(keys) + 1) + found["r"].to_numpy())
    code = code[np.r_[True, code[1:] != code[:-1]]] if len(code) else code
    row, key = np.divmod(code, len(keys) + 1)
    joined = (
        pl.DataFrame({"i": row, "key": pl.Series(keys, dtype=pl.String).gather(key)})
        .with_columns(pl.col("i").set_sorted())  # it is (codes sorted): faster grouping
        .group_by("i", maintain_order=True)
        .agg("key")
        .with_columns(pl.col("key").list.join(" "))
    )
    if joined.height == len(normalized):  # every text has a key: rows 0.. in order
        return joined["key"].alias(normalized.name)
    return (
        pl.int_range(len(normalized), dtype=pl.Int64, eager=True)
        .to_frame("i")
        .join(joined, on="i", how="left", maintain_order="left")["key"]
        .fill_null("")
        .alias(normalized.name)
    )
