"""LibreOffice, the client offices use, accepts what casestd writes and what it re-saves reads back.

Needs ``soffice`` (``.ci/run`` installs Debian's libreoffice-calc-nogui); see conftest.py.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestd.workbook import export, read, template

Convert = Callable[[Path, str, Path], Path]


def test_template_converts_to_pdf_and_xlsx(tmp_path: Path, soffice: Convert) -> None:
    source = tmp_path / "template.xlsx"
    template(source, lang="hy", district="arabkir")
    pdf = soffice(source, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    resaved = soffice(source, "xlsx", tmp_path / "resaved")
    # an empty template holds no record and no problem but the one warning that says so
    assert [[f.finding.rule for f in r.findings] for r in read(resaved)] == [["workbook.no_rows"]]


def _draw(data: st.DataObject) -> list[Any]:
    from casestd.testing import records

    found: list[Any] = []
    for entity in ("child", "family", "service"):
        found += data.draw(st.lists(records(entity), min_size=2, max_size=4))
    return found


@settings(
    max_examples=2,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_workbook_resaved_by_libreoffice_imports_to_the_same_records(
    data: st.DataObject, tmp_path: Path, soffice: Convert
) -> None:
    found = _draw(data)
    folder = tmp_path / str(id(found))
    folder.mkdir()
    source = folder / "register.xlsx"
    export(found, source, lang="ru")
    resaved = soffice(source, "xlsx", folder / "resaved")
    results = read(resaved)
    assert [r.to_dict() for r in results if r.findings] == []
    back: dict[str, Any] = {str(getattr(r.record, "id", "")): r.record for r in results}
    assert back == {str(r.id): r for r in found}


def test_risky_texts_stay_text_in_libreoffice(tmp_path: Path, soffice: Convert) -> None:
    from casestd.model.child import Child

    child = Child.model_validate(
        {
            "id": "0b8f2f3e-5d7c-4a2b-9c1d-2e3f4a5b6c7d",
            "meta": {
                "standard_version": "1.0.0",
                "source_system": "district-register",
                "agency": "yerevan-avan-sso",
                "created": "2024-01-05T10:00:00+04:00",
            },
            "names": [{"given": "=1+2", "family": "+SUM(A1)", "script": "latn"}],
            "sex": "female",
            "birth_date": {"value": "2015-03-05"},
            "registration_date": "2024-01-05",
        }
    )
    source = tmp_path / "risky.xlsx"
    export([child], source, lang="en")
    # LibreOffice computes formulas when it converts; texts must come out as typed
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2"
    table = soffice(source, csv_filter, tmp_path / "csv")
    text = table.read_text("utf-8")
    assert "=1+2" in text and "+SUM(A1)" in text
    rows = list(csv.reader(text.splitlines()))
    assert any("=1+2" in row for row in rows)


def test_report_chart_figures_are_computed_by_libreoffice(tmp_path: Path, soffice: Convert) -> None:
    from casestd import codes
    from casestd.workbook.report_book import write_report
    from casestd.workbook.reporter import cross_district_report
    from casestd.workbook.sample import district_registers

    registers = district_registers(150, seed=4)
    files = []
    for district, found in sorted(registers.records.items()):
        path = tmp_path / f"{district}.xlsx"
        export(found, path, lang="en", district=district)
        files.append(path)
    report = cross_district_report(files)
    target = tmp_path / "report.xlsx"
    write_report(report, target, lang="en")
    sheet_number = 5  # Cost by district
    csv_filter = (
        f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet_number}"
    )
    table = soffice(target, csv_filter, tmp_path / "csv")
    computed = {row[0]: row[1] for row in csv.reader(table.read_text("utf-8").splitlines()[1:])}
    expected: dict[str, int] = {}
    for row in report.budget:
        label = codes.get("yerevan_district").label(row.district, "en")
        expected[label] = expected.get(label, 0) + row.cost_amd
    for label, total in expected.items():
        assert int(computed[label].replace(",", "")) == total
