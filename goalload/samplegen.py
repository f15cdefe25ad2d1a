"""Seeded fictional municipalities: the bundled sample, benchmark sizes and a whole country.

The sample municipality ("Exempelkommun", about 60,000 inhabitants) is written by hand
where a reader looks closely (council, board, committee and administration goals,
assignments) and filled from per-unit-type templates below that (schools, care homes,
libraries, offices). It carries on purpose the patterns the product exists to find:
duplicated and near-duplicated goals across committees, pass-through goals, activity
goals, unmeasured goals, orphan and shared indicators, monthly manual indicators, Kolada
indicators reported more often than Kolada updates, and assignments to all committees.
`generate_with_truth` returns a record of what was planted so tests can check that
other modules find it.

Bigger documents (benchmarks) add units and goals from combinatorial phrase pools with
numpy draws; everything is deterministic for a seed. Functions return documents (or
bytes); writing files is left to sample_data/generate.py and the benchmarks. The only
file ever read is Kolada's municipality list, and only when asked to.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from goalload.cells import source_kind_expr
from goalload.model import FREQUENCIES, GoalDocument, new_document
from goalload.template import (
    ALL_COMMITTEE_LEVELS,
    ALL_COMMITTEES,
    STYLE_BOLD,
    STYLE_HEADER,
    STYLE_TITLE,
    SheetSpec,
    Styled,
    column_letter,
    sheet_name,
    write_xlsx,
)

# ---------------------------------------------------------------------------------------
# Real Kolada KPIs (id, title as published; kpi_catalogue.csv of 2026-03). Only these
# are embedded: the product reads the full catalogue at run time, not from here.
KOLADA_KPIS: dict[str, str] = {
    "N15419": "Elever i åk 9 som uppnått betygskriterierna i alla ämnen, kommunala skolor,  andel (%)",
    "N15418": "Elever i åk 9 som uppnått betygskriterierna i alla ämnen, lägeskommun, andel (%)",
    "N15483": "Elever i åk 6 med lägst betyget E i matematik, lägeskommun, andel (%)",
    "N15485": "Elever i åk 6 med lägst betyget E i matematik, kommunala skolor, andel (%)",
    "N15505": "Elever i åk. 9, meritvärde kommunala skolor, genomsnitt (17 ämnen)",
    "N15613": 'Elever i åk 5: Känner du dig trygg i skolan? Andel som svarat "Helt och hållet" eller "Till stor del", (%)',
    "N15643": 'Elever i åk 8: Känner du dig trygg i skolan? Andel som svarat "Helt och hållet" eller "Till stor del", (%)',
    "N15633": 'Elever i åk 8: Hur ofta är det arbetsro på lektionerna? Andel som svarat "Alltid" eller "Ofta", (%)',
    "N15659": 'Elever i åk 8: Hur nöjd är du med din skola? Andel som svarat "Helt och hållet" eller "Till stor del", (%)',
    "N15629": 'Elever i åk 5: Hur nöjd är du med din skola? Andel som svarat "Helt och hållet" eller "Till stor del", (%)',
    "N17444": "Gymnasieelever med examen eller studiebevis inom 3 år, kommunala skolor, andel (%)",
    "N17451": "Gymnasieelever med examen inom 3 år, kommunala skolor, andel (%)",
    "N17528": "Elever som avslutat årskurs 9 på våren och som ej återfanns i gymnasieskolan på hösten, hemkommun, andel (%)",
    "N11010": "Inskrivna barn per årsarbetare i förskolan, kommunal regi, antal",
    "N11730": "Inskrivna barn på förskola, kommunal regi, antal",
    "N15006": "Kostnad grundskola åk 1-9, hemkommun, kr/elev",
    "N15001": "Nettokostnadsavvikelse grundskola F-9, (%)",
    "N15313": 'Pedagogisk personal grundskola: Hur ofta upplever du att det är studiero på dina lektioner? Andel som har svarat "Alltid" eller "Ofta" (%)',
    "N17673": 'Gymnasieelever i år 2: Känner du dig trygg i skolan? Andel som har svarat "Helt och hållet" eller "Till stor del", (%)',
    "N17663": 'Gymnasieelever i år 2: Hur ofta är det arbetsro på lektionerna? Andel som har svarat "Alltid" eller "Ofta", andel (%)',
    "N21492": "Brukarbedömning hemtjänst äldreomsorg - samarbete med anhöriga, andel (%)",
    "N21496": "Brukarbedömning hemtjänst äldreomsorg - personalen har kunskap och kompetens, andel (%)",
    "N21497": "Brukarbedömning hemtjänst äldreomsorg - träffa fast omsorgskontakt, andel (%)",
    "N23391": "Brukarbedömning särskilt boende äldreomsorg - personalen har kunskap och kompetens, andel (%)",
    "N23491": "Brukarbedömning särskilt boende äldreomsorg - samarbete med anhöriga, andel (%)",
    "U01421": "Brukarbedömning hemtjänst äldreomsorg - besväras av ensamhet kommun, andel (%)",
    "N20900": "Nettokostnadsavvikelse äldreomsorg, (%)",
    "N21006": "Kostnad hemtjänst äldreomsorg, kr/hemtjänsttagare",
    "N23009": "Kostnad särskilt boende äldreomsorg, kr/brukare",
    "N20206": "Heltidsanställda månadsavlönade inom omsorg om äldre och personer med funktionsnedsättning, andel (%)",
    "N31807": "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%) av bef.",
    "N31814": "Vuxna biståndsmottagare (18+ år) med långvarigt ekonomiskt bistånd, andel (%) av biståndsmottagare 18+ år",
    "N33818": "Barn och unga 0-20 år som har varit placerade på HVB eller familjehem någon gång under året, antal/1000 inv",
    "N01710": "Individer med ekonomiskt bistånd räknat i helårsekvivalenter, antal",
    "N30001": "Nettokostnadsavvikelse individ- och familjeomsorg, (%)",
    "N31849": "Utbetalt ekonomiskt bistånd, kr/hushåll",
    "N00401": "Utsläpp till luft av växthusgaser totalt, ton CO2-ekv/inv",
    "N85073": "Utsläpp till luft av växthusgaser, transporter, ton CO2e/inv",
    "N07713": "Elbilsladdpunkter, totalt antal",
    "N00632": "Medborgarundersökningen - Hämtningen av hushållsavfall fungerar bra, andel (%)",
    "N45944": "Slutanvändning av energi inom offentlig verksamhet inom det geografiska området, MWh",
    "N85054": "Skyddad natur totalt, andel (%)",
    "N45925": "Elproduktion av förnybara energikällor inom det geografiska området, andel (%)",
    "N00090": "Sjukfrånvaro totalt bland anställda, kommun, andel (%)",
    "N00091": "Sjukfrånvaro mer än 59 dagar som andel av total sjukfrånvaro bland anställda, kommun, andel (%)",
    "N00206": "Heltidsanställda månadsavlönade, kommun, andel (%)",
    "U00200": "Medarbetarengagemang (HME) totalt kommunen - Totalindex",
    "N15206": "Heltidsanställda månadsavlönade inom grundskola, andel (%)",
    "N11206": "Heltidsanställda månadsavlönade inom förskola, andel (%)",
    "N30206": "Heltidsanställda månadsavlönade inom individ- och familjeomsorg, andel (%)",
    "N03107": "Resultat före extraordinära poster kommunen, kr/inv",
    "N03106": "Soliditet kommun, (%)",
    "N03016": "Självfinansieringsgrad för kommunens verksamhet, (%)",
    "N00097": "Nettokostnadsavvikelse totalt (exkl. LSS), andel (%)",
    "N03033": "Resultat före extraordinära poster (kommunkoncern), andel (%) av skatt & generella statsbidrag",
    "N09801": "Lån från kommunala bibliotek, antal/inv",
    "N09807": "Fysiska besök vid kommunala bibliotek, antal/inv",
    "N09809": "Aktiva låntagare i kommunala bibliotek, andel (%) av befolkningen",
    "N09888": "Elever i musik- eller kulturskola, 6-19 år, andel (%)",
    "N09805": "Aktivitetstillfällen för barn och unga i kommunala bibliotek, antal/1000 inv 0-18 år",
    "N00586": "Medborgarundersökningen - Bra utbud av böcker och tidskrifter i kommunens bibliotek, andel (%)",
    "N02281": "Arbetslöshet bland inrikes födda, 20-64 år, befolkningens arbetsmarknadsstatus (BAS), andel (%)",
    "N02282": "Arbetslöshet bland utrikes födda, 20-64 år, befolkningens arbetsmarknadsstatus (BAS), andel (%)",
    "N00711": "Förvärvsarbetande eller studerande skyddsbehövande och anhöriga (flyktingar) 20-64 år, andel (%)",
    "N40828": "Deltagare inom arbetsmarknadsverksamheten vars insatser avslutats inom 6 månader, andel (%)",
    "N00820": "Handläggningstid (median) från inkommen ansökan till beslut för bygglov för nybyggnad av en- och tvåbostadshus, antal dagar",
    "N00640": "Medborgarundersökningen - Bra bemötande vid kontakt med tjänsteperson i kommunen, andel (%)",
    "N00671": "Servicemätning - Nöjd med bemötandet via telefoni, index",
    "N00301": "Trygghet och säkerhet - Kommunindex",
    "N07609": "NTU - Otrygghet vid utomhusvistelse sen kväll i det egna bostadsområdet, andel (%)",
    "N18946": "Kursdeltagare i sfi som har avslutat kurs med godkända betyg, i huvudmannens skolenheter, andel av de som avslutat eller avbrutit kurs under året (%)",
    "N18945": "Kursdeltagare i komvux på gymnasial nivå som har avslutat kurs med godkända betyg, i huvudmannens skolenheter, andel av de som avslutat eller avbrutit kurs under året (%)",
}

# Titles as a reader sees them (the catalogue has a few double spaces; readers collapse them).
KOLADA_KPIS = {k: " ".join(v.split()) for k, v in KOLADA_KPIS.items()}

# Swedish frequency words as written in documents -> code.
FREQ_SV = {"Månad": "month", "Kvartal": "quarter", "Tertial": "tertial", "Halvår": "half_year", "År": "year"}

# ---------------------------------------------------------------------------------------
# Organisation of the sample: (unit_id, name, level, parent_id, kind). `kind` picks the
# unit-goal templates further down.
ORGANISATION: list[tuple[str, str, str, str | None, str]] = [
    ("KF", "Kommunfullmäktige", "council", None, ""),
    ("KS", "Kommunstyrelsen", "board", "KF", ""),
    ("BUN", "Barn- och utbildningsnämnden", "committee", "KF", ""),
    ("SN", "Socialnämnden", "committee", "KF", ""),
    ("VON", "Vård- och omsorgsnämnden", "committee", "KF", ""),
    ("KFN", "Kultur- och fritidsnämnden", "committee", "KF", ""),
    ("TN", "Tekniska nämnden", "committee", "KF", ""),
    ("MBN", "Miljö- och byggnadsnämnden", "committee", "KF", ""),
    ("AMN", "Arbetsmarknadsnämnden", "committee", "KF", ""),
    ("OFN", "Överförmyndarnämnden", "committee", "KF", ""),
    ("VALN", "Valnämnden", "committee", "KF", ""),
    ("BOST", "Exempelkommun Bostäder AB", "company", "KS", ""),
    ("ENERGI", "Exempelkommun Energi AB", "company", "KS", ""),
    ("KLF", "Kommunledningsförvaltningen", "administration", "KS", ""),
    ("BUF", "Barn- och utbildningsförvaltningen", "administration", "BUN", ""),
    ("SOF", "Socialförvaltningen", "administration", "SN", ""),
    ("VOF", "Vård- och omsorgsförvaltningen", "administration", "VON", ""),
    ("KFF", "Kultur- och fritidsförvaltningen", "administration", "KFN", ""),
    ("TF", "Tekniska förvaltningen", "administration", "TN", ""),
    ("MBF", "Miljö- och byggförvaltningen", "administration", "MBN", ""),
    ("AMF", "Arbetsmarknadsförvaltningen", "administration", "AMN", ""),
    ("OFK", "Överförmyndarkansliet", "administration", "OFN", ""),
    ("BUF-NORR", "Norrskolan", "unit", "BUF", "school"),
    ("BUF-SODER", "Söderskolan", "unit", "BUF", "school"),
    ("BUF-ANG", "Ängsskolan", "unit", "BUF", "school"),
    ("BUF-BJORK", "Björkhagens förskola", "unit", "BUF", "preschool"),
    ("BUF-SOLROS", "Förskolan Solrosen", "unit", "BUF", "preschool"),
    ("BUF-GYMN", "Exempelgymnasiet", "unit", "BUF", "school"),
    ("BUF-ELEVH", "Centrala elevhälsan", "unit", "BUF", "office"),
    ("VOF-LIND", "Lindgårdens vård- och omsorgsboende", "unit", "VOF", "care_home"),
    ("VOF-SOLH", "Solhemmets vård- och omsorgsboende", "unit", "VOF", "care_home"),
    ("VOF-HTN", "Hemtjänst Norr", "unit", "VOF", "home_care"),
    ("VOF-HTS", "Hemtjänst Söder", "unit", "VOF", "home_care"),
    ("VOF-LSS", "Gruppbostäder LSS", "unit", "VOF", "care_home"),
    ("SOF-BoF", "Barn- och familjeenheten", "unit", "SOF", "office"),
    ("SOF-FORS", "Försörjningsstödsenheten", "unit", "SOF", "office"),
    ("SOF-VUXEN", "Vuxenenheten", "unit", "SOF", "office"),
    ("KFF-BIB", "Stadsbiblioteket", "unit", "KFF", "library"),
    ("KFF-KULT", "Kulturskolan", "unit", "KFF", "office"),
    ("KFF-SIM", "Exempelbadet", "unit", "KFF", "office"),
    ("KFF-FRIT", "Fritidsgården Ungdomens hus", "unit", "KFF", "office"),
    ("TF-GATA", "Gatu- och parkenheten", "unit", "TF", "office"),
    ("TF-KOST", "Kostenheten", "unit", "TF", "office"),
    ("TF-LOKAL", "Lokalförsörjningsenheten", "unit", "TF", "office"),
    ("MBF-BYGG", "Bygglovsenheten", "unit", "MBF", "office"),
    ("MBF-MILJO", "Miljö- och hälsoskyddsenheten", "unit", "MBF", "office"),
    ("AMF-JOBB", "Jobbcentrum", "unit", "AMF", "office"),
    ("AMF-VUX", "Vuxenutbildningen", "unit", "AMF", "office"),
    ("KLF-HR", "HR-avdelningen", "unit", "KLF", "office"),
    ("KLF-EKO", "Ekonomiavdelningen", "unit", "KLF", "office"),
    ("KLF-KC", "Kontaktcenter", "unit", "KLF", "office"),
]

# ---------------------------------------------------------------------------------------
# Indicator specs. K(): a Kolada KPI (title from KOLADA_KPIS); M(): anything else.
# Sources are written as documents write them; the kind is what the reader should infer.


@dataclass(frozen=True)
class Ind:
    name: str
    freq: str  # Swedish word
    source: str
    kind: str
    target: str | None = None
    kolada_id: str | None = None


def K(kpi: str, target: str | None = None, freq: str = "År", source: str = "Kolada") -> Ind:  # noqa: N802
    return Ind(KOLADA_KPIS[kpi], freq, source, "kolada", target, kpi)


def M(name: str, target: str | None = None, freq: str = "År", source: str = "Manuell sammanställning") -> Ind:  # noqa: N802
    kind = (
        "manual"
        if source.startswith(("Manuell", "Egen sammanställning", "Egen räkning"))
        else "survey"
        if "enkät" in source.lower() or "undersökning" in source.lower()
        else "system"
    )
    return Ind(name, freq, source, kind, target)


SICK = "Sjukfrånvaro, andel av ordinarie arbetstid (%)"
BUDGET = "Budgetavvikelse, mnkr"


def sick(target: str = "6,5") -> Ind:
    return M(SICK, target, "Månad", "Personalsystemet")


def budget() -> Ind:
    return M(BUDGET, "0", "Månad", "Ekonomisystemet")


@dataclass(frozen=True)
class G:
    """A hand-written goal: key, owners, parent key, level word, area, text, indicators, tags."""

    key: str
    owners: tuple[str, ...] | str
    parent: str | None
    level: str
    text: str
    inds: tuple[Ind, ...] = ()
    tags: tuple[str, ...] = ()  # "pass" (restates parent), "act" (activity), "sick", "detail"
    area: str | None = None


AREAS = {
    "UTB": "Utbildning och livslångt lärande",
    "OMS": "Vård, omsorg och trygghet",
    "HUT": "Hållbar samhällsutveckling",
    "KUL": "Kultur, fritid och livskvalitet",
    "ARB": "Attraktiv arbetsgivare",
    "EKO": "God ekonomisk hushållning och service",
    "NAR": "Arbete och näringsliv",
}


def _kf(key: str, area: str, text: str, *inds: Ind, tags: tuple[str, ...] = ()) -> G:
    return G(key, ("KF",), None, "KF-mål", text, inds, tags, AREAS[area])


def _g(key: str, owner: str | tuple[str, ...], parent: str | None, text: str, *inds: Ind, tags: tuple[str, ...] = ()) -> G:
    owners = (owner,) if isinstance(owner, str) else owner
    level = {"KS": "KS-mål", "BOST": "Bolagsmål", "ENERGI": "Bolagsmål"}.get(owners[0], "Nämndmål")
    if owners[0] in _ADMIN_IDS:
        level = "Förvaltningsmål"
    return G(key, owners if owner != ALL_COMMITTEES else ALL_COMMITTEES, parent, level, text, inds, tags)


_ADMIN_IDS = {u[0] for u in ORGANISATION if u[2] == "administration"}

# The council's goals, the board's and the committees' (hand-written, fixed).
BASE_GOALS: list[G] = [
    _kf("KF1", "UTB", "Alla barn och elever ska nå kunskapsmålen och fullfölja sin utbildning", K("N15418", "80"), K("N17444", "85")),
    _kf("KF2", "UTB", "Barn och unga ska ha en trygg uppväxt"),
    _kf("KF3", "OMS", "Äldre ska känna sig trygga och ha inflytande över sin vardag"),
    _kf("KF4", "OMS", "Fler invånare ska vara självförsörjande", K("N31807", "3,5")),
    _kf("KF5", "OMS", "Personer med funktionsnedsättning ska kunna leva ett självständigt liv"),
    _kf("KF6", "HUT", "Exempelkommun ska vara klimatneutral år 2035", K("N00401", "3,0")),
    _kf("KF7", "HUT", "Kommunen ska ha ett tryggt och välskött offentligt rum", K("N00301")),
    _kf("KF8", "HUT", "Det ska vara enkelt att bygga och bo i Exempelkommun"),
    _kf("KF9", "KUL", "Invånarna ska ha tillgång till ett rikt kultur- och fritidsutbud"),
    _kf("KF10", "ARB", "Kommunen ska vara en attraktiv arbetsgivare med friska medarbetare", K("U00200", "80"), tags=("sick",)),
    _kf("KF11", "ARB", "Kommunens medarbetare ska ha en god och hälsosam arbetsmiljö", tags=("sick",)),
    _kf("KF12", "EKO", "Kommunen ska ha en god ekonomisk hushållning", K("N03107", "1 500"), K("N03106", "45")),
    _kf("KF13", "EKO", "Invånarna ska få god service och ett gott bemötande", K("N00640", "75")),
    _kf("KF14", "EKO", "Kommunen ska öka takten i digitaliseringen av välfärden"),
    _kf("KF15", "NAR", "Fler invånare ska komma i arbete eller studier", K("N02281", "4")),
    # Kommunstyrelsen
    _g("KS1", "KS", "KF12", "Kommunens ekonomi ska vara i balans", K("N03107", "1 500"), budget()),
    _g("KS2", "KS", "KF10", "Sjukfrånvaron i kommunen ska minska", K("N00090", "6,5", "Månad"), M("Korttidssjukfrånvaro dag 1-14, antal tillfällen", None, "Månad", "Personalsystemet"), tags=("sick",)),
    _g("KS3", "KS", "KF12", "Genomföra en översyn av kommunens styrmodell", tags=("act",)),
    _g("KS4", "KS", "KF14", "Ta fram en ny digitaliseringsstrategi", M("Strategin antagen av kommunfullmäktige (ja/nej)", "Ja", "År"), tags=("act",)),
    _g("KS5", "KS", "KF10", "Kommunen ska vara en attraktiv arbetsgivare", K("U00200", "80"), K("N00206", "85"), tags=("pass",)),
    _g("KS6", "KS", "KF13", "Invånarna ska få god service och ett gott bemötande", K("N00640", "75"), K("N00671", "80", "Kvartal"), tags=("pass",)),
    _g("KS7", ALL_COMMITTEES, "KF6", "Minska energianvändningen i kommunens lokaler", M("Energianvändning i kommunens lokaler, kWh/kvm", "-3 %", "Kvartal", "Energiuppföljningssystemet")),
    _g("KS8", "KS", "KF15", "Näringslivsklimatet i kommunen ska förbättras", M("Sammanfattande omdöme om företagsklimatet, företagarenkät", "3,8", "År", "Svenskt Näringslivs enkät")),
    _g("KS9", "KS", "KF14", "Införa ett gemensamt ärendehanteringssystem i alla förvaltningar", M("Andel förvaltningar som använder det gemensamma systemet (%)", "100", "Kvartal"), tags=("act",)),
    _g("KS10", ALL_COMMITTEES, "KF10", "Sänka sjukfrånvaron", sick(), tags=("sick",)),
    # Barn- och utbildningsnämnden
    _g("BUN1", "BUN", "KF1", "Öka andelen elever som når kunskapskraven i alla ämnen", K("N15419", "78"), K("N15485", "90"), M("Andel elever i åk 3 med godkänt på nationella prov i svenska (%)", "85", "År", "Skolans betygssystem")),
    _g("BUN2", "BUN", "KF1", "Alla barn och elever ska nå kunskapsmålen och fullfölja sin utbildning", K("N15505", "230"), tags=("pass",)),
    _g("BUN3", "BUN", "KF2", "Förbättra studieron i klassrummen", K("N15633", "70"), M("Andel elever som upplever studiero, egen elevenkät (%)", "75", "Tertial", "Egen elevenkät")),
    _g("BUN4", "BUN", "KF2", "Barn och elever ska känna sig trygga i förskola och skola", K("N15613", "90"), K("N15643", "85"), K("N17673", "90"), M("Antal anmälningar om kränkande behandling", "< 150", "Månad")),
    _g("BUN5", "BUN", "KF1", "Öka andelen gymnasieelever som tar examen inom tre år", K("N17451", "75", "Kvartal"), K("N17444", "85")),
    _g("BUN6", "BUN", "KF2", "Genomföra en kartläggning av elevhälsans arbete", tags=("act",)),
    _g("BUN7", "BUN", "KF10", "Sänka sjukfrånvaron bland medarbetarna", sick("6,5"), tags=("sick",)),
    _g("BUN8", "BUN", "KF12", "Budgeten ska vara i balans", budget(), K("N15001", "0")),
    _g("BUN9", "BUN", "KF1", "Förskolan ska ha rimligt stora barngrupper", K("N11010", "5,2"), M("Antal barn per barngrupp i förskolan", "15", "Månad")),
    _g("BUN10", "BUN", "KF10", "Ta fram en plan för kompetensförsörjning av legitimerade lärare", M("Andel lärare med legitimation och behörighet (%)", "85", "Halvår", "Personalsystemet"), tags=("act",)),
    _g("BUN11", "BUN", "KF10", "Öka andelen heltidsanställda", K("N15206", "90"), K("N11206", "85")),
    # Socialnämnden
    _g("SN1", "SN", "KF2", "Barn och unga som far illa ska få stöd i tid", K("N33818", "8"), M("Andel barnavårdsutredningar avslutade inom fyra månader (%)", "95", "Månad", "Verksamhetssystemet"), M("Antal orosanmälningar", None, "Månad")),
    _g("SN2", "SN", "KF4", "Fler invånare ska bli självförsörjande", K("N31807", "3,5"), K("N31814", "40"), M("Antal hushåll med försörjningsstöd", "< 600", "Månad", "Verksamhetssystemet")),
    _g("SN3", "SN", "KF10", "Minska sjukfrånvaron bland medarbetarna", sick("7"), tags=("sick",)),
    _g("SN4", ("SN", "KFN"), "KF3", "Minska ensamheten bland äldre", M("Antal deltagare i träffpunkter", "2 000", "Tertial")),
    _g("SN5", "SN", "KF14", "Införa digitala ansökningar om försörjningsstöd", M("Andel ansökningar om försörjningsstöd som görs digitalt (%)", "70", "Månad", "Verksamhetssystemet"), tags=("act",)),
    _g("SN6", "SN", "KF12", "Ekonomin ska vara i balans", budget(), K("N30001", "0")),
    _g("SN7", "SN", "KF5", "Personer med missbruk ska få ett samordnat stöd", M("Antal upprättade samordnade individuella planer (SIP)", "60", "Kvartal")),
    _g("SN8", "SN", "KF2", "Genomföra en utbildningsinsats i motiverande samtal för all personal", tags=("act",)),
    # Vård- och omsorgsnämnden
    _g("VON1", "VON", "KF3", "Äldre ska känna sig trygga och ha inflytande över sin vardag", K("N21497", "70", "Kvartal"), K("U01421", "< 50"), tags=("pass",)),
    _g("VON2", "VON", "KF3", "Öka tryggheten i särskilt boende", K("N23391", "88"), M("Antal avvikelser fall", "< 40", "Månad"), M("Antal avvikelser läkemedel", "< 25", "Månad")),
    _g("VON3", "VON", "KF3", "Öka personalkontinuiteten i hemtjänsten", K("N21497", "70", "Kvartal"), M("Antal olika personal per brukare under 14 dagar", "12", "Månad", "Planeringssystemet")),
    _g("VON4", "VON", "KF11", "Personalens hälsa ska förbättras", sick("7,5"), M("Korttidssjukfrånvaro, antal tillfällen per medarbetare", None, "Månad", "Personalsystemet"), tags=("sick",)),
    _g("VON5", "VON", "KF10", "Öka andelen heltidsanställda inom vård och omsorg", K("N20206", "80"), M("Andel medarbetare som arbetar heltid (%)", "75", "Månad", "Personalsystemet")),
    _g("VON6", "VON", "KF5", "Personer med funktionsnedsättning ska ha en meningsfull sysselsättning", M("Antal deltagare i daglig verksamhet som gått vidare till arbete", "5", "Halvår")),
    _g("VON7", "VON", "KF14", "Ta fram en handlingsplan för välfärdsteknik", tags=("act",)),
    _g("VON8", "VON", "KF12", "Budgeten ska vara i balans", budget(), K("N20900", "0")),
    _g("VON9", "VON", "KF3", "Anhöriga ska känna sig delaktiga i omsorgen", K("N21492", "70"), K("N23491", "75")),
    # Kultur- och fritidsnämnden
    _g("KFN1", "KFN", "KF9", "Öka antalet besök på biblioteken", K("N09807", "5,0"), M("Antal besökare på Stadsbiblioteket", "15 000", "Månad", "Besöksräknare")),
    _g("KFN2", "KFN", "KF9", "Fler barn och unga ska delta i kulturskolans verksamhet", K("N09888", "20"), M("Antal inskrivna elever i kulturskolan", "1 200", "Halvår", "Kulturskolans elevregister")),
    _g("KFN3", "KFN", "KF9", "Invånarna ska ha tillgång till ett rikt kultur- och fritidsutbud", tags=("pass",)),
    _g("KFN4", "KFN", "KF1", "Öka andelen elever som når kunskapskraven i alla ämnen", M("Antal genomförda läxhjälpstillfällen", "120", "Kvartal", "Eget system")),
    _g("KFN5", "KFN", "KF10", "Sjukskrivningarna bland personalen ska minska", sick("5,5"), tags=("sick",)),
    _g("KFN6", "KFN", "KF7", "Genomföra en inventering av kommunens spontanidrottsplatser", tags=("act",)),
    _g("KFN7", "KFN", "KF2", "Fler unga ska ha en meningsfull fritid", M("Antal besök på fritidsgårdarna", "3 500", "Månad"), M("Andel unga som deltar i föreningslivet (%)", "60", "År", "Lupp-enkäten")),
    _g("KFN8", "KFN", "KF12", "Ekonomin ska vara i balans", budget()),
    # Tekniska nämnden
    _g("TN1", "TN", "KF6", "Minska koldioxidutsläppen från kommunens fordon", M("Andel fossilfria fordon i kommunkoncernen (%)", "60", "Halvår", "Eget system"), K("N85073", "1,2")),
    _g("TN2", "TN", "KF6", "Genomföra en inventering av kommunens belysning", tags=("act",)),
    _g("TN3", "TN", "KF6", "Öka andelen ekologiska och klimatsmarta livsmedel i kommunens kök", M("Andel ekologiska livsmedel (%)", "40", "Kvartal", "Inköpssystemet"), M("Matsvinn i skolkök, gram per portion", "< 30", "Månad")),
    _g("TN4", "TN", "KF7", "Det offentliga rummet ska vara tryggt och välskött", K("N07609", "< 25"), M("Antal felanmälningar om gatubelysning", None, "Månad", "Felanmälningssystemet"), M("Andel klotter sanerat inom 24 timmar (%)", "90", "Månad")),
    _g("TN5", "TN", "KF6", "Minska energianvändningen i kommunens fastigheter", M("Energianvändning i kommunens fastigheter, kWh/kvm", "-3 %", "Månad", "Energiuppföljningssystemet")),
    _g("TN6", "TN", "KF10", "Sänka sjukfrånvaron", sick("6"), tags=("sick",)),
    _g("TN7", "TN", "KF6", "Ta fram en plan för fler publika laddplatser", K("N07713", "150"), tags=("act",)),
    _g("TN8", "TN", "KF12", "Budgeten ska vara i balans", budget()),
    # Miljö- och byggnadsnämnden
    _g("MBN1", "MBN", "KF8", "Handläggningstiden för bygglov ska minska", K("N00820", "< 40", "Månad"), M("Andel bygglov beslutade inom lagstadgad tid (%)", "100", "Månad", "Ärendehanteringssystemet")),
    _g("MBN2", "MBN", "KF8", "Det ska vara enkelt att bygga och bo i Exempelkommun", tags=("pass",)),
    _g("MBN3", "MBN", "KF6", "Öka andelen skyddad natur", K("N85054", "8")),
    _g("MBN4", "MBN", "KF7", "Genomföra tillsyn enligt den beslutade tillsynsplanen", M("Andel genomförda tillsynsbesök enligt plan (%)", "100", "Kvartal"), tags=("act",)),
    _g("MBN5", "MBN", "KF10", "Minska sjukfrånvaron bland medarbetarna", sick("5"), tags=("sick",)),
    _g("MBN6", "MBN", "KF13", "Företagare ska uppleva god service i myndighetsutövningen", M("Nöjd Kund Index bygglov och miljötillsyn", "75", "År", "Servicemätning Insikt (enkät)")),
    # Arbetsmarknadsnämnden
    _g("AMN1", "AMN", "KF15", "Fler invånare ska komma i arbete eller studier", K("N40828", "50"), M("Antal deltagare som gått vidare till arbete eller studier", "300", "Månad", "Verksamhetssystemet"), tags=("pass",)),
    _g("AMN2", "AMN", "KF15", "Minska arbetslösheten bland utrikes födda", K("N02282", "15", "Kvartal"), K("N00711", "55")),
    _g("AMN3", "AMN", "KF1", "Fler elever ska klara sina studier i vuxenutbildningen", K("N18945", "85"), K("N18946", "75")),
    _g("AMN4", "AMN", "KF14", "Införa ett nytt verksamhetssystem för arbetsmarknadsinsatser", tags=("act",)),
    _g("AMN5", "AMN", "KF11", "Medarbetarnas hälsa ska förbättras", sick("6"), tags=("sick",)),
    _g("AMN6", "AMN", "KF15", "Fler unga ska få ett feriearbete", M("Antal ungdomar med feriearbete", "400", "År")),
    # Överförmyndarnämnden
    _g("OFN1", "OFN", "KF13", "Handläggningen ska vara rättssäker och effektiv", M("Andel granskade årsräkningar inom sex månader (%)", "95", "Kvartal", "Ärendehanteringssystemet")),
    _g("OFN2", "OFN", "KF13", "Ställföreträdare ska få ett gott stöd i sitt uppdrag", M("Antal utbildningstillfällen för ställföreträdare", "6", "Halvår")),
    _g("OFN3", "OFN", "KF12", "Budgeten ska vara i balans", budget()),
    # Bolagen
    _g("BOST1", "BOST", "KF6", "Bostadsbeståndet ska bli mer energieffektivt", M("Energianvändning i bostadsbeståndet, kWh/kvm", "125", "År", "Energiuppföljningssystemet")),
    _g("BOST2", "BOST", "KF8", "Hyresgästerna ska vara nöjda med sitt boende", M("Nöjd Kund Index, hyresgästenkät", "80", "År", "Hyresgästenkät")),
    _g("BOST3", "BOST", "KF8", "Bygga minst 100 nya lägenheter under perioden", M("Antal färdigställda lägenheter", "100", "Kvartal"), tags=("act",)),
    _g("BOST4", "BOST", "KF12", "Avkastningen ska nå ägardirektivets nivå", M("Direktavkastning (%)", "4,5", "Tertial", "Ekonomisystemet")),
    _g("ENERGI1", "ENERGI", "KF6", "Öka andelen förnybar energi", K("N45925", "90"), M("Andel förnybar fjärrvärme (%)", "98", "Kvartal", "Produktionssystemet")),
    _g("ENERGI2", "ENERGI", "KF13", "Leveranssäkerheten ska vara hög", M("Avbrottstid per kund, minuter", "< 60", "Månad", "Driftsystemet")),
    # Förvaltningarna
    _g("BUF1", "BUF", "BUN1", "Öka måluppfyllelsen i grundskolan", M("Andel elever i åk 6 med godkänt i alla ämnen (%)", "85", "Tertial", "Skolans betygssystem")),
    _g("BUF2", "BUF", "BUN2", "Alla barn och elever ska nå kunskapsmålen och fullfölja sin utbildning", tags=("pass",)),
    _g("BUF3", "BUF", "BUN7", "Sjukfrånvaron ska minska", sick("6,5"), tags=("sick",)),
    _g("BUF4", "BUF", "BUN10", "Genomföra kompetensutveckling i digitala verktyg för alla lärare", M("Antal lärare som genomgått utbildningen", "400", "Kvartal"), tags=("act",)),
    _g("SOF1", "SOF", "SN1", "Minska handläggningstiden för utredningar om barn och unga", M("Genomsnittlig utredningstid, dagar", "< 120", "Månad", "Verksamhetssystemet")),
    _g("SOF2", "SOF", "SN3", "Minska sjukfrånvaron bland medarbetarna", sick("7"), tags=("sick",)),
    _g("VOF1", "VOF", "VON2", "Öka tryggheten i särskilt boende", tags=("pass",)),
    _g("VOF2", "VOF", "VON2", "Minska antalet fallolyckor", M("Antal fallskador", "< 30", "Månad")),
    _g("VOF3", "VOF", "VON4", "Friskare medarbetare", sick("7,5"), tags=("sick",)),
    _g("KFF1", "KFF", "KFN1", "Öka antalet utlån från biblioteken", K("N09801", "4,5")),
    _g("TF1", "TF", "TN1", "Fordonsparken ska vara fossilfri år 2030", M("Andel fossilfria fordon i kommunkoncernen (%)", "60", "Halvår", "Eget system")),
    _g("TF2", "TF", "TN3", "Minska matsvinnet i skolor och äldreboenden", M("Matsvinn i skolkök, gram per portion", "< 30", "Månad")),
    _g("MBF1", "MBF", "MBN1", "Handläggningstiderna ska kortas", M("Genomsnittlig handläggningstid för bygglov, dagar", "< 35", "Månad", "Ärendehanteringssystemet")),
    _g("AMF1", "AMF", "AMN1", "Öka andelen deltagare som går vidare till arbete eller studier", M("Andel deltagare som gått vidare till arbete eller studier (%)", "45", "Månad", "Verksamhetssystemet")),
    _g("KLF1", "KLF", "KS2", "Minska sjukfrånvaron i hela organisationen", K("N00090", "6,5", "Månad"), K("N00091", "40"), tags=("sick",)),
    _g("KLF2", "KLF", "KS5", "Ta fram en ny lönepolicy", tags=("act",)),
    _g("KLF3", "KLF", "KS3", "Utveckla kommunens system för uppföljning", tags=("act",)),
    _g("OFK1", "OFK", "OFN1", "Öka andelen digitala årsräkningar", M("Andel årsräkningar som lämnas digitalt (%)", "60", "Kvartal", "Ärendehanteringssystemet")),
]

# More indicators on some hand-written goals: what committees count beyond what the goal
# needs (volumes and activity counts, many of them monthly and by hand).
EXTRA_INDICATORS: dict[str, tuple[Ind, ...]] = {
    "KS8": (M("Antal nyregistrerade företag", None, "Kvartal", "Bolagsverkets statistik"),),
    "BUN3": (M("Antal lektioner med rapporterade störningar", None, "Månad"),),
    "SN1": (M("Antal pågående placeringar", None, "Månad", "Verksamhetssystemet"),),
    "SN7": (M("Antal personer i öppenvård för missbruk", None, "Månad", "Verksamhetssystemet"),),
    "VON6": (M("Antal brukare i daglig verksamhet", None, "Kvartal", "Verksamhetssystemet"),),
    "VON9": (M("Antal anhöriga som deltagit i anhörigstödets aktiviteter", "300", "Tertial"),),
    "KFN2": (M("Antal kurser i kulturskolan", None, "Halvår", "Kulturskolans elevregister"),),
    "KFN7": (M("Antal aktiviteter under skolloven", "80", "Kvartal"),),
    "TN1": (M("Antal tankningar med fossilt bränsle", None, "Månad", "Drivmedelskortsystemet"),),
    "TN4": (M("Antal genomförda trygghetsvandringar", "6", "Halvår"),),
    "MBN3": (M("Antal hektar ny skyddad natur", "50", "År"),),
    "MBN6": (M("Antal överklagade beslut", None, "Kvartal", "Ärendehanteringssystemet"),),
    "AMN6": (M("Andel feriearbetare som är nöjda (%)", "85", "År", "Egen enkät"),),
    "OFN2": (M("Andel ställföreträdare som är nöjda med stödet (%)", "80", "År", "Egen enkät"),),
    "BOST2": (M("Antal felanmälningar från hyresgäster", None, "Månad", "Fastighetssystemet"),),
    "ENERGI2": (M("Antal kundklagomål", None, "Månad", "Kundtjänstsystemet"),),
    "AMF1": (M("Antal inskrivna deltagare", None, "Månad", "Verksamhetssystemet"),),
}

# Unit-goal templates per kind: (text, parent key, tags, indicators). "{u}" is the unit's
# name. Each unit takes a seeded subset, so units look alike but not identical.
UNIT_TEMPLATES: dict[str, list[tuple[str, str | None, tuple[str, ...], tuple[Ind, ...]]]] = {
    "school": [
        ("Öka andelen elever som når kunskapskraven i alla ämnen på {u}", "BUF1", (), (M("Andel elever med godkänt i alla ämnen, {u} (%)", "80", "Tertial", "Skolans betygssystem"), M("Meritvärde åk 9, {u}", "230", "År", "Skolans betygssystem"))),
        ("Alla elever på {u} ska känna sig trygga", "BUN4", (), (M("Andel elever som känner sig trygga, {u} (%)", "90", "Halvår", "Egen elevenkät"), M("Antal anmälningar om kränkande behandling, {u}", None, "Månad"))),
        ("Öka närvaron bland eleverna", "BUF1", (), (M("Andel elever med mer än 15 % frånvaro, {u} (%)", "< 10", "Månad", "Närvarosystemet"), M("Antal elever med problematisk frånvaro, {u}", None, "Månad"))),
        ("Minst 90 % av eleverna ska äta skollunch varje dag", "TN3", ("detail",), (M("Andel elever som äter skollunch, {u} (%)", "90", "Månad"),)),
        ("Genomföra minst två föräldramöten per termin", "BUN4", ("act",), ()),
        ("Sänka sjukfrånvaron bland personalen på {u}", "BUF3", ("sick",), (M("Sjukfrånvaro, {u} (%)", "6", "Månad", "Personalsystemet"), M("Korttidssjukfrånvaro, {u}, antal tillfällen", None, "Månad", "Personalsystemet"))),
        ("Förbättra studieron i klassrummen", "BUN3", (), (M("Andel elever som upplever studiero, {u} (%)", "75", "Tertial", "Egen elevenkät"), M("Antal lektioner med rapporterade störningar, {u}", None, "Månad"))),
    ],
    "preschool": [
        ("Barnen ska utvecklas och lära i en trygg miljö", "BUN4", (), (M("Andel vårdnadshavare som upplever att barnet är tryggt, {u} (%)", "95", "År", "Vårdnadshavarenkät"), M("Antal incidentrapporter, {u}", None, "Månad"))),
        ("Öka andelen nöjda vårdnadshavare", "BUF1", (), (M("Andel nöjda vårdnadshavare, {u} (%)", "90", "År", "Vårdnadshavarenkät"), M("Svarsfrekvens i vårdnadshavarenkäten, {u} (%)", "70", "År", "Vårdnadshavarenkät"))),
        ("Minska antalet barn per barngrupp", "BUN9", (), (M("Antal barn per barngrupp, {u}", "15", "Månad"), M("Antal barn per årsarbetare, {u}", "5", "Månad"))),
        ("Genomföra utevistelse med alla barn varje dag", "BUN4", ("act",), (M("Andel dagar med utevistelse, {u} (%)", "100", "Månad"),)),
        ("Sänka sjukfrånvaron bland personalen på {u}", "BUF3", ("sick",), (M("Sjukfrånvaro, {u} (%)", "6", "Månad", "Personalsystemet"), M("Korttidssjukfrånvaro, {u}, antal tillfällen", None, "Månad", "Personalsystemet"))),
    ],
    "care_home": [
        ("Öka tryggheten för de boende på {u}", "VON2", (), (M("Andel boende som känner sig trygga, {u} (%)", "90", "Halvår", "Egen brukarenkät"), M("Antal avvikelser fall, {u}", "< 8", "Månad"))),
        ("Minska antalet fallolyckor", "VOF2", (), (M("Antal avvikelser fall, {u}", "< 8", "Månad"), M("Andel boende med genomförd fallriskbedömning, {u} (%)", "100", "Kvartal"))),
        ("Alla boende ska ha en aktuell genomförandeplan", "VON1", (), (M("Andel boende med aktuell genomförandeplan, {u} (%)", "100", "Månad"), M("Antal genomförandeplaner som följts upp, {u}", None, "Månad"))),
        ("Genomföra en meningsfull aktivitet för de boende varje dag", "VON1", ("act",), (M("Antal genomförda aktiviteter, {u}", "30", "Månad"),)),
        ("Friskare medarbetare på {u}", "VOF3", ("sick",), (M("Sjukfrånvaro, {u} (%)", "7", "Månad", "Personalsystemet"), M("Korttidssjukfrånvaro, {u}, antal tillfällen", None, "Månad", "Personalsystemet"))),
        ("Minska antalet avvikelser i läkemedelshanteringen", "VON2", (), (M("Antal läkemedelsavvikelser, {u}", "< 5", "Månad"), M("Andel signeringar utförda i tid, {u} (%)", "98", "Månad", "Signeringssystemet"))),
    ],
    "home_care": [
        ("Öka kontinuiteten för brukarna i {u}", "VON3", (), (M("Antal olika personal per brukare under 14 dagar, {u}", "10", "Månad", "Planeringssystemet"), M("Andel planerad tid som utförts, {u} (%)", "95", "Månad", "Planeringssystemet"))),
        ("Brukarna ska vara nöjda med hemtjänsten", "VON1", (), (M("Andel nöjda brukare, {u} (%)", "90", "År", "Egen brukarenkät"), M("Antal klagomål, {u}", None, "Månad"))),
        ("Minska sjukfrånvaron i {u}", "VOF3", ("sick",), (M("Sjukfrånvaro, {u} (%)", "7", "Månad", "Personalsystemet"), M("Korttidssjukfrånvaro, {u}, antal tillfällen", None, "Månad", "Personalsystemet"))),
        ("Införa digital nyckelhantering i hela hemtjänstområdet", "VON7", ("act",), ()),
    ],
    "library": [
        ("Öka antalet besökare på {u}", "KFN1", (), (M("Antal besökare, {u}", "12 000", "Månad", "Besöksräknare"), K("N09809", "30"))),
        ("Fler barn och unga ska läsa", "KFF1", (), (K("N09805", "250"), M("Antal barnboksutlån, {u}", None, "Månad", "Bibliotekssystemet"))),
        ("Genomföra minst tio författarbesök per år", "KFN1", ("act",), (M("Antal författarbesök, {u}", "10", "Kvartal"),)),
        ("Invånarna ska vara nöjda med bibliotekets utbud", "KFN1", (), (K("N00586", "80"), M("Antal förvärvade medier, {u}", None, "År", "Bibliotekssystemet"))),
    ],
    "office": [
        ("Minska sjukfrånvaron bland medarbetarna på {u}", "BUF3", ("sick",), (M("Sjukfrånvaro, {u} (%)", "6", "Månad", "Personalsystemet"), M("Korttidssjukfrånvaro, {u}, antal tillfällen", None, "Månad", "Personalsystemet"))),
        ("Öka nöjdheten hos dem som har kontakt med {u}", "KS6", (), (M("Andel nöjda kunder, {u} (%)", "85", "År", "Egen kundenkät"), M("Antal synpunkter och klagomål, {u}", None, "Månad"))),
        ("Hålla budget för {u}", "KS1", (), (M("Budgetavvikelse, {u}, tkr", "0", "Månad", "Ekonomisystemet"), M("Prognosavvikelse, {u}, tkr", "0", "Månad", "Ekonomisystemet"))),
        ("Förkorta svarstiderna", "KS6", (), (M("Genomsnittlig svarstid på e-post, {u}, dagar", "< 2", "Månad", "Ärendehanteringssystemet"), M("Andel ärenden avslutade inom tidsgräns, {u} (%)", "90", "Kvartal", "Ärendehanteringssystemet"))),
        ("Genomföra medarbetarsamtal med alla medarbetare", "KS5", ("act",), (M("Andel medarbetare med genomfört medarbetarsamtal, {u} (%)", "100", "Halvår"),)),
    ],
}

# Which committee goal a unit-template's parent should resolve to when the unit sits under
# another administration (offices exist everywhere; "BUF3" only fits BUF).
SICK_PARENT_BY_ADMIN = {
    "BUF": "BUF3", "VOF": "VOF3", "SOF": "SOF2", "KFF": "KFN5", "TF": "TN6",
    "MBF": "MBN5", "AMF": "AMN5", "KLF": "KLF1", "OFK": "OFN3",
}

# Indicators listed in the document but measuring no goal (the "nyckeltal" appendix).
ORPHAN_INDICATORS: list[tuple[str, Ind]] = [
    ("BUN", K("N15483")), ("BUN", K("N15659")), ("BUN", K("N15629")), ("BUN", K("N17528")),
    ("BUN", K("N11730")), ("BUN", K("N15006")), ("BUN", K("N15313")), ("BUN", K("N17663")),
    ("BUN", M("Antal elever i grundskolan", None, "Månad", "Elevregistret")),
    ("BUN", M("Antal barn i kö till förskola", None, "Månad", "Köhanteringssystemet")),
    ("VON", K("N21496")), ("VON", K("N21006")), ("VON", K("N23009")),
    ("VON", M("Antal beviljade hemtjänsttimmar", None, "Månad", "Verksamhetssystemet")),
    ("VON", M("Antal personer i kö till särskilt boende", None, "Månad")),
    ("SN", K("N01710")), ("SN", K("N31849")), ("SN", K("N30206")),
    ("SN", M("Antal ärenden inom ekonomiskt bistånd", None, "Månad", "Verksamhetssystemet")),
    ("KS", K("N03016")), ("KS", K("N00097")), ("KS", K("N03033")), ("KS", K("N00632")),
    ("KS", K("N45944")), ("KS", M("Antal anställda, årsarbetare", None, "Månad", "Personalsystemet")),
    ("KFN", M("Antal bokade timmar i idrottshallarna", None, "Månad", "Bokningssystemet")),
    ("TN", M("Antal felanmälningar, gata och park", None, "Månad", "Felanmälningssystemet")),
    ("MBN", M("Antal inkomna bygglovsansökningar", None, "Månad", "Ärendehanteringssystemet")),
    ("AMN", M("Antal inskrivna deltagare i arbetsmarknadsinsatser", None, "Månad", "Verksamhetssystemet")),
    ("OFN", M("Antal pågående ställföreträdarskap", None, "Kvartal", "Ärendehanteringssystemet")),
    ("KS", K("N00091")), ("KS", K("N00206")), ("TN", K("N00632")), ("KFN", K("N09801")),
    ("KS", M("Antal medborgarförslag", None, "Kvartal")), ("KS", M("Antal besök på kommunens webbplats", None, "Månad", "Webbstatistik")),
    ("VON", M("Antal utskrivningsklara dagar på sjukhus", None, "Månad", "Regionens system")),
    ("BUN", M("Antal elever i gymnasieskolan", None, "Halvår", "Elevregistret")),
    ("SN", M("Antal placerade barn och unga", None, "Månad", "Verksamhetssystemet")),
    ("TN", M("Antal portioner per dag i skolrestaurangerna", None, "Månad", "Kostdatasystemet")),
]

_ALL = ALL_COMMITTEES
# Assignments: (text, recipients ("Samtliga nämnder" or ids), issuer, report-back).
BASE_ASSIGNMENTS: list[tuple[str, str | tuple[str, ...], str, str]] = [
    ("Ta fram en plan för kompetensförsörjning", _ALL, "KF", "Delårsrapport augusti"),
    ("Redovisa åtgärder för minskad sjukfrånvaro varje tertial", ("SN", "BUN", "VON"), "KF", "Tertial"),
    ("Införa digital signering av beslut", "KS", "KF", "Årsredovisning"),
    ("Utreda möjligheten till samlokalisering av fritidsgårdar och bibliotek", "KFN", "KF", "2025-06-30"),
    ("Genomföra en översyn av lokalbehoven inom samtliga verksamheter", _ALL, "KF", "2025-10-31"),
    ("Redovisa hur nämnden bidrar till kommunens klimatmål", _ALL, "KF", "Halvår"),
    ("Ta fram en handlingsplan för ökad heltid", ("VON", "SN", "BUN", "KFN"), "KF", "2025-09-30"),
    ("Minska användningen av konsulter och inhyrd personal", _ALL, "KS", "Kvartal"),
    ("Rapportera antalet vakanta tjänster varje månad", _ALL, "KS", "Månad"),
    ("Utreda en gemensam kostorganisation för skola och äldreomsorg", ("TN", "BUN", "VON"), "KF", "2025-12-31"),
    ("Ta fram en plan för trygghetsskapande åtgärder i centrum", ("KS", "TN", "SN", "KFN"), "KF", "Delårsrapport augusti"),
    ("Utreda förutsättningarna för en ny grundskola i Norra området", "BUN", "KF", "2025-05-31"),
    ("Införa ett systematiskt arbete med förebyggande insatser för barn och unga", ("SN", "BUN", "KFN"), "KF", "Tertial"),
    ("Redovisa åtgärder för att korta handläggningstiderna för bygglov", "MBN", "KS", "Kvartal"),
    ("Ta fram en strategi för välfärdsteknik i hemtjänsten", "VON", "KF", "2025-11-30"),
    ("Genomföra en medborgardialog om den nya översiktsplanen", ("KS", "MBN"), "KF", "Årsredovisning"),
    ("Utreda möjligheten att bygga ett nytt äldreboende", ("VON", "BOST"), "KF", "2025-09-30"),
    ("Redovisa nämndens arbete med intern kontroll", _ALL, "KS", "Delårsrapport augusti"),
    ("Ta fram en plan för energieffektivisering av kommunens fastigheter", ("TN", "BOST"), "KF", "Halvår"),
    ("Öka antalet feriearbeten för ungdomar", ("AMN", "KFN", "TN"), "KF", "Årsredovisning"),
    ("Genomföra en kartläggning av barnfattigdomen i kommunen", ("SN", "BUN"), "KS", "2025-10-31"),
    ("Samordna insatserna för personer som står långt från arbetsmarknaden", ("AMN", "SN"), "KF", "Tertial"),
    ("Ta fram en biblioteksplan för perioden 2026-2029", "KFN", "KF", "2025-12-31"),
    ("Redovisa läget i arbetet med digitalisering", _ALL, "KS", "Tertial"),
    ("Införa e-tjänst för ansökan om bygglov", "MBN", "KS", "2025-06-30"),
    ("Utreda införandet av ett kommungemensamt kontaktcenter", ("KS", "SN", "VON", "TN", "MBN"), "KF", "2025-11-30"),
    ("Ta fram riktlinjer för föreningsbidrag", "KFN", "KS", "2025-04-30"),
    ("Redovisa måluppfyllelsen i grundskolan per skolenhet", "BUN", "KF", "Kvartal"),
    ("Utveckla samarbetet med civilsamhället kring äldres ensamhet", ("VON", "SN", "KFN"), "KF", "Halvår"),
    ("Genomföra en översyn av avgifterna inom vård och omsorg", "VON", "KS", "2025-08-31"),
    ("Ta fram en plan för klimatanpassning", ("TN", "MBN", "KS"), "KF", "2025-12-31"),
    ("Redovisa åtgärder för minskat matsvinn", ("TN", "BUN", "VON"), "KS", "Tertial"),
    ("Utreda möjligheterna till fler trygghetsboenden", ("BOST", "VON"), "KF", "2025-10-31"),
    ("Se över investeringsplanen för de kommande fem åren", ("KS", "TN"), "KF", "Delårsrapport augusti"),
    ("Rapportera antalet placeringar av barn och unga", "SN", "KS", "Månad"),
    ("Ta fram en handlingsplan mot hedersrelaterat våld", ("SN", "BUN"), "KF", "2025-09-30"),
    ("Genomföra en kompetensinsats i tillitsbaserad styrning för chefer", _ALL, "KF", "Årsredovisning"),
    ("Utreda förutsättningarna för en ny simhall", ("KFN", "TN"), "KF", "2025-12-31"),
    ("Redovisa arbetet med att minska andelen elever som inte blir behöriga till gymnasiet", "BUN", "KF", "Tertial"),
    ("Införa en gemensam modell för uppföljning av avtal", ("KS", "TN", "VON"), "KS", "2025-11-30"),
    ("Ta fram en plan för ett mer tillgängligt valdeltagande", ("VALN", "KS"), "KF", "2025-06-30"),
    ("Redovisa ställföreträdarnas handläggningstider", "OFN", "KS", "Kvartal"),
    ("Utreda en gemensam IT-plattform med grannkommunerna", "KS", "KF", "2025-12-31"),
    ("Genomföra en kartläggning av lokalanvändningen kvällstid", ("KFN", "BUN", "TN"), "KS", "2025-08-31"),
]

REPORT_BACKS_PER_YEAR = {"Månad": 12, "Kvartal": 4, "Tertial": 3, "Halvår": 2}


def report_backs_per_year(report_back: str) -> int:
    """A frequency word gives its occasions; a date or a report name is a one-off (1)."""
    return REPORT_BACKS_PER_YEAR.get(report_back, 1)


# ---------------------------------------------------------------------------------------
# Building the tables


@dataclass
class _Builder:
    """Collects rows column-wise (lists) so big documents stay fast."""

    units: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("unit_id", "name", "parent_id", "level")})
    goals: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("goal_id", "text", "parent_goal_id", "goal_level", "area")})
    owners: dict[str, list] = field(default_factory=lambda: {"goal_id": [], "unit_id": []})
    inds: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("indicator_id", "name", "kolada_id", "frequency", "occasions_per_year", "source", "source_kind", "owner_id")})
    links: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("goal_id", "indicator_id", "target_text", "target_value")})
    assignments: dict[str, list] = field(default_factory=lambda: {k: [] for k in ("assignment_id", "text", "issuer_id", "report_back", "report_backs_per_year")})
    recipients: dict[str, list] = field(default_factory=lambda: {"assignment_id": [], "unit_id": []})
    ind_by_key: dict[tuple, str] = field(default_factory=dict)
    ind_count: int = 0
    goal_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bulk: dict[str, pl.DataFrame] = field(default_factory=dict)  # vectorised extension

    def add_unit(self, unit_id: str, name: str, level: str, parent: str | None) -> None:
        u = self.units
        u["unit_id"].append(unit_id)
        u["name"].append(name)
        u["parent_id"].append(parent)
        u["level"].append(level)

    def add_goal(self, goal_id: str, text: str, parent: str | None, level: str, area: str | None, owners: list[str], tags: tuple[str, ...] = ()) -> None:
        g = self.goals
        g["goal_id"].append(goal_id)
        g["text"].append(text)
        g["parent_goal_id"].append(parent)
        g["goal_level"].append(level)
        g["area"].append(area)
        self.owners["goal_id"].extend([goal_id] * len(owners))
        self.owners["unit_id"].extend(owners)
        if tags:
            self.goal_tags[goal_id] = tags

    def new_indicator(self, ind: Ind, owner: str | None, name: str | None = None) -> str:
        self.ind_count += 1
        ind_id = f"I{self.ind_count:06d}"
        d = self.inds
        d["indicator_id"].append(ind_id)
        d["name"].append(name or ind.name)
        d["kolada_id"].append(ind.kolada_id)
        freq = FREQ_SV[ind.freq]
        d["frequency"].append(freq)
        d["occasions_per_year"].append(FREQUENCIES[freq])
        d["source"].append(ind.source)
        d["source_kind"].append(ind.kind)
        d["owner_id"].append(owner)
        return ind_id

    def link(self, goal_id: str, ind: Ind, owner_key: str, owner: str | None, name: str | None = None) -> None:
        """Link an indicator; the same name under the same owner reuses one indicator."""
        # A Kolada KPI is one indicator however many goals it measures; other names are
        # one indicator per owner (the same name at two units is a shared-name pattern).
        key = (ind.kolada_id,) if ind.kolada_id else (name or ind.name, owner_key)
        ind_id = self.ind_by_key.get(key)
        target = ind.target
        if ind_id is None:
            ind_id = self.new_indicator(ind, owner, name)
            self.ind_by_key[key] = ind_id
            self._first_target[ind_id] = target
        else:
            # One indicator row carries one target in the template layout.
            target = self._first_target[ind_id]
        self.links["goal_id"].append(goal_id)
        self.links["indicator_id"].append(ind_id)
        self.links["target_text"].append(target)
        self.links["target_value"].append(parse_target(target))

    _first_target: dict[str, str | None] = field(default_factory=dict)

    def add_assignment(self, aid: str, text: str, issuer: str, report_back: str, recipients: list[str]) -> None:
        a = self.assignments
        a["assignment_id"].append(aid)
        a["text"].append(text)
        a["issuer_id"].append(issuer)
        a["report_back"].append(report_back)
        a["report_backs_per_year"].append(report_backs_per_year(report_back))
        self.recipients["assignment_id"].extend([aid] * len(recipients))
        self.recipients["unit_id"].extend(recipients)


def parse_target(text: str | None) -> float | None:
    """'< 40' -> 40, '2 000' -> 2000, '6,5' -> 6.5, '-3 %' -> -3; words -> None."""
    if text is None:
        return None
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".").strip("<>=%≤≥")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _committees(b: _Builder) -> list[str]:
    return [uid for uid, lvl in zip(b.units["unit_id"], b.units["level"], strict=True) if lvl in ALL_COMMITTEE_LEVELS]


def _add_base(b: _Builder, rng: random.Random, name: str) -> None:
    for uid, uname, level, parent, _kind in ORGANISATION:
        b.add_unit(uid, uname.replace("Exempelkommun", name), level, parent)
    committees = _committees(b)
    for g in BASE_GOALS:
        owners = committees if g.owners == ALL_COMMITTEES else list(g.owners)
        text = g.text.replace("Exempelkommun", name)
        b.add_goal(g.key, text, g.parent, g.level, g.area, owners, g.tags)
        owner_key = "ALL" if g.owners == ALL_COMMITTEES else "+".join(owners)
        ind_owner = None if len(owners) > 1 else owners[0]
        for ind in (*g.inds, *EXTRA_INDICATORS.get(g.key, ())):
            b.link(g.key, ind, owner_key, ind_owner)
    # Units: a seeded subset of their kind's templates.
    goal_n = 0
    for uid, uname, _level, parent, kind in ORGANISATION:
        if not kind:
            continue
        templates = UNIT_TEMPLATES[kind]
        k = min(len(templates), rng.randint(4, 6))
        chosen = sorted(rng.sample(range(len(templates)), k))
        for t in chosen:
            text, gparent, tags, inds = templates[t]
            if "sick" in tags:
                gparent = SICK_PARENT_BY_ADMIN.get(parent or "", gparent)
            goal_n += 1
            gid = f"{uid}-{t + 1}"
            b.add_goal(gid, text.format(u=uname), gparent, "Verksamhetsmål", None, [uid], tags)
            for ind in inds:
                b.link(gid, ind, uid, uid, name=ind.name.format(u=uname))
    # Orphan indicators (owned, linked to nothing).
    for owner, ind in ORPHAN_INDICATORS:
        b.new_indicator(ind, owner)
    for i, (text, rec, issuer, rb) in enumerate(BASE_ASSIGNMENTS, start=1):
        recipients = committees if rec == ALL_COMMITTEES else ([rec] if isinstance(rec, str) else list(rec))
        b.add_assignment(f"UPP-{i:03d}", text, issuer, rb, recipients)


# ---------------------------------------------------------------------------------------
# Bulk extension for benchmark sizes: more units, goals from combinatorial phrase pools.

# Goal phrases for bulk units: each verb group only with objects it fits ("Minska
# matsvinnet", never "Öka matsvinnet").
BULK_MORE = (
    ["Öka", "Höja"],
    [
        "andelen elever med godkända betyg", "andelen nöjda brukare", "närvaron", "andelen ekologiska livsmedel",
        "antalet besökare", "andelen heltidsanställda", "kundnöjdheten", "läsförståelsen", "tillgången till grönytor",
        "andelen fossilfria transporter", "återvinningen av avfall", "måluppfyllelsen", "den fysiska aktiviteten",
        "den digitala kompetensen", "brukarnas inflytande", "brukarnas självständighet", "andelen digitala ärenden",
    ],
)
BULK_LESS = (
    ["Minska", "Sänka"],
    [
        "sjukfrånvaron bland medarbetarna", "handläggningstiderna", "matsvinnet", "energianvändningen", "svarstiderna",
        "antalet avvikelser", "kostnaderna per brukare", "personalomsättningen", "väntetiderna", "antalet fallolyckor",
        "den korta sjukfrånvaron", "antalet klagomål",
    ],
)
BULK_BETTER = (
    ["Förbättra", "Stärka", "Utveckla", "Säkerställa"],
    [
        "tryggheten", "kvaliteten i undervisningen", "kontinuiteten i omsorgen", "delaktigheten", "tillgängligheten",
        "det förebyggande arbetet", "samverkan med vårdnadshavare", "arbetsmiljön", "studieron", "språkutvecklingen",
        "kompetensförsörjningen", "den psykiska hälsan", "rättssäkerheten i handläggningen",
        "samarbetet med föreningslivet", "informationen till invånarna", "ledarskapet", "kostnadseffektiviteten",
    ],
)
BULK_ACTIVITIES = (
    ["Genomföra en kartläggning av", "Ta fram en plan för", "Genomföra en översyn av", "Ta fram rutiner för",
     "Införa ett nytt arbetssätt för", "Genomföra en utbildningsinsats om"],
    BULK_BETTER[1],
)


def _phrases(*groups: tuple[list[str], list[str]]) -> list[str]:
    return [f"{verb} {obj}" for verbs, objects in groups for obj in objects for verb in verbs]


BULK_GOALS = _phrases(BULK_MORE, BULK_LESS, BULK_BETTER)
BULK_ACTIVITY_GOALS = _phrases(BULK_ACTIVITIES)
BULK_QUALIFIERS = [
    "", "", "", "", " inom verksamheten", " i hela kommunen", " under året", " i alla enheter",
    " genom ökad samverkan", " genom digitala lösningar", " i samverkan med regionen", " inom ramen för budget",
    " med stöd av forskning", " på {u}", " på {u}", " inom {u}",
]

# Indicator names for bulk units ("{u}" is the unit's name), with their usual source.
BULK_INDICATORS: list[tuple[str, str]] = [
    ("Andel nöjda brukare, {u} (%)", "Egen enkät"),
    ("Andel elever med godkända betyg, {u} (%)", "Skolans betygssystem"),
    ("Antal avvikelser, {u}", "Manuell sammanställning"),
    ("Antal besökare, {u}", "Besöksräknare"),
    ("Antal genomförda aktiviteter, {u}", "Manuell sammanställning"),
    ("Andel ärenden avslutade inom tidsgräns, {u} (%)", "Ärendehanteringssystemet"),
    ("Sjukfrånvaro, {u} (%)", "Personalsystemet"),
    ("Korttidssjukfrånvaro, {u}, antal tillfällen", "Personalsystemet"),
    ("Genomsnittlig handläggningstid, {u}, dagar", "Ärendehanteringssystemet"),
    ("Antal klagomål och synpunkter, {u}", "Manuell sammanställning"),
    ("Andel medarbetare som arbetar heltid, {u} (%)", "Personalsystemet"),
    ("Antal deltagare, {u}", "Manuell sammanställning"),
    ("Antal genomförda utbildningstimmar, {u}", "Manuell sammanställning"),
    ("Kostnad per brukare, {u}, kr", "Ekonomisystemet"),
    ("Budgetavvikelse, {u}, tkr", "Ekonomisystemet"),
    ("Andel elever med hög frånvaro, {u} (%)", "Närvarosystemet"),
    ("Andel som känner sig trygga, {u} (%)", "Egen enkät"),
    ("Energianvändning, {u}, kWh/kvm", "Energiuppföljningssystemet"),
    ("Matsvinn, {u}, gram per portion", "Manuell sammanställning"),
    ("Andel genomförda medarbetarsamtal, {u} (%)", "Manuell sammanställning"),
    ("Antal fallolyckor, {u}", "Avvikelsesystemet"),
    ("Andel brukare med aktuell genomförandeplan, {u} (%)", "Verksamhetssystemet"),
    ("Svarstid i telefon, {u}, minuter", "Telefonisystemet"),
    ("Antal utlån, {u}", "Bibliotekssystemet"),
    ("Personalomsättning, {u} (%)", "Personalsystemet"),
    ("Medarbetarindex, {u}", "Medarbetarenkät"),
    ("Antal orosanmälningar, {u}", "Verksamhetssystemet"),
    ("Andel vikarietimmar, {u} (%)", "Personalsystemet"),
    ("Antal incidentrapporter, {u}", "Manuell sammanställning"),
    ("Andel digitala ärenden, {u} (%)", "Ärendehanteringssystemet"),
]
DISTRICTS = [
    "Centrum", "Norra", "Södra", "Västra", "Östra", "Hamnen", "Bruket", "Kyrkbyn", "Stationen",
    "Åsen", "Dalen", "Sjöstaden", "Skogsbyn", "Ängen", "Backen", "Heden", "Udden", "Torget",
]
UNIT_NAME_FIRST = [
    "Norr", "Söder", "Väst", "Öst", "Ängs", "Björk", "Ek", "Lind", "Tall", "Gran", "Sjö", "Berg", "Dal",
    "Backa", "Hag", "Lunda", "Vik", "Strand", "Skogs", "Sol", "Rosen", "Hassel", "Al", "Lönn", "Asp",
]
UNIT_NAME_MID = ["", "dals", "bergs", "hags", "vallens", "åsens", "ängs", "lunds", "viks", "holms"]
UNIT_KIND_SUFFIX = {
    "school": "skolan", "preschool": " förskola", "care_home": "gårdens vård- och omsorgsboende",
    "home_care": " hemtjänstområde", "library": " bibliotek", "office": " servicekontor",
}
ADMIN_KINDS = {
    "BUF": ["school", "preschool"], "VOF": ["care_home", "home_care"], "SOF": ["office"], "KFF": ["library", "office"],
    "TF": ["office"], "MBF": ["office"], "AMF": ["office"], "KLF": ["office"],
}
_FREQ_WORDS = np.array(["Månad", "Kvartal", "Tertial", "Halvår", "År"])
_FREQ_P = np.array([0.30, 0.20, 0.12, 0.08, 0.30])


def _gather(pool: list[str], index: np.ndarray) -> pl.Series:
    return pl.Series(pool, dtype=pl.String).gather(index)


def _add_bulk(b: _Builder, extra_goals: int, np_rng: np.random.Generator) -> None:
    """Add about `extra_goals` unit goals (~4.5 indicators each) on new units, vectorised."""
    goals_per_unit = 6
    if extra_goals < goals_per_unit:
        return
    admins = list(ADMIN_KINDS)
    n_units = extra_goals // goals_per_unit
    # Units: unique (first, middle, district) name combinations, drawn without replacement.
    admin_of = np_rng.integers(0, len(admins), n_units)
    n_first, n_mid, n_dist = len(UNIT_NAME_FIRST), len(UNIT_NAME_MID), len(DISTRICTS) + 1
    space = n_first * n_mid * n_dist
    combo = np_rng.permutation(max(space, n_units))[:n_units]
    kinds = [ADMIN_KINDS[admins[a]][i % len(ADMIN_KINDS[admins[a]])] for i, a in enumerate(admin_of)]
    units = pl.DataFrame(
        {
            "admin": _gather(admins, admin_of),
            "first": _gather(UNIT_NAME_FIRST, (combo % space) // (n_mid * n_dist)),
            "mid": _gather(UNIT_NAME_MID, (combo % space) // n_dist % n_mid),
            "district": _gather(["", *DISTRICTS], combo % space % n_dist),
            "suffix": pl.Series([UNIT_KIND_SUFFIX[k] for k in kinds], dtype=pl.String),
            "n": np.arange(1, n_units + 1),
            "again": combo >= space,  # only when more units than name combinations
        }
    ).with_columns(
        unit_id=pl.format("{}-X{}", "admin", pl.col("n").cast(pl.String).str.zfill(5)),
        name=pl.concat_str(
            pl.col("first"),
            pl.col("mid"),
            pl.col("suffix"),
            pl.when(pl.col("district") != "").then(pl.lit(", ") + pl.col("district")).otherwise(pl.lit("")),
            pl.when(pl.col("again")).then(pl.lit(" ") + pl.col("n").cast(pl.String)).otherwise(pl.lit("")),
        ),
        parent_id=pl.col("admin"),
        level=pl.lit("unit"),
    )
    # Goals: text from phrase pools; 15 % activities, parents among committee/admin goals.
    n_goals = n_units * goals_per_unit
    owner = np.repeat(np.arange(n_units), goals_per_unit)
    act = np_rng.random(n_goals) < 0.15
    parents = [g for g, lvl in zip(b.goals["goal_id"], b.goals["goal_level"], strict=True) if lvl in ("Nämndmål", "Förvaltningsmål")]
    start = len(b.goals["goal_id"])
    phrase = _gather(BULK_GOALS, np_rng.integers(0, len(BULK_GOALS), n_goals))
    activity = _gather(BULK_ACTIVITY_GOALS, np_rng.integers(0, len(BULK_ACTIVITY_GOALS), n_goals))
    goals = pl.DataFrame(
        {
            "goal_id": [f"M{start + j + 1:06d}" for j in range(n_goals)],
            "phrase": pl.Series(np.where(act, activity.to_numpy(), phrase.to_numpy()).tolist(), dtype=pl.String),
            "qualifier": _gather(BULK_QUALIFIERS, np_rng.integers(0, len(BULK_QUALIFIERS), n_goals)),
            "unit": units["name"].gather(owner),
            "parent_goal_id": _gather(parents, np_rng.integers(0, len(parents), n_goals)),
            "unit_id": units["unit_id"].gather(owner),
        }
    ).with_columns(
        text=pl.concat_str("phrase", pl.col("qualifier").str.replace("{u}", pl.col("unit"), literal=True)),
        goal_level=pl.lit("Verksamhetsmål"),
        area=pl.lit(None, pl.String),
    )
    for gid, is_act, text in zip(goals["goal_id"], act, goals["phrase"], strict=True):
        if is_act:
            b.goal_tags[gid] = ("act",)
        elif "sjukfrånvaro" in text:
            b.goal_tags[gid] = ("sick",)
    # Indicators: one per (goal, draw); activity goals are often unmeasured.
    n_inds = np.minimum(np_rng.poisson(3.5, n_goals) + 1, 9)
    n_inds[act & (np_rng.random(n_goals) < 0.6)] = 0
    total = int(n_inds.sum())
    goal_of = np.repeat(np.arange(n_goals), n_inds)
    kolada = np_rng.random(total) < 0.12
    kolada_ids = list(KOLADA_KPIS)
    which = np_rng.integers(0, len(BULK_INDICATORS), total)
    first_id = b.ind_count + 1
    b.ind_count += total
    target = np_rng.integers(1, 100, total)
    kpi = _gather(kolada_ids, np_rng.integers(0, len(kolada_ids), total))
    inds = pl.DataFrame(
        {
            "indicator_id": pl.int_range(first_id, first_id + total, eager=True).cast(pl.String).str.zfill(6),
            "template": _gather([t for t, _ in BULK_INDICATORS], which),
            "own_source": _gather([src for _, src in BULK_INDICATORS], which),
            "unit_name": units["name"].gather(owner[goal_of]),
            "owner_id": units["unit_id"].gather(owner[goal_of]),
            "kolada": kolada,
            "kpi": kpi,
            "frequency": _gather([FREQ_SV[w] for w in _FREQ_WORDS], np_rng.choice(len(_FREQ_WORDS), total, p=_FREQ_P)),
            "goal_id": goals["goal_id"].gather(goal_of),
            "target": target,
        }
    ).with_columns(
        indicator_id=pl.lit("I") + pl.col("indicator_id"),
        name=pl.when("kolada")
        .then(pl.col("kpi").replace_strict(KOLADA_KPIS, default=None))
        .otherwise(pl.col("template").str.replace("{u}", pl.col("unit_name"), literal=True)),
        kolada_id=pl.when("kolada").then("kpi").otherwise(pl.lit(None, pl.String)),
        source=pl.when("kolada").then(pl.lit("Kolada")).otherwise("own_source"),
        occasions_per_year=pl.col("frequency").replace_strict(FREQUENCIES, return_dtype=pl.Int64),
        source_kind=pl.lit(None, pl.String),
    )
    b.bulk = {
        "units": units.select("unit_id", "name", "parent_id", "level"),
        "goals": goals.select("goal_id", "text", "parent_goal_id", "goal_level", "area"),
        "owners": goals.select("goal_id", "unit_id"),
        "indicators": inds.select(*b.inds),
        "links": inds.select(
            "goal_id", "indicator_id", target_text=pl.col("target").cast(pl.String), target_value=pl.col("target").cast(pl.Float64)
        ),
    }


_COLUMN_TYPES = {"occasions_per_year": pl.Int64, "report_backs_per_year": pl.Int64, "target_value": pl.Float64}


def _to_document(b: _Builder, name: str, year: int, inhabitants: int) -> GoalDocument:
    sheet_rows = {
        "units": ("Enheter", b.units),
        "goals": ("Mål", b.goals),
        "indicators": ("Indikatorer", b.inds),
        "assignments": ("Uppdrag", b.assignments),
    }
    frames: dict[str, pl.DataFrame] = {}
    for key, (sheet, cols) in sheet_rows.items():
        frame = pl.DataFrame(cols, schema={c: _COLUMN_TYPES.get(c, pl.String) for c in cols}, strict=False)
        if key in b.bulk:
            frame = pl.concat([frame, b.bulk[key].select(frame.columns).cast(frame.schema)])
        frames[key] = frame.with_columns(sheet=pl.lit(sheet), row=pl.int_range(2, frame.height + 2, dtype=pl.Int64))
    # The source kind comes from the source text by the reader's own rule, so a written
    # and re-read document agrees with the generated one.
    frames["indicators"] = frames["indicators"].with_columns(
        source_kind=source_kind_expr(pl.col("source"), pl.col("kolada_id"))
    )
    # Each link row sits on its indicator's row of the Indikatorer sheet.
    ind_rows = frames["indicators"].select("indicator_id", "sheet", "row")
    links = pl.DataFrame(b.links, schema={c: _COLUMN_TYPES.get(c, pl.String) for c in b.links}, strict=False)
    owners = pl.DataFrame(b.owners, schema={"goal_id": pl.String, "unit_id": pl.String})
    if b.bulk:
        links = pl.concat([links, b.bulk["links"].cast(links.schema)])
        owners = pl.concat([owners, b.bulk["owners"]])
    links = links.join(ind_rows, on="indicator_id", how="left")
    return new_document(
        name,
        units=frames["units"],
        goals=frames["goals"],
        goal_owners=owners,
        indicators=frames["indicators"],
        goal_indicators=links,
        assignments=frames["assignments"],
        assignment_recipients=pl.DataFrame(b.recipients),
        year=year,
        population=inhabitants,
    )


def _build(seed: int, year: int, inhabitants: int, scale: float, goals: int | None, name: str) -> _Builder:
    rng = random.Random(seed)
    b = _Builder()
    _add_base(b, rng, name)
    target = goals if goals is not None else int(round(len(b.goals["goal_id"]) * scale))
    _add_bulk(b, target - len(b.goals["goal_id"]), np.random.default_rng(seed))
    return b


def generate_document(
    *,
    seed: int = 2025,
    year: int = 2025,
    inhabitants: int = 60_000,
    scale: float = 1.0,
    goals: int | None = None,
    name: str = "Exempelkommun",
) -> GoalDocument:
    """A fictional municipality's goal document; `scale` or `goals=` sets its size."""
    return _to_document(_build(seed, year, inhabitants, scale, goals, name), name, year, inhabitants)


