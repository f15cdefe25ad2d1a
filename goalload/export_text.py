"""The strings the reports, the slide story and presentation mode show, in sv and en.

Same shape as goalload.i18n.STRINGS (key -> (Swedish, English)) so the two tables can be
merged into one; until then `rt()` looks here first and falls back to i18n.t(), so a
report reuses every label the app already has (metric names, column headers).
"""

from __future__ import annotations

from goalload.i18n import STRINGS, t

REPORT_STRINGS: dict[str, tuple[str, str]] = {
    # Sheet / section titles
    "rep.title": ("Goalload – rapport om målbörda", "Goalload – goal load report"),
    "rep.generated": ("Skapad {date} med Goalload.", "Created {date} with Goalload."),
    "rep.sheet.overview": ("Översikt", "Overview"),
    "rep.sheet.load": ("Belastning per enhet", "Load per unit"),
    "rep.sheet.goals": ("Mål", "Goals"),
    "rep.sheet.indicators": ("Indikatorer", "Indicators"),
    "rep.sheet.assignments": ("Uppdrag", "Assignments"),
    "rep.sheet.findings": ("Anmärkningar", "Findings"),
    "rep.sheet.recommendations": ("Förslag", "Recommendations"),
    "rep.sheet.scenario": ("Scenario", "Scenario"),
    "rep.sheet.definitions": ("Definitioner", "Definitions"),
    "rep.overview.document": ("Dokument", "Document"),
    "rep.overview.year": ("År", "Year"),
    "rep.overview.population": ("Invånare", "Inhabitants"),
    "rep.overview.file": ("Fil", "File"),
    "rep.overview.totals": ("Hela dokumentet", "The whole document"),
    "rep.overview.stands_out": ("Det här sticker ut", "What stands out"),
    "rep.overview.contents": ("Innehåll", "Contents"),
    "rep.item": ("Uppgift", "Item"),
    "rep.value": ("Värde", "Value"),
    "rep.not_available": (
        "Analysen av {what} finns inte i den här versionen av Goalload.",
        "The {what} analysis is not available in this version of Goalload.",
    ),
    "rep.what.overlap": ("överlapp", "overlap"),
    "rep.what.recommendations": ("förslag", "recommendations"),
    "rep.no_rows": ("Inga rader.", "No rows."),
    "rep.html.charts": ("Diagrammen", "The charts"),
    "rep.html.tables": ("Tabellerna", "The tables"),
    "rep.html.truncated": (
        "Visar de första {shown} av {total} raderna; Excelrapporten har alla.",
        "Showing the first {shown} of {total} rows; the Excel report has them all.",
    ),
    "rep.yes": ("Ja", "Yes"),
    # Table descriptions (one line under each title in the HTML report, and in Översikt)
    "rep.desc.load": (
        "Varje enhets egna och mottagna mål, indikatorer, uppdrag och rapporteringstillfällen per år.",
        "Each unit's own and received goals, indicators, assignments and reporting occasions per year.",
    ),
    "rep.desc.goals": (
        "Alla mål med ägare, måltyp och om de upprepar ett annat mål.",
        "Every goal with its owners, goal type and whether it repeats another goal.",
    ),
    "rep.desc.indicators": (
        "Alla indikatorer med frekvens, källa och hur många mål och enheter de mäter.",
        "Every indicator with frequency, source and how many goals and units it measures.",
    ),
    "rep.desc.assignments": (
        "Alla uppdrag med mottagare och återrapportering.",
        "Every assignment with recipients and report-back.",
    ),
    "rep.desc.findings": (
        "Det som inte kunde läsas eller ser konstigt ut i arbetsboken.",
        "What could not be read or looks odd in the workbook.",
    ),
    "rep.desc.recommendations": (
        "Förslag på minskad detaljstyrning med motivering och effekt. Förslag, inte beslut.",
        "Suggestions for less detail steering with rationale and effect. Suggestions, not decisions.",
    ),
    "rep.desc.scenario": (
        "Varje mått före och efter de valda ändringarna, per enhet och totalt.",
        "Every metric before and after the chosen changes, per unit and in total.",
    ),
    "rep.desc.definitions": (
        "Så räknas måtten i rapporten.",
        "How the report's metrics are counted.",
    ),
    # Column headers not in i18n
    "rep.col.goal_id": ("Mål-ID", "Goal ID"),
    "rep.col.owners": ("Ansvarig enhet", "Owner"),
    "rep.col.area": ("Målområde", "Goal area"),
    "rep.col.parent_goal_id": ("Överordnat mål-ID", "Parent goal ID"),
    "rep.col.goal_type": ("Måltyp", "Goal type"),
    "rep.col.type_triggers": ("Ord som avgjorde måltypen", "Words that decided the type"),
    "rep.col.duplicate": ("Liknar mål hos annan enhet", "Resembles another unit's goal"),
    "rep.col.pass_through": ("Upprepar överordnat mål", "Restates a parent goal"),
    "rep.col.similar": ("Liknande mål (ID)", "Similar goals (ID)"),
    "rep.col.theme": ("Tema", "Theme"),
    "rep.col.indicator_id": ("Indikator-ID", "Indicator ID"),
    "rep.col.indicator_owner": ("Ansvarig enhet", "Owner"),
    "rep.col.goal_ids": ("Mäter mål (ID)", "Measures goals (ID)"),
    "rep.col.shared": ("Används på flera ställen", "Used in several places"),
    "rep.col.assignment_id": ("Uppdrag-ID", "Assignment ID"),
    "rep.col.assignment": ("Uppdrag", "Assignment"),
    "rep.col.issuer": ("Givet av", "Issued by"),
    "rep.col.recipients": ("Mottagare", "Recipients"),
    "rep.col.recipient_count": ("Antal mottagare", "Number of recipients"),
    "rep.col.report_back": ("Återrapportering", "Report-back"),
    "rep.col.report_backs_per_year": ("Återrapporteringar per år", "Report-backs per year"),
    "rep.col.overlap_share": ("Andel mål som upprepas", "Share of goals repeated"),
    "rep.col.rec_id": ("Förslag-ID", "Suggestion ID"),
    "rep.col.rec_kind": ("Typ av förslag", "Kind of suggestion"),
    "rep.col.rec_title": ("Förslag", "Suggestion"),
    "rep.col.rec_units": ("Berörda enheter", "Units affected"),
    "rep.col.rec_items": ("Berörda mål och indikatorer", "Goals and indicators affected"),
    "rep.col.rationale": ("Motivering", "Rationale"),
    "rep.col.fewer_goals": ("Färre mål", "Fewer goals"),
    "rep.col.fewer_indicators": ("Färre indikatorer", "Fewer indicators"),
    "rep.col.fewer_assignments": ("Färre uppdrag", "Fewer assignments"),
    "rep.col.fewer_occasions": ("Färre rapporteringstillfällen per år", "Fewer reporting occasions per year"),
    "rep.col.metric": ("Mått", "Metric"),
    "rep.col.definition": ("Definition", "Definition"),
    "rep.col.before": ("Före", "Before"),
    "rep.col.after": ("Efter", "After"),
    "rep.col.change": ("Förändring", "Change"),
    "rep.col.unit": ("Enhet", "Unit"),
    "rep.total": ("Totalt", "Total"),
    # Recommendation kinds (goalload.recommend)
    "rec.merge_duplicates": ("Slå ihop likadana mål", "Merge duplicate goals"),
    "rec.drop_pass_through": ("Ta bort mål som upprepar överordnat mål", "Drop goals that restate their parent"),
    "rec.report_shared_indicator_once": ("Rapportera delad indikator en gång", "Report a shared indicator once"),
    "rec.measure_or_drop_unmeasured": ("Mät eller ta bort mål utan indikator", "Measure or drop unmeasured goals"),
    "rec.move_activity_goal_down": ("Flytta aktivitetsmål till verksamhetsplanen", "Move activity goals to the operational plan"),
    "rec.lower_frequency": ("Rapportera mer sällan", "Report less often"),
    "rec.joint_assignment": ("Gör ett gemensamt uppdrag", "Make one joint assignment"),
    "rec.above_goal_cap": ("Enhet över måltaket", "Unit above the goal cap"),
    # Metric definitions (DOMAIN.md), sheet Definitioner
    "def.own_goals": ("Mål som enheten själv äger.", "Goals the unit owns."),
    "def.received_goals": (
        "Mål som ägs av enheterna ovanför i organisationen och som når enheten uppifrån.",
        "Goals owned by the units above in the organisation, which reach the unit from above.",
    ),
    "def.indicators": (
        "Olika indikatorer som mäter enhetens egna mål eller som enheten äger. En indikator under "
        "två av enhetens mål räknas en gång.",
        "Distinct indicators measuring the unit's own goals or owned by the unit. An indicator "
        "under two of the unit's goals counts once.",
    ),
    "def.assignments": (
        "Uppdrag som har enheten som mottagare, direkt eller genom \"samtliga nämnder\".",
        "Assignments naming the unit as a recipient, directly or through \"all committees\".",
    ),
    "def.reporting_occasions_per_year": (
        "Summan av enhetens indikatorers frekvenser (Månad 12, Kvartal 4, Tertial 3, Halvår 2, "
        "År 1) plus uppdragens återrapporteringar per år (en engångsredovisning räknas 1).",
        "The sum of the unit's indicators' frequencies (month 12, quarter 4, tertial 3, half-year "
        "2, year 1) plus its assignments' report-backs per year (a one-off counts 1).",
    ),
    "def.steering_signals": (
        "Egna mål + indikatorer + uppdrag.",
        "Own goals + indicators + assignments.",
    ),
    "def.unmeasured_goals": ("Egna mål som saknar indikator.", "Own goals with no indicator."),
    "def.orphan_indicators": (
        "Indikatorer som inte är kopplade till något mål.",
        "Indicators linked to no goal.",
    ),
    "def.overlap_share": (
        "Andelen av enhetens egna mål som nästan upprepar ett mål hos en annan enhet eller "
        "upprepar sitt överordnade mål.",
        "The share of the unit's own goals that nearly repeat another unit's goal or restate "
        "their parent goal.",
    ),
    "def.totals": (
        "I dokumentets totaler räknas varje mål, indikator och uppdrag en gång även om flera "
        "enheter delar det; rapporteringstillfällen summeras över enheterna.",
        "In the document totals each goal, indicator and assignment counts once even when "
        "several units share it; reporting occasions are summed over the units.",
    ),
    # Story / presentation
    "story.step.overview": ("Översikt", "Overview"),
    "story.step.load": ("Belastning per enhet", "Load per unit"),
    "story.step.indicators": ("Indikatorbörda", "Indicator burden"),
    "story.step.overlap": ("Överlapp", "Overlap"),
    "story.step.reduce": ("Det här kan minskas", "What could be reduced"),
    "story.overview.headline": (
        "{name} styrs med {goals} mål, {indicators} indikatorer och {assignments} uppdrag",
        "{name} is steered by {goals} goals, {indicators} indicators and {assignments} assignments",
    ),
    "story.overview.caption": (
        "Varje ruta är en enhet inuti sin överordnade; ju större ruta, desto fler styrsignaler.",
        "Each box is a unit inside its parent; the bigger the box, the more steering signals.",
    ),
    "story.overview.notes": (
        "Dokumentet har {units} enheter och sammanlagt {signals} styrsignaler (mål, indikatorer "
        "och uppdrag), som ger {occasions} rapporteringstillfällen per år. Rutorna visar var i "
        "organisationen styrsignalerna ligger: en stor ruta är en enhet med många mål, "
        "indikatorer och uppdrag. Siffrorna räknar det som står i dokumentet, inte hur viktigt "
        "något är eller hur mycket arbete det kostar.",
        "The document has {units} units and {signals} steering signals in all (goals, "
        "indicators and assignments), giving {occasions} reporting occasions per year. The boxes "
        "show where in the organisation the signals sit: a big box is a unit with many goals, "
        "indicators and assignments. The figures count what the document says, not how "
        "important anything is or how much work it costs.",
    ),
    "story.load.headline_top": (
        "{unit} har flest styrsignaler, {value} mål, indikatorer och uppdrag sammanlagt",
        "{unit} has the most steering signals, {value} goals, indicators and assignments in all",
    ),
    "story.load.caption": (
        "Staplarna visar egna mål, indikatorer och uppdrag för de {n} enheter som har mest.",
        "The bars show own goals, indicators and assignments for the {n} units with the most.",
    ),
    "story.load.notes": (
        "Varje stapel är en enhet, uppdelad i egna mål, indikatorer och uppdrag. De {n} största "
        "visas av {total} enheter. En indikator som mäter två av enhetens mål räknas en gång. "
        "Mål som enheten tar emot uppifrån ingår inte i stapeln. En lång stapel betyder mycket "
        "att följa upp, inte nödvändigtvis för mycket: en stor nämnd kan ha skäl till fler mål.",
        "Each bar is a unit, split into own goals, indicators and assignments. The {n} largest "
        "of {total} units are shown. An indicator measuring two of the unit's goals counts "
        "once. Goals received from above are not in the bar. A long bar means much to follow "
        "up, not necessarily too much: a large committee may have reasons for more goals.",
    ),
    "story.indicators.headline_frequent": (
        "{share} av rapporteringen sker varje vecka, månad eller kvartal",
        "{share} of the reporting happens weekly, monthly or quarterly",
    ),
    "story.indicators.headline_plain": (
        "Indikatorerna ger {occasions} rapporteringstillfällen per år",
        "The indicators cause {occasions} reporting occasions per year",
    ),
    "story.indicators.caption": (
        "Rapporteringstillfällen per år för de {n} enheter som rapporterar mest, efter frekvens.",
        "Reporting occasions per year for the {n} units that report the most, by frequency.",
    ),
    "story.indicators.notes": (
        "Varje stapel visar hur många gånger per år enheten rapporterar sina indikatorer: en "
        "månadsindikator ger 12 tillfällen, en årsindikator ett. Indikatorerna ger sammanlagt "
        "{occasions} tillfällen per år; {kolada} av {indicators} indikatorer finns i Kolada och "
        "kan hämtas utan eget arbete. Frekvensen är den som står i dokumentet; hur lång tid en "
        "rapportering tar syns inte här.",
        "Each bar shows how many times a year the unit reports its indicators: a monthly "
        "indicator gives 12 occasions, a yearly one gives one. The indicators cause {occasions} "
        "occasions per year in all; {kolada} of {indicators} indicators are in Kolada and can be "
        "fetched without own work. The frequency is the one in the document; how long a report "
        "takes is not shown here.",
    ),
    "story.overlap.headline": (
        "{count} av {total} mål upprepar ett annat mål",
        "{count} of {total} goals repeat another goal",
    ),
    "story.overlap.headline_none": (
        "Inga mål upprepar varandra",
        "No goals repeat each other",
    ),
    "story.overlap.caption": (
        "Antal egna mål per enhet som liknar ett mål hos en annan enhet eller upprepar sitt överordnade mål.",
        "Own goals per unit that resemble another unit's goal or restate their parent goal.",
    ),
    "story.overlap.title": ("Mål som upprepar andra mål", "Goals that repeat other goals"),
    "story.overlap.duplicate": ("Liknar annan enhets mål", "Resembles another unit's goal"),
    "story.overlap.pass_through": ("Upprepar överordnat mål", "Restates its parent goal"),
    "story.overlap.notes": (
        "Två mål räknas som upprepning när texterna liknar varandra tillräckligt (likhet minst "
        "{threshold} på en skala 0–1): {duplicates} mål liknar ett mål hos en annan enhet och "
        "{pass_through} mål upprepar sitt överordnade mål utan att tillföra något. Jämförelsen "
        "är automatisk och bygger på orden; den är en signal att titta närmare, inte ett "
        "beslut. Texterna och orden de delar finns i Excelrapporten.",
        "Two goals count as a repeat when their texts are similar enough (similarity at least "
        "{threshold} on a 0–1 scale): {duplicates} goals resemble another unit's goal and "
        "{pass_through} goals restate their parent goal without adding anything. The comparison "
        "is automatic and based on the words; it is a signal to look closer, not a verdict. The "
        "texts and the words they share are in the Excel report.",
    ),
    "story.unavailable.headline": (
        "Analysen av {what} finns inte ännu",
        "The {what} analysis is not available yet",
    ),
    "story.unavailable.caption": (
        "Den här versionen av Goalload kan inte visa {what}.",
        "This version of Goalload cannot show {what}.",
    ),
    "story.unavailable.notes": (
        "Den här bilden visar inget diagram eftersom analysen av {what} inte finns i den "
        "version av Goalload som skapade presentationen.",
        "This slide shows no chart because the {what} analysis is not in the version of "
        "Goalload that made the presentation.",
    ),
    "story.reduce.headline": ("{who} tar bort {parts}", "{who} remove {parts}"),
    "story.reduce.who_all": ("Förslagen", "The suggestions"),
    "story.reduce.who_scenario": ("De valda ändringarna", "The chosen changes"),
    "story.reduce.headline_none": (
        "{who} minskar inte antalet mål, indikatorer eller uppdrag",
        "{who} do not reduce the number of goals, indicators or assignments",
    ),
    "story.part.goals": ("{n} mål", "{n} goals"),
    "story.part.indicators": ("{n} indikatorer", "{n} indicators"),
    "story.part.assignments": ("{n} uppdrag", "{n} assignments"),
    "story.part.reporting_occasions_per_year": (
        "{n} rapporteringstillfällen per år",
        "{n} reporting occasions per year",
    ),
    "story.and": (" och ", " and "),
    "story.reduce.caption": (
        "Före och efter {what}, för hela dokumentet.",
        "Before and after {what}, for the whole document.",
    ),
    "story.reduce.what_all": ("alla förslag", "all suggestions"),
    "story.reduce.what_scenario": ("de valda ändringarna", "the chosen changes"),
    "story.reduce.title": ("Före och efter", "Before and after"),
    "story.reduce.notes": (
        "Staplarna jämför dokumentet före och efter {what}: mål från {g0} till {g1}, "
        "indikatorer från {i0} till {i1}, uppdrag från {a0} till {a1} och "
        "rapporteringstillfällen per år från {o0} till {o1}. Förslagen bygger på regler som "
        "går att granska (dubbletter, mål som upprepar sitt överordnade mål, aktivitetsmål, "
        "för tät rapportering); varje förslag har sin motivering i Excelrapporten. Det är "
        "underlag för ett politiskt beslut, inte beslutet.",
        "The bars compare the document before and after {what}: goals from {g0} to {g1}, "
        "indicators from {i0} to {i1}, assignments from {a0} to {a1} and reporting occasions "
        "per year from {o0} to {o1}. The suggestions come from rules that can be checked "
        "(duplicates, goals restating their parent, activity goals, too frequent reporting); "
        "each has its rationale in the Excel report. It is material for a political decision, "
        "not the decision.",
    ),
    # Presentation page
    "present.title": ("Presentation", "Presentation"),
    "present.previous": ("Föregående", "Previous"),
    "present.next": ("Nästa", "Next"),
    "present.counter": ("Bild {n} av {total}", "Slide {n} of {total}"),
    "present.notes": ("Talarmanus", "Speaker notes"),
    "present.exit": ("Avsluta presentationen", "Leave the presentation"),
    # Reports page
    "reports.title": ("Rapporter", "Reports"),
    "reports.intro": (
        "Ta med analysen till mötet eller skicka den vidare. Excelrapporten har alla tabeller "
        "och definitionerna; HTML-rapporten öppnas i vilken webbläsare som helst, även utan "
        "nät; PowerPoint-presentationen har en bild per steg med talarmanus.",
        "Take the analysis to the meeting or send it on. The Excel report has every table and "
        "the definitions; the HTML report opens in any browser, even offline; the PowerPoint "
        "deck has one slide per step with speaker notes.",
    ),
    "reports.files": ("Rapporterna", "The reports"),
    "reports.made_on_click": (
        "Filen skapas när du klickar; PowerPoint tar en halv minut eftersom diagrammen ritas som bilder.",
        "The file is made when you click; PowerPoint takes half a minute because the charts are drawn as images.",
    ),
    "reports.charts": ("Diagrammen som bilder", "The charts as images"),
    "reports.charts_caption": (
        "Presentationens diagram som PNG (för dokument och bilder) eller SVG (skalbar, för tryck).",
        "The presentation's charts as PNG (for documents and slides) or SVG (scalable, for print).",
    ),
    # Download labels (for pages that offer the reports and chart images)
    "download.xlsx": ("Ladda ner rapporten (Excel)", "Download the report (Excel)"),
    "download.html": ("Ladda ner rapporten (HTML)", "Download the report (HTML)"),
    "download.pptx": ("Ladda ner presentationen (PowerPoint)", "Download the presentation (PowerPoint)"),
    "download.png": ("Ladda ner diagrammet (PNG)", "Download the chart (PNG)"),
    "download.svg": ("Ladda ner diagrammet (SVG)", "Download the chart (SVG)"),
    "error.suffix": (
        "Rapporten kan bara skrivas som .xlsx, .html eller .pptx, inte som \"{suffix}\". "
        "Välj ett filnamn som slutar på en av dem.",
        "The report can only be written as .xlsx, .html or .pptx, not as \"{suffix}\". "
        "Choose a file name ending in one of them.",
    ),
    "error.image": (
        "Diagrambilden kunde inte skapas: webbläsaren som ritar bilder (Chromium) startade inte.",
        "The chart image could not be made: the browser that draws images (Chromium) did not start.",
    ),
}


def rt(key: str, lang: str = "sv", **values: object) -> str:
    """A report string in `lang`; keys the app already has come from goalload.i18n."""
    if key in REPORT_STRINGS:
        text = REPORT_STRINGS[key][1 if lang == "en" else 0]
        return text.format(**values) if values else text
    if key in STRINGS:
        return t(key, lang, **values)
    raise KeyError(key)
