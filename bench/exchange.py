"""Benchmark of the HTCDS and CTDC exchange: speed against reading and validating alone.

What it measures, in one run, on ``--victims`` generated trafficking victims
(`casestd._victim_details.victims`: skewed like a real register, with their
trafficking events, means of control, exploitation and recruiter relation):

1. ``casestd export ctdc`` end to end from the command line, against
   ``casestd validate`` of the same JSON Lines file (the reading and validation
   every command pays); each in a fresh process, wall time and peak RSS. Also
   the anonymisation alone (`casestd.exchange.ctdc.anonymise` over rows already
   derived) against one group-by of the same rows at their finest level (the
   least work a check of k needs), in this process. Printed besides: the k
   reached (the smallest class of the released rows, over every column), the
   number and share of rows suppressed and the levels chosen.
2. ``casestd export htcds`` to CSV and to XLSX, and ``casestd import htcds`` of
   what it wrote, end to end, against the same ``casestd validate``.

Every figure is a ratio to a baseline measured in the same run, so that a
loaded machine shifts both. The exit status is 1 when the CTDC release is not
k-anonymous (k >= 11) or a command fails, else 0.

    python bench/exchange.py                 # 20,000 victims
    python bench/exchange.py --quick         # 2,000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from table import Run, measure, table_row

WIDTHS = (44, 10, 10, 10)


def _write(folder: Path, n: int) -> Path:
    from casestd._victim_details import victims

    path = folder / "trafficking_victim.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for payload in victims(n, seed=7):
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
    return path


def _casestd(*args: str) -> list[str]:
    return [sys.executable, "-m", "casestd", *args]


def _line(name: str, run: Run, baseline: Run) -> str:
    ratio = run.seconds / baseline.seconds
    return table_row(
        name, f"{run.seconds:.2f}", f"{ratio:.2f}", f"{run.peak_mb:.0f}", widths=WIDTHS
    )


def _anonymise(path: Path) -> tuple[float, float, object]:
    from casestd.exchange import ctdc
    from casestd.model.trafficking_victim import TraffickingVictim

    with path.open(encoding="utf-8") as lines:
        typed = [TraffickingVictim.model_validate_json(line) for line in lines]
    rows = [ctdc.ladder(victim) for victim in typed if ctdc.released(victim)]
    names = ctdc.columns()
    start = time.perf_counter()
    Counter(tuple(row[name][0] for name in names) for row in rows)
    grouped = time.perf_counter() - start
    start = time.perf_counter()
    release = ctdc.anonymise(rows, k=ctdc.DEFAULT_K)
    return time.perf_counter() - start, grouped, release


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--victims", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="2,000 victims")
    args = parser.parse_args()
    n = 2_000 if args.quick else args.victims
    failed = False
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        source = _write(folder, n)
        print(f"exchange benchmark: {n:,} generated trafficking victims\n")
        print(table_row("end to end (fresh process)", "s", "ratio", "peak MB", widths=WIDTHS))
        baseline = measure(_casestd("validate", "--entity", "trafficking_victim", str(source)))
        print(_line("casestd validate (baseline)", baseline, baseline))
        runs = {
            "casestd export ctdc": _casestd(
                "export", "ctdc", str(source), "--out", str(folder / "ctdc.csv")
            ),
            "casestd export htcds --out .csv": _casestd(
                "export", "htcds", str(source), "--out", str(folder / "htcds.csv")
            ),
            "casestd export htcds --out .xlsx": _casestd(
                "export", "htcds", str(source), "--out", str(folder / "htcds.xlsx")
            ),
        }
        results = {name: measure(command) for name, command in runs.items()}
        events = folder / "htcds.events.csv"
        imports = {
            "casestd import htcds (the CSV files)": [str(folder / "htcds.csv"), str(events)],
            "casestd import htcds (the XLSX)": [str(folder / "htcds.xlsx")],
        }
        for name, files in imports.items():
            results[name] = measure(_casestd("import", "htcds", *files, "--agency", "ngo-a"))
        for name, run in results.items():
            print(_line(name, run, baseline))
            failed |= run.returncode != 0
        seconds, grouped, release = _anonymise(source)
        print()
        print(table_row("CTDC anonymisation alone (in process)", "s", "ratio", "", widths=WIDTHS))
        print(
            table_row(
                "one group-by of the rows (baseline)", f"{grouped:.3f}", "1.00", "", widths=WIDTHS
            )
        )
        print(
            table_row(
                "casestd.exchange.ctdc.anonymise",
                f"{seconds:.3f}",
                f"{seconds / grouped:.1f}",
                "",
                widths=WIDTHS,
            )
        )
        summary = release.to_dict()  # type: ignore[attr-defined]
        rows = release.rows  # type: ignore[attr-defined]
        smallest = min(Counter(rows).values()) if rows else 0
        print(
            f"\nCTDC release: k reached {smallest} over all {len(summary['columns'])} columns "
            f"(asked {summary['k']}); {summary['released']:,} of {summary['records']:,} "
            f"victims released, {summary['suppressed']:,} suppressed "
            f"({summary['share_suppressed']:.1%}); levels {summary['levels']}"
        )
        failed |= bool(rows) and smallest < summary["k"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
