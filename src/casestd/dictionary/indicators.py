"""The dictionary page of the National Action Plan indicator catalogue, one per language.

Generated from `casestd.indicators.catalogue`: each indicator with its
definition, area, unit, the date that places a record in a period, the
fields it reads, its breakdowns, parameters and references; then each
breakdown with its categories.
"""

from __future__ import annotations

from casestd.dictionary.labels import text
from casestd.dictionary.markdown import anchor, cell, code, link, table
from casestd.indicators import catalogue
from casestd.schema.release import CATALOGUE_AFTER

PAGE = "indicators.md"


def _breakdown_links(indicator: catalogue.Indicator, lang: str) -> str:
    return ", ".join(
        link(catalogue.breakdown(b).title(lang), f"#breakdown-{b}") for b in indicator.breakdowns
    )


def indicators_page(lang: str) -> str:
    """The catalogue page of one language."""
    lines = [f"# {text('indicators', lang)}", "", link(f"← {text('index', lang)}", "index.md"), ""]
    intro = text("indicators_intro", lang).format(
        version=code(catalogue.version()), after=code(CATALOGUE_AFTER)
    )
    lines += [intro, ""]
    header = [text(key, lang) for key in ("indicator", "title", "area", "unit")]
    rows = [
        [
            link(code(i.id), f"#{i.id}"),
            cell(i.title(lang)),
            cell(catalogue.label("areas", i.area, lang)),
            cell(catalogue.label("units", i.unit, lang)),
        ]
        for i in catalogue.indicators()
    ]
    lines += [*table(header, rows), ""]
    for indicator in catalogue.indicators():
        lines += [f"## {anchor(indicator.id)}{code(indicator.id)}", ""]
        lines += [f"**{cell(indicator.title(lang))}**", ""]
        lines += [cell(indicator.definition(lang)), ""]
        facts = [
            (text("version", lang), code(indicator.version)),
            (text("period_date", lang), code(indicator.period_date)),
            (text("fields", lang), ", ".join(code(f) for f in indicator.fields)),
            (text("breakdowns", lang), _breakdown_links(indicator, lang) or text("none", lang)),
            (
                text("parameters", lang),
                ", ".join(f"{code(n)} = {p.default}" for n, p in indicator.parameters.items())
                or text("none", lang),
            ),
            (
                text("references", lang),
                "; ".join(cell(f"{r['framework']} {r['id']}") for r in indicator.references),
            ),
        ]
        lines += [f"- {name}{text('label_sep', lang)}{value}" for name, value in facts]
        lines += [""]
    lines += [f"## {text('breakdowns', lang)}", ""]
    for breakdown in catalogue.breakdowns():
        lines += [f"### {anchor('breakdown-' + breakdown.id)}{code(breakdown.id)}", ""]
        lines += [f"**{cell(breakdown.title(lang))}**", ""]
        header = [text("code", lang), text("label", lang), "SDMX", "DHIS2"]
        rows = [
            [code(c.code), cell(c.label(lang)), code(" ".join(c.sdmx)), code(c.dhis2)]
            for c in breakdown.categories
        ]
        lines += [*table(header, rows), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
