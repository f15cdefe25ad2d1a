"""Every string a person reads in the app, in Swedish (default) and English.

One table, so a translator edits one file and a test can check that both languages have
every key with the same placeholders. `t("key", lang, name=...)` looks a string up and
fills its placeholders; pass numbers already formatted (goalload.formatting), and user
text already escaped for where it is shown.

Labels for the model's codes (unit levels, frequencies, source kinds, metric columns,
mapping fields) live here too, as `label(kind, code, lang)`.
"""

from __future__ import annotations

from goalload.columns import FIELD_LABELS
from goalload.formatting import format_int
from goalload.model import (
    FREQUENCY_LABELS_EN,
    FREQUENCY_LABELS_SV,
    LEVEL_LABELS_EN,
    LEVEL_LABELS_SV,
)

LANGUAGES: dict[str, str] = {"sv": "Svenska", "en": "English"}
DEFAULT_LANG = "sv"

# key -> (Swedish, English)
STRINGS: dict[str, tuple[str, str]] = {
    # App frame and sidebar
    "app.title": (
        "Goalload – målbörda och styrsignaler",
        "Goalload – goal load and steering signals",
    ),
    "page.overview": ("Översikt", "Overview"),
    "page.data": ("Data", "Data"),
    "page.load": ("Målbörda", "Goal load"),
    "page.indicators": ("Indikatorbörda", "Indicator burden"),
    "page.present": ("Presentation", "Presentation"),
    "page.reports": ("Rapporter", "Reports"),
    "chart.download_png": ("Ladda ned PNG", "Download PNG"),
    "chart.download_svg": ("Ladda ned SVG", "Download SVG"),
    "sidebar.language": ("Språk / Language", "Språk / Language"),
    "sidebar.document": ("Dokument", "Document"),
    "sidebar.year": ("År {year}", "Year {year}"),
    "sidebar.name": ("Namn", "Name"),
    "sidebar.name_help": (
        "Namnet som sidorna, rapporterna och presentationen visar. Lämna tomt för namnet i filen.",
        "The name the pages, reports and presentation show. Leave empty for the name in the file.",
    ),
    "sidebar.year_label": ("År", "Year"),
    "sidebar.year_help": (
        "Året som sidorna, rapporterna och presentationen visar. Ändrar inga siffror.",
        "The year the pages, reports and presentation show. Changes no figures.",
    ),
    "sidebar.source_sample": (
        "Källa: exempelkommunen (påhittad)",
        "Source: the sample municipality (fictional)",
    ),
    "sidebar.source_upload": ("Källa: uppladdad fil {file}", "Source: uploaded file {file}"),
    "sidebar.use_sample": ("Visa exempelkommunen igen", "Show the sample municipality again"),
    "sidebar.upload_hint": (
        "Ladda upp kommunens egen arbetsbok på sidan Data.",
        "Upload your municipality's own workbook on the Data page.",
    ),
    "upload.label": (
        "Ladda upp en arbetsbok (.xlsx, .xlsm, .xls, .ods eller .csv)",
        "Upload a workbook (.xlsx, .xlsm, .xls, .ods or .csv)",
    ),
    "upload.help": (
        "Filen läses bara i din session och sparas inte på servern.",
        "The file is read only in your session and is not stored on the server.",
    ),
    "upload.failed": (
        "Filen {file} kunde inte läsas. {message}",
        "The file {file} could not be read. {message}",
    ),
    "upload.kept": (
        "Det tidigare dokumentet ({name}) visas fortfarande.",
        "The previous document ({name}) is still shown.",
    ),
    # A count with its noun in the right number: counted(1, "unit") -> "1 enhet".
    "count.unit.one": ("{n} enhet", "{n} unit"),
    "count.unit.many": ("{n} enheter", "{n} units"),
    "count.goal.one": ("{n} mål", "{n} goal"),
    "count.goal.many": ("{n} mål", "{n} goals"),
    "count.indicator.one": ("{n} indikator", "{n} indicator"),
    "count.indicator.many": ("{n} indikatorer", "{n} indicators"),
    "count.own_goal.one": ("{n} eget mål", "{n} own goal"),
    "count.own_goal.many": ("{n} egna mål", "{n} own goals"),
    "count.received_goal.one": ("{n} mottaget mål", "{n} received goal"),
    "count.received_goal.many": ("{n} mottagna mål", "{n} received goals"),
    "count.assignment.one": ("{n} uppdrag", "{n} assignment"),
    "count.assignment.many": ("{n} uppdrag", "{n} assignments"),
    "count.occasion.one": ("{n} rapporteringstillfälle per år", "{n} reporting occasion per year"),
    "count.occasion.many": (
        "{n} rapporteringstillfällen per år",
        "{n} reporting occasions per year",
    ),
    "upload.where": ("Platsen i filen: {where}.", "Location in the file: {where}."),
    "upload.ok": (
        "{file} lästes in: {units}, {goals} och {indicators}.",
        "{file} was read: {units}, {goals} and {indicators}.",
    ),
    "upload.has_errors": (
        "Filen lästes, men den har {count} fel att rätta. Se anmärkningarna på sidan Data.",
        "The file was read, but it has {count} errors to correct. See the findings on the Data page.",
    ),
    "upload.unexpected": (
        "Något oväntat gick fel när filen lästes. Kontrollera att det är en arbetsbok "
        "(.xlsx, .xlsm, .xls, .ods eller .csv) och försök igen.",
        "Something unexpected went wrong reading the file. Check that it is a workbook "
        "(.xlsx, .xlsm, .xls, .ods or .csv) and try again.",
    ),
    "background.working_overlap": (
        "Dokumentet har {goals} mål, så överlappet tas fram i bakgrunden. Sidan visas här "
        "så snart det är klart. Under tiden kan du använda de andra sidorna.",
        "The document has {goals} goals, so the overlap is worked out in the background. "
        "This page appears here as soon as it is ready. Meanwhile the other pages can be "
        "used.",
    ),
    "background.working": (
        "Dokumentet har {goals} mål, så överlapp och förslag tas fram i bakgrunden. Sidan "
        "visas här så snart de är klara. Under tiden kan du använda de andra sidorna.",
        "The document has {goals} goals, so the overlap and the recommendations are worked "
        "out in the background. This page appears here as soon as they are ready. "
        "Meanwhile the other pages can be used.",
    ),
    "background.step": (
        "Steg {n} av {total}: {step}",
        "Step {n} of {total}: {step}",
    ),
    "background.overlap_base": (
        "överlapp mellan målen vid alla trösklar",
        "overlap between the goals at every threshold",
    ),
    "background.overlap": (
        "överlapp vid standardtröskeln",
        "overlap at the default threshold",
    ),
    "background.recommendations": (
        "förslag att minska detaljstyrningen",
        "recommendations for cutting detail steering",
    ),
    "background.recommendations_json": (
        "underlag för presentation och rapporter",
        "material for the presentation and the reports",
    ),
    "where.sheet": ("bladet {sheet}", "sheet {sheet}"),
    "where.row": ("rad {row}", "row {row}"),
    "where.column": ("kolumnen {column}", "column {column}"),
    "template.download": ("Ladda ner mallen (Excel)", "Download the template (Excel)"),
    "template.help": (
        "En tom arbetsbok med instruktioner: fyll i den om kommunens egen fil inte går att läsa.",
        "An empty workbook with instructions: fill it in if your own file cannot be read.",
    ),
    "template.unavailable": (
        "Mallen är inte tillgänglig just nu.",
        "The template is not available right now.",
    ),
    "common.no_data": (
        "Dokumentet innehåller inga {what} att visa.",
        "The document contains no {what} to show.",
    ),
    "common.levels": ("Visa nivåer", "Show levels"),
    "common.top_n": ("Antal enheter i diagrammen", "Number of units in the charts"),
    "common.showing_top": (
        "Diagrammen visar de {shown} av {total} enheter som har mest.",
        "The charts show the {shown} of {total} units with the most.",
    ),
    "common.no_units_selected": ("Välj minst en nivå.", "Choose at least one level."),
    # Overview
    "overview.title": ("Översikt", "Overview"),
    "overview.document_year": ("{name}, {year}", "{name}, {year}"),
    "overview.stands_out": ("Det här sticker ut", "What stands out"),
    "overview.top_units": ("Enheterna med störst börda", "The units carrying the most load"),
    "overview.top_units_caption": (
        "Staplarna visar egna mål, indikatorer och uppdrag för de {n} enheter som har flest "
        "styrsignaler. Ju längre stapel, desto mer har enheten att arbeta mot och följa upp.",
        "The bars show own goals, indicators and assignments for the {n} units with the most "
        "steering signals. The longer the bar, the more the unit has to work towards and report on.",
    ),
    "overview.no_summary": (
        "Inget sticker ut särskilt i det här dokumentet.",
        "Nothing in particular stands out in this document.",
    ),
    # Data page
    "data.title": ("Data", "Data"),
    "data.intro": (
        "Här laddar du upp kommunens målarbetsbok och ser vad som lästes. Stämmer något inte, "
        "rätta kolumnernas tolkning och läs in filen igen.",
        "Upload your municipality's goal workbook here and see what was read. If something is "
        "wrong, correct how the columns were interpreted and read the file again.",
    ),
    "data.what_was_read": ("Det här lästes", "What was read"),
    "data.file": ("Fil", "File"),
    "data.layout": ("Tolkad som", "Read as"),
    "data.confidence": ("Säkerhet i tolkningen", "Confidence in the interpretation"),
    "data.sheets_used": ("Blad som användes", "Sheets used"),
    "data.sheets_all": ("Alla blad i filen", "All sheets in the file"),
    "data.sheet": ("Blad", "Sheet"),
    "data.header_row": ("Rubrikrad", "Header row"),
    "data.rows_read": ("Rader lästa", "Rows read"),
    "data.sheets_caption": (
        "Varje blad som användes, raden där rubrikerna hittades och hur många rader under den "
        "som lästes. Radnummer som i Excel.",
        "Each sheet used, the row where the headers were found and how many rows below it were "
        "read. Row numbers as in Excel.",
    ),
    "data.mapping": ("Kolumnernas tolkning", "How the columns were interpreted"),
    "data.mapping_caption": (
        "Så tolkades varje kolumnrubrik. Välj en annan betydelse om något blev fel och läs in "
        'filen igen; välj "(används inte)" för kolumner som ska hoppas över.',
        "How each column header was interpreted. Choose another meaning if something is wrong "
        'and read the file again; choose "(not used)" for columns to skip.',
    ),
    "data.mapping_open": ("Visa och ändra tolkningen", "Show and change the interpretation"),
    "data.mapping_column": ("Kolumn {header}", "Column {header}"),
    "data.mapping_submit": (
        "Läs in igen med den här tolkningen",
        "Read again with this interpretation",
    ),
    "data.mapping_none": (
        "Det finns ingen kolumntolkning att ändra för det här dokumentet.",
        "There is no column interpretation to change for this document.",
    ),
    "data.mapping_reread": (
        "Filen lästes in igen med din tolkning.",
        "The file was read again with your interpretation.",
    ),
    "data.findings": ("Anmärkningar", "Findings"),
    "data.findings_caption": (
        "Det som inte kunde läsas eller ser konstigt ut, fel först. Blad, rad och kolumn "
        "pekar ut cellen i arbetsboken så att du kan rätta den.",
        "What could not be read or looks odd, errors first. Sheet, row and column point to "
        "the cell in the workbook so you can correct it.",
    ),
    "data.no_findings": (
        "Inga anmärkningar: allt kunde läsas.",
        "No findings: everything could be read.",
    ),
    "data.findings_count": (
        "{errors} fel, {warnings} varningar och {infos} upplysningar.",
        "{errors} errors, {warnings} warnings and {infos} notes.",
    ),
    "data.template": ("Mallen", "The template"),
    "data.template_text": (
        "Går kommunens dokument inte att läsa direkt? Fyll i mallen: ett blad för enheter, "
        "mål, indikatorer och uppdrag.",
        "Can't your document be read as it is? Fill in the template: one sheet each for units, "
        "goals, indicators and assignments.",
    ),
    "data.contents": ("Innehåll", "Contents"),
    "finding.severity": ("Allvar", "Severity"),
    "finding.sheet": ("Blad", "Sheet"),
    "finding.row": ("Rad", "Row"),
    "finding.column": ("Kolumn", "Column"),
    "finding.message": ("Meddelande", "Message"),
    # Goal load page
    "load.title": ("Målbörda", "Goal load"),
    "load.bars_title": (
        "Mål, indikatorer och uppdrag per enhet",
        "Goals, indicators and assignments per unit",
    ),
    "load.bars_caption": (
        "Varje stapel är en enhet, uppdelad i egna mål, indikatorer och uppdrag. Ju längre "
        "stapel, desto fler styrsignaler har enheten att arbeta mot och följa upp.",
        "Each bar is a unit, split into own goals, indicators and assignments. The longer the "
        "bar, the more steering signals the unit has to work towards and report on.",
    ),
    "load.hierarchy": ("Hierarki", "Hierarchy"),
    "load.hierarchy_org": ("Organisationen", "The organisation"),
    "load.hierarchy_goals": ("Målen", "The goals"),
    "load.treemap_title": ("Styrsignaler i organisationen", "Steering signals in the organisation"),
    "load.treemap_caption": (
        "Varje ruta är en enhet, med enheterna under den inuti. Ju större ruta, desto fler "
        "styrsignaler (mål, indikatorer, uppdrag) i den delen av organisationen; siffran är "
        "enhetens egna. Klicka på en ruta för att zooma in.",
        "Each box is a unit, with the units below it inside. The bigger the box, the more "
        "steering signals (goals, indicators, assignments) in that part of the organisation; "
        "the number is the unit's own. Click a box to zoom in.",
    ),
    "load.sunburst_title": ("Målhierarkin", "The goal hierarchy"),
    "load.sunburst_caption": (
        "Innersta ringen är de översta målen; varje mål utanför bryter ned målet innanför. "
        "Ju bredare bit, desto fler mål under. Klicka på en bit för att zooma in.",
        "The inner ring holds the top goals; each goal further out breaks down the goal inside "
        "it. The wider a slice, the more goals beneath. Click a slice to zoom in.",
    ),
    "load.goal_root": ("Alla mål", "All goals"),
    "load.org_root": ("Hela organisationen", "The whole organisation"),
    "load.no_area": ("Utan målområde", "No goal area"),
    "load.unit_goals": ("En enhets mål", "One unit's goals"),
    "load.choose_unit": ("Välj enhet", "Choose a unit"),
    "load.unit_goals_caption": (
        "Enhetens egna mål och de mål den tar emot från enheterna ovanför, med indikatorerna "
        "som mäter varje mål.",
        "The unit's own goals and the goals it receives from the units above, with the "
        "indicators that measure each goal.",
    ),
    "load.unit_summary": (
        "{unit}: {own}, {received}, {indicators} och {assignments}.",
        "{unit}: {own}, {received}, {indicators} and {assignments}.",
    ),
    "load.own": ("Eget", "Own"),
    "load.received": ("Mottaget", "Received"),
    "col.relation": ("Eget eller mottaget", "Own or received"),
    "col.owner": ("Ansvarig", "Owner"),
    "col.goal_level": ("Målnivå", "Goal level"),
    "col.goal": ("Mål", "Goal"),
    "col.indicator_count": ("Antal indikatorer", "Number of indicators"),
    "col.indicator_names": ("Indikatorer", "Indicators"),
    # Indicator burden page
    "ind.title": ("Indikatorbörda", "Indicator burden"),
    "ind.frequency_title": (
        "Rapporteringstillfällen per år, efter frekvens",
        "Reporting occasions per year, by frequency",
    ),
    "ind.frequency_caption": (
        "Varje stapel visar hur många gånger per år enheten rapporterar sina indikatorer, "
        "uppdelat på frekvens: en indikator som följs upp varje månad ger 12 tillfällen.",
        "Each bar shows how many times a year the unit reports its indicators, split by "
        "frequency: an indicator followed up monthly gives 12 occasions.",
    ),
    "ind.source_title": (
        "Rapporteringstillfällen per år, efter källa",
        "Reporting occasions per year, by source",
    ),
    "ind.source_caption": (
        "Samma tillfällen uppdelade efter var värdet kommer ifrån. Manuell insamling och "
        "enkäter kostar mest arbete; Kolada och egna system kan hämtas automatiskt.",
        "The same occasions split by where the value comes from. Manual collection and "
        "surveys cost the most work; Kolada and own systems can be fetched automatically.",
    ),
    "ind.heatmap_title": (
        "Indikatorer per enhet och frekvens",
        "Indicators per unit and frequency",
    ),
    "ind.heatmap_caption": (
        "Varje ruta är antalet indikatorer en enhet följer upp med en viss frekvens. Mörkare "
        "ruta betyder fler indikatorer; titta särskilt på kolumnerna Månad och Kvartal.",
        "Each cell is the number of indicators a unit follows up at a given frequency. A darker "
        "cell means more indicators; look especially at the Month and Quarter columns.",
    ),
    "ind.top_title": ("Mest betungande indikatorer", "The most burdensome indicators"),
    "ind.top_caption": (
        "Indikatorerna som ger flest rapporteringar per år: frekvensen gånger antalet enheter "
        "som rapporterar indikatorn.",
        "The indicators that cause the most reports per year: the frequency times the number "
        "of units that report the indicator.",
    ),
    "col.indicator": ("Indikator", "Indicator"),
    "col.frequency": ("Frekvens", "Frequency"),
    "col.source": ("Källa", "Source"),
    "col.source_kind": ("Typ av källa", "Kind of source"),
    "col.occasions_per_year": ("Tillfällen per år", "Occasions per year"),
    "col.units": ("Enheter", "Units"),
    "col.goals": ("Mål", "Goals"),
    "col.yearly_reports": ("Rapporteringar per år", "Reports per year"),
    "col.kolada_id": ("Kolada-ID", "Kolada ID"),
    # Chart axes
    "axis.count": ("Antal", "Count"),
    "axis.occasions": ("Rapporteringstillfällen per år", "Reporting occasions per year"),
    "axis.unit": ("Enhet", "Unit"),
    "axis.frequency": ("Frekvens", "Frequency"),
    "axis.part": ("Del", "Part"),
    # Summary sentences (goalload.summary)
    "sum.times_median": (
        "{unit} har {ratio} så många {metric} som medianen för {level} ({value} mot {median}).",
        "{unit} has {ratio} as many {metric} as the median for {level} ({value} against {median}).",
    ),
    "sum.concentration": (
        "{count} av {total} enheter bär {share} av alla {metric}.",
        "{count} of {total} units carry {share} of all {metric}.",
    ),
    "sum.unmeasured": (
        "{count} av {total} mål ({share}) saknar indikator, så det går inte att följa upp om de nås.",
        "{count} of {total} goals ({share}) have no indicator, so it cannot be followed up whether they are met.",
    ),
    "sum.frequent": (
        "Indikatorer som följs upp varje vecka, månad eller kvartal står för {share} av alla "
        "{occasions} rapporteringstillfällen per år.",
        "Indicators followed up weekly, monthly or quarterly make up {share} of all "
        "{occasions} reporting occasions per year.",
    ),
    "sum.manual": (
        "{share} av indikatorerna samlas in manuellt eller med enkät; {kolada} finns i Kolada.",
        "{share} of the indicators are collected by hand or by survey; {kolada} are in Kolada.",
    ),
    "sum.orphan": (
        "{count} indikator är inte kopplad till något mål.",
        "{count} indicator is not linked to any goal.",
    ),
    "sum.orphans": (
        "{count} indikatorer är inte kopplade till något mål.",
        "{count} indicators are not linked to any goal.",
    ),
    "sum.broad_assignment_one": (
        "{count} uppdrag går till {units} eller fler enheter.",
        "{count} assignment goes to {units} or more units.",
    ),
    "sum.broad_assignment": (
        "{count} uppdrag går till {units} eller fler enheter var.",
        "{count} assignments go to {units} or more units each.",
    ),
    "sum.per_goal": (
        "I snitt mäts varje mål av {value} indikatorer; {unit} har flest per mål ({unit_value}).",
        "On average each goal is measured by {value} indicators; {unit} has the most per goal ({unit_value}).",
    ),
    "ratio.times": ("{n} gånger", "{n} times"),
    "ratio.twice": ("dubbelt", "twice"),
    "level.plural.council": ("fullmäktige", "councils"),
    "level.plural.board": ("styrelserna", "boards"),
    "level.plural.committee": ("nämnderna", "committees"),
    "level.plural.company": ("bolagen", "companies"),
    "level.plural.administration": ("förvaltningarna", "administrations"),
    "level.plural.unit": ("enheterna", "units"),
    "metric.plural.indicators": ("indikatorer", "indicators"),
    "metric.plural.own_goals": ("egna mål", "own goals"),
    "metric.plural.assignments": ("uppdrag", "assignments"),
    "metric.plural.reporting_occasions_per_year": (
        "rapporteringstillfällen",
        "reporting occasions",
    ),
    "metric.plural.steering_signals": ("styrsignaler", "steering signals"),
    # Jämför page (compare years and municipalities)
    "page.compare": ("Jämför", "Compare"),
    "compare.title": ("Jämför år och kommuner", "Compare years and municipalities"),
    "compare.intro": (
        "Har målbördan minskat sedan förra året, och hur står vi oss mot grannkommunen? "
        "Ladda upp flera arbetsböcker på en gång: samma kommuns år, eller olika kommuner.",
        "Has the goal load gone down since last year, and how do we compare with our "
        "neighbours? Upload several workbooks at once: years of one municipality, or "
        "different municipalities.",
    ),
    "compare.upload_label": (
        "Arbetsböcker att jämföra (två eller fler)",
        "Workbooks to compare (two or more)",
    ),
    "compare.upload_help": (
        "Filerna läses bara i din session och sparas inte på servern. Åren visas i "
        "ordning, äldst först.",
        "The files are read only in your session and are not stored on the server. Years "
        "are shown in order, oldest first.",
    ),
    "compare.using_sample": (
        "Visar exempelkommunens två år ({documents}). Ladda upp egna arbetsböcker ovan för "
        "att jämföra era år eller er kommun med en annan.",
        "Showing the sample municipality's two years ({documents}). Upload your own "
        "workbooks above to compare your years, or your municipality with another.",
    ),
    "compare.need_two": (
        "Ladda upp minst två arbetsböcker som går att läsa för att jämföra. Till dess visas "
        "exempelkommunens två år.",
        "Upload at least two readable workbooks to compare. Until then the sample "
        "municipality's two years are shown.",
    ),
    "compare.kept_files": (
        "Vald tidigare: {files}",
        "Chosen before: {files}",
    ),
    "compare.comparing": ("Jämför: {documents}", "Comparing: {documents}"),
    "compare.units_title": ("Samma enhet i dokumenten", "The same unit across the documents"),
    "compare.units_caption": (
        "Enheterna matchas på namn, även när de bytt namn. Kontrollera förslagen överst: "
        "välj under Jämförs som vilken enhet raden ska räknas som, eller (jämförs för sig) "
        "för att bryta en matchning, och bocka i Bekräftad.",
        "Units are matched by name, also when they were renamed. Check the suggestions at "
        "the top: under Compared as, choose which unit the row counts as, or (compared on "
        "its own) to break a match, and tick Confirmed.",
    ),
    "compare.to_confirm": (
        "{count} föreslagna matchningar att bekräfta: {names}.",
        "{count} suggested matches to confirm: {names}.",
    ),
    "compare.none_to_confirm": (
        "Alla enheter har samma namn i dokumenten eller är bekräftade.",
        "Every unit has the same name in the documents or has been confirmed.",
    ),
    "compare.col.document": ("Dokument", "Document"),
    "compare.col.unit": ("Enhet i dokumentet", "Unit in the document"),
    "compare.col.level": ("Nivå", "Level"),
    "compare.col.method": ("Hur", "How"),
    "compare.col.score": ("Likhet", "Similarity"),
    "compare.col.label": ("Jämförs som", "Compared as"),
    "compare.col.confirmed": ("Bekräftad", "Confirmed"),
    "compare.col.matched": ("Matchad med", "Matched with"),
    "compare.alone": ("(jämförs för sig)", "(compared on its own)"),
    "compare.col.metric": ("Mått", "Measure"),
    "compare.col.change": ("Förändring", "Change"),
    "compare.col.unit_compared": ("Enhet", "Unit"),
    "compare.col.other_names": ("Andra namn", "Other names"),
    "compare.col.units_in": ("{document}: enheter", "{document}: units"),
    "compare.col.per_unit_in": ("{document}: per enhet", "{document}: per unit"),
    "compare.col.goal_id": ("Mål-ID", "Goal ID"),
    "compare.col.goal": ("Mål", "Goal"),
    "compare.col.goal_id_before": ("Tidigare mål-ID", "Earlier goal ID"),
    "compare.col.goal_before": ("Tidigare lydelse", "Earlier wording"),
    "compare.col.goal_units": ("Enhet", "Unit"),
    "compare.method.same_name": ("Samma namn", "Same name"),
    "compare.method.suggested": ("Förslag: bytt namn?", "Suggestion: renamed?"),
    "compare.method.new": ("Ingen motsvarighet tidigare", "No earlier counterpart"),
    "compare.method.person": ("Ändrad av dig", "Changed by you"),
    "compare.method.first": ("Första dokumentet", "First document"),
    "compare.totals_title": ("Totalt", "In total"),
    "compare.delta_caption": (
        "Siffrorna gäller {last}; förändringen under varje siffra är jämfört med {first}. "
        "Grönt betyder mindre börda.",
        "The figures are for {last}; the change under each figure is compared with "
        "{first}. Green means less load.",
    ),
    "compare.delta_caption_other": (
        "Siffrorna gäller {last}; under varje siffra står skillnaden mot {first}. Grönt "
        "betyder mindre börda än {first}.",
        "The figures are for {last}; under each figure is the difference from {first}. "
        "Green means less load than {first}.",
    ),
    "compare.totals_chart_title": (
        "Mål, indikatorer, uppdrag och styrsignaler",
        "Goals, indicators, assignments and steering signals",
    ),
    "compare.totals_caption": (
        "Varje grupp är ett mått och varje färg ett dokument; en lägre stapel i ett senare år "
        "betyder mindre börda.",
        "Each group is a measure and each colour a document; a lower bar in a later year "
        "means less load.",
    ),
    "compare.per_1000_title": ("Per 1 000 invånare", "Per 1,000 inhabitants"),
    "compare.per_1000_chart_title": (
        "Styrning per 1 000 invånare",
        "Steering per 1,000 inhabitants",
    ),
    "compare.per_1000_caption": (
        "Måtten delade med invånarantalet gånger 1 000: så jämförs kommuner av olika "
        "storlek rättvist.",
        "The measures divided by the population times 1,000: this is how municipalities "
        "of different size are compared fairly.",
    ),
    "compare.no_population": (
        "Invånarantal saknas för {documents}. Fyll i raden Invånare på bladet Dokument för "
        "att jämföra per 1 000 invånare.",
        "The population is missing for {documents}. Fill in the Invånare row on the "
        "Dokument sheet to compare per 1,000 inhabitants.",
    ),
    "compare.population": ("Invånare", "Inhabitants"),
    "compare.metric_choice": ("Mått per nivå och enhet", "Measure per level and unit"),
    "compare.level_title": ("Per enhetstyp", "Per unit type"),
    "compare.level_chart_title": (
        "{metric} per enhet, efter nivå",
        "{metric} per unit, by level",
    ),
    "compare.level_caption": (
        "Medelvärdet per enhet på varje nivå: visar om nämnderna, förvaltningarna eller "
        "enheterna bär mer eller mindre än förut, eller än grannen.",
        "The mean per unit at each level: shows whether the committees, administrations or "
        "units carry more or less than before, or than the neighbour.",
    ),
    "compare.unit_title": ("Per enhet", "Per unit"),
    "compare.unit_chart_title": ("{metric} per enhet", "{metric} per unit"),
    "compare.unit_caption": (
        "Enheterna med högst värde i något av dokumenten, en färg per dokument. En enhet "
        "som saknas i ett dokument har ingen stapel där.",
        "The units with the highest value in any of the documents, one colour per "
        "document. A unit missing from a document has no bar there.",
    ),
    "compare.unit_table_caption": (
        "Alla enheter, tyngst först. – betyder att enheten inte finns i dokumentet; "
        "omdöpta enheter står under sitt senaste namn.",
        "Every unit, heaviest first. – means the unit is not in the document; renamed "
        "units are listed under their latest name.",
    ),
    "compare.changes_title": (
        "Mål som tillkommit, tagits bort eller formulerats om",
        "Goals added, removed or reworded",
    ),
    "compare.changes_from": ("Från", "From"),
    "compare.changes_to": ("Till", "To"),
    "compare.changes_same": ("Välj två olika dokument.", "Choose two different documents."),
    "compare.changes_caption": (
        "Ett mål är oförändrat när texten är densamma hos samma enhet (omdöpta enheter "
        "räknas som samma enhet) och omformulerat när orden betyder samma sak, till exempel "
        "öka och höja.",
        "A goal is unchanged when its text is the same at the same unit (renamed units "
        "count as the same unit) and reworded when the words mean the same, for example "
        "increase and raise.",
    ),
    "compare.kind.goals_added": ("Nya", "Added"),
    "compare.kind.goals_removed": ("Borttagna", "Removed"),
    "compare.kind.goals_reworded": ("Omformulerade", "Reworded"),
    "compare.kind.goals_unchanged": ("Oförändrade", "Unchanged"),
    "compare.no_goals": ("Inga mål här.", "No goals here."),
    # Kolada page
    "page.kolada": ("Kolada", "Kolada"),
    "kolada.title": ("Indikatorer som finns i Kolada", "Indicators available in Kolada"),
    "kolada.intro": (
        "Kolada publicerar tusentals nyckeltal för alla kommuner, gratis. En indikator som "
        "redan finns där behöver inte samlas in för hand.",
        "Kolada publishes thousands of key figures for every municipality, free of charge. "
        "An indicator that is already there need not be collected by hand.",
    ),
    "kolada.csv_label": (
        "Kolada-katalogen som CSV (om Kolada inte går att nå)",
        "The Kolada catalogue as CSV (when Kolada cannot be reached)",
    ),
    "kolada.csv_help": (
        "En CSV med Koladas nyckeltal, med kolumnerna id och title (som Kolada API v3, "
        "/v3/kpi). Filen läses bara i din session.",
        "A CSV of Kolada's key figures with the columns id and title (as Kolada API v3, "
        "/v3/kpi). The file is read only in your session.",
    ),
    "kolada.no_catalogue": (
        "Kolada-katalogen finns inte: Kolada gick inte att nå och ingen sparad kopia finns. "
        "Ladda upp katalogen som CSV ovan (kolumnerna id och title), eller försök igen när "
        "datorn har nätverk.",
        "The Kolada catalogue is not available: Kolada could not be reached and there is "
        "no saved copy. Upload the catalogue as CSV above (columns id and title), or try "
        "again when the computer is online.",
    ),
    "kolada.reason": ("Orsak: {reason}", "Reason (in Swedish): {reason}"),
    "kolada.retry": ("Försök hämta från Kolada igen", "Try fetching from Kolada again"),
    "kolada.csv_failed": (
        "Katalogfilen {file} kunde inte läsas. {message}",
        "The catalogue file {file} could not be read. {message}",
    ),
    "kolada.catalogue_line": (
        "Kolada-katalogen: {count} nyckeltal från {origin}{when}.",
        "The Kolada catalogue: {count} key figures from {origin}{when}.",
    ),
    "kolada.fetched": (", hämtad {date}", ", fetched {date}"),
    "kolada.stale": (
        " (äldre kopia: Kolada gick inte att nå)",
        " (an older copy: Kolada could not be reached)",
    ),
    "kolada.origin.file": ("uppladdad fil", "an uploaded file"),
    "kolada.origin.api": ("Kolada API v3", "Kolada API v3"),
    "kolada.origin.cache": (
        "sparad kopia från Kolada API v3",
        "a saved copy from Kolada API v3",
    ),
    "kolada.matching": (
        "Jämför indikatorerna med Koladas nyckeltal …",
        "Comparing the indicators with Kolada's key figures …",
    ),
    "kolada.metric.indicators": ("Indikatorer", "Indicators"),
    "kolada.metric.in_kolada": ("Finns i Kolada", "Available in Kolada"),
    "kolada.metric.by_id": ("Med Kolada-ID i dokumentet", "With a Kolada ID in the document"),
    "kolada.metric.by_name": ("Föreslagna från namnet", "Suggested from the name"),
    "kolada.in_kolada": ("Finns i Kolada", "Available in Kolada"),
    "kolada.by_hand": ("Samlas in för hand", "Collected by hand"),
    "kolada.chart_title": (
        "Indikatorer per enhet: i Kolada eller för hand",
        "Indicators per unit: in Kolada or by hand",
    ),
    "kolada.chart_caption": (
        "Grönt är indikatorer som redan finns i Kolada och kan hämtas därifrån, rött samlas "
        "in för hand; enheterna med flest i Kolada står överst.",
        "Green are indicators Kolada already publishes, which can be fetched from there; "
        "red are collected by hand. The units with the most in Kolada are at the top.",
    ),
    "kolada.per_unit_title": ("Per enhet", "Per unit"),
    "kolada.matches_title": ("Träffar att bekräfta", "Matches to confirm"),
    "kolada.matches_caption": (
        "Överst förslag från namnlikhet (en träff kräver likhet {threshold} eller mer), sedan "
        "Kolada-ID som dokumentet självt anger, sist indikatorer utan träff med de bästa "
        "kandidaterna. Skriv ett annat Kolada-ID för att rätta en träff eller töm fältet "
        "för att ta bort den; bocka i Bekräftad när du kontrollerat raden.",
        "At the top suggestions from similar names (a match needs similarity {threshold} "
        "or more), then Kolada IDs the document itself gives, last indicators without a "
        "match with the best candidates. Type another Kolada ID to correct a match or "
        "empty the cell to remove it; tick Confirmed when you have checked the row.",
    ),
    "kolada.confirmed_count": (
        "{confirmed} av {claimed} träffar bekräftade.",
        "{confirmed} of {claimed} matches confirmed.",
    ),
    "kolada.unknown_ids": (
        "Kolada har inget nyckeltal med id {ids}; de räknas inte.",
        "Kolada has no key figure with the ID {ids}; they are not counted.",
    ),
    "kolada.no_indicators": (
        "Dokumentet har inga indikatorer att jämföra med Kolada.",
        "The document has no indicators to compare with Kolada.",
    ),
    "kolada.method.id": ("Id i dokumentet", "ID in the document"),
    "kolada.method.fuzzy": ("Namnlikhet", "Similar name"),
    "kolada.method.none": ("Ingen träff", "No match"),
    "kolada.method.person": ("Ändrad av dig", "Changed by you"),
    "kolada.col.indicator": ("Indikator", "Indicator"),
    "kolada.col.unit": ("Enhet", "Unit"),
    "kolada.col.kolada_id": ("Kolada-ID", "Kolada ID"),
    "kolada.col.title": ("Kolada-nyckeltal", "Kolada key figure"),
    "kolada.col.score": ("Likhet", "Similarity"),
    "kolada.col.method": ("Hur", "How"),
    "kolada.col.candidates": ("Bästa kandidater (likhet)", "Best candidates (similarity)"),
    "kolada.col.url": ("Kolada-sida", "Kolada page"),
    "kolada.col.confirmed": ("Bekräftad", "Confirmed"),
    "kolada.col.indicators": ("Indikatorer", "Indicators"),
    "kolada.col.available": ("Finns i Kolada", "Available in Kolada"),
    "kolada.col.by_hand": ("Samlas in för hand", "Collected by hand"),
    "kolada.col.share": ("Andel i Kolada", "Share in Kolada"),
    "axis.indicators": ("Indikatorer", "Indicators"),
    # Minska detaljstyrning (app_pages/reduce.py, goalload/reduce_views.py)
    "page.reduce": ("Minska detaljstyrning", "Reduce detail steering"),
    "reduce.title": ("Minska detaljstyrning", "Reduce detail steering"),
    "reduce.intro": (
        "Konkreta förslag på vad som kan tas bort, slås ihop eller rapporteras mer sällan, "
        "med underlaget för varje förslag. Alla förslag är valda från början: bocka ur dem ni "
        "inte vill genomföra, så räknas effekten om direkt.",
        "Concrete suggestions for what could be removed, merged or reported less often, with "
        "the evidence for each. Every suggestion is chosen at first: untick the ones you do not "
        "want, and the effect is recalculated at once.",
    ),
    "reduce.computing": ("Tar fram förslag …", "Working out the suggestions …"),
    "reduce.headline": (
        "{goals} mål, {occasions} rapporteringstillfällen per år",
        "{goals} goals, {occasions} reporting occasions per year",
    ),
    "reduce.headline_caption": (
        "Med {accepted} av {total} förslag valda och reglerna nedan, jämfört med dokumentet i dag.",
        "With {accepted} of {total} suggestions chosen and the rules below, compared with the "
        "document today.",
    ),
    "reduce.metrics_caption": (
        "Stora siffror: värdet efter ändringarna. Grönt: så mycket mindre än i dag.",
        "Large figures: the value after the changes. Green: this much less than today.",
    ),
    "reduce.recs_title": ("Förslag", "Suggestions"),
    "reduce.recs_caption": (
        "Störst effekt överst. Bocka ur ett förslag för att avvisa det; siffrorna är vad just "
        "det förslaget tar bort (mål, indikatorer, rapporteringstillfällen per år) och summeras "
        "aldrig dubbelt. Hela motiveringen och de berörda målen finns under tabellen.",
        "Largest effect first. Untick a suggestion to reject it; the figures are what that "
        "suggestion removes (goals, indicators, reporting occasions per year) and never add up "
        "twice. The full rationale and the goals concerned are below the table.",
    ),
    "reduce.no_recs": (
        "Inga förslag för det här dokumentet: inget av mönstren för detaljstyrning hittades.",
        "No suggestions for this document: none of the detail-steering patterns was found.",
    ),
    "reduce.filter_kinds": ("Visa förslag av typen", "Show suggestions of the kind"),
    "reduce.accept_all": ("Välj alla som visas", "Choose all shown"),
    "reduce.reject_all": ("Avvisa alla som visas", "Reject all shown"),
    "reduce.ed.accepted": ("Genomför", "Do it"),
    "reduce.ed.rank": ("Nr", "No."),
    "reduce.ed.title": ("Förslag", "Suggestion"),
    "reduce.ed.kind": ("Typ", "Kind"),
    "reduce.ed.units": ("Enheter", "Units"),
    "reduce.ed.goals": ("Mål", "Goals"),
    "reduce.ed.indicators": ("Indikatorer", "Indicators"),
    "reduce.ed.occasions": ("Rapporteringar/år", "Reports/year"),
    "reduce.ed.rationale": ("Motivering", "Rationale"),
    "reduce.ed.covered_by": ("Hanteras av förslag", "Handled by suggestion"),
    "reduce.kind.merge_duplicates": ("Slå ihop likalydande mål", "Merge near-duplicate goals"),
    "reduce.kind.drop_pass_through": (
        "Ta bort mål som upprepar målet ovanför",
        "Drop goals that restate the goal above",
    ),
    "reduce.kind.report_shared_indicator_once": (
        "Rapportera delad indikator en gång",
        "Report a shared indicator once",
    ),
    "reduce.kind.measure_or_drop_unmeasured": (
        "Mät eller ta bort omätta mål",
        "Measure or drop unmeasured goals",
    ),
    "reduce.kind.move_activity_goal_down": (
        "Flytta aktivitetsmål till verksamhetsplanen",
        "Move activity goals to the operational plan",
    ),
    "reduce.kind.lower_frequency": (
        "Rapportera inte oftare än källan uppdateras",
        "Report no more often than the source updates",
    ),
    "reduce.kind.joint_assignment": (
        "Gör uppdrag till många nämnder gemensamt",
        "Make an assignment to many committees joint",
    ),
    "reduce.kind.above_goal_cap": ("Enhet över måltaket", "Unit above the goal cap"),
    "reduce.item.goal": ("Mål", "Goal"),
    "reduce.item.indicator": ("Indikator", "Indicator"),
    "reduce.item.link": ("Koppling", "Link"),
    "reduce.item.assignment": ("Uppdrag", "Assignment"),
    "reduce.action.remove": ("Tas bort", "Removed"),
    "reduce.action.keep": ("Behålls", "Kept"),
    "reduce.action.move": ("Flyttas till målet ovanför", "Moved to the goal above"),
    "reduce.action.keep_shared": ("Behålls som gemensamt mål", "Kept as the shared goal"),
    "reduce.action.merge": ("Slås ihop med det gemensamma målet", "Merged into the shared goal"),
    "reduce.action.move_to_operational_plan": (
        "Flyttas till verksamhetsplanen",
        "Moved to the operational plan",
    ),
    "reduce.action.measure_or_remove": (
        "Ge en indikator eller ta bort",
        "Give it an indicator or remove it",
    ),
    "reduce.action.report_once": ("Rapporteras en gång", "Reported once"),
    "reduce.action.replace": ("Ersätts av den som behålls", "Replaced by the one kept"),
    "reduce.action.unlink": ("Kopplingen tas bort", "Link removed"),
    "reduce.action.set_frequency": ("Rapporteras mer sällan", "Reported less often"),
    "reduce.action.make_joint": ("Blir ett gemensamt uppdrag", "Becomes a joint assignment"),
    "reduce.action.remove_owner": (
        "Enheten släpper sitt ägarskap",
        "The unit lets go of its ownership",
    ),
    "reduce.action.handled_elsewhere": (
        "Hanteras av ett annat förslag",
        "Handled by another suggestion",
    ),
    "reduce.lead": ("samordnas av {unit}", "coordinated by {unit}"),
    "reduce.effect_line": (
        "{goals}, {indicators}, {occasions}",
        "{goals}, {indicators}, {occasions}",
    ),
    "reduce.detail_title": ("Underlaget för ett förslag", "The evidence for a suggestion"),
    "reduce.detail_choose": ("Välj förslag", "Choose a suggestion"),
    "reduce.detail_list": ("Välj bland", "Choose from"),
    "reduce.detail_choose_info": ("Välj mönster", "Choose a pattern"),
    "reduce.detail_range": ("Nummer", "Numbers"),
    "reduce.detail_list.active": ("Förslagen ({count})", "The suggestions ({count})"),
    "reduce.detail_list.info": (
        "Mönster som bara är information ({count})",
        "Patterns that are information only ({count})",
    ),
    "reduce.detail_effect": ("Effekt: {effect}.", "Effect: {effect}."),
    "reduce.detail_units": ("Berörda enheter: {units}.", "Units concerned: {units}."),
    "reduce.detail_evidence": ("Underlag", "Evidence"),
    "reduce.evidence_more": ("… och {n} till", "… and {n} more"),
    "reduce.editor_page": ("Visa förslag", "Show suggestions"),
    "reduce.editor_page_option": ("{first}–{last} av {total}", "{first}–{last} of {total}"),
    "reduce.items_more": (
        "Visar de {shown} första av {total}. Alla finns i Excel-filen.",
        "Showing the first {shown} of {total}. All of them are in the Excel file.",
    ),
    "reduce.items_download": ("Ladda ned alla {total} (Excel)", "Download all {total} (Excel)"),
    "reduce.items_sheet": ("Berörda mål och indikatorer", "Goals and indicators concerned"),
    "reduce.detail_kind": ("Typ: {kind}. Status: {status}.", "Kind: {kind}. Status: {status}."),
    "reduce.status_accepted": ("valt", "chosen"),
    "reduce.status_rejected": ("avvisat", "rejected"),
    "reduce.status_covered": (
        "räknas inte, hanteras av förslag {other}",
        "not counted, handled by suggestion {other}",
    ),
    "reduce.it.type": ("Vad", "What"),
    "reduce.it.id": ("Id", "ID"),
    "reduce.it.text": ("Text", "Text"),
    "reduce.it.units": ("Enheter", "Units"),
    "reduce.it.details": ("Frekvens, källa", "Frequency, source"),
    "reduce.it.action": ("Ändring", "Change"),
    "reduce.info_title": (
        "Mönster som inte räknas in i effekten ({count})",
        "Patterns not counted in the effect ({count})",
    ),
    "reduce.info_caption": (
        "De här mönstren finns i dokumentet men ändrar inget i scenariot: antingen ändrar ett "
        "förslag ovan redan samma mål eller indikatorer (så att inget räknas två gånger), eller "
        "så är det en upplysning, till exempel en indikator som en enhet följer under flera av "
        "sina mål (den räknas redan bara en gång för enheten).",
        "These patterns are in the document but change nothing in the scenario: either a "
        "suggestion above already changes the same goals or indicators (so nothing counts "
        "twice), or it is a note, for example an indicator a unit follows under several of its "
        "goals (it already counts only once for the unit).",
    ),
    "reduce.info_only": ("Upplysning, ändrar inget", "A note, changes nothing"),
    "reduce.before": ("I dag", "Today"),
    "reduce.after": ("Med ändringarna", "With the changes"),
    "reduce.bars_title": ("Före och efter per enhet", "Before and after per unit"),
    "reduce.bars_metric": ("Mått", "Measure"),
    "reduce.bars_chart_title": (
        "{metric}: i dag och med de valda ändringarna",
        "{metric}: today and with the chosen changes",
    ),
    "reduce.bars_caption": (
        "Grå stapel är i dag, blå med ändringarna; de {n} enheter som minskar mest står överst.",
        "The grey bar is today, the blue one with the changes; the {n} units that drop the "
        "most are at the top.",
    ),
    "reduce.bars_caption_none": (
        "Inga enheter ändras med de valda ändringarna; staplarna visar de {n} enheter som har "
        "mest i dag.",
        "No unit changes with the chosen changes; the bars show the {n} units with the most today.",
    ),
    "reduce.type_title": ("Måltyper per nivå", "Goal types per level"),
    "reduce.type_axis": ("Andel av nivåns mål (%)", "Share of the level's goals (%)"),
    "reduce.level_goals": ("{level} ({n} mål)", "{level} ({n} goals)"),
    "reduce.type_chart_title": (
        "Vilka sorters mål varje nivå sätter",
        "What kinds of goals each level sets",
    ),
    "reduce.type_caption": (
        "Varje stapel är en nivå i organisationen och visar hur stor del av dess mål som är "
        "aktivitets-, prestations-, resurs- och effektmål; röda aktivitetsmål högt upp är "
        "detaljstyrning.",
        "Each bar is a level of the organisation and shows what share of its goals are "
        "activity, output, resource and effect goals; red activity goals high up are detail "
        "steering.",
    ),
    "reduce.type.resource": ("Resursmål", "Resource goals"),
    "reduce.type.activity": ("Aktivitetsmål", "Activity goals"),
    "reduce.type.output": ("Prestationsmål", "Output goals"),
    "reduce.type.effect": ("Effektmål", "Effect goals"),
    "reduce.rules_title": ("Regler", "Rules"),
    "reduce.rules_caption": (
        "Måltaket styr förslagen av typen Enhet över måltaket. Standardvärdet {default} kommer "
        "från kommuner som medvetet skurit ned (Upplands Väsby gick från cirka 100 till 10 mål) "
        "och kan ändras. Övriga regler gäller efter de valda förslagen.",
        "The goal cap drives the suggestions of the kind Unit above the goal cap. The default "
        "{default} comes from municipalities that cut deliberately (Upplands Väsby went from "
        "about 100 to 10 goals) and can be changed. The other rules apply after the chosen "
        "suggestions.",
    ),
    "reduce.use_cap": ("Föreslå ett måltak per enhet", "Suggest a goal cap per unit"),
    "reduce.goal_cap": ("Måltak: egna mål per enhet", "Goal cap: own goals per unit"),
    "reduce.goal_cap_help": (
        "Standard {default}. En enhet med fler egna mål får ett förslag om vilka som kan tas "
        "bort: aktivitets- och prestationsmål före effektmål.",
        "Default {default}. A unit with more own goals gets a suggestion of which could go: "
        "activity and output goals before effect goals.",
    ),
    "reduce.no_cap": ("Inget måltak", "No goal cap"),
    "reduce.max_frequency": ("Högsta rapporteringsfrekvens", "Highest reporting frequency"),
    "reduce.no_limit": ("Ingen gräns", "No limit"),
    "reduce.by_hand": (
        "Välj mål och indikatorer att ta bort för hand",
        "Choose goals and indicators to remove by hand",
    ),
    "reduce.by_hand_unit": ("Enhetens mål och indikatorer", "The unit's goals and indicators"),
    "reduce.by_hand_unit_help": (
        "Dokumentet är stort, så du väljer en enhet i taget. Det du redan valt finns kvar "
        "när du byter enhet.",
        "The document is large, so you choose one unit at a time. What you already chose "
        "stays when you change unit.",
    ),
    "reduce.removed_goals": ("Mål som tas bort", "Goals removed"),
    "reduce.removed_indicators": ("Indikatorer som tas bort", "Indicators removed"),
    "reduce.choose_many": ("Välj ett eller flera", "Choose one or more"),
    "reduce.rules_submit": ("Använd reglerna", "Apply the rules"),
    "reduce.time_title": (
        "Tidsuppskattning (bygger på antaganden)",
        "Time estimate (based on assumptions)",
    ),
    "reduce.time_caption": (
        "Antaganden, inte mätningar: timmar per rapporteringstillfälle efter datakälla och per "
        "återrapportering av ett uppdrag. Ändra dem till er egen erfarenhet.",
        "Assumptions, not measurements: hours per reporting occasion by data source and per "
        "assignment report-back. Change them to your own experience.",
    ),
    "reduce.time_submit": ("Räkna om med antagandena", "Recalculate with the assumptions"),
    "reduce.time_result": (
        "Med de här antagandena: cirka {before} timmar per år i dag och {after} med "
        "ändringarna, {saved} timmar mindre.",
        "With these assumptions: about {before} hours a year today and {after} with the "
        "changes, {saved} hours less.",
    ),
    "reduce.hours.kolada": ("Kolada (timmar per tillfälle)", "Kolada (hours per occasion)"),
    "reduce.hours.system": (
        "Eget system (timmar per tillfälle)",
        "Own system (hours per occasion)",
    ),
    "reduce.hours.survey": ("Enkät (timmar per tillfälle)", "Survey (hours per occasion)"),
    "reduce.hours.manual": ("Manuell (timmar per tillfälle)", "Manual (hours per occasion)"),
    "reduce.hours.unknown": (
        "Okänd källa (timmar per tillfälle)",
        "Unknown source (hours per occasion)",
    ),
    "reduce.hours.assignment_report_back": (
        "Återrapportering av uppdrag (timmar)",
        "Assignment report-back (hours)",
    ),
    "reduce.hcol.source": ("Källa (antagande)", "Source (assumption)"),
    "reduce.hcol.per_occasion": ("Timmar per tillfälle", "Hours per occasion"),
    "reduce.hcol.occasions_before": ("Tillfällen i dag", "Occasions today"),
    "reduce.hcol.occasions_after": ("Tillfällen efter", "Occasions after"),
    "reduce.hcol.hours_before": ("Timmar i dag", "Hours today"),
    "reduce.hcol.hours_after": ("Timmar efter", "Hours after"),
    "reduce.files_title": ("Spara och ta med till mötet", "Save and bring to the meeting"),
    "reduce.files_caption": (
        "Scenariot (valda förslag, regler och antaganden) sparas som en liten fil som kan "
        "laddas här igen. Ändringslistan är en Excelfil med en rad per mål, indikator eller "
        "uppdrag som ändras.",
        "The scenario (chosen suggestions, rules and assumptions) is saved as a small file "
        "that can be loaded here again. The list of changes is an Excel file with one row per "
        "goal, indicator or assignment that changes.",
    ),
    "reduce.save": ("Spara scenariot (.json)", "Save the scenario (.json)"),
    "reduce.export": ("Ladda ned ändringslistan (Excel)", "Download the list of changes (Excel)"),
    "reduce.export_help": (
        "De valda förslagen med mål, indikatorer, enheter, effekt och motivering.",
        "The chosen suggestions with goals, indicators, units, effect and rationale.",
    ),
    "reduce.load": ("Ladda ett sparat scenario (.json)", "Load a saved scenario (.json)"),
    "reduce.load_help": (
        "En fil som sparats med knappen ovan. Filen läses bara i din session.",
        "A file saved with the button above. The file is read only in your session.",
    ),
    "reduce.loaded": (
        "Scenariot {file} laddades: {accepted} förslag valda.",
        "The scenario {file} was loaded: {accepted} suggestions chosen.",
    ),
    "reduce.load_failed": (
        "{message} ({file}) Det nuvarande scenariot gäller fortfarande.",
        "{message} ({file}) The current scenario still applies.",
    ),
    "reduce.missing_ids": (
        "{count} sparade förslag finns inte i det här dokumentet och hoppades över: {ids}.",
        "{count} saved suggestions are not in this document and were skipped: {ids}.",
    ),
    "reduce.other_document": (
        "Scenariot sparades för {saved}, inte för {current}.",
        "The scenario was saved for {saved}, not for {current}.",
    ),
    "reduce.xlsx.title": ("Ändringar att ta ställning till", "Changes to decide on"),
    "reduce.xlsx.summary": ("Sammanfattning", "Summary"),
    "reduce.xlsx.changes": ("Ändringar", "Changes"),
    "reduce.xlsx.item": ("Uppgift", "Item"),
    "reduce.xlsx.value": ("Värde", "Value"),
    "reduce.xlsx.document": ("Dokument", "Document"),
    "reduce.xlsx.date": ("Datum", "Date"),
    "reduce.xlsx.accepted": ("Valda förslag", "Chosen suggestions"),
    "reduce.xlsx.before": ("{metric} i dag", "{metric} today"),
    "reduce.xlsx.after": ("{metric} efter ändringarna", "{metric} after the changes"),
    "reduce.xlsx.none": ("Inga förslag är valda.", "No suggestions are chosen."),
    "reduce.col.id": ("Förslag-ID", "Suggestion ID"),
    "reduce.col.kind": ("Typ av förslag", "Kind of suggestion"),
    "reduce.col.title": ("Förslag", "Suggestion"),
    "reduce.col.item_type": ("Vad", "What"),
    "reduce.col.item_id": ("Id", "ID"),
    "reduce.col.text": ("Text", "Text"),
    "reduce.col.units": ("Enheter", "Units"),
    "reduce.col.action": ("Ändring", "Change"),
    "reduce.col.goals_removed": ("Mål bort", "Goals removed"),
    "reduce.col.indicators_removed": ("Indikatorer bort", "Indicators removed"),
    "reduce.col.occasions_removed": (
        "Rapporteringstillfällen bort per år",
        "Reporting occasions removed per year",
    ),
    "reduce.col.rationale": ("Motivering", "Rationale"),
    # Överlapp (app_pages/overlap.py, goalload/overlap_views.py)
    "page.overlap": ("Överlapp", "Overlap"),
    "overlap.title": ("Överlapp", "Overlap"),
    "overlap.intro": (
        "Hur mycket av måldokumentet säger samma sak två gånger? Här visas mål i olika "
        "enheter som är nästan likadana, mål som bara upprepar målet ovanför sig och "
        "indikatorer som följs upp på flera ställen. Varje träff visas med orden målen har "
        "gemensamt, så att ni själva kan bedöma den.",
        "How much of the goal document says the same thing twice? This page shows "
        "near-duplicate goals at different units, goals that only restate the goal above "
        "them and indicators followed up in several places. Every match is shown with the "
        "words the goals share, so you can judge it yourselves.",
    ),
    "overlap.threshold": (
        "Hur lika ska två mål vara för att räknas som samma? (tröskel)",
        "How alike must two goals be to count as the same? (threshold)",
    ),
    "overlap.threshold_help": (
        "0 är helt olika, 1 samma innehåll. En lägre tröskel ger fler och lösare träffar, "
        "en högre bara nästan ordagranna dubbletter. Standardvärdet {default} valdes genom "
        "mätning på märkta målpar: vid det blir nästan inga träffar fel.",
        "0 is entirely different, 1 the same content. A lower threshold gives more and "
        "looser matches, a higher one only near-verbatim duplicates. The default {default} "
        "was chosen by measurement on labelled goal pairs: at it almost no match is wrong.",
    ),
    "overlap.computing": (
        "Letar efter mål som säger samma sak …",
        "Looking for goals that say the same thing …",
    ),
    "overlap.summary": (
        "{share} av målen ({flagged} av {goals}) säger samma sak som ett annat mål, samlat "
        "i {clusters} teman.",
        "{share} of the goals ({flagged} of {goals}) say the same as another goal, gathered "
        "in {clusters} themes.",
    ),
    "overlap.summary_through": (
        "{through} mål upprepar bara ett mål ovanför sig.",
        "{through} goals only restate a goal above them.",
    ),
    "overlap.summary_through_one": (
        "Ett mål upprepar bara ett mål ovanför sig.",
        "One goal only restates a goal above it.",
    ),
    "overlap.summary_none": (
        "Inget av de {goals} målen säger samma sak som ett annat mål vid den här tröskeln.",
        "None of the {goals} goals says the same as another goal at this threshold.",
    ),
    "overlap.metric.horizontal_pairs": ("Nästan likadana målpar", "Near-duplicate goal pairs"),
    "overlap.metric.clusters": ("Teman", "Themes"),
    "overlap.metric.pass_through_goals": ("Genomlyfta mål", "Pass-through goals"),
    "overlap.metric.shared_indicators": ("Delade indikatorer", "Shared indicators"),
    "overlap.metric.overlap_share": ("Andel mål med överlapp", "Share of goals with overlap"),
    "overlap.help.horizontal_pairs": (
        "Par av mål i olika enheter som säger nästan samma sak.",
        "Pairs of goals at different units that say nearly the same thing.",
    ),
    "overlap.help.clusters": (
        "Grupper av mål som säger samma sak, mellan enheter eller uppåt i målkedjan.",
        "Groups of goals that say the same thing, across units or up the goal chain.",
    ),
    "overlap.help.pass_through_goals": (
        "Mål som säger samma sak som sitt överordnade mål eller ett mål längre upp: de "
        "lägger till en nivå men inget innehåll.",
        "Goals that say the same as their parent goal or a goal further up: they add a "
        "level but no content.",
    ),
    "overlap.help.shared_indicators": (
        "Indikatorer som följs upp på flera ställen (samma Kolada-id, samma namn eller "
        "nästan samma namn).",
        "Indicators followed up in several places (same Kolada id, same name or nearly "
        "the same name).",
    ),
    "overlap.help.overlap_share": (
        "Mål med en nästan likadan motsvarighet i en annan enhet eller som upprepar ett mål "
        "ovanför sig, av alla mål.",
        "Goals with a near-duplicate at another unit or that restate a goal above them, of "
        "all goals.",
    ),
    "overlap.metrics_caption": (
        "Vid tröskeln {threshold}. Flytta reglaget för att se hur siffrorna ändras.",
        "At the threshold {threshold}. Move the slider to see how the figures change.",
    ),
    "overlap.heatmap_header": ("Vilka enheter har samma mål?", "Which units have the same goals?"),
    "overlap.heatmap_title": (
        "Nästan likadana mål mellan enheter",
        "Near-duplicate goals between units",
    ),
    "overlap.heatmap_axis": ("Målpar", "Goal pairs"),
    "overlap.heatmap_caption": (
        "Läs en rad: varje ruta är antalet mål i radens enhet som säger nästan samma sak "
        "som ett mål i kolumnens enhet; ju mörkare, desto fler, och tom ruta betyder inga.",
        "Read a row: each square is the number of goals at the row's unit that say nearly "
        "the same as a goal at the column's unit; the darker, the more, and empty means none.",
    ),
    "overlap.heatmap_none": (
        "Inga enheter har nästan likadana mål vid den här tröskeln.",
        "No units have near-duplicate goals at this threshold.",
    ),
    "overlap.clusters_header": ("Teman som återkommer", "Recurring themes"),
    "overlap.clusters_caption": (
        "Varje tema är en grupp mål som säger samma sak. Öppna ett tema för att läsa målen "
        "bredvid varandra; orden de har gemensamt står i fetstil.",
        "Each theme is a group of goals that say the same thing. Open a theme to read the "
        "goals next to each other; the words they share are in bold.",
    ),
    "overlap.cluster_label": (
        "{label} – {goals} mål i {units}",
        "{label} – {goals} goals at {units}",
    ),
    "overlap.cluster_common": ("Gemensamt: {words}", "In common: {words}"),
    "overlap.clusters_showing": (
        "Visar de {shown} största av {total} teman.",
        "Showing the {shown} largest of {total} themes.",
    ),
    "overlap.members_showing": (
        "Visar {shown} av temats {total} mål.",
        "Showing {shown} of the theme's {total} goals.",
    ),
    "overlap.clusters_none": (
        "Inga mål säger samma sak vid den här tröskeln.",
        "No goals say the same thing at this threshold.",
    ),
    "overlap.more_units": ("{names} och {n} till", "{names} and {n} more"),
    "overlap.col.unit": ("Enhet", "Unit"),
    "overlap.col.goal_id": ("Mål-ID", "Goal ID"),
    "overlap.col.goal": ("Mål", "Goal"),
    "overlap.through_header": (
        "Mål som upprepar målet ovanför",
        "Goals that restate the goal above",
    ),
    "overlap.through_chart_title": ("Genomlyfta mål per nivå", "Pass-through goals per level"),
    "overlap.through_axis": ("Genomlyfta mål", "Pass-through goals"),
    "overlap.through_bar": ("{n} av {goals}", "{n} of {goals}"),
    "overlap.through_caption": (
        "Stapeln är antalet mål på nivån som bara upprepar sitt överordnade mål eller ett "
        "mål längre upp; texten säger hur många av nivåns alla mål det är.",
        "The bar is the number of goals at the level that only restate their parent goal "
        "or a goal further up; the label says how many of the level's goals that is.",
    ),
    "overlap.through_level": ("Visa nivå", "Show level"),
    "overlap.through_level_option": ("{level} ({n})", "{level} ({n})"),
    "overlap.through_table_caption": (
        "En rad per mål och målet ovanför som det upprepar; likheten går från 0 till 1.",
        "One row per goal and the goal above that it restates; the similarity runs from 0 to 1.",
    ),
    "overlap.through_none": (
        "Inget mål upprepar ett mål ovanför sig vid den här tröskeln.",
        "No goal restates a goal above it at this threshold.",
    ),
    "overlap.tcol.level": ("Nivå", "Level"),
    "overlap.tcol.unit": ("Enhet", "Unit"),
    "overlap.tcol.goal_id": ("Mål-ID", "Goal ID"),
    "overlap.tcol.goal": ("Mål", "Goal"),
    "overlap.tcol.parent_unit": ("Enhet ovanför", "Unit above"),
    "overlap.tcol.parent_goal_id": ("Upprepar mål-ID", "Restates goal ID"),
    "overlap.tcol.parent_goal": ("Målet ovanför", "The goal above"),
    "overlap.tcol.score": ("Likhet", "Similarity"),
    "overlap.tcol.evidence": ("Gemensamt", "In common"),
    "overlap.indicators_header": (
        "Indikatorer som följs upp på flera ställen",
        "Indicators followed up in several places",
    ),
    "overlap.indicators_caption": (
        "Samma indikator (samma Kolada-id, samma namn eller nästan samma namn) på flera "
        "mål eller enheter: varje ställe är en uppföljning som kan samordnas.",
        "The same indicator (same Kolada id, same name or nearly the same name) at several "
        "goals or units: each place is a follow-up that could be coordinated.",
    ),
    "overlap.indicators_none": (
        "Ingen indikator följs upp på flera ställen.",
        "No indicator is followed up in several places.",
    ),
    "overlap.icol.indicator": ("Indikator", "Indicator"),
    "overlap.icol.kolada_id": ("Kolada-ID", "Kolada ID"),
    "overlap.icol.places": ("Ställen", "Places"),
    "overlap.icol.where": ("Var (enhet och mål-ID)", "Where (unit and goal ID)"),
    # Reports (Excel, HTML, PowerPoint), the slide story and presentation mode
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
    "rep.col.fewer_occasions": (
        "Färre rapporteringstillfällen per år",
        "Fewer reporting occasions per year",
    ),
    "rep.col.metric": ("Mått", "Metric"),
    "rep.col.definition": ("Definition", "Definition"),
    "rep.col.before": ("Före", "Before"),
    "rep.col.after": ("Efter", "After"),
    "rep.col.change": ("Förändring", "Change"),
    "rep.col.unit": ("Enhet", "Unit"),
    "rep.total": ("Totalt", "Total"),
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
        'Uppdrag som har enheten som mottagare, direkt eller genom "samtliga nämnder".',
        'Assignments naming the unit as a recipient, directly or through "all committees".',
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
        "{name} styrs med {goals}, {indicators} och {assignments}",
        "{name} is steered by {goals}, {indicators} and {assignments}",
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
    "download.pptx": (
        "Ladda ner presentationen (PowerPoint)",
        "Download the presentation (PowerPoint)",
    ),
    "download.png": ("Ladda ner diagrammet (PNG)", "Download the chart (PNG)"),
    "download.svg": ("Ladda ner diagrammet (SVG)", "Download the chart (SVG)"),
    "error.suffix": (
        'Rapporten kan bara skrivas som .xlsx, .html eller .pptx, inte som "{suffix}". '
        "Välj ett filnamn som slutar på en av dem.",
        'The report can only be written as .xlsx, .html or .pptx, not as "{suffix}". '
        "Choose a file name ending in one of them.",
    ),
    "error.image": (
        "Diagrambilden kunde inte skapas: webbläsaren som ritar bilder (Chromium) startade inte.",
        "The chart image could not be made: the browser that draws images (Chromium) did not start.",
    ),
}

