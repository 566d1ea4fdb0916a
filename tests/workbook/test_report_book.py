"""The report workbook: its sheets, suppressed counts, formulas, no names unless asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from casestd.workbook import export
from casestd.workbook.report_book import write_report
from casestd.workbook.reporter import cross_district_report
from casestd.workbook.sample import district_registers


def test_sheets_formulas_and_suppression(tmp_path: Path) -> None:
    sample = district_registers(120, seed=9)
    files = []
    for district, found in sorted(sample.records.items()):
        path = tmp_path / f"{district}.xlsx"
        export(found, path, lang="ru", district=district)
        files.append(path)
    report = cross_district_report(files)
    target = tmp_path / "report.xlsx"
    write_report(report, target, lang="ru")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Сводка",
        "В нескольких районах",
        "Дублированные услуги",
        "Бюджет",
        "Расходы по районам",
    ]
    budget: Any = book["Бюджет"]
    assert budget["H2"].value.startswith("=IF(ISNUMBER(G2)")
    counts = [row[6] for row in budget.iter_rows(min_row=2, values_only=True)]
    assert "1-10" in counts  # small groups at this size
    assert all(c == "1-10" or c > 10 for c in counts)
    duplicates: Any = book["В нескольких районах"]
    assert duplicates["A1"].value == "Группа" and duplicates.max_column == 7
    named = tmp_path / "named.xlsx"
    write_report(report, named, lang="ru", show_names=True)
    assert openpyxl.load_workbook(named)["В нескольких районах"].max_column == 8
