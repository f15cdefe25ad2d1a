"""Goal typology: is a goal about resources, an activity, an output or an effect?

The typology is the one Swedish research uses for municipal goals (Westerlund et al.
2014, DOMAIN.md): resource goals (money, staff, premises), activity/process goals (what
the organisation shall do or how: "Genomföra ...", "Ta fram en plan ...", "Införa ..."),
output goals (prestation: volumes, lead times, services offered: "Antal ...", "inom tio
dagar") and effect goals (what changes for residents, users or the environment: "Öka
andelen elever som ...", "Fler invånare ska ...").

Activity goals set high up are the typical form of detail steering, so the
recommendations lean on this classification. It is a transparent heuristic, not a
model: every classification carries the words that triggered it, so a politician can
see why a goal was called an activity goal and disagree. Accuracy on the labelled set in
tests/data/goal_types.csv is reported in docs/reduce.md and pinned by a test.

How it scores: cues (verbs, nouns, numbers with a unit, routine phrases) each add a
weight to one type; the type with most weight wins, ties go to the more specific type
(activity > output > resource > effect). The object of a goal decides more than its
verb: "Sänka sjukfrånvaron" is about staff (resource) although "sänka" is a change verb,
so change verbs ("öka", "minska") are weak effect cues and nouns are strong ones. A goal
with no cue at all is read as an effect goal (visions and direction goals are usually
written as bare outcome phrases) with a low confidence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

GOAL_TYPES: tuple[str, ...] = ("resource", "activity", "output", "effect")
GOAL_TYPE_LABELS_SV = {
    "resource": "Resursmål",
    "activity": "Aktivitetsmål",
    "output": "Prestationsmål",
    "effect": "Effektmål",
}
GOAL_TYPE_LABELS_EN = {
    "resource": "Resource goal",
    "activity": "Activity goal",
    "output": "Output goal",
    "effect": "Effect goal",
}
# Ties go to the more specific reading: an explicit activity beats an output, etc.
_PRECEDENCE = ("activity", "output", "resource", "effect")

# Confidence when no cue fired: the goal is read as an effect goal by default.
DEFAULT_CONFIDENCE = 0.25


@dataclass(frozen=True)
class GoalType:
    goal_type: str
    confidence: float  # 0..1: how clearly the cues point at this type
    triggers: tuple[str, ...]  # the goal's own words that decided it


@dataclass(frozen=True)
class _Cue:
    goal_type: str
    pattern: re.Pattern[str]
    weight: float


_NUM = (
    r"(?:\d+(?:[ ,.]\d+)*|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|tolv|femton|tjugo|trettio)"
)
_TIME_UNIT = r"(?:arbets)?(?:dag|dagar|dygn|vecka|veckor|månad|månader|timme|timmar|minuter)"

# Verbs that prescribe an activity: at the start of the goal ("Genomföra ...") or after
# "ska" ("Nämnden ska genomföra ...").
_ACTIVITY_VERBS = (
    r"genomföra|ta fram|införa|implementera|utreda|inventera|upprätta|utarbeta|utveckla"
    r"|arbeta (?:för|med|aktivt|fram)|samverka|samordna|delta|påbörja|starta|inrätta"
    r"|kartlägga|se över|revidera|uppdatera|digitalisera|skapa|säkerställa|fortsätta"
    r"|anordna|arrangera|stärka samverkan|verka för|planera|organisera|dokumentera"
    r"|etablera|tillsätta|följa upp|informera|upphandla|genomlysa|förbereda|testa"
    r"|pröva|utbilda|ha en (?:aktuell |gemensam |tydlig )?(?:plan|rutin|strategi|policy)"
)
# First words ending in -a that are not instructions: change verbs (their object decides
# the type) and the plural adjectives goals often open with.
_NOT_ACTIVITY_OPENERS = (
    r"öka|minska|förbättra|höja|sänka|stärka|korta|förkorta|halvera|bevara|förebygga|utöka"
    r"|fördubbla|förstärka|behålla|bibehålla|upprätthålla|minimera|maximera"
    r"|alla|hela|våra|många|nya|unga|andra|egna|goda|trygga|nöjda|friska|hållbara"
    r"|attraktiva|starka|aktiva|delaktiga|självständiga|jämlika|jämställda|gröna|rena"
    r"|säkra|samtliga|flera|dessa|båda|stora|lika|fria|bästa|kommunala|sverige\w*"
)
_OUTPUT_VERBS = r"erbjuda|bygga ut|bygga|öppna|anlägga|färdigställa|leverera|tillhandahålla"

_CUES: tuple[tuple[str, str, float], ...] = (
    # activity ------------------------------------------------------------
    ("activity", rf"^(?:{_ACTIVITY_VERBS})\b", 3.0),
    ("activity", rf"\bsk(?:a|all) (?:\w+ )?(?:{_ACTIVITY_VERBS})\b", 2.5),
    # Any other goal that opens with a bare infinitive ("Städa ...", "Upphandla ...") is
    # an instruction to do something; adjectives, change verbs and definite plural
    # nouns ("Skolgårdarna ...") are excluded.
    ("activity", rf"^(?!(?:{_NOT_ACTIVITY_OPENERS})\b)(?![a-zåäöé]*na\b)[a-zåäöé]{{3,}}a\b", 2.0),
    ("activity", r"\bsk(?:a|all) (?:genomgå|arbeta|städa|använda|tillämpa)\b", 2.0),
    # a routine prescribed with a precise rhythm is detail steering of the unit
    ("activity", r"\b(?:varje|per|samma) (?:dag|vecka|termin|besök)\b|\bdagligen\b", 3.0),
    (
        "activity",
        r"\b(?:handlingsplan|plan|strategi|rutin|rutiner|rutinerna|riktlinjer|policy"
        r"|arbetssätt|arbetssättet|metod|modell|modellen|samverkan|översyn|inventering"
        r"|kartläggning|utredning|projekt|arbetet med|verksamhetssystem\w*|e-arkiv)\b",
        1.0,
    ),
    ("activity", r"\b(?:alla|varje|samtliga) (?:enheter|enhet|skolor|förskola|förskolor)\b", 1.0),
    # output ---------------------------------------------------------------
    ("output", rf"^(?:{_OUTPUT_VERBS})\b", 3.0),
    ("output", r"\berbjud(?:a|as|s)\b", 2.5),
    ("output", rf"\binom {_NUM} {_TIME_UNIT}\b|\bhögst {_NUM} {_TIME_UNIT}\b", 3.0),
    ("output", r"\b(?:antal|antalet)\b", 1.5),
    # Outputs are what is delivered: a goal to reduce a number is about a need or a cost.
    (
        "output",
        r"\b(?:minska|sänka|halvera|färre)\b.*\bantal\w*\b|\bantal\w*\b.*\b(?:minska|halveras|färre)\b",
        -1.5,
    ),
    ("output", r"\bska få\b|\bdygnet runt\b|\btillgänglig\w*\b", 1.5),
    (
        "output",
        r"\b(?:handläggningstid\w*|handläggas|väntetid\w*|öppettid\w*|tillgänglighet\w*"
        r"|telefontillgänglighet\w*|besök|besöken|tillsynsbesök\w*|besökare|utlån"
        r"|platser|förskoleplats|deltagare|bostäder|färdigställ\w*|utbyggnad\w*|snöröjning\w*"
        r"|e-tjänst\w*|feriejobb|detaljplaner|ljuspunkter\w*|besvaras|fakturor|kontinuitet|svarstid\w*"
        r"|olika personal|i tid|inom planerad tid)\b",
        2.0,
    ),
    ("output", r"\b(?:hög|god) kvalitet\b|\b\d+ km\b", 1.5),
    # resource -------------------------------------------------------------
    (
        "resource",
        r"\b(?:budget\w*|ekonomisk hushållning|ekonomin|kostnad\w*|nettokostnad\w*"
        r"|hyreskostnad\w*|kostnadseffektiv\w*|skatteintäkt\w*|statsbidrag|investering\w*"
        r"|självfinansier\w*|soliditet\w*|låneskuld\w*|årets resultat|resultatet ska"
        r"|sjukfrånvaro\w*|sjuktal\w*|friskfaktor\w*|frisknärvaro|personalomsättning\w*"
        r"|heltid\w*|timavlönade|kompetensförsörjning\w*|rekrytera|arbetsgivare"
        r"|bemanning\w*|inhyrd|övertid\w*|medarbetarengagemang\w*|lokaler|lokalerna"
        r"|fastighetsbestånd\w*|energianvändning\w*|resursutnyttjande|resurs\w*"
        r"|ledarskap\w*|chefer|medarbetare|medarbetarna|livsmedel)\b",
        2.5,
    ),
    ("resource", r"\bi balans\b|\bbehörig\w* (?:lärare|förskollärare|personal)\b", 2.5),
    ("resource", r"\blegitimerade\b|\bpersonal\b|\beffektiv[t]?\b", 1.0),
    # Swedish compounds put the head last: "personaltäthet", "direktavkastning",
    # "avgiftsfinansierad", "föreningsbidrag", "lönestruktur", "chefsbyten".
    (
        "resource",
        r"\b\w*(?:kostnad|finansier|avkastning|bidrag|budget)\w*|\bpersonal\w+|\blön\w*"
        r"|\bchef\w*|\w+lokal\w*",
        2.0,
    ),
    # effect ---------------------------------------------------------------
    (
        "effect",
        r"\b(?:invånare\w*|medborgare\w*|befolkning\w*|trygg\w*|hälsa\w*|ohälsa\w*"
        r"|munhälsa|kunskapskrav\w*|kunskapsmål\w*|meritvärde\w*|självförsörj\w*|utsläpp\w*"
        r"|växthusgas\w*|klimatneutral\w*|koldioxid\w*|ensamhet\w*|delaktig\w*|nöjd\w*"
        r"|förtroende\w*|arbetslöshet\w*|ungdomsarbetslöshet\w*|sysselsättning\w*"
        r"|fullfölja|brott|hemlös\w*|livskvalitet\w*|företagsklimat\w*|företag"
        r"|mångfald\w*|vattenkvalitet\w*|luftkvalitet\w*|matsvinn\w*|återvunn\w*"
        r"|återvinning\w*|fysiskt aktiva|meningsfull\w*|bemötande|möjligheter"
        r"|självständigt|trafikskadade|utsatthet|missbruk|studiero\w*|attraktiv plats"
        r"|attraktiv kommun|kulturliv\w*)\b",
        2.0,
    ),
    ("effect", r"\b\w*(?:hälsa|olyck\w*|skador|skadade|bränder|brand)\b", 2.0),
    (
        "effect",
        r"\bbehörig\w* till\b|\bi arbete\b|\bekonomiskt bistånd\b|\bförsörjningsstöd\b",
        1.5,
    ),
    (
        "effect",
        r"\b(?:känna|känner|uppleva|upplever|utvecklas|växa upp|bo kvar|leva|lära)\b"
        r"|\bska (?:nå|kunna|bli|ha tillgång)\b",
        2.0,
    ),
    ("effect", r"^(?:fler|ingen|alla ska)\b|\bfler\b", 1.5),
    (
        "effect",
        r"\b(?:öka|ökad|ökat|ökade|minska|minskad|förbättra|förbättras|höja|sänka|stärka"
        r"|stärkas|halveras|halvera|bevaras|förebygga)\b",
        1.0,
    ),
)

_COMPILED: tuple[_Cue, ...] = tuple(_Cue(t, re.compile(p), w) for t, p, w in _CUES)


def _normalise(text: str) -> str:
    """NFC, lower case, single spaces: cues are written in that form."""
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\s+", " ", text).strip().lower()


def classify_goal(text: str) -> GoalType:
    """Classify one goal text; see the module docstring for the method."""
    norm = _normalise(text)
    original = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()
    same_length = len(original) == len(norm)
    scores = dict.fromkeys(GOAL_TYPES, 0.0)
    triggers: dict[str, list[str]] = {t: [] for t in GOAL_TYPES}
    for cue in _COMPILED:
        matches = list(cue.pattern.finditer(norm))
        if not matches:
            continue
        scores[cue.goal_type] += cue.weight
        for m in matches:
            word = original[m.start() : m.end()] if same_length else m.group(0)
            word = word.strip()
            if word and word not in triggers[cue.goal_type]:
                triggers[cue.goal_type].append(word)
    total = sum(scores.values())
    if total == 0:
        return GoalType("effect", DEFAULT_CONFIDENCE, ())
    best = max(_PRECEDENCE, key=lambda t: (scores[t], -_PRECEDENCE.index(t)))
    # Share of the evidence that points at the winner, damped when the evidence is thin.
    share = scores[best] / total
    strength = min(1.0, 0.4 + 0.15 * scores[best])
    confidence = round(max(DEFAULT_CONFIDENCE, min(0.99, share * strength)), 2)
    return GoalType(best, confidence, tuple(triggers[best]))


CLASSIFICATION_SCHEMA = {
    "goal_id": pl.String,
    "goal_type": pl.String,
    "confidence": pl.Float64,
    "triggers": pl.List(pl.String),
}


# Characters on which polars' regex engine and Python's `re` agree for every class the
# cues use (\w, \d, \s, \b), whose lower case is one character, and which NFC leaves
# alone and never combine: Latin-1 and Latin Extended A/B, general punctuation. Not in
# it: superscript digits and vulgar fractions and the connector punctuation (\w in one
# engine only), "İ" (lower-cases to two characters). tests/test_classify.py checks
# every character of the set.
_SAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x09, 0x0D),
    (0x20, 0x7E),
    (0xA0, 0xB1),
    (0xB4, 0xB8),
    (0xBA, 0xBB),
    (0xBF, 0x12F),
    (0x131, 0x24F),
    (0x2010, 0x2027),
    (0x2030, 0x203E),
    (0x2041, 0x2053),
    (0x2055, 0x205E),
)
_SAFE_TEXT = "^[" + "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in _SAFE_RANGES) + "]*$"
# Python's \s among the safe characters, and what _normalise collapses
_SAFE_SPACE = r"[\t\n\x0B\x0C\r \xA0]+"

# The bare-infinitive cue has look-aheads, which polars' regex engine lacks. At the
# start of a text they mean: the first word is letters a-z, å, ä, ö, é only, at least
# four, ends in "a" but not "na", and is not one of the openers (nor "sverige...").
_BARE_INFINITIVE = rf"^(?!(?:{_NOT_ACTIVITY_OPENERS})\b)(?![a-zåäöé]*na\b)[a-zåäöé]{{3,}}a\b"
_FIRST_WORD = r"^([a-zåäöé]{3,}a)\b"
_OPENERS = tuple(w for w in _NOT_ACTIVITY_OPENERS.split("|") if not w.endswith("\\w*"))
_OPENER_PREFIXES = tuple(w[:-3] for w in _NOT_ACTIVITY_OPENERS.split("|") if w.endswith("\\w*"))


# Whether a cue matches anywhere, said faster for polars: a leading "\b\w*" before a
# word, and a trailing "\w*" (or "\w*\b"), never decide whether there is a match, and
# without them the regex engine can search for the words directly.
_SAME_HITS = {
    r"\b\w*(?:kostnad|finansier|avkastning|bidrag|budget)\w*|\bpersonal\w+|\blön\w*"
    r"|\bchef\w*|\w+lokal\w*": r"kostnad|finansier|avkastning|bidrag|budget|\bpersonal\w"
    r"|\blön|\bchef|\wlokal",
    r"\b\w*(?:hälsa|olyck\w*|skador|skadade|bränder|brand)\b": r"olyck|(?:hälsa|skador"
    r"|skadade|bränder|brand)\b",
}


# The cues match on ASCII only: å, ä, ö, é become A-D (a lower-case text has no capitals),
# any other non-ASCII letter E and any other non-ASCII character \x01. Word characters
# stay word characters and no cue names E or \x01, so every cue fires exactly when it
# fires on the text itself; polars' regex engine is many times faster on ASCII (its
# Unicode word boundaries otherwise fall back to a slow matcher).
_TO_ASCII = {"å": "A", "ä": "B", "ö": "C", "é": "D"}


def _ascii(text: str) -> str:
    for letter, code in _TO_ASCII.items():
        text = text.replace(letter, code)
    return text


def _ascii_expr(norm: pl.Expr) -> pl.Expr:
    return (
        norm.str.replace_many(list(_TO_ASCII), list(_TO_ASCII.values()))
        .str.replace_all(r"[\w&&[^\x00-\x7F]]", "E")
        .str.replace_all(r"[^\x00-\x7F]", "\x01")
    )


def _cue_hit(n: int, text: pl.Expr) -> pl.Expr:
    """Whether cue n matches anywhere in the normalised text, as a polars expression on
    the text made ASCII (`_ascii_expr`)."""
    pattern = _CUES[n][1]
    if pattern != _BARE_INFINITIVE:
        return text.str.contains(_ascii(_SAME_HITS.get(pattern, pattern)))
    word = text.str.extract(_ascii(_FIRST_WORD), 1)
    return (
        word.is_not_null()
        & ~word.is_in([_ascii(w) for w in _OPENERS])
        & ~pl.any_horizontal([word.str.starts_with(_ascii(p)) for p in _OPENER_PREFIXES] or [False])
        & ~word.str.ends_with("na")
    ).fill_null(False)


@functools.lru_cache(maxsize=4096)  # the same combinations recur in every document
def _decide(hits: tuple[bool, ...]) -> tuple[str, float, tuple[int, ...]]:
    """classify_goal's scoring for one combination of cues that fired: the type, the
    confidence and the cues whose words are the triggers (same arithmetic, same order)."""
    scores = dict.fromkeys(GOAL_TYPES, 0.0)
    for cue, hit in zip(_COMPILED, hits, strict=True):
        if hit:
            scores[cue.goal_type] += cue.weight
    total = sum(scores.values())
    if total == 0:
        return "effect", DEFAULT_CONFIDENCE, ()
    best = max(_PRECEDENCE, key=lambda t: (scores[t], -_PRECEDENCE.index(t)))
    share = scores[best] / total
    strength = min(1.0, 0.4 + 0.15 * scores[best])
    confidence = round(max(DEFAULT_CONFIDENCE, min(0.99, share * strength)), 2)
    cues = tuple(n for n, hit in enumerate(hits) if hit and _COMPILED[n].goal_type == best)
    return best, confidence, cues


def _triggers(norm: str, original: str, cues: tuple[int, ...]) -> list[str]:
    """The matched words of these cues, as classify_goal collects them (norm and
    original have the same length here: the match spans are the same)."""
    words: list[str] = []
    for n in cues:
        for m in _COMPILED[n].pattern.finditer(norm):
            word = original[m.start() : m.end()].strip()
            if word and word not in words:
                words.append(word)
    return words


def _classify_texts(texts: pl.Series, trigger_types: Collection[str] | None = None) -> pl.DataFrame:
    """text, goal_type, confidence, triggers for distinct texts: classify_goal's result
    (`trigger_types`: the triggers only of texts of these types, the others get none).

    Which cues fire is found by polars for all texts at once (as a bit mask); the type
    and confidence are worked out once per distinct mask, and Python only collects the
    trigger words of the winning cues. Texts with characters outside the safe set (where
    the two regex engines could disagree) go through classify_goal itself.
    """
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String}).with_columns(
        safe=pl.col("text").str.contains(_SAFE_TEXT)
    )
    safe = frame.filter("safe").select(
        "text", original=pl.col("text").str.replace_all(_SAFE_SPACE, " ").str.strip_chars(" ")
    )
    # materialised first: an eager frame would compute the expression once per cue
    ascii_text = safe.select(_ascii_expr(pl.col("original").str.to_lowercase()).alias("a"))
    mask = ascii_text.select(
        pl.sum_horizontal(
            _cue_hit(n, pl.col("a")).cast(pl.Int64) * (1 << n) for n in range(len(_CUES))
        )
    ).to_series()
    safe = safe.with_columns(mask=mask)
    masks = safe["mask"].unique().to_list()
    verdicts = [_decide(tuple(bool(m >> n & 1) for n in range(len(_CUES)))) for m in masks]
    cues_of = {
        m: v[2] if trigger_types is None or v[0] in trigger_types else ()
        for m, v in zip(masks, verdicts, strict=True)
    }
    triggers = [
        _triggers(orig.lower(), orig, cues_of[mask]) if cues_of[mask] else []
        for orig, mask in zip(safe["original"].to_list(), safe["mask"].to_list(), strict=True)
    ]
    decided = pl.DataFrame(
        {
            "mask": masks,
            "goal_type": [v[0] for v in verdicts],
            "confidence": [v[1] for v in verdicts],
        },
        schema={"mask": pl.Int64, "goal_type": pl.String, "confidence": pl.Float64},
    )
    # Joined and split again: polars builds a list column from Python lists slowly. A
    # safe text holds no \x1f and a trigger word is never empty.
    joined = pl.Series(["\x1f".join(words) for words in triggers], dtype=pl.String)
    safe = safe.with_columns(
        triggers=joined.str.split("\x1f").list.filter(pl.element() != "")
    ).join(decided, on="mask", how="left")
    others = [classify_goal(t) for t in frame.filter(~pl.col("safe"))["text"].to_list()]
    other = pl.DataFrame(
        {
            "text": frame.filter(~pl.col("safe"))["text"],
            "goal_type": [r.goal_type for r in others],
            "confidence": [r.confidence for r in others],
            "triggers": pl.Series([list(r.triggers) for r in others], dtype=pl.List(pl.String)),
        }
    )
    columns = ["text", "goal_type", "confidence", "triggers"]
    return pl.concat([safe.select(columns), other.select(columns)], how="vertical_relaxed")


def classify_goals(doc) -> pl.DataFrame:
    """One row per goal of the document: goal_id, goal_type, confidence, triggers.

    Each distinct text is classified once (documents repeat goal texts a lot).
    """
    return _classify_goals(doc)


def goal_types(doc) -> pl.DataFrame:
    """goal_id, goal_type of every goal: classify_goals without the trigger words, which
    take half its time (a large city's Minska mix and goal cap need the types only)."""
    return _classify_goals(doc, ()).select("goal_id", "goal_type")


def _classify_goals(doc, trigger_types: Collection[str] | None = None) -> pl.DataFrame:
    """classify_goals; `trigger_types`: collect the trigger words only for goals of these
    types (the recommendations cite them for activity goals only)."""
    goals = doc.goals.select("goal_id", "text").with_columns(pl.col("text").fill_null(""))
    lookup = _classify_texts(goals["text"].unique(), trigger_types)
    return (
        goals.join(lookup, on="text", how="left")
        .select(list(CLASSIFICATION_SCHEMA))
        .cast(CLASSIFICATION_SCHEMA)
    )


def goal_type_mix(doc) -> pl.DataFrame:
    """Goals per owner level and type: the mix the page shows per level.

    A goal with several owners at the same level counts once for that level.
    """
    types = goal_types(doc)
    owned = (
        doc.goal_owners.join(doc.units.select("unit_id", "level"), on="unit_id", how="left")
        .select("goal_id", "level")
        .unique()
    )
    return (
        owned.join(types, on="goal_id", how="inner")
        .group_by("level", "goal_type")
        .agg(pl.len().cast(pl.Int64).alias("goals"))
        .sort("level", "goal_type")
    )
