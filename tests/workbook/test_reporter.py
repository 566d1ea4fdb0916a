"""The cross-district report finds the duplicates and double services planted across districts."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from casestd.cli import main
from casestd.workbook import export
from casestd.workbook.reporter import SMALL_COUNT, Report, cross_district_report
from casestd.workbook.sample import Registers, district_registers


@pytest.fixture(scope="module")
def registers() -> Registers:
    return district_registers(600, seed=11)


@pytest.fixture(scope="module")
def files(registers: Registers, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("districts")
    paths = []
    for district, found in sorted(registers.records.items()):
        path = folder / f"{district}.xlsx"
        export(found, path, lang="hy", district=district)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def report(files: list[Path]) -> Report:
    return cross_district_report(files)


def _found_pairs(report: Report, registers: Registers) -> set[tuple[str, str]]:
    pairs = set()
    for item in report.duplicates:
        refs = sorted(row.ref for row in item.rows)
        for first, second in itertools.combinations(refs, 2):
            if registers.district_of[first] != registers.district_of[second]:
                pairs.add((first, second))
    return pairs


def test_duplicates_across_districts_recall_and_precision(
    report: Report, registers: Registers
) -> None:
    truth = registers.true_pairs()
    found = _found_pairs(report, registers)
    hits = len(found & truth)
    recall, precision = hits / len(truth), hits / len(found)
    print(f"cross-district duplicates: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= 0.95 and precision >= 0.98
    for item in report.duplicates:
        assert len(item.districts) >= 2 and item.keys
        assert all(row.file.endswith(".xlsx") and row.row >= 3 for row in item.rows)


def test_planted_double_services_are_found(report: Report, registers: Registers) -> None:
    found = set()
    for item in report.services:
        if item.cross_district:
            for pair in itertools.combinations(item.overlap.service_ids, 2):
                found.add(tuple(sorted(pair)))
    planted = registers.planted_services
    recall = len(found & planted) / len(planted)
    assert recall >= 0.95
    rows = [row for item in report.services for row in item.rows]
    assert all(row.ref.startswith("service/") for row in rows)


def test_budget_table_adds_up(report: Report, registers: Registers) -> None:
    from casestd.model.service import Service

    services = [r for r in registers.all_records() if isinstance(r, Service)]
    assert sum(row.cost_amd for row in report.budget) == sum(s.cost_amd or 0 for s in services)
    assert sum(row.services for row in report.budget) == len(services)
    for row in report.budget:
        assert row.beneficiaries is None or row.beneficiaries > SMALL_COUNT
    unsuppressed = cross_district_report([], suppress=False)
    assert unsuppressed.budget == ()


def test_report_workbook_has_a_live_chart_and_no_names(
    files: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], registers: Registers
) -> None:
    target = tmp_path / "report.xlsx"
    status = main(
        ["workbook", "report", *map(str, files), "--out", str(target), "--format", "json"]
    )
    document = json.loads(capsys.readouterr().out)
    assert status == 1 and document["duplicates"]
    assert "names" not in document["duplicates"][0]
    book = openpyxl.load_workbook(target)
    by_district: Any = book.worksheets[-1]
    assert by_district._charts, "a native bar chart"
    assert str(by_district["B2"].value).startswith("=SUMIFS(")
    texts = " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    family = next(
        name.family
        for record in registers.all_records()
        for name in getattr(record, "names", [])
        if name.family and len(name.family) > 5
    )
    assert family not in texts and family not in json.dumps(document, ensure_ascii=False)


def test_names_only_with_show_names(files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    main(["workbook", "report", *map(str, files[:4]), "--show-names"])
    shown = capsys.readouterr().out
    main(["workbook", "report", *map(str, files[:4])])
    hidden = capsys.readouterr().out
    assert "[armn]" in shown or "[latn]" in shown or "[cyrl]" in shown
    assert "[armn]" not in hidden and "[latn]" not in hidden and "[cyrl]" not in hidden
