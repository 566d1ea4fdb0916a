"""``casestd workbook``: template, export, import exit codes, output, progress bar."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from casestd.cli import main
from casestd.cli.workbook import import_files


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_template_in_each_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for lang in ("hy", "ru", "en"):
        target = tmp_path / f"{lang}.xlsx"
        assert main(["workbook", "template", "--out", str(target), "--lang", lang]) == 0
        assert target.stat().st_size > 10_000
    assert "casestd-registration-" in capsys.readouterr().out


def test_bad_district_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["workbook", "template", "--out", str(tmp_path / "x.xlsx"), "--district", "x"])
    assert status == 2 and "district" in capsys.readouterr().err


def test_export_import_round_trip_through_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    children = sorted((examples / "child").glob("valid*.json"))
    assert children
    book = tmp_path / "register.xlsx"
    status = main(["workbook", "export", *map(str, children), "--out", str(book)])
    assert status == 0, capsys.readouterr()
    capsys.readouterr()
    out_dir = tmp_path / "records"
    assert main(["workbook", "import", str(book), "--out", str(out_dir)]) == 0
    lines = (out_dir / "child.jsonl").read_text("utf-8").splitlines()
    originals = [json.loads(path.read_text("utf-8")) for path in children]
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(o["id"] for o in originals)


def test_export_refuses_entities_the_workbook_does_not_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    case = next((examples / "case").glob("valid*.json"))
    status = main(["workbook", "export", str(case), "--out", str(tmp_path / "x.xlsx")])
    assert status == 2 and "children, families and services" in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    book = tmp_path / "empty.xlsx"
    main(["workbook", "template", "--out", str(book)])
    quiet, loud = io.StringIO(), _Terminal()
    import_files([str(book)], "text", "en", None, io.StringIO(), quiet)
    import_files([str(book)], "text", "en", None, io.StringIO(), loud)
    assert quiet.getvalue() == ""
    assert "import" in loud.getvalue()
