"""``casestd dedup``: clusters by ref only, names only with --show-names, exit codes."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casestd import cli
from casestd.cli import dedup_input
from casestd.cli.dedup import indented
from casestd.cli.dedup_input import BATCH
from casestd.testing import write_population

from factories import case, child, meta, service, trafficking_victim

GIVEN = "Zorvatrix"
FAMILY = "Quenbelyan"
PATRONYMIC = "Xylofonovich"
MARKERS = (GIVEN, FAMILY, PATRONYMIC)


def uuid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def marked_child(number: int, district: str, **extra: Any) -> dict[str, Any]:
    """A child whose names are the markers, registered by ``district``."""
    payload = child()
    payload.update(
        id=uuid(number),
        meta={**meta(), "agency": f"yerevan-{district}-sso", "district": district},
        names=[
            {"given": GIVEN, "patronymic": PATRONYMIC, "family": FAMILY, "script": "latn"},
        ],
        birth_date={"value": "2013-11-29"},
    )
    payload.update(extra)
    return payload


def marked_victim(number: int) -> dict[str, Any]:
    payload = trafficking_victim()
    payload["id"] = uuid(number)
    payload["person"].update(
        names=[{"given": GIVEN, "family": FAMILY, "script": "latn"}],
        birth_date={"value": "2013-11-29"},
    )
    return payload


def write(path: Path, *items: dict[str, Any], lines: bool = False) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if lines:
        path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    else:
        path.write_text(json.dumps(list(items), ensure_ascii=False), "utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["dedup", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def duplicates(tmp_path: Path) -> list[str]:
    """A child file in Kentron and Arabkir (the same girl), a victim file, an unrelated child."""
    other = child()
    other["id"] = uuid(9)
    return [
        write(tmp_path / "child" / "kentron.json", marked_child(1, "kentron"), other),
        write(tmp_path / "child" / "arabkir.jsonl", marked_child(2, "arabkir"), lines=True),
        write(tmp_path / "trafficking_victim" / "ctip.json", marked_victim(3)),
    ]


def assert_no_marker(*texts: str) -> None:
    for text in texts:
        for marker in MARKERS:
            assert marker.lower() not in text.lower()


def test_no_duplicates_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "child" / "one.json", child())
    status, out, err = run(capsys, path)
    assert status == 0 and err == ""
    assert not any(line.startswith("cluster") for line in out.splitlines())
    assert out.strip().startswith("1 records (1 persons, 0 invalid skipped): 0 clusters")


def test_duplicates_exit_1_and_print_refs_and_evidence_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, *duplicates(tmp_path))
    assert status == 1 and err == ""
    assert "cluster 1: 3 records (child, trafficking_victim)" in out
    for ref in (f"child/{uuid(1)}", f"child/{uuid(2)}", f"trafficking_victim/{uuid(3)}"):
        assert f"  {ref}\n" in out
    assert "by name_dob" in out and "differ" in out
    assert f"child/{uuid(9)}" not in out
    assert_no_marker(out, err)


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_names_are_printed_only_with_show_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    files = duplicates(tmp_path)
    status, out, err = run(capsys, *files, "--format", fmt)
    assert status == 1
    assert_no_marker(out, err)
    status, out, err = run(capsys, *files, "--format", fmt, "--show-names")
    assert status == 1
    assert f"{GIVEN} {PATRONYMIC} {FAMILY} [latn]" in out
    assert_no_marker(err)


def test_show_names_help_says_it_prints_personal_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["dedup", "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--show-names PRINTS PERSONAL DATA" in text
    assert "only option of casestd that prints names" in text


def test_invalid_records_are_skipped_by_source_and_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = marked_child(4, "avan", sex="Female")
    path = write(tmp_path / "child" / "avan.json", child(), bad)
    status, out, err = run(capsys, path, "--show-names")
    assert status == 0
    assert f"{path}#1: skipped, invalid [field.code]" in out
    assert "2 records (1 persons, 1 invalid skipped)" in out
    assert_no_marker(out, err)


def test_json_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = duplicates(tmp_path)
    bad = write(tmp_path / "child" / "bad.json", marked_child(5, "avan", sex="Female"))
    status, out, _ = run(capsys, *files, bad, "--format", "json")
    document = json.loads(out)
    assert status == 1
    assert document["records"] == 5 and document["invalid"] == 1
    assert document["skipped"] == [{"source": f"{bad}#0", "rules": ["field.code"]}]
    assert document["overlaps"] == []
    (cluster,) = document["clusters"]
    assert set(cluster) == {"refs", "entities", "evidence"}
    assert cluster["entities"] == ["child", "trafficking_victim"]
    assert len(cluster["evidence"]) == 2
    assert set(cluster["evidence"][0]) == {"refs", "linked_by", "keys", "agree", "disagree"}
    assert document["summary"]["clusters"] == 1 and document["summary"]["persons"] == 4


def test_csv_has_one_row_per_cluster_and_ref(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, *duplicates(tmp_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 1
    assert [(row["kind"], row["cluster"], row["ref"]) for row in rows] == [
        ("record", "1", f"child/{uuid(1)}"),
        ("record", "1", f"child/{uuid(2)}"),
        ("record", "1", f"trafficking_victim/{uuid(3)}"),
    ]
    assert "name_dob" in rows[0]["keys"].split(";")
    assert rows[2]["entity"] == "trafficking_victim" and rows[0]["names"] == ""


def a_service(number: int, beneficiary: int, district: str, start: str, end: str) -> dict[str, Any]:
    payload = service()
    payload.update(
        id=uuid(100 + number),
        beneficiary_id=uuid(beneficiary),
        provider_agency=f"yerevan-{district}-sso",
        provider_district=district,
        start_date=start,
        end_date=end,
        cost_amd=50_000,
    )
    return payload


def test_services_overlaps_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = duplicates(tmp_path)
    services = write(
        tmp_path / "services.json",
        a_service(1, 1, "kentron", "2025-03-01", "2025-03-31"),
        a_service(2, 2, "arabkir", "2025-03-20", "2025-04-30"),
        a_service(3, 9, "arabkir", "2025-03-20", "2025-04-30"),
    )
    status, out, err = run(capsys, *files, "--services", services)
    assert status == 1 and err == ""
    assert "overlap 1 (cluster 1): psychosocial 2025-03-20..2025-03-31" in out
    assert "  yerevan-kentron-sso (kentron): 50000 AMD" in out
    assert "  total: 100000 AMD" in out
    assert out.rstrip().endswith("; 1 service overlaps")
    status, out, _ = run(capsys, *files, "--services", services, "--format", "json")
    (overlap,) = json.loads(out)["overlaps"]
    assert overlap["service_ids"] == [uuid(101), uuid(102)] and overlap["total_amd"] == 100_000
    status, out, _ = run(capsys, *files, "--services", services, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[-1]["kind"] == "overlap" and rows[-1]["cluster"] == "1"
    assert rows[-1]["total_amd"] == "100000"


def test_an_overlap_alone_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "child" / "one.json", child())
    services = write(
        tmp_path / "services.jsonl",
        a_service(1, 1, "kentron", "2025-03-01", "2025-03-31"),
        a_service(2, 1, "arabkir", "2025-03-20", "2025-04-30"),
        lines=True,
    )
    status, out, _ = run(capsys, path, "--services", services)
    assert status == 1
    assert f"overlap 1 (beneficiary {uuid(1)})" in out


def test_records_of_other_entities_are_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "case" / "cases.json", case())
    status, out, _ = run(capsys, path)
    assert status == 0
    assert "1 records (0 persons, 0 invalid skipped): 0 clusters" in out


def test_entity_option_overrides_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "x.json", marked_child(1, "kentron"), marked_child(2, "avan"))
    status, _, err = run(capsys, path)
    assert status == 2 and "give --entity" in err
    status, out, _ = run(capsys, "--entity", "child", path)
    assert status == 1 and "cluster 1: 2 records (child)" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("{not json", "[json.invalid]"), ("", "[input.empty]")],
)
def test_unreadable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "child" / "broken.json"
    if content is not None:
        path.parent.mkdir()
        path.write_text(content)
    status, out, err = run(capsys, str(path))
    assert status == 2 and message in out + err


def test_an_unreadable_line_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "child" / "lines.jsonl"
    path.parent.mkdir()
    path.write_text(json.dumps(child()) + "\n{broken\n")
    status, out, _ = run(capsys, str(path))
    assert status == 2 and f"{path}:2: skipped, invalid [json.invalid]" in out


@pytest.mark.parametrize(
    "argv", [["--max-block", "1"], ["--format", "xml"], ["--max-block", "many"]]
)
def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    path = write(tmp_path / "child" / "one.json", child())
    try:
        status, _, err = run(capsys, path, *argv)
    except SystemExit as stop:
        status, err = int(str(stop.code)), capsys.readouterr().err
    assert status == 2 and "error" in err


def _population_files(tmp_path: Path, size: int) -> list[str]:
    paths = write_population(tmp_path, size, seed=7)
    return [str(paths[entity]) for entity in sorted(paths)]


@pytest.mark.parametrize("fmt", ["json", "csv", "text"])
def test_worker_processes_print_what_one_process_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    files = _population_files(tmp_path, 3 * BATCH)  # several batches: workers start
    broken = tmp_path / "child" / "broken.jsonl"
    broken.write_text('{"id": 1}\n{not json\n', "utf-8")  # an invalid and an unreadable line
    files.insert(1, str(broken))
    alone = run(capsys, *files, "--format", fmt, "--jobs", "1")
    shared = run(capsys, *files, "--format", fmt, "--jobs", "2")
    assert alone == shared
    assert alone[0] == 2  # the unreadable line
    if fmt == "json":
        document = json.loads(alone[1])
        assert document["summary"]["clusters"] > 10 and len(document["skipped"]) == 2


def test_spawned_workers_send_the_keys_as_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashes are salted per interpreter: only forked workers send them hashed."""
    files = _population_files(tmp_path, 3 * BATCH)
    forked = run(capsys, *files, "--format", "json", "--jobs", "2")
    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(dedup_input, "_context", lambda: spawn)
    assert run(capsys, *files, "--format", "json", "--jobs", "2") == forked
    assert forked[0] == 1 and json.loads(forked[1])["summary"]["clusters"] > 10


def test_json_is_one_document_whatever_the_clusters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The streamed document is what json.dumps(indent=2) of the whole would be."""
    for files in (duplicates(tmp_path), [write(tmp_path / "child" / "one.json", child())]):
        status, out, _ = run(capsys, *files, "--format", "json")
        document = json.loads(out)
        assert out == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        assert status == (1 if document["clusters"] else 0)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=25,
)


@given(JSON_VALUES, st.sampled_from(["", "  ", "    "]))
def test_indented_is_what_json_dumps_writes(value: Any, pad: str) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)
    assert indented(value, pad) == expected


def test_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "child" / "one.json", child())
    status, _, err = run(capsys, path, "--jobs", "0")
    assert status == 2 and "--jobs" in err
