"""AppTest: the Jämför page shows what goalload.compare computes, and follows corrections.

The expected figures come from goalload.compare.compare_json on the same files, so a
page that drew another document, a stale comparison or ignored a person's correction
of a unit match fails here.
"""

from __future__ import annotations

import pytest
from app_helpers import EXAMPLES, REPO, XLSX, assert_no_exception, figures, go, open_app
from streamlit.testing.v1 import AppTest

from goalload import compare, compare_views
from goalload.formatting import escape_markdown, format_decimal, format_int
from goalload.i18n import label, t
from goalload.read import read_path

PAGE = "app_pages/compare.py"
FIRST = REPO / "sample_data" / "exempelkommun_2024.xlsx"
LAST = REPO / "sample_data" / "exempelkommun.xlsx"
EDITOR = "compare_matches:sample"


@pytest.fixture(scope="module")
def sample_docs():
    return [read_path(FIRST), read_path(LAST)]


@pytest.fixture(scope="module")
def expected(sample_docs):
    return compare.compare_json(sample_docs)


def table(at: AppTest, first_header: str):
    """The read-only table whose first column has this header, as pandas."""
    for frame in at.dataframe:
        if frame.editing_mode == "read_only" and frame.value.columns[0] == first_header:
            return frame.value
    raise AssertionError(f"no table starting with {first_header!r}")


def shown_changes(at: AppTest, lang: str = "sv") -> dict[str, str]:
    names = {t(f"compare.kind.{k}", lang): k for k in compare_views.CHANGE_KINDS}
    return {names[m.label]: m.value for m in at.main.metric if m.label in names}


def expected_changes(result: dict) -> dict[str, str]:
    return {k: format_int(len(result["changes"][k])) for k in compare_views.CHANGE_KINDS}


