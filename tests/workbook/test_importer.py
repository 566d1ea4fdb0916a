"""Importing filled workbooks: zero findings for a clean one, exactly the planted ones otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from casestd import codes
from casestd.cli import main
from casestd.rules.engine import RuleContext
from casestd.workbook import read, template
from casestd.workbook.layout import sheet
from casestd.workbook.writer import FIRST_DATA_ROW, PATH_ROW

#: A planted personal value: it must never appear in any output.
MARKER = "Zzmarkeryan"
Rows = dict[str, list[dict[str, Any]]]


def label(list_id: str, code: str) -> str:
    return codes.get(list_id).label(code, "hy")


def fill(path: Path, rows: Rows, lang: str = "hy") -> Path:
    """Type ``rows`` (sheet name -> list of {path: value}) into a fresh template."""
    template(path, lang=lang, district="kentron")
    book = openpyxl.load_workbook(path)
    for name, entries in rows.items():
        sheet_ = book[sheet(name).title(lang)]
        letters = {
            cell.value: cell.column_letter for cell in sheet_[PATH_ROW] if cell.value is not None
        }
        for offset, entry in enumerate(entries):
            for field, value in entry.items():
                sheet_[f"{letters[field]}{FIRST_DATA_ROW + offset}"] = value
    book.save(path)
    return path


def child(key: str, given: str = "Անի", **changes: Any) -> dict[str, Any]:
    row = {
        "#key": key,
        "names.0.given": given,
        "names.0.family": "Պետրոսյան",
        "names.1.given": "Ani",
        "names.1.family": "Petrosyan",
        "sex": label("sex", "female"),
        "birth_date.value": "05.03.2015",
        "registration_date": "12.01.2024",
        "citizenships": f"{label('country', 'AM')}; {label('country', 'RU')}",
        "identifiers.0.type": label("identifier_type", "passport"),
        "identifiers.0.value": "AB1234567",
        "contacts.0.value": "091 234567",
        "address.region": label("region", "AM-ER"),
        "address.district": label("yerevan_district", "kentron"),
    }
    row.update(changes)
    return row


def clean_rows() -> Rows:
    return {
        "children": [child("1"), child("2", given="Մարիամ", **{"birth_date.value": "2016"})],
        "families": [{"#key": "F1", "address.region": label("region", "AM-ER")}],
        "members": [
            {
                "#parent": "F1",
                "names.0.given": "Արմեն",
                "names.0.family": "Պետրոսյան",
                "sex": label("sex", "male"),
                "relationship": label("family_relationship", "head"),
                "head_of_household": "Այո",
                "birth_date.value": "1.2.1980",
            },
            {
                "#parent": "F1",
                "names.0.given": "Անի",
                "sex": label("sex", "female"),
                "relationship": label("family_relationship", "daughter"),
                "child_id": "1",
            },
        ],
        "services": [
            {
                "beneficiary_id": "1",
                "service_type": label("service_type", codes.get("service_type").active()[0]),
                "provider_agency": "yerevan-kentron-sso",
                "status": label("service_status", "delivered"),
                "start_date": "01.02.2024",
                "end_date": "29.02.2024",
                "cost_amd": 50000,
                "funding_source": label("funding_source", codes.get("funding_source").active()[0]),
            }
        ],
    }


def test_armenian_labels_and_day_first_dates_import_with_zero_findings(
    tmp_path: Path, context: RuleContext
) -> None:
    path = fill(tmp_path / "clean.xlsx", clean_rows())
    results = read(path, context=context)
    assert [r.to_dict() for r in results if r.findings] == []
    by_entity: dict[str, list[Any]] = {}
    for result in results:
        assert result.record is not None
        by_entity.setdefault(result.entity or "", []).append(result.record)
    assert {name: len(found) for name, found in by_entity.items()} == {
        "child": 2,
        "family": 1,
        "service": 1,
    }
    first = by_entity["child"][0]
    assert first.sex == "female" and first.birth_date.value == "2015-03-05"
    assert first.citizenships == ["AM", "RU"]
    assert first.contacts[0].value == "+37491234567"
    assert [name.script for name in first.names] == ["armn", "latn"]
    assert first.meta.agency == "yerevan-kentron-sso" and first.meta.district == "kentron"
    assert by_entity["child"][1].birth_date.value == "2016"
    family = by_entity["family"][0]
    assert [m.relationship for m in family.members] == ["head", "daughter"]
    assert family.members[1].child_id == first.id
    assert by_entity["service"][0].beneficiary_id == first.id
    # the same workbook read twice gives the same ids
    assert [r.record.id for r in read(path, context=context)] == [  # type: ignore[union-attr]
        r.record.id  # type: ignore[union-attr]
        for r in results
    ]


@pytest.mark.parametrize("lang", ["hy", "en"])
def test_an_empty_template_is_one_warning_not_a_silent_pass(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.xlsx"
    template(path, lang=lang, district="kentron")
    results = read(path)
    assert [[f.finding.rule for f in r.findings] for r in results] == [["workbook.no_rows"]]
    assert results[0].entity is None and results[0].findings[0].finding.severity == "warning"
    assert main(["workbook", "import", str(path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["records"] == 0 and document["ok"] is True
    assert [f["rule"] for r in document["results"] for f in r["findings"]] == ["workbook.no_rows"]
    # one filled row and the warning is gone
    filled = fill(tmp_path / "one.xlsx", {"children": [child("1")]}, lang=lang)
    assert "workbook.no_rows" not in {f.finding.rule for r in read(filled) for f in r.findings}


def planted_rows() -> tuple[Rows, set[tuple[str, str, str]]]:
    """Rows with one planted mistake each, and the (cell, path, rule) each must give."""
    rows = clean_rows()
    columns = {name: {c.path: i for i, c in enumerate(sheet(name).columns)} for name in rows}

    def cell(name: str, path: str, row: int) -> str:
        from openpyxl.utils import get_column_letter

        title = sheet(name).title("hy")
        title = f"'{title}'" if " " in title else title
        return f"{title}!{get_column_letter(columns[name][path] + 1)}{row}"

    rows["children"] = [
        child("1", given=MARKER, sex="Անհայտ սեռ"),
        child("2", given=MARKER, **{"birth_date.value": "31.02.2015"}),
        child("3", given=MARKER, **{"contacts.0.value": "70707"}),
        child("4", given="=1+1"),
        child("5", given=MARKER, **{"identifiers.0.value": "12 34"}),
    ]
    rows["services"][0]["beneficiary_id"] = "Q77Q"
    rows["members"].append(
        {"#parent": "F9", "names.0.given": MARKER, "sex": label("sex", "male"), "relationship": "x"}
    )
    expected = {
        (cell("children", "sex", 3), "/sex", "field.code"),
        (cell("children", "birth_date.value", 4), "/birth_date/value", "field.format"),
        (cell("children", "contacts.0.value", 5), "/contacts/0/value", "field.format"),
        (cell("children", "names.0.given", 6), "/names/0/given", "workbook.formula"),
        (cell("children", "identifiers.0.value", 7), "/identifiers/0/value", "field.format"),
        (cell("services", "beneficiary_id", 3), "/beneficiary_id", "workbook.reference_unknown"),
        (cell("members", "#parent", 5), "", "workbook.parent_unknown"),
    }
    return rows, expected


def test_planted_mistakes_give_exactly_their_findings(tmp_path: Path, context: RuleContext) -> None:
    rows, expected = planted_rows()
    results = read(fill(tmp_path / "planted.xlsx", rows), context=context)
    found = {
        (item.location, item.finding.path, item.finding.rule)
        for result in results
        for item in result.findings
    }
    assert {(loc, path) for loc, path, _ in found} == {(loc, path) for loc, path, _ in expected}
    rules = {(loc, rule) for loc, _, rule in found}
    for location, _, rule in expected:
        if not rule.startswith("field."):
            assert (location, rule) in rules
    assert all(item.column for result in results for item in result.findings)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_planted_value_is_echoed(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows, _ = planted_rows()
    path = fill(tmp_path / "planted.xlsx", rows)
    status = main(["workbook", "import", str(path), "--format", fmt, "--lang", "hy"])
    captured = capsys.readouterr()
    assert status == 1
    output = captured.out + captured.err
    for planted in (MARKER, "Անհայտ սեռ", "31.02.2015", "70707", "12 34", "1+1", "Q77Q", "F9"):
        assert planted not in output.replace(str(path), "")
    if fmt == "json":
        document = json.loads(captured.out)
        bad = [(r["source"], [f["rule"] for f in r["findings"]]) for r in document["results"]]
        assert document["invalid"] == 7, bad and document["records"] == 8
        assert document["files"][0]["template_id"].startswith("casestd-registration-")


def test_columns_moved_hidden_and_path_row_removed_are_still_read(
    tmp_path: Path, context: RuleContext
) -> None:
    path = fill(tmp_path / "moved.xlsx", clean_rows(), lang="ru")
    book = openpyxl.load_workbook(path)
    children = book[sheet("children").title("ru")]
    children.move_range("B1:D10", cols=70)  # three columns moved to the far right
    children.column_dimensions["F"].hidden = True
    book.save(path)
    assert [r.to_dict() for r in read(path, context=context) if r.findings] == []
    # the path row deleted: columns found by their Russian headers
    book = openpyxl.load_workbook(path)
    for title in book.sheetnames[1:5]:
        book[title].delete_rows(PATH_ROW)
    book.save(path)
    assert [r.to_dict() for r in read(path, context=context) if r.findings] == []


def test_headers_in_another_language_and_unknown_columns(
    tmp_path: Path, context: RuleContext
) -> None:
    path = fill(tmp_path / "renamed.xlsx", clean_rows())
    book = openpyxl.load_workbook(path)
    children = book[sheet("children").title("hy")]
    children.delete_rows(PATH_ROW)
    sex = sheet("children").column("sex")
    for cell in children[1]:
        if cell.value == sex.header("hy") + " *":
            cell.value = sex.header("en")
    children.cell(row=1, column=200, value="Notes of the officer")
    book.save(path)
    results = read(path, context=context)
    unmapped = [
        item.finding
        for r in results
        for item in r.findings
        if item.finding.rule.endswith("unmapped")
    ]
    assert len(unmapped) == 1 and "Notes of the officer" in unmapped[0].message
    assert all(r.ok for r in results)
