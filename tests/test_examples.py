"""The example payloads in examples/ validate as examples/expected.json says."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import casestd
from casestd.report import Report
from casestd.rules.engine import RuleContext

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPECTED_FILE = EXAMPLES / "expected.json"
#: A fixed "now", so that the deadline warnings of the examples are stable.
CONTEXT = RuleContext(now=dt.datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("Asia/Yerevan")))
SUMMARY = re.compile(r"^(\d+) records: (\d+) valid, (\d+) invalid, (\d+) warnings$")


def example_files() -> list[Path]:
    """Every example record file: examples/<entity>/<name>.json."""
    return sorted(EXAMPLES.glob("*/*.json"))


def relative(path: Path) -> str:
    return path.relative_to(EXAMPLES).as_posix()


def expected() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(EXPECTED_FILE.read_text("utf-8"))
    return data


def records(path: Path) -> list[dict[str, Any]]:
    """The records of a file: one object, or each element of an array."""
    data = json.loads(path.read_text("utf-8"))
    items: list[dict[str, Any]] = data if isinstance(data, list) else [data]
    return items


def reports(path: Path) -> list[Report]:
    return [casestd.validate(path.parent.name, item, context=CONTEXT) for item in records(path)]


@pytest.mark.parametrize("path", example_files(), ids=relative)
def test_example_validates_as_expected(path: Path) -> None:
    want = expected()[relative(path)]
    found = reports(path)
    assert found, "an example file holds at least one record"
    assert all(report.ok for report in found) is want["ok"]
    rules = sorted({finding.rule for report in found for finding in report.findings})
    assert rules == want["rules"]


@pytest.mark.parametrize("path", example_files(), ids=relative)
def test_file_name_says_whether_valid(path: Path) -> None:
    want = expected()[relative(path)]
    if path.name.startswith("invalid-"):
        assert want["ok"] is False
        assert want["rules"], "an invalid example names the rules it breaks"
    elif path.name.startswith("warning-"):
        assert want["ok"] is True
        assert want["rules"], "a warning example has at least one warning"
    else:
        assert path.name.startswith("valid-"), "names start with valid-, invalid- or warning-"
        assert want["ok"] is True


@pytest.mark.parametrize("path", example_files(), ids=relative)
def test_example_is_pretty_printed_utf8(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_expected_lists_exactly_the_example_files() -> None:
    assert sorted(expected()) == [relative(path) for path in example_files()]


@pytest.mark.parametrize("entity", sorted(casestd.ENTITIES))
def test_each_entity_has_valid_and_invalid_examples(entity: str) -> None:
    folder = EXAMPLES / entity
    assert len(list(folder.glob("valid-*.json"))) >= 2
    assert len(list(folder.glob("invalid-*.json"))) >= 2


def test_service_batch_is_an_array_of_three() -> None:
    data = json.loads((EXAMPLES / "service" / "valid-batch.json").read_text("utf-8"))
    assert isinstance(data, list)
    assert len(data) == 3


def test_cli_validates_all_examples() -> None:
    files = [path.relative_to(ROOT).as_posix() for path in example_files()]
    result = subprocess.run(
        [sys.executable, "-m", "casestd", "validate", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.rstrip("\n").splitlines()
    match = SUMMARY.match(lines[-1])
    assert match is not None, lines[-1]
    total, valid, invalid = (int(match.group(i)) for i in (1, 2, 3))
    found = [report for path in example_files() for report in reports(path)]
    assert total == len(found)
    assert valid + invalid == total
    # errors do not depend on the time of validation here; warnings (deadlines) do
    assert invalid == sum(not report.ok for report in found)


def test_examples_readme_names_the_warnings_that_depend_on_the_date() -> None:
    later = RuleContext(now=dt.datetime(2036, 1, 15, 12, 0, tzinfo=ZoneInfo("Asia/Yerevan")))
    readme = (EXAMPLES / "README.md").read_text("utf-8")
    for path in example_files():
        at_fixed = {f.rule for r in reports(path) for f in r.findings}
        items = records(path)
        later_rules = {
            f.rule
            for item in items
            for f in casestd.validate(path.parent.name, item, context=later).findings
        }
        for rule in later_rules - at_fixed:
            assert f"`{rule}`" in readme, (relative(path), rule)
        errors = {f.rule for i in items for f in casestd.validate(path.parent.name, i,
                  context=later).findings if f.severity == "error"}  # fmt: skip
        assert errors <= at_fixed, relative(path)