# Small numbers as words: "tre gånger så många" reads better than "3 gånger".
NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "sv": ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
}

METRIC_LABELS: dict[str, tuple[str, str]] = {
    "unit": ("Enhet", "Unit"),
    "level": ("Nivå", "Level"),
    "parent": ("Överordnad enhet", "Parent unit"),
    "own_goals": ("Egna mål", "Own goals"),
    "received_goals": ("Mottagna mål", "Received goals"),
    "indicators": ("Indikatorer", "Indicators"),
    "assignments": ("Uppdrag", "Assignments"),
    "reporting_occasions_per_year": (
        "Rapporteringstillfällen per år",
        "Reporting occasions per year",
    ),
    "steering_signals": ("Styrsignaler", "Steering signals"),
    "unmeasured_goals": ("Mål utan indikator", "Goals without indicator"),
    "units": ("Enheter", "Units"),
    "goals": ("Mål", "Goals"),
    "orphan_indicators": ("Indikatorer utan mål", "Indicators without goal"),
}

FREQUENCY_LABELS: dict[str, tuple[str, str]] = {
    **{code: (sv, FREQUENCY_LABELS_EN.get(code, sv)) for code, sv in FREQUENCY_LABELS_SV.items()},
    "unknown": ("Okänd", "Unknown"),
}

