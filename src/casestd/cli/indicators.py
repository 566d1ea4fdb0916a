"""``casestd indicators list|compute|sample``: the National Action Plan indicators."""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any

import attrs

from casestd.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    RecordReader,
    UsageError,
    entity_and_path,
)
from casestd.indicators import catalogue, dhis2, outputs
from casestd.indicators import report as html_report
from casestd.indicators.compute import Plan, plan, summarise
from casestd.indicators.disclosure import DEFAULT_THRESHOLD, DisclosureWarning, publish
from casestd.indicators.period import Period, PeriodError
from casestd.indicators.population import Population, PopulationError
from casestd.indicators.variables import Collector
from casestd.version import LANGUAGES

COMPUTE_FORMATS = ("table", "json", "csv", "xlsx", "dhis2", "dhis2-csv", "sdmx-csv", "html")
LIST_FORMATS = ("table", "json", "dhis2-metadata", "dhis2-mapping", "sdmx-structure")
#: Formats that need an extra, and the extra.
_EXTRAS = {"xlsx": "workbook", "sdmx-csv": "sdmx", "sdmx-structure": "sdmx"}
#: Quarters of trend the HTML report draws unless --trend says otherwise.
HTML_TREND = 8


def add_parser(commands: Any) -> None:
    """Add the ``indicators`` subcommand."""
    parser = commands.add_parser(
        "indicators",
        help="compute the National Action Plan indicators",
        description="The National Action Plan indicator catalogue: list it, or compute it "
        "from case records with disclosure control.",
    )
    sub = parser.add_subparsers(dest="indicators_command", required=True, parser_class=type(parser))
    listing = sub.add_parser(
        "list",
        help="list the indicator catalogue",
        description="Print the catalogue, or the DHIS2 metadata and code "
        "mapping generated from it.",
    )
    listing.add_argument(
        "--format", choices=LIST_FORMATS, default="table", help="output format (default table)"
    )
    listing.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the text")
    sample = sub.add_parser(
        "sample",
        help="write generated casework to try the indicators on",
        description="Write synthetic counter-trafficking casework (2024-2025: victims with "
        "their cases, referrals, services and child-protection cases, and the organisation "
        "register) as one JSON Lines file per entity in DIR, and print the paths, for "
        "`casestd indicators compute`. The persons are made up (casestd.testing.casework); "
        "some victims are identified twice, some dates are missing, on purpose.",
    )
    sample.add_argument("folder", metavar="DIR", help="folder to write (created if missing)")
    sample.add_argument(
        "--victims", type=int, default=2000, metavar="N", help="victims (default 2000)"
    )
    sample.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    run = sub.add_parser(
        "compute",
        help="compute indicators from records",
        description="Compute indicators from records of any entities. Each FILE is JSON or "
        "JSON Lines of one entity, named by ENTITY=FILE, by its file name "
        "(trafficking_victim.jsonl) or by its folder (case/x.json). Invalid records are "
        "counted by rule and not used. Small counts are suppressed (see docs/indicators.md). "
        "Exit 0 when every record is valid, 1 when some are invalid, 2 for a usage error or "
        "unreadable input.",
    )
    run.add_argument("files", nargs="+", metavar="FILE", help="[ENTITY=]FILE")
    run.add_argument("--period", required=True, help="2025, 2025Q1, 2025-03 or 2023-01..2025-12")
    run.add_argument(
        "--by",
        action="append",
        default=None,
        metavar="BREAKDOWN[,...]",
        help="breakdowns to compute (default: each indicator's own)",
    )
    run.add_argument(
        "--indicator",
        action="append",
        default=None,
        metavar="ID",
        help="indicators to compute (default: all)",
    )
    run.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="[ID.]NAME=N",
        help="change a parameter, e.g. early_assistance.days=5",
    )
    run.add_argument("--population", metavar="CSV", help="population figures for rates")
    run.add_argument(
        "--trend",
        type=int,
        default=None,
        metavar="N",
        help=f"also compute the totals of the last N quarters (html: {HTML_TREND} unless given)",
    )
    run.add_argument(
        "--threshold",
        type=int,
        default=DEFAULT_THRESHOLD,
        metavar="K",
        help=f"suppress counts from 1 to K-1 (default {DEFAULT_THRESHOLD})",
    )
    run.add_argument(
        "--no-disclosure-control",
        action="store_true",
        help="PUBLISHES SMALL COUNTS: turn suppression off (warns); for use "
        "inside the ministry only",
    )
    run.add_argument(
        "--format", choices=COMPUTE_FORMATS, default="table", help="output format (default table)"
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        metavar="N",
        help="read the files in N processes (default 2, or 1 on one CPU)",
    )
    run.add_argument("--dhis2-mapping", metavar="JSON", help="DHIS2 code mapping to use")
    run.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    run.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the text")


