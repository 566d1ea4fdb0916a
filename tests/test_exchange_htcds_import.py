"""casestd.exchange.htcds_import and `casestd import htcds`: HTCDS's real templates as filled."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestd.cli import main
from casestd.exchange.htcds_import import read

FIXTURES = Path(__file__).resolve().parent / "data" / "htcds"
MARKER = "Zzmarkerqx"
AGENCY = "ngo-hope-and-help"


def _results(*names: str) -> list[Any]:
    return read([FIXTURES / name for name in names], agency=AGENCY)


def _victims(results: list[Any]) -> list[Any]:
    return [r for r in results if r.entity == "trafficking_victim"]


def test_the_single_select_template_as_a_caseworker_fills_it() -> None:
    results = _results("single-select-filled.xlsx")
    header = next(r for r in results if r.entity is None)
    conflicts = [f for f in header.findings if f.finding.rule == "htcds.header_conflict"]
    # the template's hidden names and its labels disagree on the mailing address columns
    assert {f.location for f in conflicts} == {
        "'Case Sheet'!N1",
        "'Case Sheet'!O1",
        "'Case Sheet'!Q1",
        "'Case Sheet'!R1",
    }
    first, second, third = _victims(results)
    assert first.ok and first.record is not None
    victim = first.record
    assert victim.person.birth_date.value == "2006-04-03"  # an Excel date
    assert victim.person.gender == "feminine" and victim.person.sex == "unknown"
    assert victim.person.citizenships == ["AM"]  # a country name
    assert victim.person.contacts[0].value == "+37491234567"  # as written in Armenia
    assert victim.person.names[0].script == "latn"
    assert victim.address.community == "Gyumri" and victim.address.region == "AM-SH"
    assert victim.recruitment_methods == [
        "through_friends_or_social_events",
        "through_online_social_networks",
    ]
    assert victim.control_methods == ["debt_bondage", "withholds_documents"]
    # an ISIC label with a ';' of its own, then another label
    assert victim.forced_labour_industries == ["water_supply_waste", "construction"]
    events = {(e.type, e.country): e for e in victim.trafficking_events}
    assert events[("exploitation", "RU")].location.place == "Moscow"
    assert ("recruitment", "AM") in events
    skipped = {f.column for f in first.findings if f.finding.rule == "htcds.not_imported"}
    assert skipped == {"Case Owner", "Status", "Reason for Incoming Referral"}
    # a value outside the list: located by cell and column, never quoted
    assert not second.ok
    (problem,) = [f for f in second.findings if f.finding.severity == "error"]
    assert (problem.location, problem.column, problem.finding.path) == (
        "'Case Sheet'!H4",
        "Gender",
        "/person/gender",
    )
    assert "Feminin" not in json.dumps(second.to_dict(), ensure_ascii=False)
    assert third.record.person.names[0].script == "armn"
    assert third.record.deciding_body == "police"
    assert third.record.person.contacts[0].use == "home"


def test_the_multi_select_workbook_and_the_csv_excel_saves() -> None:
    (macro, victim) = _results("multi-select-filled.xlsm")
    assert "workbook.macros_ignored" in {f.finding.rule for f in macro.findings}
    assert victim.ok and victim.record.person.names[0].given == MARKER
    (_, saved) = _results("plain-saved-as.csv")
    assert saved.ok
    assert saved.record.person.birth_date.value == "1990-11-30"  # DD.MM.YYYY text
    assert saved.record.exploitation_types == ["forced_labour", "forced_begging"]
    assert saved.record.deciding_body == "police"  # under vic_TraffickinStatus... (sic)


def test_an_xlsform_export_by_field_names(tmp_path: Path) -> None:
    path = tmp_path / "kobo.csv"
    path.write_text(
        "start,group/prs_First_Name,prs_Second_Name,vic_TraffickingStatus,"
        "vic_Methods_of_Control,_uuid\n"
        "2025-01-01,Ani,Petrosyan,PossibleVictimOfTrafficking,DebtBondage TakesEarnings,x\n",
        "utf-8",
    )
    header, victim = read([path], agency=AGENCY)
    record: Any = victim.record
    assert {f.finding.rule for f in header.findings} == {"workbook.column_unmapped"}
    assert victim.ok
    assert record.person.names[0].given == "Ani"
    assert record.control_methods == ["debt_bondage", "takes_earnings"]


def test_import_cli_writes_valid_records_and_never_prints_a_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(FIXTURES / n) for n in ("single-select-filled.xlsx", "multi-select-filled.xlsm")]
    out = tmp_path / "records"
    args = ["import", "htcds", *files, "--agency", AGENCY, "--out", str(out)]
    status = main([*args, "--format", "json"])
    printed = capsys.readouterr()
    assert status == 1  # one row is invalid
    document = json.loads(printed.out)
    assert (document["records"], document["invalid"]) == (4, 1)
    assert MARKER not in printed.out + printed.err
    assert "Petrosyan" not in printed.out
    lines = (out / "trafficking_victim.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 3
    assert main(args) == 1
    text = capsys.readouterr().out
    assert "'Case Sheet'!H4 (Gender)" in text and MARKER not in text


@pytest.mark.parametrize(
    ("content", "rule"),
    [(b"not a workbook", "input.not_workbook"), (b"PK\x03\x04broken", "input.corrupt")],
)
def test_unreadable_files_exit_2(
    tmp_path: Path, content: bytes, rule: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(content)
    assert main(["import", "htcds", str(path), "--agency", AGENCY, "--format", "json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["results"][0]["findings"][0]["rule"] == rule


def test_a_missing_file_and_a_bad_agency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "htcds", str(tmp_path / "none.csv"), "--agency", AGENCY]) == 2
    assert main(["import", "htcds", str(FIXTURES / "plain-saved-as.csv"), "--agency", "a b"]) == 2
    capsys.readouterr()


#: planted at the start of some fuzzed cells; no finding may quote it
FUZZ_MARK = "QZX\u0531MARK"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(
        st.sampled_from(
            [
                "prs_FirstName",
                "prs_Birthdate",
                "vic_MethodsOfControl",
                "hte_Country",
                "casestd_victim_id",
                "Gender",
                "x",
            ]
        ),
        min_size=1,
        max_size=6,
    ),
    cells=st.lists(
        st.lists(st.text(max_size=30) | st.text(max_size=20).map(FUZZ_MARK.__add__), max_size=8),
        max_size=5,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16"]),
)
def test_any_csv_gives_results_never_a_traceback(
    header: list[str],
    cells: list[list[str]],
    encoding: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "cases.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(cells)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    results = read([path], agency=AGENCY)
    assert results  # a record, or a finding of the file (no table, no records, ...)
    assert all(r.record is not None or r.findings for r in results)  # nothing unexplained
    for result in results:  # a cell's value is never quoted in a finding
        findings = json.dumps([f.to_dict() for f in result.findings], ensure_ascii=False)
        assert FUZZ_MARK not in findings


def test_a_table_without_data_rows_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("prs_FirstName,prs_Birthdate\n,\n", encoding="utf-8")
    results = read([path], agency=AGENCY)
    assert [f.finding.rule for r in results for f in r.findings] == ["workbook.no_rows"]
    assert all(r.record is None for r in results)


def test_an_empty_and_a_binary_csv_are_findings(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    for path in (empty, binary):
        results = read([path], agency=AGENCY)
        assert results and all(r.record is None for r in results)
        assert all(r.findings for r in results)
