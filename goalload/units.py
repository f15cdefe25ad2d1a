"""The organisation tree: which unit is which, and who sits under whom.

Documents name units by id (the template), by name (exports), and sometimes by a word
that means many units ("Samtliga nämnder"). This module turns all of those into unit ids
and infers what a name alone can tell: "Socialnämnden" is a committee under the
council, "Socialförvaltningen" is an administration under Socialnämnden.
"""

from __future__ import annotations

import functools
import re
import unicodedata

LEVEL_WORDS: dict[str, str] = {
    "kommunfullmäktige": "council", "regionfullmäktige": "council", "fullmäktige": "council",
    "kf": "council", "rf": "council", "council": "council",
    "kommunstyrelse": "board", "kommunstyrelsen": "board", "regionstyrelse": "board",
    "regionstyrelsen": "board", "styrelse": "board", "ks": "board", "rs": "board",
    "board": "board", "executive board": "board",
    "nämnd": "committee", "nämnder": "committee", "committee": "committee",
    "bolag": "company", "företag": "company", "company": "company",
    "förvaltning": "administration", "administration": "administration",
    "kontor": "administration", "department": "administration",
    "enhet": "unit", "verksamhet": "unit", "avdelning": "unit", "unit": "unit",
    "verksamhetsområde": "unit", "skola": "unit", "team": "unit",
}

_ALL_COMMITTEES = re.compile(
    r"^(samtliga|alla|varje)\s+(nämnder|nämnderna|förvaltningar|förvaltningarna|"
    r"nämnder och styrelser?n?|nämnder och bolag|nämnder och förvaltningar)$"
    r"|^(all|every) committees?$"
)


def key(name: str | None) -> str:
    """The form two spellings of one unit name share."""
    # Units are named again on every goal, indicator and assignment row: remember the
    # short names (long texts, such as goals looked up as parents, are folded each time).
    return _key_short(name) if name is None or len(name) <= 200 else _key(name)


_SPACES = re.compile(r"\s+")


def _key(name: str | None) -> str:
    text = unicodedata.normalize("NFC", name or "").casefold()
    return _SPACES.sub(" ", text).strip(" .:;,")


_key_short = functools.lru_cache(maxsize=65536)(_key)


def is_all_committees(name: str) -> bool:
    folded = key(name)
    return _all_committees(folded) if len(folded) <= 200 else bool(_ALL_COMMITTEES.match(folded))


@functools.lru_cache(maxsize=65536)
def _all_committees(folded: str) -> bool:
    return bool(_ALL_COMMITTEES.match(folded))


def level_from_word(word: str | None) -> str | None:
    """'Nämnd' -> committee, 'Kommunfullmäktige' -> council; None when not a level word."""
    return LEVEL_WORDS.get(key(word)) if word else None


def level_from_name(name: str) -> str:
    """What a unit's own name says about its level."""
    text = key(name)
    if "fullmäktige" in text:
        return "council"
    if text.endswith("styrelsen") or text.endswith("styrelse") or text in ("ks", "rs"):
        return "board"
    if re.search(r"nämnd(en)?\b", text):
        return "committee"
    if re.search(r"\bab\b|\bbolag|\baktiebolag", text):
        return "company"
    if re.search(r"förvaltning(en)?\b|kontoret\b|stadskontor|\bkontor\b", text):
        return "administration"
    return "unit"


def stem(name: str) -> str:
    """'Socialförvaltningen' and 'Socialnämnden' share the stem 'social'."""
    text = key(name)
    text = re.sub(r"(förvaltningen|förvaltning|nämnden|nämnd|kontoret|kontor)$", "", text)
    return text.strip(" -")


def guess_parent(name: str, level: str, by_level: dict[str, list[str]]) -> str | None:
    """The likely parent of a unit known only by name, among names by level."""
    if level == "council":
        return None
    councils = by_level.get("council", [])
    if level in ("board", "committee", "company"):
        return councils[0] if councils else None
    if level == "administration":
        own = stem(name)
        if own:
            for committee in by_level.get("committee", []) + by_level.get("board", []):
                other = stem(committee)
                if other and (other.endswith(own) or own.endswith(other)):
                    return committee
        return None
    return None
