"""How long the country and language lists take to load: data files against CLDR at run time.

casestd reads the lists from data files generated at build time
(`casestd.codes.generate`). The baseline, measured in the same run, builds the
same lists from pycountry and Babel, as a runtime dependency on Babel would.
Each figure is the first load in a fresh interpreter (median of several), the
cost a command pays once.

    python bench/codes.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from table import table_row

# casestd itself is imported first, untimed: the figures are the lists' own cost
FROM_FILES = (
    "import time, casestd; t = time.perf_counter(); from casestd import codes; "
    "codes.get('language'); codes.get('country'); print(time.perf_counter() - t)"
)
FROM_CLDR = (
    "import time, casestd; t = time.perf_counter(); from casestd.codes import generate; "
    "generate.languages(); generate.countries(); print(time.perf_counter() - t)"
)
IMPORT = "import time; t = time.perf_counter(); import casestd; print(time.perf_counter() - t)"


def timed(code: str, runs: int) -> float:
    """Median seconds the snippet prints over ``runs`` fresh interpreters."""
    found = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, check=True, text=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    baseline = timed(FROM_CLDR, runs)
    widths = (44, 10, 8)
    print(table_row("first load of country + language", "ms", "ratio", widths=widths))
    print(
        table_row(
            "built from pycountry + Babel (baseline)",
            f"{baseline * 1000:.1f}",
            "1.00",
            widths=widths,
        )
    )
    files = timed(FROM_FILES, runs)
    print(
        table_row(
            "read from the generated data files",
            f"{files * 1000:.1f}",
            f"{files / baseline:.2f}",
            widths=widths,
        )
    )
    whole = timed(IMPORT, runs)
    print(
        table_row(
            "import casestd (for scale)",
            f"{whole * 1000:.1f}",
            f"{whole / baseline:.2f}",
            widths=widths,
        )
    )


if __name__ == "__main__":
    main()
