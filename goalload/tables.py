"""Plain-text tables for the CLI's `--format table`."""

from __future__ import annotations

from collections.abc import Sequence


def _cell(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("ja" if value else "nej")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return str(value)


def text_table(rows: Sequence[dict], columns: Sequence[tuple[str, str]]) -> str:
    """Rows as an aligned text table; numbers right-aligned in Swedish format."""
    header = [title for _, title in columns]
    body = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(header)]
    numeric = [all(isinstance(row.get(key), int | float) for row in rows) and bool(rows)
               for key, _ in columns]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w)
                         for c, w, n in zip(cells, widths, numeric, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, body)])


LOAD_HEADERS = [
    ("unit", "Enhet"),
    ("own_goals", "Egna mål"),
    ("received_goals", "Mottagna mål"),
    ("indicators", "Indikatorer"),
    ("assignments", "Uppdrag"),
    ("reporting_occasions_per_year", "Rapp.tillfällen/år"),
    ("steering_signals", "Styrsignaler"),
    ("unmeasured_goals", "Omätta mål"),
]


def render_analyze(result: dict) -> str:
    columns = list(LOAD_HEADERS)
    if result["units"] and "overlap_share" in result["units"][0]:
        columns.append(("overlap_share", "Överlapp"))
    totals = result["totals"]
    lines = [
        f"{result['document']['name']} ({result['document'].get('year') or 'år okänt'})",
        "",
        text_table(result["units"], columns),
        "",
        "Totalt: "
        + ", ".join(
            f"{_cell(totals[k])} {label}"
            for k, label in [
                ("units", "enheter"), ("goals", "mål"), ("indicators", "indikatorer"),
                ("assignments", "uppdrag"),
                ("reporting_occasions_per_year", "rapporteringstillfällen per år"),
                ("orphan_indicators", "indikatorer utan mål"),
            ]
        ),
    ]
    if result["findings"]:
        lines += ["", "Anmärkningar:"]
        for f in result["findings"]:
            where = ", ".join(
                p for p in [f["sheet"] and f"blad {f['sheet']}", f["row"] and f"rad {f['row']}",
                            f["column"] and f"kolumn {f['column']}"] if p
            )
            lines.append(f"- [{f['severity']}] {where}: {f['message']}" if where
                         else f"- [{f['severity']}] {f['message']}")
    return "\n".join(lines)
