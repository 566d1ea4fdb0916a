"""Personal data never leaves through findings, reprs, exceptions, logs or the CLI.

Each test plants a marker value in the records and searches every output for it.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import casestd
from casestd import cli
from casestd.model.types import is_personal
from casestd.testing import payloads

MARKER = "Zq9Մրկր-Мркр"
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


def plant_everywhere(value: Any) -> Any:
    """Every string leaf, and every string in a list, becomes the marker."""
    if isinstance(value, dict):
        return {key: plant_everywhere(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plant_everywhere(item) for item in value]
    if isinstance(value, str):
        return MARKER
    return value


def personal_paths(model: type[BaseModel], data: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """(container, key) of every personal-data field present in a payload."""
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        if is_personal(info):
            yield data, name
            continue
        inner = _model_of(info.annotation)
        if inner is None:
            continue
        items = data[name] if isinstance(data[name], list) else [data[name]]
        for item in items:
            if isinstance(item, dict):
                yield from personal_paths(inner, item)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def plant_in_personal_fields(entity: str, data: dict[str, Any]) -> int:
    """Put the marker into every personal string field; returns how many."""
    count = 0
    for container, key in personal_paths(casestd.ENTITIES[entity], data):
        value = container[key]
        if isinstance(value, str) and key != "value":  # "value" has a checked format
            container[key] = MARKER
            count += 1
        elif isinstance(value, list):
            container[key] = [MARKER for _ in value]
            count += len(value)
    return count


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        assert MARKER not in output
        assert "Zq9" not in output


def everything_said(report: casestd.Report) -> list[str]:
    texts = [repr(report), str(report), json.dumps(report.to_dict(), ensure_ascii=False)]
    for finding in report.findings:
        texts += [repr(finding), str(finding), finding.message, finding.path]
    if report.record is not None:
        texts += [repr(report.record), str(report.record)]
    return texts


@pytest.mark.parametrize("entity", sorted(casestd.ENTITIES))
@pytest.mark.parametrize("lang", ["en", "hy", "ru"])
def test_marker_in_every_string_stays_out_of_reports(entity: str, lang: str) -> None:
    @SLOW
    @given(payloads(entity))
    def check(payload: dict[str, Any]) -> None:
        planted = plant_everywhere(payload)
        for data in (planted, json.dumps(planted, ensure_ascii=False)):
            report = casestd.validate(entity, data, lang=lang)
            assert not report.ok
            assert_clean(*everything_said(report))

    check()


@pytest.mark.parametrize("entity", ["child", "family", "trafficking_victim", "case"])
def test_marker_in_personal_fields_stays_out_of_rule_findings_and_reprs(entity: str) -> None:
    @SLOW
    @given(payloads(entity))
    def check(payload: dict[str, Any]) -> None:
        plant_in_personal_fields(entity, payload)
        payload["meta"]["created"] = "2999-01-01T00:00:00+04:00"  # a rule finding too
        report = casestd.validate(entity, payload)
        assert report.record is not None, report.findings
        assert "record.created_in_future" in [f.rule for f in report.findings]
        assert_clean(*everything_said(report))

    check()


def test_names_are_planted_where_expected() -> None:
    data = json.loads((Path(__file__).parent / "data" / "child.json").read_text("utf-8"))
    assert plant_in_personal_fields("child", data) >= 5
    assert data["names"][0]["given"] == MARKER
    assert data["address"]["street"] == MARKER


def test_marker_as_unknown_key_stays_out() -> None:
    report = casestd.validate("child", {MARKER: 1, "names": [{MARKER: "x", "script": "armn"}]})
    assert_clean(*everything_said(report))


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=200)
def test_any_text_in_a_name_never_leaks_or_raises(text: str) -> None:
    data = json.loads((Path(__file__).parent / "data" / "child.json").read_text("utf-8"))
    data["names"][0]["given"] = MARKER + text
    data["registration_date"] = "2000-01-01"  # child born after registration: a rule finding
    report = casestd.validate("child", data)
    assert_clean(*everything_said(report))


def test_no_log_record_carries_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    data = plant_everywhere(json.loads((Path(__file__).parent / "data" / "child.json").read_text()))
    with caplog.at_level(logging.DEBUG):
        casestd.validate("child", data)
        casestd.validate("child", json.dumps(data))
    assert_clean(caplog.text)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else "text"
    files = [a for a in argv if a.endswith((".json", ".jsonl"))]
    status = cli.validate_files(files, "child", fmt, "en", out, err)
    return status, out.getvalue(), err.getvalue()


def _files(tmp_path: Path) -> list[Callable[[], Path]]:
    good = json.loads((Path(__file__).parent / "data" / "child.json").read_text("utf-8"))
    marked = plant_everywhere(good)
    personal = json.loads(json.dumps(good))
    plant_in_personal_fields("child", personal)
    personal["registration_date"] = "2000-01-01"

    def write(name: str, text: str) -> Callable[[], Path]:
        def make() -> Path:
            path = tmp_path / name
            path.write_text(text, "utf-8")
            return path

        return make

    return [
        write("one.json", json.dumps(marked, ensure_ascii=False, indent=2)),
        write("array.json", json.dumps([marked, personal, MARKER, [MARKER]], ensure_ascii=False)),
        write(
            "lines.jsonl",
            "\n".join(json.dumps(r, ensure_ascii=False) for r in (marked, personal))
            + '\n{"given": "'
            + MARKER
            + '"\n"'
            + MARKER
            + '"\n',
        ),
        write("broken.json", '{"names": [{"given": "' + MARKER + '"}, '),
        write("deep.json", "[" * 50_000 + '"' + MARKER + '"' + "]" * 50_000),
    ]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_output_never_carries_personal_data(tmp_path: Path, fmt: str) -> None:
    for make in _files(tmp_path):
        path = make()
        status, out, err = _run(["--format", fmt, str(path)])
        assert status in (1, 2)
        assert_clean(out, err)


def test_cli_main_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(make()) for make in _files(tmp_path)]
    for lang in ("en", "hy", "ru"):
        status = cli.main(["validate", "--entity", "child", "--lang", lang, *paths])
        captured = capsys.readouterr()
        assert status == 2
        assert_clean(captured.out, captured.err)
