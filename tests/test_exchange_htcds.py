"""casestd.exchange.htcds (export) and htcds_import: HTCDS's real templates, the round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from casestd import codes
from casestd.cli import main
from casestd.exchange import htcds
from casestd.exchange.htcds_import import iter_read, read, split_values
from casestd.model import ENTITIES
from casestd.testing import payloads

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


def test_split_values_keeps_what_it_cannot_read() -> None:
    assert split_values("control_method", "Debt bondage ; Nonsense") == ["debt_bondage", "Nonsense"]


# -- export ------------------------------------------------------------------


def _typed(entity: str, payload: dict[str, Any]) -> Any:
    return ENTITIES[entity].model_validate(payload)


def test_export_xlsx_is_laid_out_as_the_templates(tmp_path: Path) -> None:
    records = [_typed("trafficking_victim", p) for p in _sample_victims()]
    target = tmp_path / "htcds.xlsx"
    written = htcds.export(records, target)
    assert written.rows["cases"] == 2
    book = load_workbook(target)
    sheet = book["Case Sheet"]
    assert sheet.row_dimensions[1].hidden
    names = [c.value for c in sheet[1]]
    labels = [c.value for c in sheet[2]]
    assert names == htcds.table("cases").fields
    assert labels[names.index("prs_MailingCity")] == "Mailing City"
    row = {name: cell.value for name, cell in zip(names, sheet[3], strict=True)}
    assert row["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert row["vic_MethodsOfControl"] == "DebtBondage;Other"  # restricts_movement: no value
    assert row["prs_MobilePhone"] == "+37491234567"
    assert row["prs_FirstName"] == "=HYPERLINK(1)"
    assert sheet.cell(3, names.index("prs_FirstName") + 1).data_type == "s"  # never a formula
    notes = {(n.rule, n.message.split(" ")[1]) for n in written.notes}
    assert ("htcds.no_value", "restricts_movement") in notes


def _sample_victims() -> list[dict[str, Any]]:
    meta = {
        "standard_version": "2.0.0",
        "source_system": "cmis",
        "agency": AGENCY,
        "created": "2025-01-10T10:00:00+04:00",
    }
    return [
        {
            "id": "0b7c1c52-5a3e-4a39-9d43-2f0c0f8c1a11",
            "meta": meta,
            "person": {
                "names": [{"given": "=HYPERLINK(1)", "family": "Petrosyan", "script": "latn"}],
                "sex": "female",
                "contacts": [{"system": "phone", "value": "+37491234567"}],
            },
            "status": "possible",
            "control_methods": ["debt_bondage", "restricts_movement"],
        },
        {
            "id": "1b7c1c52-5a3e-4a39-9d43-2f0c0f8c1a11",
            "meta": meta,
            "person": {"names": [{"given": MARKER, "script": "latn"}], "sex": "male"},
            "status": "possible",
            "trafficking_events": [{"type": "exploitation", "country": "RU"}],
        },
    ]


def test_export_csv_writes_one_file_per_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "trafficking_victim"
    folder.mkdir()
    source = folder / "victims.jsonl"
    source.write_text("\n".join(json.dumps(p) for p in _sample_victims()) + "\n", "utf-8")
    target = tmp_path / "htcds.csv"
    assert main(["export", "htcds", str(source), "--out", str(target), "--format", "json"]) == 0
    printed = capsys.readouterr()
    assert MARKER not in printed.out + printed.err
    summary = json.loads(printed.out)["htcds"]
    assert summary["rows"] == {"cases": 2, "events": 1, "perpetrators": 0, "organisations": 0}
    cases = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert cases[0]["prs_FirstName"] == "'=HYPERLINK(1)"  # CSV: quote-prefixed
    events = list(csv.DictReader(io.StringIO((tmp_path / "htcds.events.csv").read_text("utf-8"))))
    assert events[0]["hte_Country"] == "RU"
    assert events[0]["casestd_victim_id"] == cases[1]["casestd_id"]
    back: list[Any] = [r.record for r in read([target], agency=AGENCY) if r.record is not None]
    assert back[0].person.names[0].given == "=HYPERLINK(1)"  # the prefix is undone


# -- the round trip ----------------------------------------------------------


def _other(list_id: str, values: list[str]) -> list[str]:
    """What HTCDS keeps of a list of codes: each code, or Other for one HTCDS has no value for."""
    kept = []
    for code in values:
        if htcds.value_name(list_id, code) is not None:
            kept.append(code)
        elif any(c.source_codes.get("htcds") == "Other" for c in codes.get(list_id)):
            kept.append("other")
    return list(dict.fromkeys(kept))


def _one(list_id: str, code: str | None) -> str | None:
    kept = _other(list_id, [code]) if code else []
    return kept[0] if kept else None


def _victim_kept(v: dict[str, Any]) -> dict[str, Any]:
    """The fields of a victim an HTCDS round trip keeps, as HTCDS keeps them."""
    person = v["person"]
    name = person["names"][0]
    contacts = person.get("contacts", [])
    home = [c["value"] for c in contacts if c["system"] == "phone" and c.get("use") == "home"]
    mobile = [c["value"] for c in contacts if c["system"] == "phone" and c.get("use") != "home"]
    address = v.get("address") or {}
    events = []
    for e in v.get("trafficking_events", []):
        location = e.get("location") or {}
        city = location.get("community") or location.get("place")
        events.append(
            (
                e["type"],
                e["country"],
                (e.get("date") or {}).get("value"),
                location.get("region"),
                city,
                e.get("description"),
            )
        )
    identifiers = person.get("identifiers", [])
    methods = v.get("recruitment_methods") or (
        [v["recruitment_method"]] if v.get("recruitment_method") else []
    )
    return {
        "id": v["id"],
        "name": (name.get("given"), name.get("patronymic"), name.get("family"), name["script"]),
        "sex": person["sex"],
        "gender": _one("gender", person.get("gender")),
        "birth": (person.get("birth_date") or {}).get("value"),
        "citizenships": person.get("citizenships", []),
        "languages": person.get("languages", [])[:2],
        "marital": _one("marital_status", person.get("marital_status")),
        "education": person.get("education_level"),
        "identifier": identifiers[0]["value"] if identifiers else None,
        "phones": (home[:1], mobile[:1]),
        "address": tuple(address.get(k) for k in ("street", "community", "region", "postal_code")),
        # Armenia is implied by an address in it (prs_MailingCountry AM)
        "residence": None
        if address and v.get("residence_country") == "AM"
        else v.get("residence_country"),
        "status": v["status"],
        "deciding_body": _one("deciding_body", v.get("deciding_body")),
        "decision_date": v.get("decision_date"),
        "registration_date": v.get("registration_date"),
        "relationship": v.get("trafficker_relationship"),
        "age": v.get("age_when_trafficked"),
        **{
            field: _other(list_id, v.get(field, []))
            for field, list_id in (
                ("control_methods", "control_method"),
                ("exploitation_types", "exploitation_type"),
                ("forced_labour_industries", "isic_section"),
                ("sexual_exploitation_types", "sexual_exploitation_type"),
                ("recruitment_platforms", "online_platform"),
                ("exploitation_platforms", "online_platform"),
                ("vulnerabilities", "vulnerability"),
            )
        },
        "recruitment_methods": _other("recruitment_method", methods),
        "events": events,
    }


def _perpetrator_kept(p: dict[str, Any]) -> dict[str, Any]:
    person = p["person"]
    name = (person.get("names") or [{}])[0]
    identifiers = person.get("identifiers", [])
    return {
        "id": p["id"],
        "victims": p["victim_ids"],
        "roles": _other("perpetrator_role", p.get("roles", [])),
        "details": p.get("role_details"),
        "name": tuple(name.get(k) for k in ("given", "patronymic", "family")),
        "birth": (person.get("birth_date") or {}).get("value"),
        "gender": _one("gender", person.get("gender")),
        "citizenships": person.get("citizenships", []),
        "identifier": identifiers[0]["value"] if identifiers else None,
    }


def _organisation_kept(o: dict[str, Any]) -> dict[str, Any]:
    address = o.get("address") or {}
    phones = [c["value"] for c in o.get("contacts", []) if c["system"] == "phone"]
    return {
        "id": o["id"],
        "agency_id": o["agency_id"],
        "name": o["name"],
        "type": o["type"],
        "phone": phones[:1],
        "address": tuple(address.get(k) for k in ("street", "community", "region", "postal_code")),
        "country": o.get("country") or ("AM" if address else None),
    }


def _dump(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(mode="json", exclude_none=True)
    return data


_KEPT = {
    "trafficking_victim": _victim_kept,
    "perpetrator": _perpetrator_kept,
    "organisation": _organisation_kept,
}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    victims=st.lists(payloads("trafficking_victim"), min_size=1, max_size=3),
    perpetrators=st.lists(payloads("perpetrator"), max_size=2),
    organisations=st.lists(payloads("organisation"), max_size=2),
    suffix=st.sampled_from(["csv", "xlsx"]),
)
def test_round_trip_keeps_every_field_htcds_has(
    victims: list[dict[str, Any]],
    perpetrators: list[dict[str, Any]],
    organisations: list[dict[str, Any]],
    suffix: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    organisations = [o for o in organisations if htcds.value_name("organisation_type", o["type"])]
    seen: set[str] = set()
    originals = []
    for entity, group in (
        ("trafficking_victim", victims),
        ("perpetrator", perpetrators),
        ("organisation", organisations),
    ):
        for payload in group:
            if payload["id"] not in seen:
                seen.add(payload["id"])
                originals.append((entity, _typed(entity, payload)))
    folder = tmp_path_factory.mktemp("round")
    htcds.export([record for _, record in originals], folder / f"htcds.{suffix}")
    files = sorted(str(p) for p in folder.iterdir())
    back: dict[str, Any] = {
        str(getattr(r.record, "id", "")): r
        for r in iter_read(files, agency=AGENCY)
        if r.record is not None
    }
    for entity, record in originals:
        result = back.get(str(record.id))
        assert result is not None, (entity, [r for r in read(files, agency=AGENCY) if not r.ok])
        assert result.entity == entity
        assert _KEPT[entity](_dump(result.record)) == _KEPT[entity](_dump(record))
