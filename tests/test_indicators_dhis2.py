"""DHIS2 output: the ``dataValueSets`` shape, checked with jsonschema, and the metadata.

The schema below is the one DHIS2's data value set import reads (Web API,
"Data values": ``dataSet``, ``period``, ``orgUnit``, ``attributeOptionCombo``
and ``dataValues``, each with ``dataElement``, ``period``, ``orgUnit``,
``categoryOptionCombo``, ``attributeOptionCombo``, ``value`` as a string and an
optional ``comment``), with DHIS2's period formats.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from casestd.indicators import dhis2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from indicator_data import MARKER, published

_CODE = {"type": "string", "pattern": r"^[A-Za-z0-9_\-]{1,50}$"}
_PERIOD = {"type": "string", "pattern": r"^(\d{4}|\d{4}Q[1-4]|\d{4}(0[1-9]|1[0-2]))$"}
DATA_VALUE_SET: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["dataSet", "period", "orgUnit", "attributeOptionCombo", "dataValues"],
    "additionalProperties": False,
    "properties": {
        "dataSet": _CODE,
        "period": _PERIOD,
        "orgUnit": _CODE,
        "attributeOptionCombo": _CODE,
        "completeDate": {"type": "string", "format": "date"},
        "dataValues": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "dataElement",
                    "period",
                    "orgUnit",
                    "categoryOptionCombo",
                    "attributeOptionCombo",
                    "value",
                ],
                "additionalProperties": False,
                "properties": {
                    "dataElement": _CODE,
                    "period": _PERIOD,
                    "orgUnit": _CODE,
                    "categoryOptionCombo": _CODE,
                    "attributeOptionCombo": _CODE,
                    "value": {"type": "string", "pattern": r"^(|-?\d+(\.\d+)?)$"},
                    "comment": {"type": "string", "maxLength": 50000},
                    "storedBy": {"type": "string"},
                    "followup": {"type": "boolean"},
                },
                # DHIS2 drops a value that is empty without a comment: it would vanish
                "if": {"properties": {"value": {"const": ""}}},
                "then": {"required": ["comment"]},
            },
        },
    },
}


@pytest.mark.parametrize(
    ("period", "written"), [("2025", "2025"), ("2025Q3", "2025Q3"), ("2025-03", "202503")]
)
def test_the_data_value_set_validates_against_the_import_shape(period: str, written: str) -> None:
    document = dhis2.data_value_set(published(period, trend=0))
    jsonschema.Draft202012Validator(
        DATA_VALUE_SET, format_checker=jsonschema.FormatChecker()
    ).validate(document)
    assert document["period"] == written
    assert {value["period"] for value in document["dataValues"]} == {written}
    assert MARKER not in json.dumps(document, ensure_ascii=False)


def test_each_value_has_its_own_key_and_suppressed_ones_say_so() -> None:
    document = dhis2.data_value_set(published("2025", trend=0))
    keys = [
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"])
        for v in document["dataValues"]
    ]
    assert len(keys) == len(set(keys))  # DHIS2 would keep only the last of two
    suppressed = [v for v in document["dataValues"] if v["value"] == ""]
    assert suppressed and all("suppressed" in v["comment"] for v in suppressed)
    assert all(v["value"] != "0" for v in suppressed)


def test_each_data_element_goes_to_one_level_of_organisation_units() -> None:
    """DHIS2 adds a data element up over the units below: a national total and the regions'
    figures under one element would count every victim twice."""
    document = dhis2.data_value_set(published("2025", trend=0))

    def level(code: str) -> str:  # AM, AM-SH, AM-ER-KENTRON
        return ("national", "region", "district")[code.count("-")]

    levels: dict[str, set[str]] = {}
    for value in document["dataValues"]:
        levels.setdefault(value["dataElement"], set()).add(level(value["orgUnit"]))
    assert all(len(found) == 1 for found in levels.values()), levels
    assert {"national", "region", "district"} <= set().union(*levels.values())


def test_every_code_sent_is_in_the_generated_metadata() -> None:
    document = dhis2.data_value_set(published("2025", trend=0))
    meta = dhis2.metadata()
    elements = {e["code"] for e in meta["dataElements"]}
    combos = {c["code"] for c in meta["categoryOptionCombos"]} | {"default"}
    org_units = {"AM"} | {
        code for units in dhis2.mapping()["orgUnits"].values() for code in units.values()
    }
    for value in document["dataValues"]:
        assert value["dataElement"] in elements
        assert value["categoryOptionCombo"] in combos
        assert value["orgUnit"] in org_units
    data_set = next(s for s in meta["dataSets"] if s["code"] == document["dataSet"])
    assert len(data_set["dataSetElements"]) == len(elements)


def test_csv_rows_are_the_json_values() -> None:
    result = published("2025", trend=0)
    out = io.StringIO()
    dhis2.write_csv(result, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    values = dhis2.data_value_set(result)["dataValues"]
    assert [(r["dataelement"], r["catoptcombo"], r["orgunit"], r["value"]) for r in rows] == [
        (v["dataElement"], v["categoryOptionCombo"], v["orgUnit"], v["value"]) for v in values
    ]


def test_a_mapping_without_a_code_is_an_error() -> None:
    codes = dhis2.mapping()
    codes["dataElements"].pop(next(iter(codes["dataElements"])))
    with pytest.raises(dhis2.MappingError):
        dhis2.data_value_set(published("2025", trend=0), codes)
