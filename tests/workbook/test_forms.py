"""The XLSForm: pyxform converts it without warnings; KoboToolbox/ODK exports read back."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pyxform import xls2xform

from casestd import codes
from casestd.workbook import read
from casestd.workbook.forms import LANGUAGE_NAMES, MAX_INLINE_CHOICES, form_rows, xlsform
from casestd.workbook.reading import xlsform_name


@pytest.mark.parametrize("sheet", ["children", "families", "services"])
def test_pyxform_converts_without_errors_or_warnings(sheet: str, tmp_path: Path) -> None:
    written = xlsform(tmp_path / f"{sheet}.xlsx", sheet=sheet)
    warnings: list[str] = []
    result = xls2xform.convert(str(written[0]), warnings=warnings)
    assert warnings == []
    assert "<h:html" in result.xform and f"casestd_{sheet}" in result.xform
    for name in LANGUAGE_NAMES.values():
        assert f'lang="{name}"' in result.xform


def test_survey_choices_and_constraints_come_from_the_layout(tmp_path: Path) -> None:
    survey, choices = form_rows("children")
    by_name = {row["name"]: row for row in survey}
    assert by_name["sex"]["type"] == "select_one sex" and by_name["sex"]["required"] == "yes"
    assert by_name["citizenships"]["type"] == "select_multiple country"
    assert by_name["languages"]["type"] == "select_multiple_from_file language.csv"
    assert "regex(" in by_name["contacts_0_value"]["constraint"]
    assert "passport" in by_name["identifiers_0_value"]["constraint"]
    assert by_name["registration_date"]["type"] == "date"
    assert by_name["names_0_script"]["default"] == "armn"
    sexes = [row for row in choices if row["list_name"] == "sex"]
    assert [row["name"] for row in sexes] == list(codes.get("sex").active())
    assert sexes[0]["label::Armenian (hy)"] == codes.get("sex").label(sexes[0]["name"], "hy")
    assert all(
        len(codes.get(r["list_name"]).active()) <= MAX_INLINE_CHOICES
        for r in choices
        if r["list_name"] != "yes_no"
    )
    written = xlsform(tmp_path / "children.xlsx")
    assert [p.name for p in written] == ["children.xlsx", "language.csv"]
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == ["survey", "choices", "settings"]


def _export_row() -> dict[str, Any]:
    return {
        "start": "2024-01-12T10:00:00.000+04:00",
        "end": "2024-01-12T10:05:00.000+04:00",
        "meta_agency": "yerevan-avan-sso",
        "meta_district": "avan",
        "names_0_given": "Նարե",
        "names_0_family": "Սարգսյան",
        "names_0_script": "armn",
        "sex": "female",
        "birth_date_value": "2014",
        "birth_date_estimated": "true",
        "registration_date": "2024-01-12",
        "citizenships": "AM RU",
        "languages": "hye rus",
        "contacts_0_system": "phone",
        "contacts_0_value": "093123456",
        "address_region": "AM-ER",
        "address_district": "avan",
        "_id": "17",
        "_uuid": str(uuid.UUID(int=7, version=4)),
        "_submission_time": "2024-01-12T06:05:00",
        "__version__": "vXyZ",
    }


def test_a_kobotoolbox_csv_export_reads_back(tmp_path: Path) -> None:
    row = _export_row()
    path = tmp_path / "casestd_children_-_all_versions.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(row), delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    (result,) = read(path)
    assert result.findings == () and result.entity == "child"
    child: Any = result.record
    assert str(child.id) == row["_uuid"]
    assert child.citizenships == ["AM", "RU"] and child.languages == ["hye", "rus"]
    assert child.birth_date.value == "2014" and child.birth_date.estimated
    assert child.contacts[0].value == "+37493123456"


def test_an_odk_xlsx_export_with_group_paths_and_a_mistake(tmp_path: Path) -> None:
    row = _export_row()
    row["sex"] = "unknown-sex"
    path = tmp_path / "export.xlsx"
    book = openpyxl.Workbook()
    sheet: Any = book.active
    sheet.title = "Registration"
    sheet.append([f"grp/{name}" if name.startswith("names") else name for name in row])
    sheet.append(list(row.values()))
    book.save(path)
    (result,) = read(path)
    (item,) = result.findings
    assert (
        item.finding.rule == "field.code"
        and item.location == f"Registration!{_letter(row, 'sex')}2"
    )
    assert "unknown-sex" not in str(result.to_dict())


def _letter(row: dict[str, Any], name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(list(row).index(name) + 1)


def test_question_names_are_the_paths() -> None:
    assert xlsform_name("names.1.family") == "names_1_family"
