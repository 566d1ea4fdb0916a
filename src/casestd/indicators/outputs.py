"""Writers of a published `~casestd.indicators.compute.Result`: JSON, CSV and a text table.

A suppressed figure is never a zero or a blank: JSON has ``"status":
"suppressed"`` and ``null`` values, CSV a ``flag`` column with `SUPPRESSED_FLAG`,
and the text table shows `SUPPRESSED_FLAG` in place of the number, with a
legend. Every text a spreadsheet could run as a formula is written as text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from casestd.indicators import catalogue
from casestd.indicators.compute import Figure, Result

#: Mark of a suppressed figure (Eurostat and ONS use "c", confidential). One mark for
#: every suppressed cell, small or hidden to protect a small one, so that the mark
#: itself does not tell which cells are small.
SUPPRESSED_FLAG = "c"
CSV_COLUMNS = (
    "indicator",
    "period",
    "breakdown",
    "category",
    "value",
    "numerator",
    "denominator",
    "unit",
    "status",
    "flag",
)


def legend(threshold: int | None, lang: str = "en") -> str:
    """The sentence that explains the suppression mark."""
    if threshold is None:
        return {
            "en": "Disclosure control is OFF: not for publication.",
            "hy": "Գաղտնիության պաշտպանությունն անջատված է. հրապարակման ենթակա չէ։",
            "ru": "Защита конфиденциальности ОТКЛЮЧЕНА: не для публикации.",
        }[lang]
    return {
        "en": f"{SUPPRESSED_FLAG}: suppressed: fewer than {threshold}, or hidden to protect "
        "such a cell",
        "hy": f"{SUPPRESSED_FLAG}՝ թաքցված է. {threshold}-ից պակաս է, կամ թաքցված է՝ նման "
        "բջիջը պաշտպանելու համար",
        "ru": f"{SUPPRESSED_FLAG}: скрыто: меньше {threshold} или скрыто, чтобы защитить "
        "такую ячейку",
    }[lang]


def rounded(figure: Figure, unit: str) -> float | int | None:
    """The value as published: counts whole, shares and rates to one decimal."""
    if figure.value is None:
        return None
    if unit == "count":
        return int(figure.value)
    if unit == "mean_amd":
        return round(figure.value)
    return round(figure.value, 1)


def main_figures(result: Result) -> Iterator[tuple[catalogue.Indicator, Figure]]:
    """The figures of the main period, indicator by indicator, total first."""
    for indicator in result.indicators:
        for figure in result.figures:
            if figure.indicator == indicator.id and figure.period == result.period.text:
                yield indicator, figure


def to_document(result: Result, lang: str = "en") -> dict[str, Any]:
    """The JSON document of a result: every figure with its working."""
    indicators = []
    for indicator in result.indicators:
        figures = []
        for figure in result.figures:
            if figure.indicator != indicator.id:
                continue
            entry = figure.to_dict()
            entry["value"] = rounded(figure, indicator.unit)
            figures.append(entry)
        indicators.append(
            {
                "id": indicator.id,
                "version": indicator.version,
                "title": indicator.title(lang),
                "unit": indicator.unit,
                "area": indicator.area,
                "parameters": dict(result.parameters[indicator.id]),
                "breakdowns": list(result.by[indicator.id]),
                "figures": figures,
            }
        )
    return {
        "catalogue_version": catalogue.version(),
        "period": {
            "text": result.period.text,
            "start": result.period.start.isoformat(),
            "end": result.period.end.isoformat(),
        },
        "trend": [p.text for p in result.trend],
        "disclosure": dict(result.suppression or {"threshold": None}),
        "legend": legend((result.suppression or {}).get("threshold"), lang),
        "reading": result.reading.to_dict(),
        "invalid": dict(sorted(result.invalid.items())),
        "indicators": indicators,
    }


def write_json(result: Result, out: IO[str], lang: str = "en") -> None:
    out.write(json.dumps(to_document(result, lang), ensure_ascii=False, indent=2) + "\n")


def safe_text(text: str) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def write_csv(result: Result, out: IO[str], lang: str = "en") -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for indicator, figure in main_figures(result):
        suppressed = figure.status == "suppressed"
        value = rounded(figure, indicator.unit)
        writer.writerow(
            [
                indicator.id,
                figure.period,
                figure.breakdown or "",
                safe_text(figure.category or ""),
                "" if value is None else value,
                "" if figure.numerator is None else figure.numerator,
                "" if figure.denominator is None else figure.denominator,
                indicator.unit,
                figure.status,
                SUPPRESSED_FLAG if suppressed else "",
            ]
        )


def cell_text(figure: Figure, unit: str) -> str:
    """A figure as a table shows it: the number, the suppression mark, or a dash."""
    if figure.status == "suppressed":
        return SUPPRESSED_FLAG
    value = rounded(figure, unit)
    if value is None:
        return "–"
    if unit == "share":
        return f"{value:.1f} %"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def category_label(figure: Figure, lang: str) -> str:
    if figure.breakdown is None or figure.category is None:
        return {"en": "Total", "hy": "Ընդամենը", "ru": "Всего"}[lang]
    return catalogue.breakdown(figure.breakdown).category(figure.category).label(lang)


def write_table(result: Result, out: IO[str], lang: str = "en") -> None:
    out.write(f"{result.period.text}  ({result.period.start} – {result.period.end})\n")
    for indicator in result.indicators:
        unit = catalogue.label("units", indicator.unit, lang)
        out.write(f"\n{indicator.title(lang)} [{indicator.id}] — {unit}\n")
        for figure in result.figures:
            if figure.indicator != indicator.id or figure.period != result.period.text:
                continue
            if figure.breakdown is not None and figure.status == "ok" and not figure.numerator:
                continue  # empty categories are left out of the text table
            name = category_label(figure, lang)
            if figure.breakdown:
                name = f"  {catalogue.breakdown(figure.breakdown).title(lang)}: {name}"
            working = ""
            if indicator.unit == "share" and figure.status == "ok":
                working = f"  ({figure.numerator} / {figure.denominator})"
            out.write(f"  {name:<58} {cell_text(figure, indicator.unit):>14}{working}\n")
    threshold = (result.suppression or {}).get("threshold")
    out.write("\n" + legend(threshold, lang) + "\n")
    if result.invalid:
        total = sum(result.invalid.values())
        out.write(
            f"{total} invalid records not used: "
            + ", ".join(f"{rule} {n}" for rule, n in sorted(result.invalid.items()))
            + "\n"
        )