def edit(at: AppTest, unit: str, document: str, **cells) -> AppTest:
    """Change cells of one row of the unit-match editor, as a person does, and rerun."""
    editor = at.data_editor(key=EDITOR).value
    row = editor.index[(editor["unit"] == unit) & (editor["document"] == document)][0]
    at.session_state[EDITOR] = {
        "edited_rows": {int(row): cells},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_no_exception(at)
    return at


def test_two_sample_years_show_compare_json_figures(expected):
    at = open_app(PAGE)
    assert at.title[0].value == "Jämför år och kommuner"
    first, last = (d["label"] for d in expected["documents"])
    assert (first, last) == ("Exempelkommun 2024", "Exempelkommun 2025")

    # Headline: the last year's totals, and the change since the first.
    metrics = {m.label: (m.value, m.proto.delta) for m in at.main.metric}
    for key in compare_views.HEADLINE_METRICS:
        now, before = expected["totals"][last][key], expected["totals"][first][key]
        value, delta = metrics[label("metric", key)]
        assert value == format_int(now)
        assert delta == compare_views.signed(now - before, "sv")
    assert metrics[label("metric", "goals")][1] == "−6"  # 253 goals in 2024, 247 in 2025

    totals = table(at, "metric")
    for key in compare_views.TOTAL_METRICS:
        row = totals[totals["metric"] == label("metric", key)].iloc[0]
        assert row[first] == format_int(expected["totals"][first][key])
        assert row[last] == format_int(expected["totals"][last][key])

    # The totals chart: one bar group per document, heights as computed.
    spec = next(f for f in figures(at) if f["data"][0]["name"] == first)
    for trace, doc in zip(spec["data"], (first, last), strict=True):
        assert trace["y"] == [
            float(expected["totals"][doc][m]) for m in compare_views.TOTAL_CHART_METRICS
        ]

    # Per 1,000 inhabitants: both sample years give their population.
    per = next(f.value for f in at.dataframe if "Invånare" in list(f.value.iloc[:, 0]))
    row = per[per.iloc[:, 0] == label("metric", "steering_signals")].iloc[0]
    ratio = expected["totals"][last]["per_1000_inhabitants"]["steering_signals"]
    assert row[last] == format_decimal(ratio, "sv", 2)

    # Per unit: the renamed committee is one row with both years' values.
    units = table(at, "unit")
    bun = units[units["unit"] == "Barn- och utbildningsnämnden"].iloc[0]
    values = next(u for u in expected["units"] if u["unit"] == "Barn- och utbildningsnämnden")
    assert bun["names"] == "Utbildningsnämnden"
    assert bun[first] == format_int(values["values"][first]["steering_signals"])
    assert bun[last] == format_int(values["values"][last]["steering_signals"])
    assert len(units) == len(expected["units"])

    # Goal changes between the two years, as planted by the sample generator.
    assert shown_changes(at) == expected_changes(expected)
    assert shown_changes(at)["goals_added"] == "9"


def test_a_corrected_unit_match_changes_the_result(sample_docs, expected):
    at = open_app(PAGE)
    editor = at.data_editor(key=EDITOR).value
    suggested = editor[editor["method"] == t("compare.method.suggested")]
    assert set(suggested["unit"]) == {
        "Barn- och utbildningsnämnden",
        "Vård- och omsorgsnämnden",
        "Barn- och utbildningsförvaltningen",
    }
    assert "Utbildningsnämnden (Exempelkommun 2024)" in set(suggested["matched"])

    # A person says the 2025 committee is not the 2024 one.
    edit(
        at,
        "Barn- och utbildningsnämnden",
        "Exempelkommun 2025",
        label=t("compare.alone"),
    )
    corrected = compare.compare_json(
        sample_docs,
        unit_mapping={
            "Exempelkommun 2024::Utbildningsnämnden": "Utbildningsnämnden",
            "Exempelkommun 2025::Barn- och utbildningsnämnden": "Barn- och utbildningsnämnden",
        },
    )
    assert expected_changes(corrected) != expected_changes(expected)
    assert shown_changes(at) == expected_changes(corrected)
    units = table(at, "unit")
    old = units[units["unit"] == "Utbildningsnämnden"].iloc[0]
    assert old["Exempelkommun 2025"] == "–"
    assert len(units) == len(corrected["units"]) == len(expected["units"]) + 1

    # The correction outlives a visit to another page (Streamlit drops editor state).
    go(at, "app_pages/overview.py")
    go(at, PAGE)
    assert shown_changes(at) == expected_changes(corrected)
    kept = at.data_editor(key=EDITOR).value
    row = kept[kept["unit"] == "Barn- och utbildningsnämnden"].iloc[0]
    assert row["label"] == t("compare.alone")


def test_merging_two_units_by_choosing_a_label(sample_docs):
    at = open_app(PAGE)
    edit(at, "Omsorgsnämnden", "Exempelkommun 2024", label="Socialnämnden", confirmed=True)
    merged = compare.compare_json(
        sample_docs, unit_mapping={"Exempelkommun 2024::Omsorgsnämnden": "Socialnämnden"}
    )
    units = table(at, "unit")
    social = units[units["unit"] == "Socialnämnden"].iloc[0]
    values = next(u for u in merged["units"] if u["unit"] == "Socialnämnden")["values"]
    assert social["Exempelkommun 2024"] == format_int(
        values["Exempelkommun 2024"]["steering_signals"]
    )
    assert shown_changes(at) == expected_changes(merged)


def test_several_uploaded_workbooks_are_compared():
    at = open_app(PAGE)
    files = [EXAMPLES / "levels_in_rows_example.xlsx", EXAMPLES / "flat_export_example.xlsx"]
    at.file_uploader(key="compare_upload").set_value(
        [(p.name, p.read_bytes(), XLSX) for p in files] + [("trasig.xlsx", b"not a workbook", XLSX)]
    )
    at.run()
    assert_no_exception(at)
    docs = compare_views.order_documents([read_path(p) for p in files])
    result = compare.compare_json(docs)
    labels = [d["label"] for d in result["documents"]]
    assert any("trasig" in e.value for e in at.error)  # the broken one is named
    shown = ", ".join(escape_markdown(x) for x in labels)
    assert any(shown in c.value for c in at.caption)
    totals = table(at, "metric")
    assert list(totals.columns[1:3]) == labels
    for key in compare_views.TOTAL_METRICS:
        row = totals[totals["metric"] == label("metric", key)].iloc[0]
        assert [row[x] for x in labels] == [format_int(result["totals"][x][key]) for x in labels]
    # Neither example gives a population: the page says how to add it.
    assert any("Invånare" in c.value for c in at.caption)
    assert shown_changes(at) == expected_changes(result)
    # The uploads are still compared after a visit to another page.
    go(at, "app_pages/overview.py")
    go(at, PAGE)
    assert list(table(at, "metric").columns[1:3]) == labels


def test_one_upload_is_not_enough_and_the_sample_stays():
    at = open_app(PAGE)
    path = EXAMPLES / "flat_export_example.xlsx"
    at.file_uploader(key="compare_upload").set_value((path.name, path.read_bytes(), XLSX))
    at.run()
    assert_no_exception(at)
    assert at.info[0].value == t("compare.need_two")
    assert "Exempelkommun 2024" in table(at, "metric").columns


def test_english(expected):
    at = open_app(PAGE, "en")
    assert at.title[0].value == "Compare years and municipalities"
    last = expected["documents"][-1]["label"]
    metrics = {m.label: m.value for m in at.main.metric}
    occasions = expected["totals"][last]["reporting_occasions_per_year"]
    assert metrics[label("metric", "reporting_occasions_per_year", "en")] == format_int(
        occasions, "en"
    )
    assert "," in format_int(occasions, "en")  # 3,638: English separators on the page
