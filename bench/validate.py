"""Benchmark of child-record validation: throughput and streaming memory.

What it measures, in one run:

1. Throughput (records per second of the best of ``--repeat`` rounds, timed
   with ``time.perf_counter``) on one list of ``--records`` child payloads. The list
   is built from a pool of about ``--pool`` distinct payloads drawn from
   ``casestd.testing.payloads("child")`` with hypothesis seeded by ``--seed``
   (the same pool every run: jsonschema's speed depends on what the records
   hold, most of all how many languages), repeated with a fresh uuid4 ``id``
   for every record. On that list it times

   * ``casestd.validate("child", payload)`` on the dicts,
   * bare ``Child.model_validate(payload)`` on the same dicts,
   * ``casestd.validate`` and bare ``Child.model_validate_json`` on the JSON
     text (UTF-8 bytes) of the same records,
   * jsonschema's ``Draft202012Validator(casestd.schema.json_schema("child"),
     format_checker=...).is_valid(payload)`` on the first
     ``--jsonschema-records`` dicts (it is slow; the rate is per second all the
     same): the model's JSON Schema as casestd publishes it, which checks the
     per-type identifier and phone formats casestd checks too. For reference it
     also times jsonschema on pydantic's own ``Child.model_json_schema()``.

   Targets: casestd / bare pydantic >= 0.5 (on dicts and on JSON) and
   casestd / jsonschema >= 20 (on dicts). Each ratio is the median of the
   ratios of the rounds, per record; in a round, each side's items are cut
   into the same number of slices, and the slices of casestd and of its
   baseline are timed back to back, which one goes first alternating
   (`paired`), so that both meet the same moments of a noisy machine. Against
   pydantic both sides have the same items. Against jsonschema, casestd
   validates all ``--records`` dicts and jsonschema the first
   ``--jsonschema-records``: both lists cycle through the same pool, and a
   slice of each side then lasts tens of milliseconds. (Timed on the same
   1,000 dicts, a slice of casestd lasted 2.5 ms right after 40 ms of
   jsonschema, and ran about a fifth slower than in the pydantic pair: the
   caches were still full of jsonschema's code and data.)

   Beside them, the cross-field rules alone on the same records: casestd's own
   (``validation.rule_findings`` on the typed records) and their published CEL
   form through Google's engine (``casestd.rules.cel.CelEngine("child")
   .findings`` on the dicts, every portable rule; needs ``casestd[cel]``),
   printed as the ratio CEL / casestd's rules, with no target: the CEL path is
   for other systems and for the conformance tests, not casestd's default.

2. Peak memory of streaming a JSON Lines file of ``--stream-records`` child
   records through the command line,
   ``python -m casestd validate --entity child --format json FILE`` (output to
   /dev/null). Each command runs under a fresh, small wrapper process that
   reads ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` after it ends, so
   the figure is that command's peak RSS alone. The same is measured for a
   baseline process that only imports casestd and builds the child model, and
   for a stream one tenth of the size: the two stream peaks should be about
   equal, since JSON Lines is read in constant memory. Targets: peak under
   200 MB, and the full stream's peak within 10 % (or 10 MB) of the tenth's.
   MB here is 10**6 bytes.

3. Hostile input through the command line, each under the same wrapper:

   * one JSON Lines record of 14 MB, ``{"names": [0,0,...]}`` with 7 million
     items that are each wrong (the reproduction of issue 9): validation stops
     collecting findings, so the target is under 2 s wall time (interpreter start
     included) and under 300 MB peak RSS;
   * a JSON array of ``--array-records`` child records (100,000), streamed item by
     item: target peak RSS under 100 MB.

   The cost of detecting duplicate keys is printed beside them: jiter's parse
   with ``catch_duplicate_keys`` against the same parse without, per record.

The exit status is 0 when every target passes and 1 otherwise.

Run it from the repository root with the project's virtual environment::

    python bench/validate.py               # full run: 20,000 records, 1,000,000 streamed
    python bench/validate.py --quick       # 5,000 records, 100,000 streamed
    python bench/validate.py --records 50000 --stream-records 2000000
    python bench/validate.py --quick --profile 20   # plus a cProfile of casestd.validate

The stream files go to a temporary directory (``--tmpdir``, default the
system's) and are deleted afterwards; the full one is about 0.7 GB.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import itertools
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import hypothesis
import jiter
import pydantic
from hypothesis import HealthCheck, Phase, given, settings
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import casestd
from casestd.rules import RuleContext
from casestd.rules.cel import CelEngine
from casestd.schema import codes_schema, json_schema
from casestd.schema.export import inline_codes
from casestd.testing import payloads
from casestd.validation import rule_findings

from table import MB, Run, measure, table_row

Payload = dict[str, Any]
ENTITY = "child"

RATIO_PYDANTIC = 0.5
HOSTILE_SECONDS = 2.0
HOSTILE_PEAK_MB = 300.0
ARRAY_PEAK_MB = 100.0
#: Items of the hostile record: 7 million, about 14 MB of text.
HOSTILE_ITEMS = 7_000_000
RATIO_JSONSCHEMA = 20.0
PEAK_LIMIT_MB = 200.0
#: The full stream's peak may exceed the tenth's by this fraction, or by GROWTH_SLACK_MB.
GROWTH_FRACTION = 0.10
GROWTH_SLACK_MB = 10.0

# -- data ----------------------------------------------------------------------


def _shape(payload: Payload) -> str:
    """The payload without its id, as canonical JSON: what makes two payloads distinct."""
    return json.dumps({k: v for k, v in payload.items() if k != "id"}, sort_keys=True)


def draw_pool(size: int, seed: int = 0, rounds: int = 5) -> list[Payload]:
    """About ``size`` payloads, distinct apart from their ids, from the hypothesis strategy,
    the same for the same ``seed`` (and versions of hypothesis and casestd)."""
    drawn: list[Payload] = []
    seen: set[str] = set()
    pool: list[Payload] = []
    for round_ in range(rounds):
        missing = size - len(pool)
        if missing <= 0:
            break

        @hypothesis.seed(seed * rounds + round_)
        @settings(
            max_examples=max(missing * 3 // 2, 10),
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
        @given(payloads(ENTITY))
        def collect(payload: Payload) -> None:
            drawn.append(payload)

        collect()
        for payload in drawn:
            key = _shape(payload)
            if key not in seen and len(pool) < size:
                seen.add(key)
                pool.append(payload)
        drawn.clear()
    return pool


def with_fresh_ids(pool: Sequence[Payload], count: int) -> list[Payload]:
    """``count`` records cycling through ``pool``, each with a new uuid4 id."""
    return [{**pool[i % len(pool)], "id": str(uuid.uuid4())} for i in range(count)]


def to_json(payload: Payload) -> bytes:
    """The JSON text of a payload, UTF-8, non-ASCII kept as is (as files hold it)."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def write_jsonl(path: Path, pool: Sequence[Payload], count: int) -> None:
    """Write ``count`` records cycling through ``pool`` as JSON Lines, each with a new id."""
    # every record is '{"id": "<uuid>", ' + the rest of its pool payload's JSON
    tails = []
    for payload in pool:
        rest = to_json({k: v for k, v in payload.items() if k != "id"})
        if rest == b"{}":
            raise ValueError("a payload with nothing but an id")
        tails.append(rest[1:] + b"\n")
    with path.open("wb", buffering=1024 * 1024) as out:
        chunk: list[bytes] = []
        for i in range(count):
            chunk.append(b'{"id": "%s", %s' % (str(uuid.uuid4()).encode(), tails[i % len(tails)]))
            if len(chunk) == 10_000:
                out.writelines(chunk)
                chunk.clear()
        out.writelines(chunk)