def generate_with_truth(
    *,
    seed: int = 2025,
    year: int = 2025,
    inhabitants: int = 60_000,
    scale: float = 1.0,
    goals: int | None = None,
    name: str = "Exempelkommun",
) -> tuple[GoalDocument, dict[str, Any]]:
    """The document plus a record of the planted patterns (ids), for tests of detectors."""
    b = _build(seed, year, inhabitants, scale, goals, name)
    doc = _to_document(b, name, year, inhabitants)
    return doc, planted_patterns(doc, b.goal_tags)


def planted_patterns(doc: GoalDocument, goal_tags: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """What a detector should find, worked out from construction (tags) and the tables."""
    committees = set(doc.units.filter(pl.col("level").is_in(ALL_COMMITTEE_LEVELS))["unit_id"])
    owned = doc.goals_with_owners()
    dup = (
        owned.group_by("text")
        .agg(pl.col("goal_id").unique().sort(), pl.col("unit_id").n_unique().alias("units"))
        .filter((pl.col("goal_id").list.len() > 1) & (pl.col("units") > 1))
        .sort("text")
    )
    linked = set(doc.goal_indicators["indicator_id"])
    per_ind = doc.goal_indicators.group_by("indicator_id").agg(pl.col("goal_id").n_unique().alias("n"))
    name_counts = doc.indicators.group_by("name").agg(pl.len().alias("n")).filter(pl.col("n") > 1)
    recipients = doc.assignment_recipients.group_by("assignment_id").agg(pl.col("unit_id"))
    goal_text = dict(zip(doc.goals["goal_id"], doc.goals["text"], strict=True))
    parent = dict(zip(doc.goals["goal_id"], doc.goals["parent_goal_id"], strict=True))
    ind = doc.indicators
    return {
        "exact_duplicate_goals": [list(ids) for ids in dup["goal_id"].to_list()],
        "near_duplicate_goals": sorted(g for g, t in goal_tags.items() if "sick" in t and g in goal_text),
        "pass_through_goals": sorted((g, parent[g]) for g, t in goal_tags.items() if "pass" in t and g in goal_text),
        "activity_goals": sorted(g for g, t in goal_tags.items() if "act" in t and g in goal_text),
        # A precise prescription from above on how a unit works (detail steering, no verb).
        "detail_steering_goals": sorted(g for g, t in goal_tags.items() if "detail" in t and g in goal_text),
        "unmeasured_goals": sorted(set(doc.goals["goal_id"]) - linked_goal_ids(doc)),
        "orphan_indicators": sorted(set(ind["indicator_id"]) - linked),
        "shared_indicators": sorted(per_ind.filter(pl.col("n") > 1)["indicator_id"]),
        "shared_indicator_names": sorted(name_counts["name"]),
        "monthly_manual_indicators": sorted(ind.filter((pl.col("frequency") == "month") & (pl.col("source_kind") == "manual"))["indicator_id"]),
        "kolada_reported_too_often": sorted(ind.filter((pl.col("source_kind") == "kolada") & (pl.col("occasions_per_year") > 1))["indicator_id"]),
        "all_committee_assignments": sorted(a for a, us in zip(recipients["assignment_id"], recipients["unit_id"], strict=True) if set(us) == committees),
        "multi_recipient_assignments": sorted(a for a, us in zip(recipients["assignment_id"], recipients["unit_id"], strict=True) if len(us) > 1),
        "multi_owner_goals": sorted(doc.goal_owners.group_by("goal_id").len().filter(pl.col("len") > 1)["goal_id"]),
    }


def linked_goal_ids(doc: GoalDocument) -> set[str]:
    return set(doc.goal_indicators["goal_id"])


# ---------------------------------------------------------------------------------------
# The year before: what changed, so year-on-year comparison can be tested.

PREVIOUS_NAMES = {
    "Barn- och utbildningsnämnden": "Utbildningsnämnden",
    "Barn- och utbildningsförvaltningen": "Utbildningsförvaltningen",
    "Vård- och omsorgsnämnden": "Omsorgsnämnden",
}
# Goals the municipality had last year and dropped this year: (owner, parent, text, indicators).
DROPPED_GOALS: list[tuple[str, str, str, tuple[Ind, ...]]] = [
    ("BUN", "KF1", "Genomföra en satsning på läsfrämjande aktiviteter i alla skolor", (M("Antal genomförda läsaktiviteter", "200", "Månad"),)),
    ("BUN", "KF2", "Minska antalet elever som upplever kränkningar", (M("Antal rapporterade kränkningar per skola", None, "Månad"),)),
    ("SN", "KF4", "Öka antalet hushåll som lämnar försörjningsstöd för arbete", (M("Antal hushåll som lämnat försörjningsstöd", "150", "Månad", "Verksamhetssystemet"),)),
    ("SN", "KF2", "Ta fram en ny rutin för orosanmälningar", ()),
    ("VON", "KF3", "Införa nyckelfri hemtjänst", (M("Andel brukare med digitalt lås (%)", "80", "Kvartal"),)),
    ("VON", "KF10", "Minska sjukskrivningarna bland undersköterskor", (M("Sjukfrånvaro undersköterskor (%)", "8", "Månad", "Personalsystemet"),)),
    ("KFN", "KF9", "Öka antalet arrangemang i kulturhuset", (M("Antal arrangemang", "120", "Månad"),)),
    ("TN", "KF7", "Genomföra en inventering av kommunens lekplatser", ()),
    ("TN", "KF6", "Öka andelen gång- och cykeltrafik", (M("Antal cykelpassager vid mätpunkter", None, "Månad", "Mätsystemet"),)),
    ("MBN", "KF8", "Ta fram en ny taxa för bygglov", ()),
    ("AMN", "KF15", "Öka antalet praktikplatser inom kommunen", (M("Antal praktikplatser", "150", "Kvartal"),)),
    ("KS", "KF14", "Genomföra en förstudie om e-arkiv", ()),
    ("KS", "KF12", "Minska kostnaderna för inhyrd personal", (M("Kostnad för inhyrd personal, tkr", None, "Månad", "Ekonomisystemet"),)),
    ("BUF", "BUN1", "Alla elever ska ha en individuell studieplan", (M("Andel elever med individuell studieplan (%)", "100", "Månad"),)),
    ("VOF", "VON2", "Genomföra riskbedömningar för alla nya brukare", (M("Andel brukare med riskbedömning (%)", "100", "Månad"),)),
]
_REWORDS = [("Öka ", "Höja "), ("Minska ", "Sänka "), ("Sänka ", "Minska "), ("Förbättra ", "Utveckla ")]


def generate_previous_year(doc: GoalDocument, seed: int = 2025) -> tuple[GoalDocument, dict[str, Any]]:
    """The same municipality a year earlier, plus a record of what changed between them.

    In the sample, last year had more goals and more monthly indicators (the story of a
    municipality trimming its goal load); at any size it has committees under their old
    names, some goals worded slightly differently, goals since added or dropped and a
    partly different set of assignments.
    """
    rng = random.Random(seed + 1)
    year = (doc.year or 2025) - 1
    units = doc.units.with_columns(pl.col("name").replace(PREVIOUS_NAMES))
    renamed = {
        uid: (PREVIOUS_NAMES[name], name)
        for uid, name in zip(doc.units["unit_id"], doc.units["name"], strict=True)
        if name in PREVIOUS_NAMES
    }
    # Goals added this year: leaf goals (no child goals) below the council, ~5 %.
    parents = set(doc.goals["parent_goal_id"].drop_nulls())
    leaves = sorted(g for g, lvl in zip(doc.goals["goal_id"], doc.goals["goal_level"], strict=True) if g not in parents and lvl != "KF-mål")
    added = sorted(rng.sample(leaves, max(1, len(leaves) // 20)))
    added_set = set(added)
    kept = doc.goals.filter(~pl.col("goal_id").is_in(added))
    # Goals reworded between the years: ~6 % of the rest that start with a rewordable verb.
    candidates = sorted(g for g, t in zip(kept["goal_id"], kept["text"], strict=True) if any(t.startswith(a) for a, _ in _REWORDS))
    reworded_ids = set(rng.sample(candidates, min(len(candidates), max(1, kept.height // 16))))
    old_text: dict[str, str] = {}
    for gid, text in zip(kept["goal_id"], kept["text"], strict=True):
        if gid in reworded_ids:
            a, b = next((a, b) for a, b in _REWORDS if text.startswith(a))
            old_text[gid] = b + text[len(a):]
    goals = kept.with_columns(text=pl.col("goal_id").replace_strict(old_text, default=pl.col("text")))
    owners = doc.goal_owners.filter(~pl.col("goal_id").is_in(added))
    links = doc.goal_indicators.filter(~pl.col("goal_id").is_in(added))
    # Indicators that only measured this year's new goals did not exist last year.
    linked_before = set(doc.goal_indicators["indicator_id"])
    still = set(links["indicator_id"])
    new_indicators = sorted(linked_before - still)
    indicators = doc.indicators.filter(~pl.col("indicator_id").is_in(new_indicators))
    # Some indicators were reported more often last year (cut to quarterly this year).
    quarterly = sorted(i for i, f in zip(indicators["indicator_id"], indicators["frequency"], strict=True) if f == "quarter")
    was_monthly = sorted(rng.sample(quarterly, min(len(quarterly), max(1, len(quarterly) // 4))))
    indicators = indicators.with_columns(
        frequency=pl.when(pl.col("indicator_id").is_in(was_monthly)).then(pl.lit("month")).otherwise(pl.col("frequency")),
        occasions_per_year=pl.when(pl.col("indicator_id").is_in(was_monthly)).then(pl.lit(12, pl.Int64)).otherwise(pl.col("occasions_per_year")),
    )
    # Goals dropped this year existed last year.
    b = _Builder()
    b.ind_count = _max_number(doc.indicators["indicator_id"])
    unit_ids = set(doc.units["unit_id"])
    removed: list[str] = []
    for i, (owner, parent, text, inds) in enumerate(DROPPED_GOALS, start=1):
        if owner not in unit_ids:
            continue
        gid = f"{owner}-{year}-{i}"
        removed.append(gid)
        b.add_goal(gid, text, parent if parent in set(goals["goal_id"]) else None, "Nämndmål", None, [owner])
        for ind in inds:
            b.link(gid, ind, owner, owner)
    # Assignments: about two thirds carried over, the rest were last year's own.
    aids = doc.assignments["assignment_id"].to_list()
    carried = sorted(rng.sample(aids, (2 * len(aids)) // 3))
    assignments = doc.assignments.filter(pl.col("assignment_id").is_in(carried))
    recipients = doc.assignment_recipients.filter(pl.col("assignment_id").is_in(carried))
    old_assignments = [
        ("Redovisa en plan för minskade lokalkostnader", "KS", "KF", "2024-10-31"),
        ("Utreda ett gemensamt bokningssystem för lokaler", "KFN", "KS", "2024-06-30"),
        ("Rapportera sjukfrånvaron varje månad", ALL_COMMITTEES, "KS", "Månad"),
        ("Ta fram en plan för införande av e-tjänster", ALL_COMMITTEES, "KF", "Tertial"),
        ("Redovisa kostnaderna för vikarier", ("BUN", "VON"), "KS", "Kvartal"),
    ]
    committees = sorted(doc.units.filter(pl.col("level").is_in(ALL_COMMITTEE_LEVELS))["unit_id"])
    for i, (text, rec, issuer, rb) in enumerate(old_assignments, start=1):
        recs = committees if rec == ALL_COMMITTEES else ([rec] if isinstance(rec, str) else list(rec))
        recs = [r for r in recs if r in unit_ids]
        if recs:
            b.add_assignment(f"UPP-{year}-{i:02d}", text, issuer, rb, recs)
    extra = _to_document(b, doc.name, year, doc.population or 0)
    previous = new_document(
        doc.name,
        units=units,
        goals=pl.concat([goals, extra.goals]),
        goal_owners=pl.concat([owners, extra.goal_owners]),
        indicators=pl.concat([indicators, extra.indicators]),
        goal_indicators=pl.concat([links, extra.goal_indicators]),
        assignments=pl.concat([assignments, extra.assignments]),
        assignment_recipients=pl.concat([recipients, extra.assignment_recipients]),
        year=year,
        population=int(round((doc.population or 0) * 0.99)) or None,
    )
    unchanged = sorted(set(goals["goal_id"]) - set(old_text) - added_set)
    changes = {
        "year": year,
        "renamed_units": renamed,
        # Relative to the previous year: goals the current document added / removed.
        "goals_added": added,
        "goals_removed": removed,
        "goals_reworded": sorted((g, old_text[g], t) for g, t in zip(doc.goals["goal_id"], doc.goals["text"], strict=True) if g in old_text),
        "goals_unchanged": unchanged,
        "indicators_added": new_indicators,
        "indicators_removed": sorted(extra.indicators["indicator_id"]),
        "indicators_were_monthly": was_monthly,
        "assignments_added": sorted(set(aids) - set(carried)),
        "assignments_removed": sorted(extra.assignments["assignment_id"]),
    }
    return previous, changes


def _max_number(ids: pl.Series) -> int:
    numbers = ids.str.extract(r"(\d+)$", 1).cast(pl.Int64, strict=False)
    return int(numbers.max() or 0)


# ---------------------------------------------------------------------------------------
# A whole country: 290 municipalities and 21 regions, ~300,000 indicator rows in total.

REGION_UNIT_NAMES = {
    "KF": "Regionfullmäktige", "KS": "Regionstyrelsen", "BUN": "Hälso- och sjukvårdsnämnden",
    "SN": "Primärvårdsnämnden", "VON": "Psykiatrinämnden", "KFN": "Kulturnämnden",
    "TN": "Kollektivtrafiknämnden", "MBN": "Regionala utvecklingsnämnden", "AMN": "Tandvårdsnämnden",
    "OFN": "Patientnämnden", "VALN": "Valnämnden", "KLF": "Regionledningskontoret",
    "BUF": "Hälso- och sjukvårdsförvaltningen", "SOF": "Primärvårdsförvaltningen",
    "VOF": "Psykiatriförvaltningen", "KFF": "Kulturförvaltningen", "TF": "Kollektivtrafikförvaltningen",
    "MBF": "Regionala utvecklingsförvaltningen", "AMF": "Folktandvården", "OFK": "Patientnämndens kansli",
}
_NAME_HEADS = ["Ask", "Björk", "Ek", "Lind", "Al", "Gran", "Tall", "Rönn", "Hassel", "Sälg", "Ås", "Berg", "Dal", "Sjö", "Bro", "Holm", "Ny", "Norr", "Sunn", "Väster"]
_NAME_TAILS = ["by", "holm", "köping", "stad", "vik", "å", "berga", "hult", "torp", "sund", "ås", "fors", "näs", "ö", "arp", "inge"]
ROWS_PER_EXTRA_GOAL = 4.1  # indicator rows each bulk goal adds (measured)


def made_up_names(n: int, seed: int) -> list[str]:
    """Plausible Swedish place names, unique, for when the Kolada list is not at hand."""
    combos = [h + t for h in _NAME_HEADS for t in _NAME_TAILS]
    random.Random(seed).shuffle(combos)
    return [c if i < len(combos) else f"{c} {i // len(combos) + 1}" for i, c in enumerate(combos * (n // len(combos) + 1))][:n]


def load_municipality_names(path: str | Path) -> list[tuple[str, str]] | None:
    """(name, "K"|"L") from Kolada's municipalities.csv when the file exists, else None."""
    p = Path(path)
    if not p.is_file():
        return None
    frame = pl.read_csv(p, schema_overrides={"id": pl.String}).filter(pl.col("id") != "0000")
    return list(zip(frame["title"], frame["type"], strict=True))


def generate_country(
    seed: int = 2025,
    *,
    names: list[tuple[str, str]] | None = None,
    municipalities: int = 290,
    regions: int = 21,
    total_rows: int = 300_000,
    year: int = 2025,
) -> list[GoalDocument]:
    """Every municipality and region, sized by a drawn population so the rows add up."""
    if names is None:
        made = made_up_names(municipalities + regions, seed)
        names = [(n, "K") for n in made[:municipalities]] + [(f"Region {n}", "L") for n in made[municipalities:]]
    kinds = [k for _, k in names]
    rng = np.random.default_rng(seed)
    n = len(names)
    population = np.where(
        np.array(kinds) == "L",
        rng.lognormal(np.log(300_000), 0.7, n),
        rng.lognormal(np.log(16_000), 1.0, n),
    ).clip(2_500, 2_500_000).astype(int)
    base = generate_document(seed=seed, year=year)
    base_rows, base_goals = base.indicators.height, base.goals.height
    weight = np.sqrt(population)
    extra_rows = np.maximum(total_rows - n * base_rows, 0) * weight / weight.sum()
    goal_targets = (base_goals + extra_rows / ROWS_PER_EXTRA_GOAL).astype(int)
    docs = []
    for i, ((name, kind), pop, goals) in enumerate(zip(names, population, goal_targets, strict=True)):
        doc = generate_document(seed=seed + i, year=year, inhabitants=int(pop), goals=int(goals), name=name)
        if kind == "L":
            doc = doc.replace(units=doc.units.with_columns(pl.col("unit_id").replace_strict(REGION_UNIT_NAMES, default=pl.col("name")).alias("name")))
        docs.append(doc)
    return docs


def file_stem(name: str) -> str:
    """A file-system-safe, readable stem for a document name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_").lower() or "dokument"


# ---------------------------------------------------------------------------------------
# The "flat export" layout (as goal systems export it): title rows, hierarchy columns with
# merged goal cells, one row per goal-indicator pair; an Uppdrag sheet.

FLAT_GOAL_COLUMNS = ("KF-mål", "Nämndmål", "Förvaltningsmål", "Verksamhetsmål")


def _owner_labels(doc: GoalDocument) -> dict[str, str]:
    """goal_id -> "Socialnämnden, Kultur- och fritidsnämnden" or "Samtliga nämnder"."""
    committees = set(doc.units.filter(pl.col("level").is_in(ALL_COMMITTEE_LEVELS))["unit_id"])
    names = doc.unit_names()
    grouped = doc.goal_owners.group_by("goal_id", maintain_order=True).agg("unit_id")
    out = {}
    for gid, units in zip(grouped["goal_id"].to_list(), grouped["unit_id"].to_list(), strict=True):
        if len(committees) > 1 and set(units) == committees:
            out[gid] = ALL_COMMITTEES
        else:
            out[gid] = ", ".join(names.get(u, u) for u in units)
    return out


def flat_sheets(doc: GoalDocument, *, sheet_name: str | None = None, assignments: bool = True) -> list:
    """The flat export as SheetSpecs (one goal sheet, optionally the Uppdrag sheet).

    Orphan indicators have no place in this layout and are left out (as real exports do).
    """

    year = doc.year or 2025
    goal_ids = doc.goals["goal_id"].to_list()
    texts = dict(zip(goal_ids, doc.goals["text"].to_list(), strict=True))
    areas = dict(zip(goal_ids, doc.goals["area"].to_list(), strict=True))
    parent_of = {g: p for g, p in zip(goal_ids, doc.goals["parent_goal_id"].to_list(), strict=True) if p in texts}
    children: dict[str | None, list[str]] = {}
    for g in goal_ids:
        children.setdefault(parent_of.get(g), []).append(g)
    owners = _owner_labels(doc)
    inds = doc.goal_indicators.join(doc.indicators, on="indicator_id", how="left").select(
        "goal_id", "name", "target_text", "frequency", "source", "kolada_id"
    )
    by_goal: dict[str, list[tuple]] = {}
    freq_sv = {v: k for k, v in FREQ_SV.items()}
    for gid, name, target, freq, source, kid in inds.iter_rows():
        if kid and source == "Kolada" and int(kid[1:]) % 2:
            source = f"Kolada {kid}"  # some exports name the KPI id, some do not
        by_goal.setdefault(gid, []).append((name, target, freq_sv.get(freq), source))
    depth_cols = len(FLAT_GOAL_COLUMNS)
    records: list[tuple[str | None, list[str | None], str, tuple]] = []  # (area, path, owner, indicator)

    def walk(gid: str, path: list[str | None], area: str | None) -> None:
        depth = min(len(path), depth_cols - 1)
        here = (path + [None] * depth_cols)[:depth_cols]
        here[depth] = gid
        for ind in by_goal.get(gid, [(None, None, None, None)]):
            records.append((area, here, owners.get(gid, ""), ind))
        for child in children.get(gid, []):
            walk(child, here[: depth + 1], area)

    stack_roots = children.get(None, [])
    for root in stack_roots:
        walk(root, [], areas.get(root) or "Övrigt")
    first_data_row = 5
    merges: list[str] = []
    columns: list[list] = [[] for _ in range(depth_cols + 1)]  # area + goal levels

    def run_cells(keys: list, values: list, col: int) -> list:
        """Write a value on the first row of each run of equal keys, merge the run."""
        out: list = [None] * len(keys)
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                if keys[start] is not None:
                    out[start] = values[start]
                    if i - start > 1:
                        letter = column_letter(col)
                        merges.append(f"{letter}{first_data_row + start}:{letter}{first_data_row + i - 1}")
                start = i
        return out

    root_keys = [r[1][0] for r in records]
    columns[0] = run_cells(root_keys, [r[0] for r in records], 0)
    for k in range(depth_cols):
        keys = [tuple(r[1][: k + 1]) if r[1][k] is not None else None for r in records]
        columns[k + 1] = run_cells(keys, [texts.get(r[1][k]) for r in records], k + 1)
    deepest = [next(g for g in reversed(r[1]) if g is not None) for r in records]
    owner_col = run_cells(deepest, [r[2] for r in records], depth_cols + 1)
    headers = ("Målområde", *FLAT_GOAL_COLUMNS, "Ansvarig nämnd", "Indikator", f"Målvärde {year}", "Uppföljning", "Källa")
    rows: list[tuple] = [
        (Styled(f"{doc.name} – Mål och budget {year}", STYLE_TITLE),),
        (f"Beslutad av kommunfullmäktige {year - 1}-11-20, § 143",),
        (),
        tuple(Styled(h, STYLE_HEADER) for h in headers),
    ]
    data = {
        "area": columns[0],
        **{f"goal{k}": columns[k + 1] for k in range(depth_cols)},
        "owner": owner_col,
        **{f"ind{k}": [r[3][k] for r in records] for k in range(4)},
    }
    frame = pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))
    title = (sheet_name or f"Mål och indikatorer {year}")[:31]
    sheets = [SheetSpec(title, rows, widths=(22, 40, 40, 40, 40, 30, 50, 12, 12, 24), merges=merges, frame=frame)]
    if assignments:
        names = doc.unit_names()
        committees = set(doc.units.filter(pl.col("level").is_in(ALL_COMMITTEE_LEVELS))["unit_id"])
        rec = doc.assignment_recipients.group_by("assignment_id", maintain_order=True).agg("unit_id")
        rec_label = {
            a: ALL_COMMITTEES if len(committees) > 1 and set(us) == committees else "; ".join(names.get(u, u) for u in us)
            for a, us in zip(rec["assignment_id"].to_list(), rec["unit_id"].to_list(), strict=True)
        }
        a_rows: list[tuple] = [tuple(Styled(h, STYLE_BOLD) for h in ("Nr", "Uppdrag", "Ansvarig", "Återrapportering"))]
        for n, (aid, text, rb) in enumerate(doc.assignments.select("assignment_id", "text", "report_back").iter_rows(), start=1):
            a_rows.append((n, text, rec_label.get(aid), rb))
        sheets.append(SheetSpec("Uppdrag", a_rows, widths=(6, 70, 40, 24)))
    return sheets


def document_to_flat_workbook_bytes(doc: GoalDocument) -> bytes:
    """The document as a goal system's flat export (for robustness tests and benchmarks)."""
    return write_xlsx(flat_sheets(doc))


def country_workbook_bytes(docs: list[GoalDocument], *, flat: bool = True) -> bytes:
    """Every document in one workbook: one flat goal sheet per municipality or region."""
    sheets = []
    used: set[str] = set()
    for doc in docs:
        name = sheet_name(doc.name)
        while name.casefold() in used:
            name = name[:27] + f" {len(used) % 1000:03d}"
        used.add(name.casefold())
        sheets.extend(flat_sheets(doc, sheet_name=name, assignments=False))
    return write_xlsx(sheets)
