"""A self-contained HTML report of a published result: figures, trend and breakdown charts.

The page needs nothing at view time: its style is inline, its charts are SVG
drawn here, it has no script, and its Content-Security-Policy forbids every
fetch (``default-src 'none'``), so opening it sends no request. Every text
is escaped. Labels are in English, Armenian or Russian (``lang``).

Charts: per indicator, a bar per quarter of the trend (``--trend N``) and, per
breakdown, a horizontal bar per category. A suppressed figure is drawn as a
hatched marker with the mark ``c`` (the legend says what it means), never as
a zero bar; a figure with nothing to compute from shows a dash.

>>> escape_text('<b a="1">&')
'&lt;b a=&quot;1&quot;&gt;&amp;'
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator, Sequence
from typing import IO

from casestd.indicators import catalogue
from casestd.indicators.compute import Figure, Result
from casestd.indicators.outputs import SUPPRESSED_FLAG, category_label, cell_text, legend

_WORDS = {
    "en": {"title": "National Action Plan indicators", "period": "Period",
           "trend": "Quarterly trend", "no_trend": "No quarterly trend was computed.",
           "catalogue": "Catalogue version", "records": "Records read",
           "invalid": "Invalid records (not used)", "contents": "Indicators",
           "total": "Total", "unit": "Unit"},
    "hy": {"title": "Ազգային գործողությունների ծրագրի ցուցանիշներ", "period": "Ժամանակահատված",
           "trend": "Եռամսյակային դինամիկա", "no_trend": "Եռամսյակային դինամիկա չի հաշվարկվել։",
           "catalogue": "Կատալոգի տարբերակ", "records": "Կարդացված գրառումներ",
           "invalid": "Անվավեր գրառումներ (չեն օգտագործվել)", "contents": "Ցուցանիշներ",
           "total": "Ընդամենը", "unit": "Միավոր"},
    "ru": {"title": "Показатели Национального плана действий", "period": "Период",
           "trend": "Поквартальная динамика", "no_trend": "Поквартальная динамика не вычислялась.",
           "catalogue": "Версия каталога", "records": "Прочитано записей",
           "invalid": "Недействительные записи (не использованы)", "contents": "Показатели",
           "total": "Всего", "unit": "Единица"},
}  # fmt: skip
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
_STYLE = """
body{font-family:"DejaVu Sans","Noto Sans Armenian",Arial,sans-serif;margin:2rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.5rem;border-top:1px solid #ccc;
padding-top:1rem}.legend{background:#f3f3f3;padding:.5rem 1rem;border-left:4px solid #555}
.headline{font-size:1.4rem;font-weight:bold}.definition{max-width:60rem;color:#333}
figure{margin:1rem 0}figcaption{font-weight:bold;margin-bottom:.3rem}
svg text{font-size:12px;fill:#1b1b1b}.bar{fill:#2f6690}.axis{stroke:#777}
.suppressed-mark{stroke:#555}nav li{margin:.1rem 0}footer{margin-top:3rem;color:#555}
.breakdowns{display:flex;flex-wrap:wrap;gap:0 2rem}nav ul{columns:2;max-width:70rem}
"""
_BAR_WIDTH = 180
_LABEL_WIDTH = 210
#: Longest category label drawn in full (Latin script; Armenian and Cyrillic letters are
#: wider); longer ones are cut, whole in the tooltip. tests/test_indicators_report.py
#: checks in Chromium that every label starts inside its chart.
_LABEL_CHARS = 28
_WIDE_LABEL_CHARS = 21


def escape_text(text: str) -> str:
    """Text safe in HTML content and attribute values."""
    return html.escape(text, quote=True)


def _scale(figures: Sequence[Figure], unit: str) -> float:
    if unit == "share":
        return 100.0
    values = [f.value for f in figures if f.status == "ok" and f.value is not None]
    return max([*values, 0.0]) or 1.0


class _Ids:
    """Unique ids for the hatch patterns of the page's charts."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def next(self) -> str:
        return f"hatch-{next(self._count)}"


def _hatch(pattern: str) -> str:
    return (
        f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="2"/></pattern></defs>'
    )


def _suppressed_mark(x: float, y: float, pattern: str, title: str) -> str:
    return (
        f'<g class="suppressed" data-status="suppressed"><title>{escape_text(title)}</title>'
        f'<rect class="suppressed-mark" x="{x:.1f}" y="{y:.1f}" width="14" height="14" '
        f'fill="url(#{pattern})"/>'
        f'<text x="{x + 20:.1f}" y="{y + 11:.1f}">{SUPPRESSED_FLAG}</text></g>'
    )


def _open(kind: str, width: float, height: float, pattern: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">' + _hatch(pattern)
    )


def _bar(
    figure: Figure, scale: float, span: float, x: float, y: float, upright: bool
) -> tuple[float, str]:
    """The bar's length (of ``span`` at most) and its rect, from (x, y) right or up."""
    if figure.value is None:
        return 0.0, ""
    length = span * min(1.0, max(0.0, figure.value) / scale)
    if upright:
        y, width, height = y - length, 40.0, length
    else:
        width, height = length, 16.0
    return length, (
        f'<rect class="bar" data-value="{figure.value:g}" x="{x:.1f}" y="{y:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}"/>'
    )


def breakdown_chart(figures: Sequence[Figure], unit: str, lang: str, ids: _Ids, note: str) -> str:
    """Horizontal bars, one per category; suppressed categories get the hatched mark."""
    pattern = ids.next()
    scale = _scale(figures, unit)
    row = 22
    height = row * len(figures) + 10
    width = _LABEL_WIDTH + _BAR_WIDTH + 90
    parts = [_open("breakdown-chart", width, height, pattern)]
    for number, figure in enumerate(figures):
        y = 5 + number * row
        label = category_label(figure, lang)
        room = _LABEL_CHARS if label.isascii() else _WIDE_LABEL_CHARS
        short = label if len(label) <= room else label[: room - 1] + "…"
        parts.append(
            f'<text class="category" x="{_LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end">'
            f"<title>{escape_text(label)}</title>{escape_text(short)}</text>"
        )
        if figure.status == "suppressed":
            parts.append(_suppressed_mark(_LABEL_WIDTH, y + 2, pattern, note))
            continue
        text = escape_text(cell_text(figure, unit))
        length, rect = _bar(figure, scale, _BAR_WIDTH, _LABEL_WIDTH, y + 2, False)
        parts.append(rect)
        parts.append(
            f'<text class="value" x="{_LABEL_WIDTH + length + 6:.1f}" y="{y + 14}">{text}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(figures: Sequence[Figure], unit: str, ids: _Ids, note: str) -> str:
    """Vertical bars, one per quarter; suppressed quarters get the hatched mark."""
    pattern = ids.next()
    scale = _scale(figures, unit)
    step, plot, top = 70, 150, 20
    width = step * len(figures) + 40
    height = top + plot + 40
    base = top + plot
    parts = [
        _open("trend-chart", width, height, pattern),
        f'<line class="axis" x1="20" y1="{base}" x2="{width - 10}" y2="{base}"/>',
    ]
    for number, figure in enumerate(figures):
        x = 30 + number * step
        parts.append(
            f'<text class="period" x="{x + 20}" y="{base + 18}" text-anchor="middle">'
            f"{escape_text(figure.period)}</text>"
        )
        if figure.status == "suppressed":
            parts.append(_suppressed_mark(x + 6, base - 18, pattern, note))
            continue
        text = escape_text(cell_text(figure, unit))
        bar, rect = _bar(figure, scale, plot, x, base, True)
        parts.append(rect)
        parts.append(
            f'<text class="value" x="{x + 20}" y="{base - bar - 5:.1f}" '
            f'text-anchor="middle">{text}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _sections(result: Result, lang: str, note: str) -> Iterator[str]:
    words = _WORDS[lang]
    ids = _Ids()
    trend_periods = {p.text for p in result.trend}
    for indicator in result.indicators:
        unit = indicator.unit
        mine = [f for f in result.figures if f.indicator == indicator.id]
        total = next(f for f in mine if f.period == result.period.text and f.breakdown is None)
        headline = cell_text(total, unit)
        yield (
            f'<section class="indicator" id="ind-{escape_text(indicator.id)}" '
            f'data-indicator="{escape_text(indicator.id)}">'
            f"<h2>{escape_text(indicator.title(lang))}</h2>"
            f'<p class="definition">{escape_text(indicator.definition(lang))}</p>'
            f'<p class="headline" data-status="{escape_text(total.status)}">'
            f"{escape_text(words['total'])}, {escape_text(result.period.text)}: "
            f"{escape_text(headline)} "
            f'<span class="unit">({escape_text(catalogue.label("units", unit, lang))})'
            "</span></p>"
        )
        trend = [f for f in mine if f.breakdown is None and f.period in trend_periods]
        trend.sort(key=lambda f: f.period)
        yield f'<figure class="trend"><figcaption>{escape_text(words["trend"])}</figcaption>'
        if trend:
            yield trend_chart(trend, unit, ids, note)
        else:
            yield f"<p>{escape_text(words['no_trend'])}</p>"
        yield '</figure><div class="breakdowns">'
        for name in result.by[indicator.id]:
            cells = [f for f in mine if f.period == result.period.text and f.breakdown == name]
            title = catalogue.breakdown(name).title(lang)
            yield (
                f'<figure class="breakdown" data-breakdown="{escape_text(name)}">'
                f"<figcaption>{escape_text(title)}</figcaption>"
                + breakdown_chart(cells, unit, lang, ids, note)
                + "</figure>"
            )
        yield "</div></section>"


def render(result: Result, lang: str = "en") -> str:
    """The whole page, as text."""
    words = _WORDS[lang]
    note = legend((result.suppression or {}).get("threshold"), lang)
    period = result.period
    title = f"{words['title']} — {period.text}"
    head = (
        "<!DOCTYPE html>"
        f'<html lang="{escape_text(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape_text(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{escape_text(title)}</h1>"
        f"<p>{escape_text(words['period'])}: {escape_text(period.text)} "
        f"({period.start.isoformat()} – {period.end.isoformat()})</p>"
        f'<p class="legend">{escape_text(note)}</p></header>'
    )
    items = "".join(
        f'<li><a href="#ind-{escape_text(i.id)}">{escape_text(i.title(lang))}</a></li>'
        for i in result.indicators
    )
    nav = f"<nav><h2>{escape_text(words['contents'])}</h2><ul>{items}</ul></nav>"
    records = sum(result.reading.records.values())
    invalid = result.invalid.get("records", 0)
    foot = (
        f"<footer><p>{escape_text(words['catalogue'])}: {escape_text(catalogue.version())}. "
        f"{escape_text(words['records'])}: {records}. "
        f"{escape_text(words['invalid'])}: {invalid}.</p></footer></body></html>\n"
    )
    return head + nav + "".join(_sections(result, lang, note)) + foot


def write(result: Result, out: IO[str], lang: str = "en") -> None:
    """Write the page of a published result."""
    out.write(render(result, lang))
