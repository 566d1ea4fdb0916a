"""casestd.exchange.ctdc and `casestd export ctdc`: the columns, k-anonymity, no personal data."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casestd._victim_details import victims
from casestd.cli import main
from casestd.exchange import ctdc
from casestd.model.trafficking_victim import TraffickingVictim

MARKER = "Zzmarkerqx"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _k(rows: list[list[str]], header: list[str]) -> int:
    """k of the table over every column, as pycanon computes it (required when CI is set)."""
    try:
        import pandas as pd
        from pycanon import anonymity
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("pycanon is not installed (the test extra brings it)")
    frame = pd.DataFrame(rows, columns=header)
    return int(anonymity.k_anonymity(frame, list(header)))


def _victim(**fields: Any) -> TraffickingVictim:
    payload: dict[str, Any] = {
        "id": "7b0c1c52-5a3e-4a39-9d43-2f0c0f8c1a11",
        "meta": {
            "standard_version": "2.0.0",
            "source_system": "test",
            "agency": "ngo-a",
            "created": "2025-03-01T10:00:00+04:00",
        },
        "person": {"names": [{"given": MARKER, "script": "latn"}], "sex": "female"},
        "status": "actual",
    }
    payload.update(fields)
    return TraffickingVictim.model_validate(payload)


def test_the_columns_are_the_27_of_the_2024_codebook_that_casestd_feeds() -> None:
    names = ctdc.columns()
    assert len(names) == len(set(names)) == 27
    assert {"gender", "ageBroad", "citizenship", "CountryOfExploitation"} <= set(names)
    assert sum(len(d.columns) for d in ctdc.dimensions()) == 27
    for entry in ctdc.spec()["columns"]:
        if entry["kind"] == "flag":
            assert ctdc.flag_codes(entry["column"]), entry["column"]


def test_values_of_one_victim() -> None:
    victim = _victim(
        registration_date="2025-03-01",
        person={
            "names": [{"given": MARKER, "script": "latn"}],
            "sex": "female",
            "birth_date": {"value": "2010-06-01"},
            "citizenships": ["AM", "RU"],
        },
        exploitation_types=["sexual_exploitation"],
        sexual_exploitation_types=["prostitution"],
        control_methods=["debt_bondage", "other"],
        recruiter_relationship="acquaintance",
        exploitation_start={"value": "2023-01"},
        exploitation_end={"value": "2024-06-30"},
        trafficking_events=[
            {"type": "recruitment", "country": "AM"},
            {"type": "exploitation", "country": "AE"},
        ],
    )
    found = {name: steps[0] for name, steps in ctdc.ladder(victim).items()}
    assert found["yearOfRegistration"] == 2025
    assert found["gender"] == "Woman"  # no gender: from the sex
    assert found["ageBroad"] == "9--17"
    assert found["citizenship"] == "ARM"
    assert found["CountryOfExploitation"] == "ARE"
    assert found["traffickMonths"] == "13--24 (1-2 yrs)"
    assert found["meansDebtBondageEarnings"] == 1
    assert found["meansThreats"] == 0
    assert (found["isSexualExploit"], found["isForcedLabour"]) == (1, 0)
    assert found["typeOfSexProstitution"] == 1 and found["typeOfSexPornography"] == 0
    assert found["typeOfLabourConstruction"] == ctdc.MISSING  # not forced labour
    assert found["recruiterRelationOther"] == 1 and found["recruiterRelationFriend"] == 0
    steps = ctdc.ladder(victim)
    assert steps["yearOfRegistration"] == (2025, "2024--2025", "2025--2029", -99)
    assert steps["ageBroad"] == ("9--17", "0--17", -99)
    assert steps["typeOfSexProstitution"] == (1, -99, -99)
    assert steps["isSexualExploit"] == (1, 1, -99)


def test_unknown_is_minus_99() -> None:
    victim = _victim(person={"names": [{"given": MARKER, "script": "latn"}], "sex": "unknown"})
    found = {name: steps[0] for name, steps in ctdc.ladder(victim).items()}
    assert set(found.values()) == {ctdc.MISSING}


def test_a_partial_birth_date_across_a_band_edge_is_unknown() -> None:
    victim = _victim(
        registration_date="2025-03-01",
        person={
            "names": [{"given": MARKER, "script": "latn"}],
            "sex": "male",
            "birth_date": {"value": "2007"},  # 17 or 18 on 2025-03-01
        },
    )
    assert ctdc.ladder(victim)["ageBroad"] == (-99, -99, -99)


def _rows(draw: Any) -> list[dict[str, tuple[Any, ...]]]:
    template = ctdc.ladder(_victim())
    rows = []
    for _ in range(draw(st.integers(0, 120))):
        row = dict(template)
        year = draw(st.sampled_from([2022, 2023, 2024, 2025]))
        row["yearOfRegistration"] = (year, f"{year - year % 2}--", "2020--2024", -99)
        row["gender"] = (draw(st.sampled_from(["Woman", "Man", -99])), -99)
        row["isForcedLabour"] = (f := draw(st.sampled_from([0, 1])), f, -99)
        rows.append(row)
    return rows


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from([11, 15]), st.sampled_from([0.0, 0.05, 0.5]))
def test_every_released_row_is_shared_by_k_and_suppression_is_counted(
    data: st.DataObject, k: int, limit: float
) -> None:
    rows = _rows(data.draw)
    result = ctdc.anonymise(rows, k=k, max_suppressed=limit)
    counts = Counter(result.rows)
    assert all(count >= k for count in counts.values())
    assert result.suppressed + len(result.rows) == result.records == len(rows)
    if len(rows) >= k:
        assert result.suppressed <= limit * len(rows)  # the coarsest level always fits


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_no_less_generalised_levels_would_have_done(data: st.DataObject) -> None:
    rows = _rows(data.draw)
    result = ctdc.anonymise(rows, k=11, max_suppressed=0.05)
    dims = [d for d in ctdc.dimensions()]
    chosen = tuple(d.levels.index(result.levels[d.name]) for d in dims)

    def lost(node: tuple[int, ...]) -> float:  # the weighted precision lost, from the data file
        total = sum(d.weight for d in dims)
        return sum(d.weight * d.loss[level] for d, level in zip(dims, node, strict=True)) / total

    def suppressed(node: tuple[int, ...]) -> int:
        keys = Counter(
            tuple(row[c][level] for d, level in zip(dims, node, strict=True) for c in d.columns)
            for row in rows
        )
        return sum(n for n in keys.values() if n < 11)

    assert suppressed(chosen) == result.suppressed
    if len(rows) >= 11:
        assert result.suppressed <= 0.05 * len(rows)
        # every node that loses less precision suppresses too many (checked on a sample)
        for node in data.draw(st.lists(st.tuples(*(st.integers(0, d.height) for d in dims)))):
            if lost(node) < lost(chosen) - 1e-9:
                assert suppressed(node) > 0.05 * len(rows), node


def test_generalisation_is_preferred_to_suppression_and_undone_when_not_needed() -> None:
    rows = []
    for number in range(40):
        row = dict(ctdc.ladder(_victim()))
        year = 2020 + number % 4  # 10 a year: each year alone is too small
        row["yearOfRegistration"] = (year, f"{year - year % 2}--{year - year % 2 + 1}", "x", -99)
        rows.append(row)
    result = ctdc.anonymise(rows, k=11, max_suppressed=0.0)
    assert result.suppressed == 0
    assert result.levels["yearOfRegistration"] == "2 years"
    assert result.levels["gender"] == "value"  # not generalised without need


def test_k_below_11_is_refused() -> None:
    with pytest.raises(ValueError):
        ctdc.anonymise([], k=5)


#: Personal values of the generated victims (identity numbers), filled in by `_files`.
PERSONAL: set[str] = set()


def _files(folder: Path, n: int = 900) -> list[str]:
    lines = []
    for payload in victims(n, seed=11):
        person = payload["person"]
        person["names"][0]["given"] = MARKER
        person["names"][0]["family"] = f"{MARKER}ian"
        for event in payload.get("trafficking_events", ()):
            event["description"] = f"met {MARKER} at the station"
        PERSONAL.update(i["value"] for i in person.get("identifiers", ()))
        lines.append(json.dumps(payload, ensure_ascii=False))
    lines.append('{"id": "not a victim record"}')
    path = folder / "trafficking_victim.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(path)]


def test_export_ctdc_is_k_anonymous_over_every_column_and_holds_nothing_personal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    out = tmp_path / "ctdc.csv"
    status = main(["export", "ctdc", *files, "--out", str(out), "--format", "json"])
    printed = capsys.readouterr()
    assert status == 1  # one record is invalid: reported, not exported
    document = json.loads(printed.out)
    summary = document["ctdc"]
    assert (document["records"], document["invalid"]) == (901, 1)
    assert summary["released"] + summary["suppressed"] == summary["records"]
    assert summary["share_suppressed"] <= 0.05
    text = out.read_text("utf-8")
    table = list(csv.reader(io.StringIO(text)))
    header, rows = table[0], table[1:]
    assert header == list(ctdc.columns())
    assert len(rows) == summary["released"] > 0
    assert _k(rows, header) >= 11
    for output in (text, printed.out, printed.err):
        assert MARKER not in output
        assert not UUID.search(output.replace(str(tmp_path), ""))
        assert not [value for value in PERSONAL if value in output]
    assert not DATE.search(text)


def test_export_ctdc_text_and_chosen_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path, 400)
    out = tmp_path / "ctdc.csv"
    only = "gender,ageBroad,isForcedLabour,isSexualExploit"
    status = main(["export", "ctdc", *files, "--out", str(out), "--columns", only])
    printed = capsys.readouterr().out
    assert status == 1
    assert "suppressed" in printed and "k=11" in printed and MARKER not in printed
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0] == only.split(",")
    assert _k(rows[1:], rows[0]) >= 11


@pytest.mark.parametrize(
    "extra", [["--k", "5"], ["--columns", "name"], ["--max-suppressed", "101"]]
)
def test_export_ctdc_usage_errors(
    tmp_path: Path, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path, 20)
    status = main(["export", "ctdc", *files, "--out", str(tmp_path / "x.csv"), *extra])
    assert status == 2
    assert MARKER not in capsys.readouterr().err


def test_export_ctdc_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "trafficking_victim.json"
    broken.write_bytes(b"\xff\xfe not json")
    out = tmp_path / "x.csv"
    assert main(["export", "ctdc", str(broken), "--out", str(out)]) == 2
    assert out.read_text("utf-8").splitlines() == [",".join(ctdc.columns())]
    capsys.readouterr()
