"""The ``casestd validate`` command: formats, exit status, streaming, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casestd import cli
from casestd.io import jsontext

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
    assert [r["source"] for r in document["results"]] == [f"{path}:1", f"{path}:2"]
    assert document["results"][0] == {
        "source": f"{path}:1",
        "location": {"file": path, "line": 1},
        "ok": True,
        "findings": [],
    }
    (finding,) = document["results"][1]["findings"]
    assert set(finding) == {"rule", "severity", "path", "message"}


def test_json_format_with_no_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", str(empty))
    assert status == 0
    document = json.loads(out)
    assert (document["records"], document["invalid"], document["ok"]) == (0, 0, True)
    (result,) = document["results"]
    assert result["location"] == {"file": str(empty)} and result["ok"] is True
    assert [(f["rule"], f["severity"]) for f in result["findings"]] == [
        ("input.no_records", "warning")
    ]


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
    assert status == 2 and err == ""
    assert "nope.json: unreadable\n" in out and "[input.missing]" in out
    assert "1 records: 1 valid, 0 invalid, 0 warnings, 1 unreadable input\n" in out


@pytest.mark.parametrize(
    ("content", "rule", "message"),
    [
        (b'{"id": "x",\n "sex": }', "json.invalid", "(line 2, column 9)"),
        (b"\xff\xfe\x00{", "input.encoding", "not UTF-8"),
        (b'"just a string"', "input.not_object", "must be a JSON object"),
        (b'{"a": ' * 100_000, "json.too_deep", "nested too deeply"),
        (b"[" * 100_000, "json.invalid", "not valid JSON"),
        (b"", "input.empty", "empty"),
        (b"\xef\xbb\xbf \n\n", "input.empty", "empty"),
    ],
)
def test_unreadable_document_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, rule: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    status, out, err = run(capsys, "validate", "--entity", "child", "--format", "json", str(path))
    assert status == 2 and err == ""
    (result,) = json.loads(out)["results"]
    assert [f["rule"] for f in result["findings"]] == [rule]
    assert message in result["findings"][0]["message"]


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
    assert [r["location"]["line"] for r in document["results"]] == [1, 2, 3, 5, 6]


def test_array_with_non_objects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "array.json", CHILD, "text", None)
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", path)
    assert status == 2
    assert [r["ok"] for r in json.loads(out)["results"]] == [True, False, False]


def test_oversized_line_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsontext, "MAX_RECORD_BYTES", 4096)
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
    assert status == 2 and "--entity" in err and "'stuff' is not an entity" in err


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
    assert "-:2: invalid" in done.stdout
    assert done.stderr == ""


# -- issue 9: hostile and messy files -------------------------------------------


def results_of(out: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = json.loads(out)["results"]
    return results


def test_a_broken_first_line_does_not_reject_the_file() -> None:
    good = json.dumps(CHILD)
    done = subprocess.run(
        [sys.executable, "-m", "casestd", "validate", "--entity", "child", "--format", "json", "-"],
        input='{"a":\n' + "\n".join([good] * 500) + "\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    found = results_of(done.stdout)
    assert done.returncode == 2 and len(found) == 501
    assert found[0]["source"] == "-:1" and found[0]["findings"][0]["rule"] == "json.invalid"
    assert all(r["ok"] for r in found[1:]) and found[-1]["location"] == {"file": "-", "line": 501}


def test_a_bad_record_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "records.jsonl"
    good = json.dumps(CHILD, ensure_ascii=False)
    lines = [good, "", good, "", "", good] + [""] * 7 + [json.dumps(invalid_child())]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    status, out, _ = run(capsys, "validate", "--entity", "child", str(path))
    assert status == 1 and f"{path}:14: invalid" in out


def test_duplicate_keys_in_a_file_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(CHILD).replace('"sex": "female"', '"sex": "ZZZ", "sex": "female"')
    path = tmp_path / "dup.jsonl"
    path.write_text(text + "\n" + json.dumps(CHILD) + "\n")
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", str(path))
    found = results_of(out)
    assert status == 1
    assert [[f["rule"] for f in r["findings"]] for r in found] == [["json.duplicate_key"], []]


def test_findings_are_bounded_in_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"names": [' + ",".join(["0"] * 100_000) + "]}\n")
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", str(path))
    (result,) = results_of(out)
    assert status == 1 and len(result["findings"]) <= 101
    assert result["findings"][-1]["rule"] == "report.truncated"
    argv = ["validate", "--entity", "child", "--format", "json", "--max-findings", "3", str(path)]
    status, out, _ = run(capsys, *argv)
    assert [f["rule"] for f in results_of(out)[0]["findings"]][-1] == "report.truncated"
    assert len(results_of(out)[0]["findings"]) == 4


def test_a_file_in_windows_1251_is_input_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(json.dumps(CHILD))
    data["names"] = [{"given": "Анна", "family": "Оганесян", "script": "cyrl"}]
    data["address"]["street"] = "улица Абовяна, дом двенадцать, квартира пять"
    path = tmp_path / "one.json"
    path.write_bytes(json.dumps(data, ensure_ascii=False, indent=2).encode("cp1251"))
    status, out, _ = run(capsys, "validate", "--entity", "child", str(path))
    assert status == 2 and "[input.encoding]" in out and "Windows-1251" in out
    assert "Анна" not in out


def test_an_array_of_records_is_streamed_with_the_same_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "many.json", CHILD, invalid_child(), CHILD)
    status, out, _ = run(capsys, "validate", "--entity", "child", "--format", "json", path)
    found = results_of(out)
    assert status == 1 and [r["source"] for r in found] == [f"{path}#{i}" for i in range(3)]
    assert found[1]["location"]["index"] == 1 and found[1]["location"]["line"] > 1
    assert [f["rule"] for f in found[1]["findings"]] == ["field.code"]


def test_version_names_the_standard_too(capsys: pytest.CaptureFixture[str]) -> None:
    import casestd

    with pytest.raises(SystemExit):
        cli.main(["--version"])
    out = capsys.readouterr().out
    assert casestd.__version__ in out and f"standard {casestd.STANDARD_VERSION}" in out


def test_every_option_has_help() -> None:
    import argparse

    parser = cli._parser()
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                parsers.append(sub)
                for inner in sub._actions:
                    if isinstance(inner, argparse._SubParsersAction):
                        parsers.extend(inner.choices.values())
    missing = [
        f"{p.prog} {a.dest}"
        for p in parsers
        for a in p._actions
        if not isinstance(a, argparse._SubParsersAction) and not a.help
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("where", "says"),
    [("-", "to read standard input"), ("records/x.jsonl", "no such file")],
)
def test_without_entity_the_error_says_what_to_pass(
    capsys: pytest.CaptureFixture[str], where: str, says: str
) -> None:
    status, _, err = run(capsys, "validate", where)
    assert status == 2 and "--entity" in err and says in err
    assert "folder name does not name" not in err
