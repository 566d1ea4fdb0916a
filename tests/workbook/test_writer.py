"""The template: sheets, headers in three languages, hidden paths, drop-downs, protection."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from casestd import STANDARD_VERSION, codes
from casestd.workbook import sheets, template, template_id
from casestd.workbook.writer import FIRST_DATA_ROW, PATH_ROW, range_name


@pytest.fixture(scope="module", params=["hy", "ru", "en"])
def made(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp("tpl") / f"template-{request.param}.xlsx"
    template(path, lang=request.param, district="kentron")
    return request.param, path


def test_sheets_in_the_language_with_instructions_first(made: tuple[str, Path]) -> None:
    lang, path = made
    book = openpyxl.load_workbook(path)
    titles = [entry.title(lang) for entry in sheets()]
    assert book.sheetnames[1:-1] == titles
    instructions = book[book.sheetnames[0]]
    text = "\n".join(str(c.value) for c in instructions["A"] if c.value)
    assert STANDARD_VERSION in text and template_id() in text
    assert codes.get("yerevan_district").label("kentron", lang) in text
    assert book[book.sheetnames[-1]].sheet_state == "hidden"


def test_headers_notes_paths_and_frozen_rows(made: tuple[str, Path]) -> None:
    lang, path = made
    book = openpyxl.load_workbook(path)
    for entry in sheets():
        sheet = book[entry.title(lang)]
        assert sheet.freeze_panes == f"B{FIRST_DATA_ROW}"
        assert sheet.row_dimensions[PATH_ROW].hidden
        for number, column in enumerate(entry.columns, start=1):
            header = sheet.cell(row=1, column=number)
            assert header.value == column.header(lang) + (" *" if column.marked_required else "")
            others = [code for code in ("hy", "ru", "en") if code != lang]
            assert header.comment is not None
            for other in others:
                assert column.header(other) in header.comment.text
            assert sheet.cell(row=PATH_ROW, column=number).value == column.path
            assert header.protection.locked
        assert sheet.protection.sheet and not sheet.protection.password


def test_required_columns_are_marked() -> None:
    children = next(entry for entry in sheets() if entry.name == "children")
    required = {column.path for column in children.columns if column.marked_required}
    assert {"sex", "birth_date.value", "registration_date", "meta.agency"} <= required
    assert "id" not in required and "names.0.script" not in required  # casestd fills them


def test_dropdowns_come_from_named_ranges_on_the_codes_sheet(made: tuple[str, Path]) -> None:
    lang, path = made
    book = openpyxl.load_workbook(path)
    sex = book.defined_names[range_name("sex")]
    ((title, cells),) = list(sex.destinations)
    values = [c.value for row in book[title][cells] for c in row]
    assert values == [codes.get("sex").label(code, lang) for code in codes.get("sex").active()]
    children = book[next(e for e in sheets() if e.name == "children").title(lang)]
    formulas = {v.formula1 for v in children.data_validations.dataValidation}
    assert f"={range_name('sex')}" in formulas and f"={range_name('yes_no')}" in formulas
    types = {v.type for v in children.data_validations.dataValidation}
    assert "date" in types
    prompts = " ".join(v.prompt or "" for v in children.data_validations.dataValidation)
    assert "091 234567" in prompts and "AB1234567" in prompts


def test_data_columns_are_open_and_dates_formatted(made: tuple[str, Path]) -> None:
    _, path = made
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'locked="0"' in styles and "DD.MM.YYYY" in styles


def test_properties_carry_the_standard_version_and_template_id(made: tuple[str, Path]) -> None:
    _, path = made
    book = openpyxl.load_workbook(path)
    props = {p.name: p.value for p in book.custom_doc_props.props}  # type: ignore[attr-defined]
    assert props["casestd.standard_version"] == STANDARD_VERSION
    assert props["casestd.template_id"] == template_id()
    assert props["casestd.district"] == "kentron"
    assert props["casestd.agency"] == "yerevan-kentron-sso"
    assert book.properties.keywords == template_id()


def test_template_is_quick(tmp_path: Path) -> None:
    started = time.perf_counter()
    template(tmp_path / "quick.xlsx")
    assert time.perf_counter() - started < 30  # the target (5 s) is measured in bench/


def test_unknown_district_or_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        template(tmp_path / "x.xlsx", district="paris")
    with pytest.raises(ValueError):
        template(tmp_path / "x.xlsx", lang="fr")
