"""Finding sheets and columns: titles and headers in any language, paths, XLSForm names."""

from __future__ import annotations

from casestd.workbook.layout import sheet, sheets
from casestd.workbook.reading import (
    cell_ref,
    map_columns,
    sheet_by_columns,
    sheet_for,
    xlsform_name,
)


def test_sheets_by_title_in_any_language() -> None:
    for entry in sheets():
        for title in entry.titles().values():
            assert sheet_for(title) == entry
            assert sheet_for(f" {title.upper()} ") == entry
    assert sheet_for("Sheet1") is None


def test_columns_by_path_then_by_header_then_by_name() -> None:
    children = sheet("children")
    paths = [c.path for c in children.columns]
    by_path = map_columns(children, ["x"] * len(paths), paths)
    assert by_path.by == "paths" and by_path.first_row == 3 and len(by_path.columns) == len(paths)
    headers = [c.header("ru") + (" *" if c.marked_required else "") for c in children.columns]
    by_header = map_columns(children, headers, [None] * len(paths))
    assert by_header.by == "headers" and by_header.first_row == 2
    assert [c.path for c in by_header.columns.values()] == paths
    names = [xlsform_name(p) for p in paths] + ["_submission_time", "Officer's notes"]
    by_name = map_columns(children, names, [None] * len(names))
    assert by_name.by == "names" and by_name.unmapped == ("Officer's notes",)
    assert sheet_by_columns(names, []) == children


def test_a_column_given_twice_is_read_once() -> None:
    children = sheet("children")
    found = map_columns(children, ["Sex", "Пол", "Սեռ"], [None, None, None])
    assert list(found.columns) == [0] and found.unmapped == ("Пол", "Սեռ")


def test_cell_references_quote_titles_with_spaces() -> None:
    assert cell_ref("Children", 12, 5) == "Children!F12"
    assert cell_ref("Family members", 3, 0) == "'Family members'!A3"
