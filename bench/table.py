"""What the benchmark scripts share: printing result tables, measuring a command."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: MB means 10**6 bytes in every benchmark.
MB = 1_000_000

#: Run in a fresh interpreter: runs the command given as JSON in argv[1] with
#: stdout to /dev/null and prints its wall time and peak RSS (RUSAGE_CHILDREN
#: of this small process is that one command's).
_WRAPPER = """
import json, os, resource, subprocess, sys, time
command = json.loads(sys.argv[1])
with open(os.devnull, "wb") as sink:
    start = time.perf_counter()
    code = subprocess.run(command, stdout=sink, check=False).returncode
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"returncode": code, "seconds": seconds, "maxrss": usage.ru_maxrss, "cpu": cpu}))
"""


def table_row(*cells: object, widths: Sequence[int], cell: Callable[[object], str] = str) -> str:
    """One table line: the first cell left-aligned, the others right-aligned."""
    first, *rest = [cell(value) for value in cells]
    line = [first.ljust(widths[0])]
    line += [text.rjust(width) for text, width in zip(rest, widths[1:], strict=True)]
    return "  " + "  ".join(line)


@dataclass
class Run:
    """A command's exit status, wall time, peak RSS (in MB) and CPU seconds (all its
    processes: user and system time)."""

    returncode: int
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0


def measure(command: Sequence[str]) -> Run:
    """Run ``command`` under a fresh wrapper process and read only its peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, json.dumps(list(command))],
        stdout=subprocess.PIPE,
        check=True,
        text=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    # ru_maxrss is KiB on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(
        int(data["returncode"]),
        float(data["seconds"]),
        data["maxrss"] * scale / MB,
        float(data["cpu"]),
    )
