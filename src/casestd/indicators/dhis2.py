"""DHIS2: ``dataValueSets`` JSON and CSV, the code mapping, and metadata from the catalogue.

Each indicator is one DHIS2 data element for its total (category combo
``default``) and one per breakdown (``<CODE>_<BREAKDOWN>``, whose category
combo has one category with an option per breakdown category). Breakdowns of
place (region, district) go to the ``orgUnit`` instead, each in a data element
of its own (category combo ``default``): DHIS2 adds an element up over the
organisation units below, so the regions' figures sent under the national
total's element would count twice. Files use codes
(import with ``idScheme=code``); `mapping` is the default code mapping, which
a user may replace with their own file of the same shape. `metadata` is the
metadata import (``/api/metadata``) for those data elements, categories,
options, category combos and their option combos (coded as the data values
name them), with stable ids derived from the codes.

A suppressed figure is sent with an empty value and the legend of the
suppression mark as its comment (`casestd.indicators.outputs.legend`), never
as a zero.
"""

from __future__ import annotations

import csv
import hashlib
import json
import string
from collections.abc import Mapping
from typing import IO, Any

from casestd.indicators import catalogue
from casestd.indicators.compute import Result
from casestd.indicators.outputs import legend, main_figures, rounded

CSV_HEADER = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
)
#: DHIS2 value types; shares are NUMBER, as DHIS2's PERCENTAGE takes whole numbers only
_VALUE_TYPES = {"count": "INTEGER_ZERO_OR_POSITIVE"}


class MappingError(ValueError):
    """A figure that the DHIS2 mapping has no code for."""


def uid(code: str) -> str:
    """A stable DHIS2 uid (11 characters, a letter first) derived from a code.

    >>> uid("CTIP_VICT_IDENT"), len(uid("x"))
    ('RRIjvgogCxe', 11)
    """
    alphabet = string.ascii_letters + string.digits
    number = int.from_bytes(hashlib.sha256(code.encode()).digest(), "big")
    chars = [string.ascii_letters[number % 52]]
    number //= 52
    for _ in range(10):
        chars.append(alphabet[number % 62])
        number //= 62
    return "".join(chars)


def mapping() -> dict[str, Any]:
    """The default mapping from indicator, breakdown and category to DHIS2 codes."""
    elements: dict[str, Any] = {}
    for indicator in catalogue.indicators():
        by = {name: f"{indicator.dhis2_code}_{name.upper()}" for name in indicator.breakdowns}
        elements[indicator.id] = {"total": indicator.dhis2_code, "by": by}
    options: dict[str, dict[str, str]] = {}
    org_units: dict[str, dict[str, str]] = {}
    for breakdown in catalogue.breakdowns():
        codes = {c.code: c.dhis2 for c in breakdown.categories}
        if breakdown.org_unit:
            org_units[breakdown.id] = {
                c.code: (c.code if breakdown.id == "region" else f"AM-ER-{c.code.upper()}")
                for c in breakdown.categories
            }
        else:
            options[breakdown.id] = codes
    return {
        "_comment": "casestd indicators -> DHIS2 codes (import with idScheme=code)",
        "dataSet": "CASESTD_NAP",
        "orgUnit": "AM",
        "attributeOptionCombo": "default",
        "defaultCategoryOptionCombo": "default",
        "dataElements": elements,
        "categoryOptionCombos": options,
        "orgUnits": org_units,
    }


def _rows(result: Result, codes: Mapping[str, Any]) -> list[dict[str, str]]:
    period = result.period.dhis2
    if period is None:
        raise MappingError("DHIS2 needs a year, quarter or month period, not a range")
    rows = []
    note = legend((result.suppression or {}).get("threshold"))
    for indicator, figure in main_figures(result):
        element = codes["dataElements"].get(indicator.id)
        if element is None:
            raise MappingError(f"the mapping has no data element for {indicator.id}")
        org_unit, combo = codes["orgUnit"], codes["defaultCategoryOptionCombo"]
        if figure.breakdown is None:
            code = element["total"]
        elif figure.breakdown in codes.get("orgUnits", {}):
            # a data element of its own: DHIS2 adds up an element over the units below, so
            # the regions' figures under the national total's element would count twice
            code = element["by"].get(figure.breakdown)
            org_unit = codes["orgUnits"][figure.breakdown].get(figure.category)
            if code is None:
                raise MappingError(
                    f"the mapping has no code for {indicator.id} by {figure.breakdown}"
                )
            if figure.category in ("unknown", "outside_yerevan") or org_unit is None:
                continue  # no organisation unit for these: the national total holds them
        else:
            code = element["by"].get(figure.breakdown)
            combo = codes["categoryOptionCombos"].get(figure.breakdown, {}).get(figure.category)
            if code is None or combo is None:
                raise MappingError(
                    f"the mapping has no code for {indicator.id} by {figure.breakdown}"
                )
        value = rounded(figure, indicator.unit)
        suppressed = figure.status == "suppressed"
        if value is None and not suppressed:
            continue  # nothing to compute from: DHIS2 stores no value
        rows.append(
            {
                "dataElement": code,
                "period": period,
                "orgUnit": org_unit,
                "categoryOptionCombo": combo,
                "attributeOptionCombo": codes["attributeOptionCombo"],
                "value": "" if value is None else str(value),
                "comment": note if suppressed else "",
            }
        )
    return rows


