"""Benchmark of the indicators: every indicator for one year, end to end from files.

What it does, in one run:

1. Writes ``--cases`` trafficking cases (default 1,000,000) with their victims,
   referrals, services and child-protection cases as one JSON Lines file per
   entity. A pool of ``--pool`` victims' casework comes from
   ``casestd.testing.casework.iter_casework`` (planted edge cases and re-identified
   persons included); it is repeated until there are enough cases, each copy
   with its own record ids, birth days and identifier digits, so that copies
   are other persons (within a copy, a re-identified person stays one). Not
   timed.
2. Times what a user runs: ``python -m casestd indicators compute DIR/*.jsonl
   --period 2025 --format json --out FILE``, every indicator with its default
   breakdowns and disclosure control, under a small wrapper process that reads
   the command's peak RSS: once with ``--jobs 1`` and once with ``--jobs 2``
   (the default on 2 CPUs). The peak RSS of a run with worker processes is the
   largest of its processes, not their sum, so the memory target is checked on
   the ``--jobs 1`` run.
3. Baseline, in the same run: DuckDB (the ``linkage`` extra) reads the same
   files and computes the counts that are plain group-bys: victims identified
   in 2025 by sex and by citizenship, referrals sent in 2025 by status and
   whether completed within 30 days, and per district office the beneficiaries
   of services started in 2025 with their cost, in a subprocess measured the
   same way. The figures it prints are casestd / DuckDB.
4. Checks that casestd's victims identified (total and by sex) equal DuckDB's.

Targets: 1,000,000 cases in under 60 s and under 1 GB (10**9 bytes) peak RSS.
With fewer ``--cases``, the targets are checked on a linear projection of the
figures to 1,000,000 cases, and the output says so. The exit status is 0 when
both are met and the counts agree, 1 otherwise.

    python bench/indicators.py                    # 1,000,000 cases
    python bench/indicators.py --cases 100000     # a tenth
    python bench/indicators.py --cases 20000 --profile 25   # plus a cProfile of compute

The files (about 2 KB per case) go to a temporary directory (``--tmpdir``) and
are deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

from casestd.testing.casework import iter_casework

from table import MB, Run, measure, table_row

TARGET_CASES = 1_000_000
TIME_LIMIT_S = 60.0
PEAK_LIMIT_MB = 1000.0
PERIOD = "2025"
_UUID = re.compile(r'"([0-9a-f]{8})(-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"')

#: The DuckDB baseline, run as a script: the plain group-by counts of the same files as JSON.
_DUCKDB = """
import json, sys
import duckdb

folder, start, end, out = sys.argv[1:5]
db = duckdb.connect()


def rows(sql):
    return [list(row) for row in db.execute(sql).fetchall()]


def source(entity):
    return f"read_json('{folder}/{entity}.jsonl', format='newline_delimited', sample_size=-1)"


identified = (
    f"FROM {source('trafficking_victim')} WHERE status = 'actual' "
    "AND deciding_body = 'identification_commission' "
    f"AND CAST(decision_date AS DATE) BETWEEN DATE '{start}' AND DATE '{end}'"
)
citizenship = (
    "CASE WHEN list_contains(person.citizenships, 'AM') THEN 'armenian' "
    "WHEN len(person.citizenships) > 0 THEN 'foreign' ELSE 'unknown' END"
)
found = {
    "identified_by_sex": rows(f"SELECT person.sex, count(*) {identified} GROUP BY 1 ORDER BY 1"),
    "identified_by_citizenship": rows(
        f"SELECT {citizenship}, count(*) {identified} GROUP BY 1 ORDER BY 1"
    ),
    "referrals": rows(
        "SELECT status, count(*), count(*) FILTER (WHERE status = 'completed' AND "
        "date_diff('day', CAST(referred AS DATE), CAST(completed AS DATE)) <= 30) "
        f"FROM {source('referral')} WHERE CAST(referred AS DATE) "
        f"BETWEEN DATE '{start}' AND DATE '{end}' GROUP BY 1 ORDER BY 1"
    ),
    "offices": rows(
        "SELECT provider_district, count(DISTINCT beneficiary_id), sum(cost_amd) "
        f"FROM {source('service')} WHERE status != 'cancelled' AND CAST(start_date AS DATE) "
        f"BETWEEN DATE '{start}' AND DATE '{end}' GROUP BY 1 ORDER BY 1"
    ),
}
with open(out, "w") as stream:
    json.dump(found, stream, default=str)
