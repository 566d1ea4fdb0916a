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
    files = [a for a in argv if a.endswith((".json", ".jsonl", ".bin"))]
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
        # duplicate keys: a known field and an unknown one, both with the marker
        write(
            "duplicates.jsonl",
            json.dumps(personal, ensure_ascii=False)[:-1]
            + f', "sex": "{MARKER}", "{MARKER}": 1, "{MARKER}": "{MARKER}"}}\n',
        ),
        # a broken first line, then records located by line
        write("lines-broken-first.json", f'{{"given": "{MARKER}",\n' + json.dumps(marked) + "\n"),
        # far more findings than are reported
        write("many.jsonl", json.dumps({"names": [{"given": MARKER, "x": MARKER}] * 500}) + "\n"),
        write("huge.json", json.dumps({"names": [MARKER] * 20_000}, ensure_ascii=False)),
        # array items, broken and not
        write("items.json", "[" + json.dumps(marked) + f', {{"a": "{MARKER}" oops}}, "{MARKER}"'),
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


def test_marker_in_another_encoding_stays_out(tmp_path: Path) -> None:
    marker = "Мркрзщ"  # Cyrillic only: Windows-1251 can hold it
    data = json.loads((Path(__file__).parent / "data" / "child.json").read_text("utf-8"))
    data["names"] = [{"given": marker, "family": marker + "ян", "script": "cyrl"}]
    path = tmp_path / "cp1251.bin"
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("cp1251"))
    for fmt in ("text", "json"):
        status, out, err = _run(["--format", fmt, str(path)])
        assert status == 2 and "input.encoding" in out
        assert marker not in out + err
        assert marker.encode("cp1251").decode("latin-1") not in out + err


@SLOW
@given(st.lists(st.sampled_from(["sex", "given", "Zq9 key", "names"]), min_size=2, max_size=6))
def test_marker_in_duplicate_keys_stays_out(keys: list[str]) -> None:
    pairs = ", ".join(f'"{key}": "{MARKER}"' for key in keys + keys[:1])
    for text in ("{" + pairs + "}", '{"names": [{' + pairs + "}]}"):
        report = casestd.validate("child", text)
        assert "json.duplicate_key" in [f.rule for f in report.findings]
        assert_clean(*everything_said(report))


def test_marker_in_truncated_reports_stays_out() -> None:
    for count in (150, 20_000):
        data = {"names": [{"given": MARKER, MARKER: MARKER}] * count, MARKER: [MARKER] * count}
        for form in (data, json.dumps(data, ensure_ascii=False)):
            report = casestd.validate("child", form, max_findings=10)
            assert report.findings[-1].rule == "report.truncated"
            assert_clean(*everything_said(report))


def _mutated(text: str, cuts: list[tuple[int, int, str]]) -> str:
    for start, length, insert in cuts:
        position = start % (len(text) + 1)
        text = text[:position] + insert + text[position + length :]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 40),
            st.sampled_from(["", ",", "{", "}", "[", "]", '"', "\n", '"sex": 1, "sex": 2, ']),
        ),
        max_size=4,
    ),
    st.sampled_from(["one.json", "array.json", "lines.jsonl", "lines.json"]),
)
def test_mutated_files_never_raise_and_never_leak(
    cuts: list[tuple[int, int, str]], name: str
) -> None:
    import tempfile

    good = json.loads((Path(__file__).parent / "data" / "child.json").read_text("utf-8"))
    marked = plant_everywhere(good)
    one = json.dumps(marked, ensure_ascii=False, indent=2 if name == "one.json" else None)
    if name == "array.json":
        one = json.dumps([marked, marked, good], ensure_ascii=False, indent=1)
    elif name.startswith("lines"):
        one = "\n".join([one, json.dumps(good, ensure_ascii=False), one]) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(_mutated(one, cuts), "utf-8")
        for fmt in ("text", "json"):
            status, out, err = _run(["--format", fmt, str(path)])
            assert status in (0, 1, 2)
            assert_clean(out, err)
            if fmt == "json":
                for result in json.loads(out)["results"]:
                    assert result["location"]["file"] == str(path)
                    assert str(result["source"]).startswith(str(path))
