"""The XLSX workbook: one sheet per indicator, no formula anywhere, suppression marked."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from casestd.indicators import xlsx
from casestd.indicators.outputs import SUPPRESSED_FLAG

sys.path.insert(0, str(Path(__file__).resolve().parent))

from indicator_data import MARKER, published


def _book(lang: str = "en") -> bytes:
    out = io.BytesIO()
    xlsx.write(published(), out, lang)
    return out.getvalue()


def test_one_sheet_per_indicator_and_contents() -> None:
    book = load_workbook(io.BytesIO(_book()))
    result = published()
    assert book.sheetnames == ["Contents", *(i.id for i in result.indicators)]
    sheet = book["victims_identified"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Victims identified"
    total = result.figure("victims_identified")
    row = next(r for r in values if r[0] == "Total" and r[1] == "Total")
    assert row[2] == total.value and row[5] == "ok"
    assert any(r[0] == "Quarterly trend" for r in values)


def test_suppressed_cells_show_the_mark_and_the_legend() -> None:
    book = load_workbook(io.BytesIO(_book()))
    flagged = 0
    for sheet in book.worksheets[1:]:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert rows[4][0] == "c: suppressed: fewer than 11, or hidden to protect such a cell"
        for row in rows[7:]:
            if len(row) > 5 and row[5] == "suppressed":
                assert row[2] == SUPPRESSED_FLAG and row[6] == SUPPRESSED_FLAG
                assert row[3] in (None, "")  # no numerator either
                flagged += 1
            elif len(row) > 5 and row[5] == "ok" and sheet.title == "victims_identified":
                assert isinstance(row[2], int) and not 0 < row[2] < 11
    assert flagged == sum(1 for f in published().figures if f.status == "suppressed")


def test_no_formula_and_no_personal_value() -> None:
    raw = _book("ru")
    book = load_workbook(io.BytesIO(raw))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert MARKER not in str(cell.value)


@settings(deadline=None, max_examples=40)
@given(st.text(alphabet="=+-@\t\nabc1(", min_size=1, max_size=12))
def test_risky_text_stays_text(text: str) -> None:
    # a category label that starts like a formula is written as text, quote-prefixed
    result = published()
    indicator = attrs.evolve(result.indicators[0], titles={"en": text})
    changed = attrs.evolve(result, indicators=(indicator,))
    out = io.BytesIO()
    xlsx.write(changed, out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    cell = book[indicator.id]["A1"]
    assert cell.value == text and cell.data_type == "s"
    assert book["Contents"]["B6"].value == text