"""


def _shift_birth(value: str, copy: int) -> str:
    """Another full birth date for copy ``copy`` of a person (partial dates stay)."""
    if len(value) != 10:
        return value
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:])
    day = (day - 1 + copy) % 28 + 1
    month = (month - 1 + copy // 28) % 12 + 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def _shift_identifier(value: str, copy: int) -> str:
    """The identifier with its last three digits moved by ``copy`` (format kept)."""
    digits = [i for i, char in enumerate(value) if char.isdigit()][-3:]
    if len(digits) < 3:
        return value
    number = (int("".join(value[i] for i in digits)) + copy) % 1000
    chars = list(value)
    for i, digit in zip(digits, f"{number:03d}", strict=True):
        chars[i] = digit
    return "".join(chars)


def _person_copy(payload: dict[str, Any], copy: int) -> dict[str, Any]:
    person = dict(payload["person"])
    if "birth_date" in person:
        person["birth_date"] = {
            **person["birth_date"],
            "value": _shift_birth(person["birth_date"]["value"], copy),
        }
    if "identifiers" in person:
        person["identifiers"] = [
            {**item, "value": _shift_identifier(item["value"], copy)}
            for item in person["identifiers"]
        ]
    return {**payload, "person": person}


def write_population(folder: Path, cases: int, pool: int, seed: int) -> Counter[str]:
    """The JSON Lines files of ``cases`` cases; returns the records written per entity."""
    records = [(entity, payload) for entity, payload, _ in iter_casework(pool, seed=seed)]
    per_copy = sum(1 for entity, _ in records if entity == "case")
    copies = -(-cases // per_copy)
    written: Counter[str] = Counter()
    files = {
        entity: (folder / f"{entity}.jsonl").open("w", encoding="utf-8")
        for entity in sorted({entity for entity, _ in records})
    }
    try:
        for copy in range(copies):
            prefix = f'"{copy:08x}\\2"'
            for entity, payload in records:
                if entity == "trafficking_victim" and written["case"] >= cases:
                    return written  # a victim with its casework, or none of it
                if entity == "organisation" and copy:
                    continue  # one register of organisations
                if entity == "trafficking_victim" and copy:
                    payload = _person_copy(payload, copy)
                text = json.dumps(payload, ensure_ascii=False)
                if copy:
                    text = _UUID.sub(prefix, text)
                files[entity].write(text + "\n")
                written[entity] += 1
    finally:
        for stream in files.values():
            stream.close()
    return written


def compute_command(folder: Path, jobs: int = 2) -> list[str]:
    files = sorted(str(path) for path in folder.glob("*.jsonl"))
    return [sys.executable, "-m", "casestd", "indicators", "compute", *files, "--period",
            PERIOD, "--format", "json", "--jobs", str(jobs), "--out",
            str(folder / "casestd.json")]  # fmt: skip


def duckdb_command(folder: Path) -> list[str]:
    script = folder / "baseline.py"
    script.write_text(_DUCKDB, encoding="utf-8")
    return [sys.executable, str(script), str(folder), f"{PERIOD}-01-01", f"{PERIOD}-12-31",
            str(folder / "duckdb.json")]  # fmt: skip


def _casestd_identified(document: dict[str, Any]) -> tuple[int | None, dict[str, int | None]]:
    indicator = next(i for i in document["indicators"] if i["id"] == "victims_identified")
    total, by_sex = None, {}
    for figure in indicator["figures"]:
        if figure["period"] != PERIOD:
            continue
        if figure["breakdown"] is None:
            total = figure["numerator"]
        elif figure["breakdown"] == "sex":
            by_sex[figure["category"]] = figure["numerator"]
    return total, by_sex


def agree(folder: Path) -> tuple[bool, str]:
    """Whether casestd's victims identified (total, by sex) equal DuckDB's counts."""
    ours = json.loads((folder / "casestd.json").read_text("utf-8"))
    theirs = json.loads((folder / "duckdb.json").read_text("utf-8"))
    total, by_sex = _casestd_identified(ours)
    base = {sex: count for sex, count in theirs["identified_by_sex"]}
    published = {sex: n for sex, n in by_sex.items() if n is not None and n}
    same = total == sum(base.values()) and all(base.get(s) == n for s, n in published.items())
    return same, f"casestd {total} {published}, DuckDB {sum(base.values())} {base}"


def _profile(folder: Path, top: int) -> None:
    from casestd.cli import main

    profiler = cProfile.Profile()
    profiler.enable()
    main(compute_command(folder, 1)[3:])
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} CPUs"


def _rows(runs: dict[str, Run]) -> Iterator[str]:
    widths = (12, 10, 10, 12, 8)
    yield table_row("", "seconds", "CPU s", "peak MB", "exit", widths=widths)
    for name, run in runs.items():
        yield table_row(
            name,
            f"{run.seconds:.1f}",
            f"{run.cpu_seconds:.1f}",
            f"{run.peak_mb:.0f}",
            run.returncode,
            widths=widths,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=TARGET_CASES)
    parser.add_argument("--pool", type=int, default=20_000, help="victims generated, then copied")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--tmpdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the files")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile top N")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="casestd-indicators-", dir=args.tmpdir))
    try:
        print(f"casestd {version('casestd')}, pydantic {version('pydantic')}, "
              f"duckdb {version('duckdb')}, Python {platform.python_version()}")  # fmt: skip
        print(f"before: {_load()}")
        start = time.perf_counter()
        written = write_population(folder, args.cases, min(args.pool, args.cases), args.seed)
        size = sum(path.stat().st_size for path in folder.glob("*.jsonl")) / MB
        print(f"wrote {sum(written.values()):,} records ({dict(sorted(written.items()))}), "
              f"{size:,.0f} MB, in {time.perf_counter() - start:.0f} s")  # fmt: skip
        runs = {
            "casestd": measure(compute_command(folder, 2)),
            "casestd -j1": measure(compute_command(folder, 1)),
            "duckdb": measure(duckdb_command(folder)),
        }
        print(f"after: {_load()}")
        for line in _rows(runs):
            print(line)
        casestd_run, single, duck = runs["casestd"], runs["casestd -j1"], runs["duckdb"]
        print(f"  casestd / DuckDB: {casestd_run.seconds / duck.seconds:.1f}x the time "
              f"({single.seconds / duck.seconds:.1f}x with --jobs 1; CPU seconds "
              f"{single.cpu_seconds / duck.cpu_seconds:.1f}x with --jobs 1), "
              f"{single.peak_mb / duck.peak_mb:.1f}x the memory (--jobs 1)")  # fmt: skip
        rate = sum(written.values()) / casestd_run.seconds
        print(f"  casestd: {rate:,.0f} records/s, {written['case'] / casestd_run.seconds:,.0f} "
              "cases/s")  # fmt: skip
        same, detail = agree(folder)
        seconds, peak, scope = casestd_run.seconds, single.peak_mb, "measured"
        if args.cases != TARGET_CASES:  # the targets are for 1,000,000 cases: project
            seconds = casestd_run.seconds * TARGET_CASES / args.cases
            peak = single.peak_mb * TARGET_CASES / args.cases
            scope = f"projected linearly from {args.cases:,} cases"
            print(f"  at {TARGET_CASES:,} cases ({scope}): {seconds:,.0f} s, {peak:,.0f} MB")
        checks = {
            f"{TARGET_CASES:,} cases in < {TIME_LIMIT_S:.0f} s ({scope})": seconds < TIME_LIMIT_S,
            f"{TARGET_CASES:,} cases in < {PEAK_LIMIT_MB:,.0f} MB, --jobs 1 ({scope})": (
                peak < PEAK_LIMIT_MB
            ),
            "exit 0 (every record valid)": casestd_run.returncode == single.returncode == 0,
            "victims identified agree with DuckDB": same,
        }
        print(f"  {detail}")
        for name, passed in checks.items():
            print(f"  {'PASS' if passed else 'FAIL'}  {name}")
        if args.profile:
            _profile(folder, args.profile)
        return 0 if all(checks.values()) else 1
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