SOURCE_KIND_LABELS: dict[str, tuple[str, str]] = {
    "kolada": ("Kolada", "Kolada"),
    "system": ("Eget system", "Own system"),
    "survey": ("Enkät", "Survey"),
    "manual": ("Manuell", "Manual"),
    "unknown": ("Okänd", "Unknown"),
}

LEVEL_LABELS: dict[str, tuple[str, str]] = {
    code: (LEVEL_LABELS_SV[code], LEVEL_LABELS_EN[code]) for code in LEVEL_LABELS_SV
}

SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "error": ("Fel", "Error"),
    "warning": ("Varning", "Warning"),
    "info": ("Upplysning", "Note"),
}

LAYOUT_LABELS: dict[str, tuple[str, str]] = {
    "template": ("Goalloads mall", "The Goalload template"),
    "hierarchy_columns": (
        "Målnivåer i kolumner (en rad per mål och indikator)",
        "Goal levels in columns (one row per goal and indicator)",
    ),
    "levels_in_rows": (
        "Ett mål per rad med nivå och överordnat mål",
        "One goal per row with level and parent goal",
    ),
    "goal_list": ("En lista med mål", "A list of goals"),
}

_FIELD_EN = {
    "goal_area": "Goal area / perspective",
    "council_goal": "Council goal",
    "board_goal": "Executive board goal",
    "committee_goal": "Committee goal",
    "administration_goal": "Administration goal",
    "unit_goal": "Operational or unit goal",
    "goal": "Goal (all levels in one column)",
    "goal_id": "Goal ID",
    "parent_goal_id": "Parent goal (ID)",
    "level": "Organisation level",
    "goal_level": "Goal level",
    "owner": "Owner (committee, administration, unit)",
    "indicator": "Indicator / KPI",
    "indicator_id": "Indicator ID",
    "goal_ref": "Goal the indicator measures (ID)",
    "target": "Target",
    "frequency": "Frequency / follow-up",
    "source": "Source",
    "kolada_id": "Kolada ID",
    "assignment": "Assignment",
    "assignment_id": "Assignment ID",
    "recipient": "Recipient",
    "issuer": "Issued by",
    "report_back": "Report-back",
    "unit_id": "Unit ID",
    "unit": "Unit / organisation",
    "parent_unit": "Parent unit",
    "doc_key": "Item",
    "doc_value": "Value",
    "ignore": "(not used)",
}

