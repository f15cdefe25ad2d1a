"""The HTML report: one file that opens offline in any browser and can be mailed on.

plotly.js is written into the file once (about 4–5 MB), so the charts are interactive
without a network. Every text from the user's document (names, goal texts, messages)
goes through html.escape: a goal called "<script>" is shown as typed, never run. The
figure JSON plotly writes escapes "<", ">" and "/" itself.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from goalload.formatting import format_int, format_percent
from goalload.i18n import t
from goalload.report import (
    INT,
    LONG_TEXT,
    PERCENT,
    Analyses,
    ReportTable,
    overview_rows,
    report_tables,
)
from goalload.story import build_story

MAX_TABLE_ROWS = 2000  # per table; the Excel report has every row

CSS = """
:root { color-scheme: light; }
body { font-family: "Source Sans 3", "Source Sans Pro", "Segoe UI", Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 1280px; padding: 24px 32px 64px;
  font-size: 18px; line-height: 1.45; }
h1 { font-size: 34px; margin: 0 0 4px; }
h2 { font-size: 26px; margin: 48px 0 6px; border-bottom: 2px solid #dde7f0; padding-bottom: 4px; }
h3 { font-size: 22px; margin: 8px 0; font-weight: 600; }
.meta, .caption, .description { color: #444; }
.caption { font-size: 16px; margin: 4px 0 8px; }
nav ul { columns: 3; padding-left: 20px; margin-top: 0; }
nav p { margin: 8px 0 2px; font-weight: 600; }
dl.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; }
dl.totals div { background: #f4f7fa; border-radius: 6px; padding: 10px 14px; }
dl.totals dt { font-size: 15px; color: #444; }
dl.totals dd { margin: 0; font-size: 30px; font-weight: 600; }
dl.totals dd.text { font-size: 18px; font-weight: 400; overflow-wrap: anywhere; }
section.slide { page-break-inside: avoid; }
details { margin: 6px 0 20px; }
summary { cursor: pointer; color: #0b4f8a; }
.note { background: #fff7e0; border-left: 4px solid #e69f00; padding: 8px 12px; }
.table-wrap { max-height: 640px; overflow: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 15px; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #eee; }
th { background: #dde7f0; position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.long { min-width: 320px; }
@media print { .table-wrap { max-height: none; overflow: visible; } }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def slug(text: str) -> str:
    """A file-name-safe word for chart downloads: "Exempelkommun_belastning"."""
    cleaned = re.sub(r"[^\w-]+", "_", text, flags=re.UNICODE).strip("_")
    return cleaned[:60] or "goalload"


def plotly_config(filename: str) -> dict[str, Any]:
    """The modebar download: PNG at twice the size, named after the document and chart."""
    return {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def _figure_div(fig: go.Figure, div_id: str, filename: str) -> str:
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config=plotly_config(filename),
    )


def _value(value: Any, kind: str, lang: str) -> str:
    if value is None:
        return ""
    if kind == INT and isinstance(value, int | float):
        return format_int(value, lang)
    if kind == PERCENT and isinstance(value, int | float):
        return format_percent(value, lang, 0)
    return _e(value)


def _table(table: ReportTable, lang: str) -> str:
    parts = [f'<section id="{table.key}"><h2>{_e(table.title)}</h2>']
    parts.append(f'<p class="description">{_e(table.description)}</p>')
    if table.note:
        parts.append(f'<p class="note">{_e(table.note)}</p>')
    frame = table.frame
    if frame.height == 0:
        if not table.note:
            parts.append(f"<p>{_e(t('rep.no_rows', lang))}</p>")
        parts.append("</section>")
        return "".join(parts)
    if frame.height > MAX_TABLE_ROWS:
        parts.append(
            f'<p class="note">{_e(t("rep.html.truncated", lang, shown=format_int(MAX_TABLE_ROWS, lang), total=format_int(frame.height, lang)))}</p>'
        )
    parts.append('<div class="table-wrap"><table><thead><tr>')
    parts += [f"<th>{_e(c.header)}</th>" for c in table.columns]
    parts.append("</tr></thead><tbody>")
    kinds = [c.kind for c in table.columns]
    classes = [' class="num"' if k in (INT, PERCENT) else ' class="long"' if k == LONG_TEXT else "" for k in kinds]
    for row in frame.head(MAX_TABLE_ROWS).select(c.key for c in table.columns).iter_rows():
        cells = "".join(
            f"<td{cls}>{_value(v, k, lang)}</td>" for v, k, cls in zip(row, kinds, classes, strict=True)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table></div></section>")
    return "".join(parts)


def html_bytes(a: Analyses, lang: str = "sv", insights: list[str] | None = None) -> bytes:
    """The whole report as UTF-8 HTML."""
    doc = a.doc
    slides = build_story(a, lang)
    tables = report_tables(a, lang)
    name = slug(doc.name)
    title = f"{t('rep.title', lang)} – {doc.name}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "sv"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style>",
        # plotly.js inline: the file works offline. "</script" cannot occur inside it.
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head><body>",
        f"<h1>{_e(doc.name)}{_e(', ' + str(doc.year)) if doc.year else ''}</h1>",
        f'<p class="meta">{_e(t("rep.title", lang))}. {_e(t("rep.generated", lang, date=date.today().isoformat()))}</p>',
    ]
    out.append(f'<section id="overview"><h2>{_e(t("rep.overview.totals", lang))}</h2><dl class="totals">')
    for item, value in overview_rows(a, lang)[1:]:
        if isinstance(value, int):
            shown = value if item == t("rep.overview.year", lang) else format_int(value, lang)
            out.append(f"<div><dt>{_e(item)}</dt><dd>{_e(shown)}</dd></div>")
        else:
            out.append(f'<div><dt>{_e(item)}</dt><dd class="text">{_e(value)}</dd></div>')
    out.append("</dl>")
    if insights:
        out.append(f"<h3>{_e(t('rep.overview.stands_out', lang))}</h3><ul>")
        out += [f"<li>{_e(sentence)}</li>" for sentence in insights]
        out.append("</ul>")
    out.append(f"<nav><h3>{_e(t('rep.overview.contents', lang))}</h3>")
    out.append(f"<p>{_e(t('rep.html.charts', lang))}</p><ul>")
    out += [f'<li><a href="#slide-{s.key}">{_e(s.title)}</a></li>' for s in slides]
    out.append(f"</ul><p>{_e(t('rep.html.tables', lang))}</p><ul>")
    out += [f'<li><a href="#{t.key}">{_e(t.title)}</a></li>' for t in tables]
    out.append("</ul></nav></section>")
    for slide in slides:
        out.append(f'<section class="slide" id="slide-{slide.key}"><h2>{_e(slide.title)}</h2>')
        out.append(f"<h3>{_e(slide.headline)}</h3>")
        if slide.figure is not None:
            out.append(_figure_div(slide.figure, f"chart-{slide.key}", f"{name}_{slide.key}"))
        out.append(f'<p class="caption">{_e(slide.caption)}</p>')
        out.append(
            f"<details><summary>{_e(t('present.notes', lang))}</summary><p>{_e(slide.speaker_notes)}</p></details>"
        )
        out.append("</section>")
    out += [_table(table, lang) for table in tables]
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
