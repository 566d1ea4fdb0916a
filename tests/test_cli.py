"""The ``casestd validate`` command: formats, exit status, streaming, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casestd import cli
from casestd.io import records

CHILD: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "child.json").read_text())


def invalid_child() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(CHILD))
    data["sex"] = "Female"
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write(path: Path, *items: Any, lines: bool = False) -> str:
    if lines:
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    elif len(items) == 1:
        path.write_text(json.dumps(items[0], ensure_ascii=False, indent=2), "utf-8")
    else:
        path.write_text(json.dumps(list(items), ensure_ascii=False, indent=2), "utf-8")
    return str(path)


def test_all_valid_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "one.json", CHILD)
    status, out, err = run(capsys, "validate", "--entity", "child", path)
    assert status == 0 and err == ""
    assert out.strip() == "1 records: 1 valid, 0 invalid, 0 warnings"


def test_some_invalid_exits_1_and_names_field_and_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "many.json", CHILD, invalid_child(), CHILD)
    status, out, _ = run(capsys, "validate", "--entity", "child", path)
    assert status == 1
    assert f"{path}#1: invalid" in out
    assert "/sex" in out and "[field.code]" in out
    assert out.strip().endswith("3 records: 2 valid, 1 invalid, 0 warnings")


def test_json_format_is_one_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "many.jsonl", CHILD, invalid_child(), lines=True)
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", path)
    document = json.loads(out)
    assert status == 1
    assert document["ok"] is False and document["records"] == 2 and document["invalid"] == 1
    assert [r["source"] for r in document["results"]] == [f"{path}#0", f"{path}#1"]
    assert document["results"][0] == {"source": f"{path}#0", "ok": True, "findings": []}
    (finding,) = document["results"][1]["findings"]
    assert set(finding) == {"rule", "severity", "path", "message"}


def test_json_format_with_no_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", str(empty))
    assert status == 0
    assert json.loads(out) == {"results": [], "records": 0, "invalid": 0, "ok": True}


def test_messages_in_armenian_and_russian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "bad.json", invalid_child())
    _, hy, _ = run(capsys, "validate", "--entity", "child", "--lang", "hy", path)
    _, ru, _ = run(capsys, "validate", "--entity", "child", "--lang", "ru", path)
    assert any("\u0531" <= ch <= "\u058f" for ch in hy)
    assert any("\u0400" <= ch <= "\u04ff" for ch in ru)


def test_missing_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "good.json", CHILD)
    status, out, err = run(
        capsys, "validate", "--entity", "child", str(tmp_path / "nope.json"), good
    )
    assert status == 2
    assert err.count("\n") == 1 and "nope.json: no such file" in err
    assert "1 records: 1 valid" in out  # the readable file was still validated


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"id": "x",\n "sex": }', "not valid JSON (line 2"),
        (b"\xff\xfe\x00{", "not valid"),
        (b'"just a string"', "neither an object nor an array"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_document_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    status, _, err = run(capsys, "validate", "--entity", "child", str(path))
    assert status == 2
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_bad_lines_are_findings_and_the_rest_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps(CHILD, ensure_ascii=False)
    path.write_text("\n".join([good, '{"broken": ', "[1, 2]", "", good, "42"]) + "\n", "utf-8")
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", str(path))
    document = json.loads(out)
    assert status == 2
    assert [r["ok"] for r in document["results"]] == [True, False, False, True, False]
    rules = [[f["rule"] for f in r["findings"]] for r in document["results"]]
    assert rules == [[], ["json.invalid"], ["input.not_object"], [], ["input.not_object"]]


def test_array_with_non_objects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "array.json", CHILD, "text", None)
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", path)
    assert status == 2
    assert [r["ok"] for r in json.loads(out)["results"]] == [True, False, False]


def test_oversized_line_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 4096)
    path = tmp_path / "big.jsonl"
    good = json.dumps(CHILD, ensure_ascii=False)
    huge = json.dumps({"names": [{"given": "x" * 20_000}]})
    path.write_text("\n".join([good, huge, good]) + "\n", "utf-8")
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", str(path))
    rules = [[f["rule"] for f in r["findings"]] for r in json.loads(out)["results"]]
    assert status == 2
    assert rules == [[], ["input.too_large"], []]


def test_byte_order_mark_and_leading_blank_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.jsonl"
    line = json.dumps(CHILD, ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf\n\n" + (line + "\n" + line).encode())
    status, out, _ = run(capsys, "validate", "--entity", "child", str(path))
    assert status == 0 and "2 records: 2 valid" in out


def test_entity_from_folder_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "child"
    folder.mkdir()
    path = write(folder / "x.json", CHILD)
    assert run(capsys, "validate", path)[0] == 0
    other = tmp_path / "stuff"
    other.mkdir()
    status, _, err = run(capsys, "validate", write(other / "x.json", CHILD))
    assert status == 2 and "--entity" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["validate"],
        ["validate", "--entity", "person", "x.json"],
        ["validate", "--format", "xml", "x.json"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_module_runs_and_reads_stdin() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casestd", "validate", "--entity", "child", "-"],
        input=json.dumps(CHILD) + "\n" + json.dumps(invalid_child()) + "\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "-#1: invalid" in done.stdout
    assert done.stderr == ""