_LABEL_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "metric": METRIC_LABELS,
    "frequency": FREQUENCY_LABELS,
    "source_kind": SOURCE_KIND_LABELS,
    "level": LEVEL_LABELS,
    "severity": SEVERITY_LABELS,
    "layout": LAYOUT_LABELS,
    "field": {code: (sv, _FIELD_EN.get(code, sv)) for code, sv in FIELD_LABELS.items()},
}


def _index(lang: str) -> int:
    return 1 if lang == "en" else 0


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The string for `key` in `lang`, with its {placeholders} filled from `values`."""
    text = STRINGS[key][_index(lang)]
    return text.format(**values) if values else text


def label(kind: str, code: str | None, lang: str = DEFAULT_LANG) -> str:
    """A model code as a person reads it: label("level", "committee") -> "Nämnd".

    Unknown codes come back as written, so a new code shows up rather than crashes.
    """
    if code is None:
        code = "unknown"
    pair = _LABEL_TABLES[kind].get(code)
    return pair[_index(lang)] if pair else str(code)


def labels(kind: str, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Every code of a kind with its label, in the model's order."""
    return {code: pair[_index(lang)] for code, pair in _LABEL_TABLES[kind].items()}


def number_word(n: int, lang: str = DEFAULT_LANG) -> str:
    """2 -> "två"; numbers above ten stay digits."""
    words = NUMBER_WORDS["en" if lang == "en" else "sv"]
    return words[n] if 0 <= n < len(words) else str(n)


def counted(n: int, noun: str, lang: str = DEFAULT_LANG, shown: str | None = None) -> str:
    """n, written as numbers are in `lang`, with its noun in the right number:
    counted(1, "unit") -> "1 enhet", counted(1200, "unit") -> "1 200 enheter".
    `shown`: n written otherwise, as a change with its sign ("−1 indikator")."""
    form = "one" if abs(n) == 1 else "many"
    return t(f"count.{noun}.{form}", lang, n=format_int(n, lang) if shown is None else shown)