def data_value_set(result: Result, codes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``dataValueSets`` JSON document of a published result."""
    codes = codes or mapping()
    values = []
    for row in _rows(result, codes):
        entry = {key: value for key, value in row.items() if value != "" or key == "value"}
        values.append(entry)
    return {
        "dataSet": codes["dataSet"],
        "period": result.period.dhis2,
        "orgUnit": codes["orgUnit"],
        "attributeOptionCombo": codes["attributeOptionCombo"],
        "dataValues": values,
    }


def write_json(result: Result, out: IO[str], codes: Mapping[str, Any] | None = None) -> None:
    out.write(json.dumps(data_value_set(result, codes), ensure_ascii=False, indent=2) + "\n")


def write_csv(result: Result, out: IO[str], codes: Mapping[str, Any] | None = None) -> None:
    """DHIS2's CSV data value format: the header row, then one row per value."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in _rows(result, codes or mapping()):
        writer.writerow(
            [
                row["dataElement"],
                row["period"],
                row["orgUnit"],
                row["categoryOptionCombo"],
                row["attributeOptionCombo"],
                row["value"],
                "",
                "",
                row["comment"],
                "false",
            ]
        )


def metadata(lang: str = "en") -> dict[str, Any]:
    """DHIS2 metadata for the catalogue: data elements, categories, options, combos."""
    codes = mapping()
    elements, categories, options, combos, option_combos = [], [], [], [], []
    seen_options: set[str] = set()
    for breakdown in catalogue.breakdowns():
        if breakdown.org_unit:
            continue
        option_refs = []
        category_code = f"CASESTD_{breakdown.id.upper()}"
        for category in breakdown.categories:
            code = codes["categoryOptionCombos"][breakdown.id][category.code]
            option_refs.append({"id": uid(code), "code": code})
            # the combination of the one option, with the code the data values name
            option_combos.append(
                {
                    "id": uid(code + "_COC"),
                    "code": code,
                    "name": category.label(lang)[:230],
                    "categoryCombo": {"id": uid(category_code + "_CC")},
                    "categoryOptions": [{"id": uid(code)}],
                }
            )
            if code not in seen_options:
                seen_options.add(code)
                options.append(
                    {
                        "id": uid(code),
                        "code": code,
                        "name": category.label(lang)[:230],
                        "shortName": category.label(lang)[:50],
                    }
                )
        categories.append(
            {
                "id": uid(category_code),
                "code": category_code,
                "name": breakdown.title(lang),
                "shortName": breakdown.title(lang)[:50],
                "dataDimensionType": "DISAGGREGATION",
                "dataDimension": True,
                "categoryOptions": option_refs,
            }
        )
        combos.append(
            {
                "id": uid(category_code + "_CC"),
                "code": category_code,
                "name": breakdown.title(lang),
                "dataDimensionType": "DISAGGREGATION",
                "categories": [{"id": uid(category_code), "code": category_code}],
            }
        )
    for indicator in catalogue.indicators():
        element = codes["dataElements"][indicator.id]
        value_type = _VALUE_TYPES.get(indicator.unit, "NUMBER")
        aggregation = "SUM" if indicator.unit == "count" else "NONE"
        parts = [(element["total"], None)] + [(code, name) for name, code in element["by"].items()]
        for code, name in parts:
            title = indicator.title(lang) + (
                f" — {catalogue.breakdown(name).title(lang)}" if name else ""
            )
            entry: dict[str, Any] = {
                "id": uid(code),
                "code": code,
                "name": title[:230],
                "shortName": code[:50],
                "description": indicator.definition(lang),
                "valueType": value_type,
                "aggregationType": aggregation,
                "domainType": "AGGREGATE",
                "zeroIsSignificant": True,
            }
            if name and not catalogue.breakdown(name).org_unit:
                combo_code = f"CASESTD_{name.upper()}"
                entry["categoryCombo"] = {"id": uid(combo_code + "_CC"), "code": combo_code}
            elements.append(entry)
    data_set = {
        "id": uid(codes["dataSet"]),
        "code": codes["dataSet"],
        "name": "casestd National Action Plan indicators",
        "periodType": "Quarterly",
        "dataSetElements": [{"dataElement": {"id": e["id"]}} for e in elements],
    }
    return {
        "dataElements": elements,
        "categoryOptions": options,
        "categories": categories,
        "categoryCombos": combos,
        "categoryOptionCombos": option_combos,
        "dataSets": [data_set],
    }
