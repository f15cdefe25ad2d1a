"""Header synonyms: which column of a municipal spreadsheet means what.

Real goal documents name the same thing many ways ("Ansvarig nämnd", "Ansvarig",
"Organisation"; "Indikator", "Nyckeltal", "Mått"; "Målvärde 2025", "Årsmål"), and the
same word can mean different things on different sheets ("Ansvarig" owns a goal on the
goal sheet but receives an assignment on the assignment sheet). So synonyms are listed
per sheet role, headers are normalised before lookup, and the mapping a reader guessed
is kept so a person can correct it (`mapping=` overrides detection).
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Every field a column can be mapped to, with the label a person sees when correcting.
FIELD_LABELS: dict[str, str] = {
    "goal_area": "Målområde / perspektiv",
    "council_goal": "Fullmäktiges mål (KF-mål, inriktningsmål)",
    "board_goal": "Styrelsens mål (KS-mål)",
    "committee_goal": "Nämndmål",
    "administration_goal": "Förvaltningsmål",
    "unit_goal": "Verksamhets- eller enhetsmål",
    "goal": "Mål (alla nivåer i samma kolumn)",
    "goal_id": "Mål-ID",
    "parent_goal_id": "Överordnat mål (ID)",
    "level": "Organisationsnivå",
    "goal_level": "Målnivå",
    "owner": "Ansvarig (nämnd, förvaltning, enhet)",
    "indicator": "Indikator / nyckeltal",
    "indicator_id": "Indikator-ID",
    "goal_ref": "Mål som indikatorn mäter (ID)",
    "target": "Målvärde",
    "frequency": "Frekvens / uppföljning",
    "source": "Källa",
    "kolada_id": "Kolada-ID",
    "assignment": "Uppdrag",
    "assignment_id": "Uppdrags-ID",
    "recipient": "Mottagare",
    "issuer": "Givet av",
    "report_back": "Återrapportering",
    "unit_id": "Enhets-ID",
    "unit": "Enhet / organisation",
    "parent_unit": "Överordnad enhet",
    "doc_key": "Uppgift",
    "doc_value": "Värde",
    "ignore": "(används inte)",
}

# Hierarchy columns, top to bottom, and the unit level that owns a goal in each when the
# row names no owner of its own (council goals belong to the council).
GOAL_LEVEL_FIELDS: tuple[str, ...] = (
    "council_goal",
    "board_goal",
    "committee_goal",
    "administration_goal",
    "unit_goal",
)
GOAL_LEVEL_WORDS = {
    "council_goal": "KF-mål",
    "board_goal": "KS-mål",
    "committee_goal": "Nämndmål",
    "administration_goal": "Förvaltningsmål",
    "unit_goal": "Verksamhetsmål",
}

_GOAL_SHEET = {
    "goal_area": [
        "målområde", "målområden", "perspektiv", "fokusområde", "strategiskt område",
        "strategiska områden", "utvecklingsområde", "område", "goal area", "area",
        "perspective", "theme",
    ],
    "council_goal": [
        "kf-mål", "kf mål", "kfmål", "kommunfullmäktiges mål", "fullmäktigemål",
        "fullmäktiges mål", "inriktningsmål", "övergripande mål", "kommungemensamt mål",
        "kommungemensamma mål", "kommunmål", "rf-mål", "regionfullmäktiges mål",
        "strategiskt mål", "strategiska mål", "council goal", "strategic goal",
    ],
    "board_goal": ["ks-mål", "ks mål", "kommunstyrelsens mål", "rs-mål", "board goal"],
    "committee_goal": [
        "nämndmål", "nämndsmål", "nämndens mål", "nämnds mål", "committee goal",
    ],
    "administration_goal": ["förvaltningsmål", "förvaltningens mål", "administration goal"],
    "unit_goal": [
        "verksamhetsmål", "enhetsmål", "enhetens mål", "verksamhetens mål",
        "unit goal", "operational goal",
    ],
    "goal": [
        "mål", "målformulering", "målbeskrivning", "målsättning", "goal", "objective",
        "mål text", "måltext",
    ],
    "goal_id": ["id", "mål-id", "målid", "mål id", "målnummer", "mål nr", "goal id", "nr"],
    "parent_goal_id": [
        "kopplat till", "kopplad till", "överordnat mål", "överordnat mål-id",
        "överordnat mål id", "förälder", "bidrar till", "parent", "parent goal",
        "parent id", "parent goal id",
    ],
    "level": ["nivå", "organisationsnivå", "level", "org nivå"],
    "goal_level": ["målnivå", "måltyp", "goal level", "goal type"],
    "owner": [
        "ansvarig nämnd", "ansvarig", "nämnd", "organisation", "enhet", "förvaltning",
        "ägare", "ansvarig enhet", "ansvarig enhet-id", "ansvarig enhet id",
        "ansvarig förvaltning", "verksamhet", "ansvarig organisation", "målägare",
        "responsible", "owner", "unit", "committee", "department", "organisation unit",
    ],
    "indicator": [
        "indikator", "indikatorer", "nyckeltal", "mått", "mätetal", "styrtal",
        "resultatmått", "indikator nyckeltal", "indicator", "indicators", "kpi", "kpis",
        "measure", "measures",
    ],
    "target": [
        "målvärde", "målvärden", "årsmål", "mål värde", "målnivå värde", "önskat värde",
        "target", "target value",
    ],
    "frequency": [
        "frekvens", "uppföljning", "periodicitet", "uppföljningsfrekvens", "rapportering",
        "mätfrekvens", "rapporteringsfrekvens", "mäts", "frequency", "reporting",
    ],
    "source": ["källa", "datakälla", "källor", "source", "data source"],
    "kolada_id": ["kolada-id", "kolada id", "koladaid", "kolada", "kpi id"],
    "comment": [],
}

_INDICATOR_SHEET = {
    "indicator_id": ["indikator-id", "indikator id", "indikatorid", "id", "indicator id"],
    "indicator": _GOAL_SHEET["indicator"],
    "goal_ref": ["mål-id", "mål id", "målid", "mål", "mäter mål", "goal id", "goal", "goals"],
    "owner": [
        "ansvarig enhet-id", "ansvarig enhet id", "ansvarig enhet", "ansvarig", "ägare",
        "owner", "unit",
    ],
    "frequency": _GOAL_SHEET["frequency"],
    "source": _GOAL_SHEET["source"],
    "kolada_id": _GOAL_SHEET["kolada_id"],
    "target": _GOAL_SHEET["target"],
}

_ASSIGNMENT_SHEET = {
    "assignment_id": [
        "nr", "uppdrag-id", "uppdrag id", "uppdragsnummer", "id", "nummer", "assignment id",
    ],
    "assignment": [
        "uppdrag", "uppdragsbeskrivning", "uppdragets innehåll", "assignment", "task",
    ],
    "recipient": [
        "mottagare", "ansvarig", "ansvarig nämnd", "ansvariga nämnder", "nämnd", "nämnder",
        "ansvarig enhet", "till", "recipient", "recipients", "responsible",
    ],
    "issuer": ["givet av", "beslutat av", "uppdragsgivare", "från", "issued by", "issuer"],
    "report_back": [
        "återrapportering", "redovisas", "rapporteras", "redovisning", "återrapporteras",
        "deadline", "klart", "report back", "due",
    ],
}

_UNIT_SHEET = {
    "unit_id": ["enhet-id", "enhet id", "enhetsid", "id", "unit id"],
    "unit": ["enhet", "organisation", "namn", "enhetsnamn", "nämnd", "unit", "name"],
    "parent_unit": [
        "tillhör", "överordnad", "överordnad enhet", "överordnad enhet-id",
        "överordnad enhet id", "förälder", "parent", "parent unit", "parent id",
    ],
    "level": ["nivå", "typ", "organisationsnivå", "level", "type"],
}

_DOCUMENT_SHEET = {
    "doc_key": ["uppgift", "key", "fält"],
    "doc_value": ["värde", "value"],
}

SYNONYMS_BY_ROLE: dict[str, dict[str, list[str]]] = {
    "goals": _GOAL_SHEET,
    "indicators": _INDICATOR_SHEET,
    "assignments": _ASSIGNMENT_SHEET,
    "units": _UNIT_SHEET,
    "document": _DOCUMENT_SHEET,
}

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_NON_WORD = re.compile(r"[^\w\s\-]+")
_SPACE = re.compile(r"[\s_]+")


def normalize_header(header: object) -> str:
    """Fold a header to its lookup form: 'Målvärde 2025 ' -> 'målvärde'."""
    text = str(header or "")
    # Header detection folds the same few cells for every row and role: remember them
    # (short texts only, so that 100,000-character cells do not fill the memory).
    return _normalize_short(text) if len(text) <= _CACHED_LENGTH else _normalize(text)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = _YEAR.sub(" ", text)
    text = text.replace("/", " ").replace("(", " ").replace(")", " ")
    text = _NON_WORD.sub(" ", text)
    text = _SPACE.sub(" ", text).strip(" -")
    return text


_CACHED_LENGTH = 200
_normalize_short = functools.lru_cache(maxsize=16384)(_normalize)


def _build_lookup() -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for role, fields in SYNONYMS_BY_ROLE.items():
        table: dict[str, str] = {}
        for field, words in fields.items():
            for word in words:
                table.setdefault(normalize_header(word), field)
        lookup[role] = table
    return lookup


_LOOKUP = _build_lookup()
# No known header has more words than this; longer prefixes need not be tried (a cell of
# 100,000 characters would otherwise cost a quadratic number of joins).
_MAX_WORDS = max(len(key.split(" ")) for table in _LOOKUP.values() for key in table)


def field_for(header: object, role: str) -> str | None:
    """The field a header means on a sheet of `role`, or None when unknown."""
    key = normalize_header(header)
    return _field_for_key(key, role) if len(key) <= _CACHED_LENGTH else _lookup(key, role)


def _lookup(key: str, role: str) -> str | None:
    if not key:
        return None
    table = _LOOKUP[role]
    if key in table:
        return table[key]
    # "Ansvarig nämnd 2025 (KF)" and similar: try the longest known prefix of words.
    words = key.split(" ")
    for cut in range(min(len(words) - 1, _MAX_WORDS), 0, -1):
        hit = table.get(" ".join(words[:cut]))
        if hit:
            return hit
    return None


_field_for_key = functools.lru_cache(maxsize=16384)(_lookup)


def fields_by_role(header: object) -> tuple[str | None, ...]:
    """field_for(header, role) for every role in SYNONYMS_BY_ROLE, in that order."""
    text = str(header or "")
    return _fields_short(text) if len(text) <= _CACHED_LENGTH else _fields(text)


def _fields(text: str) -> tuple[str | None, ...]:
    return tuple(field_for(text, role) for role in SYNONYMS_BY_ROLE)


_fields_short = functools.lru_cache(maxsize=16384)(_fields)


def known_in_any_role(header: object) -> bool:
    key = normalize_header(header)
    return bool(key) and any(key in table for table in _LOOKUP.values())


def map_headers(headers: list[str], role: str) -> dict[str, str]:
    """Map each header to a field; the first column claiming a field wins, later ones
    that would claim it again are ignored (a person can correct that)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = field_for(header, role)
        if field is None or field == "comment" or field in taken:
            mapping[header] = "ignore"
            continue
        mapping[header] = field
        taken.add(field)
    return mapping
