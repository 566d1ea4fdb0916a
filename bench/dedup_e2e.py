"""Part (d) of bench/dedup.py: ``casestd dedup`` end to end, as a user runs it.

For each size (``--e2e-sizes``, person records: a family record holds several), the
records of the first N registrations of the population are written as JSON Lines, one
file per entity (``casestd.testing.write_population``), then, each in a fresh
interpreter under a small wrapper that reads its peak RSS (``bench/table.measure``):

* the baseline, ``casestd validate FILE... --format json > /dev/null``: reading and
  validating the same files, with nothing else; every dedup run pays this first;
* ``casestd dedup FILE... --format json > /dev/null``: what the user waits for,
  reading, validating, making the keys, clustering and writing the JSON document;
* Splink on DuckDB over the same records, read the same way (``--splink-e2e-max``
  sets the largest size it runs at): ``person_rows`` of the valid records, then
  ``casestd.dedup.linkage.predict_clusters``, training included;
* the phases of ``casestd dedup`` in one process (``dedup_phases``): the time spent
  reading and validating, making the keys, indexing and linking, and writing, each
  measured apart around the same functions the command calls.

The figures are wall seconds on whatever machine runs it; the ratios to the baseline,
measured minutes apart in the same run, are what compares across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from typing import Any

from casestd.testing import write_population

from table import MB, Run, measure

#: Targets of the issue: 1,000,000 person records end to end.
E2E_SECONDS_LIMIT = 60.0
E2E_MEMORY_LIMIT_MB = 1500.0


def _files(paths: dict[str, Any]) -> list[str]:
    return [str(paths[entity]) for entity in sorted(paths)]


def splink_worker(files: Sequence[str]) -> dict[str, Any]:
    """Splink end to end: read and validate the files, person_rows, predict_clusters."""
    import logging

    from casestd.cli.common import RecordReader, entity_for
    from casestd.dedup import linkage
    from casestd.dedup.columns import person_rows

    logging.getLogger("splink").setLevel(logging.ERROR)
    reader = RecordReader({path: entity_for(path, None) for path in files}, "en")
    records = [
        result.report.record
        for result in reader.results(files)
        if result.record and result.report.ok and result.report.record is not None
    ]
    rows = person_rows(records)
    del records
    groups = linkage.predict_clusters(rows, linkage.THRESHOLD)
    return {"clusters": sum(1 for group in groups if len(group) > 1)}


def phase_worker(files: Sequence[str]) -> dict[str, Any]:
    """The phases of casestd dedup, in this process, each timed apart."""
    from casestd.cli import dedup as command
    from casestd.cli.common import entity_for
    from casestd.dedup.clusters import find_duplicates, record_keys

    reading = command._Reading()
    entities = {path: entity_for(path, None) for path in files}
    spent = {"read and validate": 0.0, "keys": 0.0}

    def stream() -> Iterator[Any]:
        source = command._valid_records(files, entities, reading, sys.stderr)
        while True:
            start = time.perf_counter()
            record = next(source, None)
            middle = time.perf_counter()
            spent["read and validate"] += middle - start
            if record is None:
                return
            found = record_keys(record)
            spent["keys"] += time.perf_counter() - middle
            yield from found

    start = time.perf_counter()
    result = find_duplicates(stream())
    spent["index and link"] = time.perf_counter() - start - spent["read and validate"]
    spent["index and link"] -= spent["keys"]
    start = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        command._dedup_json(result, None, reading, command.DedupOptions(fmt="json"), sink)
    spent["write JSON"] = time.perf_counter() - start
    return spent


def _worker(kind: str, files: Sequence[str]) -> list[str]:
    return [sys.executable, __file__, f"--{kind}-worker", *files]


def _casestd(*args: str) -> list[str]:
    return [sys.executable, "-m", "casestd", *args]


def end_to_end(args: argparse.Namespace) -> list[tuple[str, float | None, str, bool | None]]:
    """Part (d): the commands at each size; returns (target, value, required, passed)."""
    sizes = [int(text) for text in args.e2e_sizes.split(",") if text.strip()]
    print(f"(d) end to end from the command line, person records {sizes}")
    print(f"  load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows: list[tuple[int, str, Run, Run]] = []
    phases: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="casestd-e2e-", dir=args.tmpdir) as folder:
        for size in sizes:
            start = time.perf_counter()
            paths = write_population(os.path.join(folder, str(size)), size, seed=args.seed)
            files = _files(paths)
            lines = 0
            for path in files:
                with open(path, "rb") as handle:
                    lines += sum(1 for _ in handle)
            megabytes = sum(os.path.getsize(path) for path in files) / MB
            print(
                f"  {size:,} person records: {lines:,} lines, {megabytes:,.0f} MB "
                f"(written in {time.perf_counter() - start:.0f} s)",
                flush=True,
            )
            baseline = measure(_casestd("validate", "--format", "json", *files))
            dedup = measure(_casestd("dedup", "--format", "json", *files))
            if dedup.returncode not in (0, 1) or baseline.returncode not in (0, 1):
                raise SystemExit(f"a command failed at {size:,} records")
            rows.append((size, "casestd validate (baseline)", baseline, baseline))
            rows.append((size, "casestd dedup", dedup, baseline))
            print(f"    dedup {dedup.seconds:.1f} s, {dedup.peak_mb:,.0f} MB", flush=True)
            if size <= args.splink_e2e_max:
                splink = measure(_worker("splink", files))
                rows.append((size, "Splink on DuckDB (same reading)", splink, baseline))
            if size <= args.phases_max:
                done = measure_json(_worker("phase", files))
                phases[size] = done
            for path in files:
                os.remove(path)
    print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("  (seconds: wall; CPU s: user + system time of all the command's processes;")
    print("   × baseline: over casestd validate of the same files, measured in this run)")
    widths = (10, 32, 9, 9, 9, 9, 12, 10)
    head = ("records", "command", "seconds", "CPU s", "peak MB", "µs/rec", "× baseline", "CPU ×")
    print(_line(head, widths))
    for size, name, run, base in rows:
        cells = (
            f"{size:,}",
            name,
            f"{run.seconds:.1f}",
            f"{run.cpu_seconds:.1f}",
            f"{run.peak_mb:,.0f}",
            f"{run.seconds / size * 1e6:.0f}",
            f"{run.seconds / base.seconds:.2f}",
            f"{run.cpu_seconds / base.cpu_seconds:.2f}",
        )
        print(_line(cells, widths))
    for size, spent in phases.items():
        total = sum(spent.values())
        parts = ", ".join(f"{name} {sec:.1f} s ({sec / total:.0%})" for name, sec in spent.items())
        print(f"  phases of dedup at {size:,}, one process: {parts}")
    print()
    largest = max(size for size, *_ in rows)
    final = next(run for size, name, run, _ in rows if size == largest and name == "casestd dedup")
    judged = largest >= 10**6
    label = f"{largest:,} records"
    return [
        (
            f"end to end: seconds, {label}",
            final.seconds,
            f"< {E2E_SECONDS_LIMIT:g}",
            final.seconds < E2E_SECONDS_LIMIT if judged else None,
        ),
        (
            f"end to end: peak MB, {label}",
            final.peak_mb,
            f"< {E2E_MEMORY_LIMIT_MB:g}",
            final.peak_mb < E2E_MEMORY_LIMIT_MB if judged else None,
        ),
    ]


def measure_json(command: Sequence[str]) -> dict[str, float]:
    """Run a worker and read the JSON of its last output line."""
    import subprocess

    done = subprocess.run(list(command), stdout=subprocess.PIPE, check=True, text=True)
    data: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    first, second, *rest = cells
    text = [first.rjust(widths[0]), second.ljust(widths[1])]
    text += [cell.rjust(width) for cell, width in zip(rest, widths[2:], strict=True)]
    return "  " + "  ".join(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--splink-worker", nargs="+", metavar="FILE")
    parser.add_argument("--phase-worker", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    if args.splink_worker:
        print(json.dumps(splink_worker(args.splink_worker)))
    elif args.phase_worker:
        print(json.dumps(phase_worker(args.phase_worker)))
    else:
        parser.error("run bench/dedup.py; this module holds its part (d)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
