"""casestd.workbook.results: located findings and the result of one record."""

from __future__ import annotations

from casestd.io.location import Location
from casestd.workbook.results import (
    CellFinding,
    CellLocation,
    RowResult,
    finding,
    message,
    no_rows,
    noting_no_rows,
)


def test_a_result_says_where_and_what() -> None:
    location = CellLocation("book.xlsx", "Children", "A12")
    bad = CellFinding(finding("field.format", "en", path="/sex"), "Children!F12", "Sex")
    result = RowResult(location, "child", (bad,), sheet="Children", row=12)
    assert str(location) == result.source == "book.xlsx!Children!A12"
    assert not result.ok and not result.unreadable
    document = result.to_dict()
    assert document["location"] == {"file": "book.xlsx", "sheet": "Children", "cell": "A12"}
    assert document["findings"][0]["location"] == "Children!F12"
    assert document["findings"][0]["column"] == "Sex"


def test_a_file_that_cannot_be_read_is_a_result_too() -> None:
    problem = CellFinding(finding("input.not_workbook", "en"), "book.xlsx")
    result = RowResult(Location("book.xlsx"), None, (problem,))
    assert result.unreadable and not result.ok


def test_messages_of_workbook_and_validation_rules() -> None:
    assert message("field.format", "en") != "field.format"  # a validation rule's message
    assert message("no.such.rule", "en") == "no.such.rule"


def test_a_file_without_records_ends_with_one_no_rows_warning() -> None:
    note = RowResult(Location("book.xlsx"), None, (CellFinding(finding("x", "en"), ""),))
    record = RowResult(CellLocation("book.xlsx", "Children", "A4"), "child", ())
    empty = list(noting_no_rows("book.xlsx", "ru", [note]))
    assert empty[0] is note
    assert [f.finding.rule for f in empty[-1].findings] == ["workbook.no_rows"]
    assert empty[-1].findings[0].finding.severity == "warning"
    assert empty[-1].findings[0].finding.message == message("workbook.no_rows", "ru")
    assert list(noting_no_rows("book.xlsx", "en", [note, record])) == [note, record]
    assert list(noting_no_rows("book.xlsx", "en", [])) == [
        RowResult(Location("book.xlsx"), None, (no_rows("en"),))
    ]
