"""``casestd indicators``: every format, exit statuses, and no personal value in any output."""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

from casestd.cli import main
from casestd.indicators import dhis2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from indicator_data import MARKER, write_files
from test_indicators_dhis2 import DATA_VALUE_SET


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_files(tmp_path_factory.mktemp("casework"))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "dhis2", "dhis2-csv", "sdmx-csv", "html"])
def test_every_format_and_no_personal_value(
    fmt: str, files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(
        ["indicators", "compute", *files, "--period", "2025", "--format", fmt], capsys
    )
    assert status == 1  # one record is invalid
    assert MARKER not in out and MARKER not in err
    assert out.strip()


def test_xlsx_needs_out_and_holds_no_personal_value(
    files: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["indicators", "compute", *files, "--period", "2025", "--format", "xlsx"]
    status, _, err = _run(args, capsys)
    assert status == 2 and "--out" in err
    target = tmp_path / "nap.xlsx"
    status, _, err = _run([*args, "--out", str(target)], capsys)
    assert status == 1 and MARKER not in err
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            assert MARKER.encode() not in archive.read(name)


def test_two_processes_give_what_one_gives(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["indicators", "compute", *files, "--period", "2025", "--format", "json"]
    one, out_one, err_one = _run([*args, "--jobs", "1"], capsys)
    two, out_two, err_two = _run([*args, "--jobs", "2", "--trend", "4"], capsys)
    _, out_trend, _ = _run([*args, "--jobs", "1", "--trend", "4"], capsys)
    assert one == two == 1 and err_one == err_two
    assert json.loads(out_two) == json.loads(out_trend)
    assert json.loads(out_one)["indicators"] != json.loads(out_two)["indicators"]  # the trend


def test_json_carries_the_working_and_the_invalid_records(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(
        ["indicators", "compute", *files, "--period", "2025", "--format", "json"], capsys
    )
    document = json.loads(out)
    assert document["invalid"]["records"] == 1
    assert document["disclosure"]["threshold"] == 11
    figures = [f for i in document["indicators"] for f in i["figures"]]
    assert {"numerator", "denominator", "excluded", "status"} <= set(figures[0])
    published = [f for f in figures if f["status"] == "ok" and f["numerator"] is not None]
    assert published and all(not 0 < f["numerator"] < 11 for f in published)


def test_dhis2_json_has_the_dataValueSets_shape(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(
        ["indicators", "compute", *files, "--period", "2025Q3", "--format", "dhis2"], capsys
    )
    document = json.loads(out)
    jsonschema.Draft202012Validator(DATA_VALUE_SET).validate(document)
    assert document["period"] == "2025Q3"
    for value in document["dataValues"]:
        if value.get("comment"):
            assert value["value"] == ""
            assert (
                value["comment"] == "c: suppressed: fewer than 11, or hidden to protect such a cell"
            )


def test_dhis2_csv_header_and_month_period(
    files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(
        [
            "indicators",
            "compute",
            *files,
            "--period",
            "2025-03",
            "--format",
            "dhis2-csv",
            "--indicator",
            "victims_identified",
        ],
        capsys,
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == dhis2.CSV_HEADER
    assert {row[1] for row in rows[1:]} == {"202503"}


def test_no_disclosure_control_warns(files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, err = _run(
        [
            "indicators",
            "compute",
            *files,
            "--period",
            "2025",
            "--format",
            "json",
            "--no-disclosure-control",
        ],
        capsys,
    )
    assert "disclosure control is off" in err
    assert json.loads(out)["disclosure"]["threshold"] is None


@pytest.mark.parametrize(
    "args",
    [
        ["--period", "2025Q5"],
        ["--period", "2025", "--by", "shoe_size"],
        ["--period", "2025", "--param", "nonsense=3"],
        ["--period", "2025", "--threshold", "1"],
        ["--period", "2023-01..2025-12", "--format", "dhis2"],
        ["--period", "2025", "--jobs", "0"],
    ],
)
def test_usage_errors_exit_2(
    args: list[str], files: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(["indicators", "compute", *files, *args], capsys)
    assert status == 2 and "casestd: error:" in err


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trafficking_victim.json"
    path.write_text("{not json", encoding="utf-8")
    status, _, _ = _run(["indicators", "compute", str(path), "--period", "2025"], capsys)
    assert status == 2


def test_list_formats(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("table", "json", "dhis2-metadata", "dhis2-mapping", "sdmx-structure"):
        status, out, _ = _run(["indicators", "list", "--format", fmt, "--lang", "hy"], capsys)
        assert status == 0 and out
    _, out, _ = _run(["indicators", "list", "--format", "json"], capsys)
    assert len(json.loads(out)["indicators"]) >= 20


def test_the_quarterly_report_on_sample_data_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(
        ["indicators", "sample", str(tmp_path / "data"), "--victims", "300", "--seed", "4"], capsys
    )
    paths = out.split()
    assert status == 0 and {Path(p).name for p in paths} == {
        "organisation.jsonl",
        "trafficking_victim.jsonl",
        "case.jsonl",
        "referral.jsonl",
        "service.jsonl",
    }
    for fmt in ("table", "json", "csv", "xlsx", "dhis2", "dhis2-csv", "sdmx-csv", "html"):
        target = tmp_path / f"nap-2025Q3.{fmt}"
        args = ["indicators", "compute", *paths, "--period", "2025Q3", "--format", fmt]
        status, _, err = _run([*args, "--out", str(target), "--jobs", "1"], capsys)
        assert status == 0, (fmt, err)  # every generated record is valid
        assert target.stat().st_size > 1000, fmt
    document = json.loads((tmp_path / "nap-2025Q3.json").read_text("utf-8"))
    assert document["reading"]["records"]["trafficking_victim"] >= 300


def test_sample_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(["indicators", "sample", str(tmp_path), "--victims", "0"], capsys)
    assert status == 2 and "--victims" in err
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    status, _, err = _run(["indicators", "sample", str(blocker / "data")], capsys)
    assert status == 2 and "casestd: error:" in err
