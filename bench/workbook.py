"""Benchmark of the registration workbook: import speed and memory against the bare reader.

What it measures, in one run:

1. Template generation: ``casestd.workbook.template`` in each language, best of
   three, wall-clock seconds. Target: under 5 s.
2. Import of a children workbook (``--children`` rows, 100,000 by default) and
   of a services workbook (``--services`` rows, 300,000): rows per second and
   peak memory of ``casestd.workbook.iter_read`` (cells read, labels looked up,
   values converted, every row validated by ``casestd.validate``), against
   reading the same file with the bare reader casestd builds on, openpyxl in
   read-only mode (``iter_rows(values_only=True)`` over the data sheet, its
   dimensions reset as casestd does), in the same run. For reference,
   python-calamine reads the same sheet too, when it is installed. Each reader
   runs in a fresh subprocess started from a small wrapper interpreter, so its
   peak RSS (``ru_maxrss``) is its own. Targets: casestd / openpyxl >= 0.5 and
   peak under 500 MB (10**6 bytes).
3. The cross-district report on synthetic district registers of ``--people``
   persons (`casestd.workbook.sample`): recall and precision of the
   beneficiaries planted across districts, and the share of the planted double
   services found. Targets: recall >= 0.95, precision >= 0.98.

The workbooks are written by ``casestd.workbook.export`` from records of
`casestd.workbook.sample.district_registers`, repeated with fresh ids up to
the row count. The exit status is 0 when every target passes, 1 otherwise.

    python bench/workbook.py            # 100,000 children, 300,000 services
    python bench/workbook.py --quick    # 10,000 and 30,000
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from table import table_row

WIDTHS = (34, 12, 12, 10, 10)


def _records(entity: str, rows: int) -> list[Any]:
    from casestd.model.child import Child
    from casestd.model.service import Service
    from casestd.workbook.sample import district_registers

    sample = district_registers(800, seed=3)
    kind = Child if entity == "child" else Service
    pool = [r for r in sample.all_records() if isinstance(r, kind)]
    return [
        pool[n % len(pool)].model_copy(update={"id": uuid.UUID(int=n + 1, version=4)})
        for n in range(rows)
    ]


def make_workbook(entity: str, rows: int, folder: Path) -> Path:
    from casestd.workbook import export

    path = folder / f"{entity}-{rows}.xlsx"
    started = time.perf_counter()
    export(_records(entity, rows), path, lang="hy", district="kentron")
    print(f"  wrote {path.name}: {rows} rows in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def _phase(reader: str, path: str, title: str) -> dict[str, Any]:
    """One reader over one file (run in a subprocess): rows, seconds."""
    started = time.perf_counter()
    rows = 0
    if reader == "openpyxl":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=False)
        sheet = book[title]
        sheet.reset_dimensions()  # as casestd does: rows as stored, not padded
        for _ in sheet.iter_rows(values_only=True):
            rows += 1
        book.close()
        rows -= 2  # header and path rows
    elif reader == "calamine":
        from python_calamine import CalamineWorkbook

        table = CalamineWorkbook.from_path(path).get_sheet_by_name(title)
        for _ in table.iter_rows():
            rows += 1
        rows -= 2
    else:
        from casestd.workbook import iter_read

        for result in iter_read(path):
            if result.entity is not None:
                rows += 1
                assert result.ok, result.to_dict()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6
    return {"rows": rows, "seconds": seconds, "peak_mb": peak}


#: A small interpreter between this process and a phase: the peak RSS a process reports
#: is carried across exec from its parent, so a phase is started from a fresh small one.
_WRAPPER = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"


def run_phase(reader: str, path: Path, title: str) -> dict[str, Any] | None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _WRAPPER,
            sys.executable,
            __file__,
            "--phase",
            reader,
            str(path),
            title,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        if reader == "calamine" and "No module named" in done.stderr:
            return None
        raise SystemExit(f"{reader} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_template() -> float:
    from casestd.workbook import template

    best = float("inf")
    with tempfile.TemporaryDirectory() as folder:
        for lang in ("hy", "ru", "en"):
            for _ in range(3):
                started = time.perf_counter()
                template(Path(folder) / f"t-{lang}.xlsx", lang=lang, district="kentron")
                best = min(best, time.perf_counter() - started)
    return best


def bench_report(n_people: int, folder: Path) -> tuple[float, float, float, float]:
    """Recall and precision of the cross-district report on planted duplicates, and the
    recall of the planted double services; also the seconds the report took."""
    import itertools

    from casestd.workbook import export
    from casestd.workbook.reporter import cross_district_report
    from casestd.workbook.sample import district_registers

    sample = district_registers(n_people, seed=7)
    files = []
    for district, found in sorted(sample.records.items()):
        path = folder / f"{district}.xlsx"
        export(found, path, lang="hy", district=district)
        files.append(path)
    started = time.perf_counter()
    report = cross_district_report(files)
    seconds = time.perf_counter() - started
    truth = sample.true_pairs()
    found_pairs = set()
    for item in report.duplicates:
        refs = sorted(row.ref for row in item.rows)
        for first, second in itertools.combinations(refs, 2):
            if sample.district_of[first] != sample.district_of[second]:
                found_pairs.add((first, second))
    hits = len(found_pairs & truth)
    doubles = {
        tuple(sorted(pair))
        for item in report.services
        if item.cross_district
        for pair in itertools.combinations(item.overlap.service_ids, 2)
    }
    services = len(doubles & sample.planted_services) / max(1, len(sample.planted_services))
    print(
        f"cross-district report on {len(files)} district workbooks "
        f"({sum(len(r) for r in sample.records.values())} records, {len(truth)} planted "
        f"cross-district pairs) in {seconds:.1f} s"
    )
    recall, precision = hits / max(1, len(truth)), hits / max(1, len(found_pairs))
    print(f"  duplicates across districts: recall {recall:.3f}, precision {precision:.3f}")
    print(f"  planted double services found: {services:.3f}")
    return recall, precision, services, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=300_000)
    parser.add_argument("--quick", action="store_true", help="10,000 children, 30,000 services")
    parser.add_argument("--tmpdir", default=None)
    parser.add_argument(
        "--people", type=int, default=3000, help="persons of the report's synthetic population"
    )
    parser.add_argument("--phase", nargs=3, metavar=("READER", "FILE", "SHEET"))
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(*args.phase)))
        return 0
    if args.quick:
        args.children, args.services, args.people = 10_000, 30_000, 1000
    from casestd.workbook.layout import sheet

    print(f"python {platform.python_version()} on {platform.machine()}, {time.strftime('%F %T')}")
    ok = True
    seconds = bench_template()
    print(f"template generation (best of 3 per language): {seconds:.2f} s (target < 5 s)")
    ok &= seconds < 5
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as folder:
        for entity, rows, name in (
            ("child", args.children, "children"),
            ("service", args.services, "services"),
        ):
            path = make_workbook(entity, rows, Path(folder))
            title = sheet(name).title("hy")
            print(table_row("reader", "rows", "rows/s", "ratio", "peak MB", widths=WIDTHS))
            bare = run_phase("openpyxl", path, title)
            assert bare is not None
            bare_rate = bare["rows"] / bare["seconds"]
            for reader in ("openpyxl", "calamine", "casestd"):
                found = bare if reader == "openpyxl" else run_phase(reader, path, title)
                if found is None:
                    print(table_row(reader, "-", "-", "-", "-", widths=WIDTHS))
                    continue
                rate = found["rows"] / found["seconds"]
                label = {
                    "openpyxl": "openpyxl read-only (bare)",
                    "calamine": "python-calamine (reference)",
                    "casestd": "casestd import (validated)",
                }[reader]
                print(
                    table_row(
                        f"{name}: {label}",
                        found["rows"],
                        f"{rate:,.0f}",
                        f"{rate / bare_rate:.2f}",
                        f"{found['peak_mb']:.0f}",
                        widths=WIDTHS,
                    )
                )
                if reader == "casestd":
                    passed = rate / bare_rate >= 0.5 and found["peak_mb"] < 500
                    print(
                        f"  target casestd/openpyxl >= 0.5 and peak < 500 MB: "
                        f"{'met' if passed else 'NOT MET'}"
                    )
                    ok &= passed
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as folder:
        recall, precision, services, _ = bench_report(args.people, Path(folder))
        passed = recall >= 0.95 and precision >= 0.98 and services >= 0.95
        print(f"  target recall >= 0.95, precision >= 0.98: {'met' if passed else 'NOT MET'}")
        ok &= passed
    print("all targets met" if ok else "some target NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