def list_catalogue(fmt: str, lang: str, out: IO[str]) -> int:
    """Print the catalogue in ``fmt``."""
    if fmt == "json":
        out.write(json.dumps(catalogue.publish(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "dhis2-metadata":
        out.write(json.dumps(dhis2.metadata(lang), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "dhis2-mapping":
        out.write(json.dumps(dhis2.mapping(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "sdmx-structure":
        _needs_extra(fmt)
        from casestd.indicators import sdmx

        sdmx.write_structure(out, lang)
    else:
        for indicator in catalogue.indicators():
            out.write(
                f"{indicator.id:<32} {indicator.area:<12} {indicator.unit:<16} "
                f"{indicator.title(lang)}\n"
            )
    return EXIT_OK


def write_sample(folder: str, victims: int, seed: int, out: IO[str]) -> int:
    """Write ``victims`` victims' generated casework into ``folder``; print the paths."""
    from casestd.testing.casework import iter_casework, write_jsonl

    if victims < 1:
        raise UsageError("--victims must be 1 or more")
    records = ((entity, payload) for entity, payload, _ in iter_casework(victims, seed=seed))
    try:
        paths = write_jsonl(records, Path(folder))
    except OSError as error:
        raise UsageError(f"{folder}: {error.strerror}") from None
    out.writelines(f"{path}\n" for path in paths)
    return EXIT_OK


def _needs_extra(fmt: str) -> None:
    """A usage error, not a traceback, when the format's extra is not installed."""
    module = {"workbook": "openpyxl", "sdmx": "pysdmx"}[_EXTRAS[fmt]]
    try:
        __import__(module)
        if module == "pysdmx":
            __import__("pysdmx.io.pd")  # pandas and pyarrow, from pysdmx's data extra
    except ImportError:
        raise UsageError(
            f"--format {fmt} needs the {_EXTRAS[fmt]} extra: pip install 'casestd[{_EXTRAS[fmt]}]'"
        ) from None


def _parameters(values: Sequence[str]) -> dict[str, int]:
    found = {}
    for value in values:
        name, sep, number = value.partition("=")
        try:
            found[name.strip()] = int(number)
        except ValueError:
            raise UsageError(f"--param {value}: give NAME=N with a whole number") from None
        if not sep:
            raise UsageError(f"--param {value}: give NAME=N")
    return found


def _selection(args: Any) -> tuple[Period, list[str] | None, int]:
    """The period, breakdowns and trend asked for; a UsageError for anything unknown."""
    try:
        period = Period.parse(args.period)
    except PeriodError as error:
        raise UsageError(f"--period: {error}") from None
    if args.threshold < 2:
        raise UsageError("--threshold must be at least 2")
    if args.format in _EXTRAS:
        _needs_extra(args.format)
    if args.format == "xlsx" and not args.out:
        raise UsageError("--format xlsx writes a binary file: give --out FILE.xlsx")
    trend = args.trend if args.trend is not None else (HTML_TREND if args.format == "html" else 0)
    if trend < 0:
        raise UsageError("--trend must be 0 or more")
    by = [name for item in args.by for name in item.split(",") if name] if args.by else None
    known = {b.id for b in catalogue.breakdowns()}
    for name in by or ():
        if name not in known:
            raise UsageError(f"--by: no breakdown {name!r} (known: {', '.join(sorted(known))})")
    for name in args.indicator or ():
        if name not in catalogue.ids():
            raise UsageError(f"--indicator: no indicator {name!r}")
    return period, by, trend


def _population(path: str | None) -> Population | None:
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as stream:
            return Population.read(stream)
    except OSError as error:
        raise UsageError(f"--population: {error.strerror}") from None
    except PopulationError as error:
        raise UsageError(f"--population: {error}") from None


def _mapping(path: str | None) -> Any:
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        raise UsageError("--dhis2-mapping: cannot be read as JSON") from None


def _valid_records(
    reader: RecordReader, paths: Sequence[str], invalid: Counter[str], messages: list[str]
) -> Iterator[Any]:
    """The valid records of ``paths``; the invalid ones are counted by rule in ``invalid``,
    and what cannot be read is told in ``messages``."""
    for result in reader.results(paths):
        report = result.report
        if not result.record:  # an input that cannot be read, or holds no records
            messages += [
                f"casestd: {result.source}: [{finding.rule}] {finding.message}\n"
                for finding in report.findings
            ]
            continue
        if report.ok and report.record is not None:
            yield report.record
        else:
            for rule in sorted({f.rule for f in report.findings if f.severity == "error"}):
                invalid[rule] += 1
            invalid["records"] += 1


@attrs.frozen
class Part:
    """What one process read of some of the files: its collector, invalid records, messages."""

    collector: Collector
    invalid: Counter[str]
    messages: list[str]
    unreadable: bool


def read_part(
    paths: Sequence[str],
    entities: dict[str, str],
    lang: str,
    planned: Plan,
    share: tuple[int, int] = (0, 1),
) -> Part:
    """Read and validate ``paths`` (the ``share`` of their records, see `RecordReader`)
    into a collector of ``planned``; in a worker process, or in the main one."""
    reader = RecordReader(entities, lang, share=share)
    collector = planned.collector()
    invalid: Counter[str] = Counter()
    messages: list[str] = []
    for record in _valid_records(reader, paths, invalid, messages):
        collector.add(record)
    return Part(collector, invalid, messages, reader.unreadable)


def _read(paths: Sequence[str], entities: dict[str, str], args: Any, planned: Plan) -> list[Part]:
    """The parts read by up to ``--jobs`` processes, each taking a share of every file's
    records (so that the work is even whatever the files' sizes and entities): this
    process reads the first share while the workers read the others."""
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    jobs = 1 if "-" in paths else args.jobs  # standard input can be read once only
    if jobs == 1:
        return [read_part(paths, entities, args.lang, planned)]
    with ProcessPoolExecutor(max_workers=jobs - 1) as pool:
        futures = [
            pool.submit(read_part, paths, entities, args.lang, planned, (k, jobs))
            for k in range(1, jobs)
        ]
        first = read_part(paths, entities, args.lang, planned, (0, jobs))
        return [first, *(future.result() for future in futures)]


def _publish(published: Any, args: Any, out: IO[str], codes: Any) -> None:
    """Write the published figures in ``args.format``, to ``args.out`` or ``out``."""
    try:
        if args.format == "xlsx":
            from casestd.indicators import xlsx

            with open(args.out, "wb") as binary:
                xlsx.write(published, binary, args.lang)
        elif args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as target:
                _write(published, args.format, target, args.lang, codes)
        else:
            _write(published, args.format, out, args.lang, codes)
    except dhis2.MappingError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"--out: {error.strerror}") from None


def compute_files(args: Any, out: IO[str], err: IO[str]) -> int:
    """Run ``casestd indicators compute``; returns the exit status."""
    period, by, trend = _selection(args)
    specs = [entity_and_path(spec) for spec in args.files]
    population = _population(args.population)
    codes = _mapping(args.dhis2_mapping)
    try:
        planned = plan(
            period=period,
            by=by,
            indicators=args.indicator,
            parameters=_parameters(args.param),
            trend=trend,
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    parts = _read([path for _, path in specs], {path: e for e, path in specs}, args, planned)
    collector = parts[0].collector
    invalid: Counter[str] = Counter()
    for part in parts:
        if part is not parts[0]:
            collector.merge(part.collector)
        invalid.update(part.invalid)
        err.writelines(part.messages)
    result = summarise(planned, collector, population=population, invalid=invalid)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DisclosureWarning)
        published = publish(result, None if args.no_disclosure_control else args.threshold)
    for warning in caught:
        err.write(f"casestd: warning: {warning.message}\n")
    _publish(published, args, out, codes)
    if any(part.unreadable for part in parts):
        return EXIT_UNREADABLE
    return EXIT_INVALID if invalid else EXIT_OK


def _write(result: Any, fmt: str, out: IO[str], lang: str, codes: Any) -> None:
    if fmt == "json":
        outputs.write_json(result, out, lang)
    elif fmt == "csv":
        outputs.write_csv(result, out, lang)
    elif fmt == "dhis2":
        dhis2.write_json(result, out, codes)
    elif fmt == "dhis2-csv":
        dhis2.write_csv(result, out, codes)
    elif fmt == "sdmx-csv":
        from casestd.indicators import sdmx

        sdmx.write_csv(result, out)
    elif fmt == "html":
        html_report.write(result, out, lang)
    else:
        outputs.write_table(result, out, lang)


def run(args: Any) -> int:
    """Dispatch ``casestd indicators``."""
    if args.indicators_command == "list":
        return list_catalogue(args.format, args.lang, sys.stdout)
    if args.indicators_command == "sample":
        return write_sample(args.folder, args.victims, args.seed, sys.stdout)
    return compute_files(args, sys.stdout, sys.stderr)