# -- throughput ----------------------------------------------------------------


def _parse_checked(text: bytes) -> object:
    return jiter.from_json(text, catch_duplicate_keys=True)


Measure = tuple[str, Callable[[Any], object], Sequence[Any]]


def _elapsed(check: Callable[[Any], object], items: Sequence[Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    for item in items:
        check(item)
    return time.perf_counter() - start


def timings(measures: Sequence[Measure], repeat: int) -> dict[str, list[float]]:
    """Seconds of each of ``repeat`` runs of every measure over its items.

    The runs go in rounds, one run of every measure per round, so that a slow
    spell of the machine does not fall on one measure alone.
    """
    _warm(measures)
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in measures}
    for _ in range(repeat):
        for name, check, items in measures:
            seconds[name].append(_elapsed(check, items))
    return seconds


def _warm(measures: Sequence[Measure]) -> None:
    for _, check, items in measures:
        for item in items[:100]:  # warm caches
            check(item)


@dataclass
class Pair:
    """A ratio target: casestd against its baseline, on items drawn alike."""

    name: str
    casestd: Measure
    baseline: Measure
    chunks: int = 10


def slices(items: Sequence[Any], count: int) -> list[Sequence[Any]]:
    """``items`` cut into ``count`` consecutive slices as even as can be (none empty).

    >>> [len(part) for part in slices(range(10), 4)]
    [2, 3, 2, 3]
    """
    count = max(1, min(count, len(items)))
    bounds = [len(items) * index // count for index in range(count + 1)]
    return [items[start:end] for start, end in itertools.pairwise(bounds)]


def paired(pairs: Sequence[Pair], repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """Seconds of ``repeat`` rounds of each pair: (casestd's, the baseline's), per round.

    In a round, each side's items are cut into ``chunks`` slices, and the slices
    of the two sides are timed back to back, which goes first alternating from
    slice to slice. The two sides of a round thus meet the same moments of a
    noisy machine, tens of milliseconds apart, and the round's ratio is fair even
    when the machine's speed changes from one second to the next.
    """
    _warm([m for pair in pairs for m in (pair.casestd, pair.baseline)])
    seconds: dict[str, tuple[list[float], list[float]]] = {p.name: ([], []) for p in pairs}
    for round_ in range(repeat):
        for pair in pairs:
            (_, ours, our_items), (_, theirs, their_items) = pair.casestd, pair.baseline
            count = min(pair.chunks, len(our_items), len(their_items))
            ours_cut, theirs_cut = slices(our_items, count), slices(their_items, count)
            spent = [0.0, 0.0]
            for index, parts in enumerate(zip(ours_cut, theirs_cut, strict=True)):
                order = [(0, ours), (1, theirs)]
                if (index + round_) % 2:
                    order.reverse()
                for side, check in order:
                    spent[side] += _elapsed(check, parts[side])
            seconds[pair.name][0].append(spent[0])
            seconds[pair.name][1].append(spent[1])
    return seconds


def round_ratios(pair: Pair, ours: Sequence[float], theirs: Sequence[float]) -> list[float]:
    """casestd's speed over the baseline's in each round, per record: the baseline's
    seconds a record over casestd's."""
    own_items, base_items = len(pair.casestd[2]), len(pair.baseline[2])
    return [(base / base_items) / (own / own_items) for own, base in zip(ours, theirs, strict=True)]


@dataclass
class Check:
    """One target: a measured value, how it compares with its limit, and the outcome."""

    name: str
    value: float
    target: str
    passed: bool


def _verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


# -- memory --------------------------------------------------------------------


def cli_command(path: Path) -> list[str]:
    """The streaming command measured."""
    return [sys.executable, "-m", "casestd", "validate", "--entity", ENTITY, "--format", "json",
            str(path)]  # fmt: skip


# -- report --------------------------------------------------------------------


def _cell(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.1f}"


def _row(*cells: object, widths: Sequence[int]) -> str:
    return table_row(*cells, widths=widths, cell=_cell)


def print_header() -> None:
    """Versions and the machine."""
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    print("casestd validation benchmark")
    print(f"  python      {platform.python_version()} ({platform.python_implementation()})")
    print(f"  pydantic    {pydantic.VERSION} (pydantic-core {version('pydantic-core')})")
    print(f"  jsonschema  {version('jsonschema')}")
    print(f"  casestd     {casestd.__version__}")
    print(f"  cpus        {cores} (usable: {usable}); {platform.machine()} {platform.system()}")
    print()


def _profile(check: Callable[[Any], object], items: Sequence[Any], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for item in items:
        check(item)
    profiler.disable()
    print(f"cProfile of casestd.validate on {len(items):,} dicts (top {top} by own time)")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(top)


def throughput(args: argparse.Namespace, pool: Sequence[Payload]) -> list[Check]:
    """Part 1: in-process records per second and the ratios."""
    model = casestd.ENTITIES[ENTITY]
    records = with_fresh_ids(pool, args.records)
    texts = [to_json(record) for record in records]
    subset = records[: args.jsonschema_records]
    # the published schema (casestd.schema.json_schema): the model's JSON Schema as
    # integrators get it, with the per-type identifier and phone patterns casestd also
    # checks; pydantic's own output of the model is timed beside it for reference
    schema = Draft202012Validator(
        inline_codes(json_schema(ENTITY), codes_schema()),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    raw_schema = Draft202012Validator(
        model.model_json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    validate = functools.partial(casestd.validate, ENTITY)
    typed = [model.model_validate(r) for r in records]
    context = RuleContext()
    own_rules = functools.partial(rule_findings, ENTITY, context=context, lang="en")
    cel_rules = functools.partial(CelEngine(ENTITY).findings, context=context)

    invalid = sum(not validate(r).ok for r in records) + sum(not validate(t).ok for t in texts)
    rejected = sum(not schema.is_valid(r) for r in subset)
    if invalid or rejected:
        print(f"  warning: casestd found {invalid} invalid, jsonschema rejected {rejected}")

    pairs = [
        Pair(
            "casestd / pydantic (dict)",
            ("casestd.validate(dict)", validate, records),
            ("Child.model_validate(dict)", model.model_validate, records),
        ),
        Pair(
            "casestd / pydantic (JSON)",
            ("casestd.validate(JSON bytes)", validate, texts),
            ("Child.model_validate_json(bytes)", model.model_validate_json, texts),
        ),
        Pair(
            "casestd / jsonschema (dict)",
            ("casestd.validate(dict), beside jsonschema", validate, records),
            ("jsonschema is_valid(dict)", schema.is_valid, subset),
        ),
    ]
    measures: list[Measure] = [
        ("jiter parse, duplicate keys checked", _parse_checked, texts),
        ("jiter parse, not checked", jiter.from_json, texts),
        ("jsonschema, pydantic's schema", raw_schema.is_valid, subset),
        ("casestd's rules alone (typed)", own_rules, typed),
        ("the rules in CEL (cel-expr-python)", cel_rules, records),
    ]
    print(
        f"1. throughput in process ({args.repeat} rounds, time.perf_counter; "
        "records/s of the best round)",
        flush=True,
    )
    by_pair = paired(pairs, args.repeat)
    seconds = timings(measures, args.repeat)
    for pair in pairs:
        seconds[pair.casestd[0]], seconds[pair.baseline[0]] = by_pair[pair.name]
    widths: tuple[int, ...] = (38, 9, 12, 9)
    print(_row("measure", "records", "records/s", "spread %", widths=widths))
    rates: dict[str, float] = {}
    for name, _, items in [m for p in pairs for m in (p.casestd, p.baseline)] + measures:
        best, worst = min(seconds[name]), max(seconds[name])
        rates[name] = len(items) / best
        print(_row(name, len(items), rates[name], 100 * (worst - best) / best, widths=widths))
    print("  (spread: how much slower the worst round was than the best)")
    cost = 1e6 * (
        1 / rates["jiter parse, duplicate keys checked"] - 1 / rates["jiter parse, not checked"]
    )
    print(f"  checking duplicate keys costs {cost:.2f} µs per record")
    cel_ratio = rates["the rules in CEL (cel-expr-python)"] / rates["casestd's rules alone (typed)"]
    print(f"  the rules in CEL / casestd's rules: {cel_ratio:.2f} (no target)")
    print()

    limits = {
        "casestd / pydantic (dict)": RATIO_PYDANTIC,
        "casestd / pydantic (JSON)": RATIO_PYDANTIC,
        "casestd / jsonschema (dict)": RATIO_JSONSCHEMA,
    }
    checks = []
    widths = (34, 9, 15, 10, 6)
    print(_row("ratio (median of the rounds)", "value", "rounds' range", "target", "result",
               widths=widths))  # fmt: skip
    for pair in pairs:
        ratios = round_ratios(pair, *by_pair[pair.name])
        value, limit = statistics.median(ratios), limits[pair.name]
        check = Check(pair.name, value, f">= {limit:g}", value >= limit)
        checks.append(check)
        spread = f"{min(ratios):.2f}–{max(ratios):.2f}"
        print(_row(check.name, value, spread, check.target, _verdict(check.passed),
                   widths=widths))  # fmt: skip
    print()
    if args.profile:
        _profile(validate, records, args.profile)
    return checks


def streaming(args: argparse.Namespace, pool: Sequence[Payload]) -> list[Check]:
    """Part 2: peak RSS and speed of streaming JSON Lines through the CLI."""
    print("2. streaming JSON Lines through the CLI (wall time includes interpreter start):")
    print("   python -m casestd validate --entity child --format json FILE > /dev/null")
    full = args.stream_records
    tenth = max(full // 10, 1)
    baseline = measure([sys.executable, "-c", "import casestd; casestd.validate('child', {})"])
    runs: list[tuple[str, int, Run]] = []
    with tempfile.TemporaryDirectory(prefix="casestd-bench-", dir=args.tmpdir) as folder:
        for label, count in (("stream 1/10", tenth), ("stream", full)):
            path = Path(folder) / f"child-{count}.jsonl"
            start = time.perf_counter()
            write_jsonl(path, pool, count)
            size = path.stat().st_size
            print(
                f"  wrote {count:,} records ({size / MB:,.0f} MB) "
                f"in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            runs.append((label, count, measure(cli_command(path))))
            path.unlink()

    widths: tuple[int, ...] = (26, 10, 8, 10, 12, 14)
    head = ("run", "records", "wall s", "records/s", "peak RSS MB", "minus baseline")
    print(_row(*head, widths=widths))
    base = ("baseline (import, model)", "-", baseline.seconds, "-", baseline.peak_mb, "-")
    print(_row(*base, widths=widths))
    for label, count, run in runs:
        extra = run.peak_mb - baseline.peak_mb
        rate = count / run.seconds
        print(_row(label, count, run.seconds, rate, run.peak_mb, extra, widths=widths))
    print()

    small, large = runs[0][2], runs[1][2]
    allowed = max(small.peak_mb * GROWTH_FRACTION, GROWTH_SLACK_MB)
    growth = large.peak_mb - small.peak_mb
    checks = [
        Check(
            f"stream peak RSS MB ({full:,} records)",
            large.peak_mb,
            f"< {PEAK_LIMIT_MB:g}",
            large.peak_mb < PEAK_LIMIT_MB,
        ),
        Check("peak growth MB, full vs 1/10", growth, f"<= {allowed:.1f}", growth <= allowed),
    ]
    for label, _, run in runs:
        if run.returncode != 0:
            checks.append(Check(f"{label}: CLI exit status", run.returncode, "0", False))
    widths = (34, 9, 10, 6)
    print(_row("check", "value", "target", "result", widths=widths))
    for check in checks:
        print(_row(check.name, check.value, check.target, _verdict(check.passed), widths=widths))
    print()
    return checks


def write_array(path: Path, pool: Sequence[Payload], count: int) -> None:
    """Write ``count`` records cycling through ``pool`` as one JSON array, one item a line."""
    with path.open("wb", buffering=1024 * 1024) as out:
        out.write(b"[\n")
        for i in range(count):
            record = {**pool[i % len(pool)], "id": str(uuid.uuid4())}
            out.write(to_json(record) + (b",\n" if i < count - 1 else b"\n"))
        out.write(b"]\n")


def hostile(args: argparse.Namespace, pool: Sequence[Payload]) -> list[Check]:
    """Part 3: a pathological record and a large array through the CLI."""
    print("3. hostile input through the CLI (wall time includes interpreter start):")
    runs: list[tuple[str, int, Run]] = []
    with tempfile.TemporaryDirectory(prefix="casestd-bench-", dir=args.tmpdir) as folder:
        record = Path(folder) / "pathological.jsonl"
        record.write_bytes(b'{"names": [' + b",".join([b"0"] * HOSTILE_ITEMS) + b"]}\n")
        runs.append(("14 MB record, 7M bad items", 1, measure(cli_command(record))))
        array = Path(folder) / "array.json"
        write_array(array, pool, args.array_records)
        size = array.stat().st_size
        print(f"  wrote a JSON array of {args.array_records:,} records ({size / MB:,.0f} MB)")
        runs.append(
            (f"array of {args.array_records:,}", args.array_records, measure(cli_command(array)))
        )

    widths: tuple[int, ...] = (30, 10, 8, 10, 12)
    print(_row("run", "records", "wall s", "records/s", "peak RSS MB", widths=widths))
    for label, count, run in runs:
        print(_row(label, count, run.seconds, count / run.seconds, run.peak_mb, widths=widths))
    print()
    (_, _, bad), (_, _, big) = runs
    checks = [
        Check("14 MB record: wall s", bad.seconds, f"< {HOSTILE_SECONDS:g}",
              bad.seconds < HOSTILE_SECONDS),
        Check("14 MB record: peak RSS MB", bad.peak_mb, f"< {HOSTILE_PEAK_MB:g}",
              bad.peak_mb < HOSTILE_PEAK_MB),
        Check("14 MB record: exit status", bad.returncode, "1", bad.returncode == 1),
        Check(f"array of {args.array_records:,}: peak MB", big.peak_mb, f"< {ARRAY_PEAK_MB:g}",
              big.peak_mb < ARRAY_PEAK_MB),
        Check(f"array of {args.array_records:,}: exit", big.returncode, "0", big.returncode == 0),
    ]  # fmt: skip
    widths = (34, 9, 10, 6)
    print(_row("check", "value", "target", "result", widths=widths))
    for check in checks:
        print(_row(check.name, check.value, check.target, _verdict(check.passed), widths=widths))
    print()
    return checks


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options, with --quick filling in the smaller defaults."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        epilog="Exit status 0 when every target passes, 1 otherwise.",
    )
    parser.add_argument("--records", type=int, help="records timed in process (20,000)")
    parser.add_argument("--pool", type=int, help="distinct generated payloads (1,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the pool (0)")
    parser.add_argument(
        "--stream-records", type=int, help="records streamed through the CLI (1,000,000)"
    )
    parser.add_argument(
        "--jsonschema-records", type=int, default=1000, help="records timed with jsonschema"
    )
    parser.add_argument(
        "--array-records", type=int, help="records of the streamed JSON array (100,000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=9, help="rounds (9); each ratio is the median of the rounds'"
    )
    parser.add_argument(
        "--quick", action="store_true", help="5,000 records, pool 250, 100,000 streamed"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print cProfile top N")
    parser.add_argument("--tmpdir", help="where to write the stream files")
    args = parser.parse_args(argv)
    quick = {"records": 5_000, "pool": 250, "stream_records": 100_000, "array_records": 100_000}
    full = {"records": 20_000, "pool": 1_000, "stream_records": 1_000_000, "array_records": 100_000}
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    for key in (
        "records",
        "pool",
        "stream_records",
        "array_records",
        "jsonschema_records",
        "repeat",
    ):
        if getattr(args, key) < 1:
            parser.error(f"--{key.replace('_', '-')} must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measure, print the tables, return the exit status."""
    args = parse_args(argv)
    print_header()
    start = time.perf_counter()
    pool = draw_pool(args.pool, args.seed)
    languages = sum(len(p.get("languages") or ()) for p in pool) / len(pool)
    print(
        f"pool: {len(pool):,} distinct child payloads (seed {args.seed}) drawn in "
        f"{time.perf_counter() - start:.1f} s (mean JSON size "
        f"{sum(len(to_json(p)) for p in pool) / len(pool):,.0f} bytes, "
        f"{languages:.2f} languages a record)"
    )
    print()
    checks = throughput(args, pool) + streaming(args, pool) + hostile(args, pool)
    failed = [check.name for check in checks if not check.passed]
    total = time.perf_counter() - start
    print(f"{len(checks) - len(failed)}/{len(checks)} targets pass ({total:.0f} s in all)")
    for name in failed:
        print(f"  FAIL: {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
