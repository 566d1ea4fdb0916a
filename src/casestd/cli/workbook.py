"""``casestd workbook``: the registration workbook of the district offices.

``template`` writes an empty workbook, ``export`` writes records into one,
``import`` reads filled workbooks back into validated records (findings with
cell references, never values), ``report`` the cross-district report of
duplicates, services and costs, ``xlsform`` the same form for KoboToolbox
and ODK Collect.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import BaseModel

from casestd.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    RecordReader,
    ResultStream,
    Tally,
    UsageError,
)
from casestd.model import ENTITIES
from casestd.version import LANGUAGES

if TYPE_CHECKING:
    from casestd.workbook.reading import Info
    from casestd.workbook.results import RowResult

WORKBOOK_HELP = "registration workbook: template, export, import, report, xlsform"


def add_parser(commands: Any) -> None:
    """Add the ``workbook`` subcommand and its own subcommands."""
    book = commands.add_parser(
        "workbook",
        help=WORKBOOK_HELP,
        description="The registration workbook of Yerevan's district offices, generated "
        "from the models: write the template, export records into it, import filled "
        "workbooks, report duplicates and costs across districts, write the XLSForm.",
    )
    jobs = book.add_subparsers(dest="workbook_command", required=True, parser_class=type(book))
    template = jobs.add_parser("template", help="write an empty registration workbook")
    template.add_argument("--out", required=True, metavar="FILE.xlsx", help="workbook to write")
    _language(template, "language of headers, drop-downs and instructions (default hy)", "hy")
    template.add_argument("--district", metavar="CODE", help="district office (yerevan_district)")
    template.add_argument("--agency", metavar="ID", help="agency id rows take when left empty")

    export = jobs.add_parser("export", help="write records into the workbook's layout")
    export.add_argument("files", nargs="+", metavar="RECORDS", help="JSON or JSON Lines files")
    export.add_argument("--out", required=True, metavar="FILE.xlsx", help="workbook to write")
    export.add_argument(
        "--entity",
        choices=("child", "family", "service"),
        help="entity of the records; if left out, taken from each file's name or folder "
        "(child.jsonl, examples/child/x.json)",
    )
    _language(export, "language of headers and labels (default hy)", "hy")
    export.add_argument("--district", metavar="CODE", help="district office (yerevan_district)")
    export.add_argument("--agency", metavar="ID", help="agency id of the district office")

    read = jobs.add_parser("import", help="read filled workbooks into validated records")
    read.add_argument("files", nargs="+", metavar="FILE", help=".xlsx/.xlsm workbooks or CSV")
    read.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    _language(read, "language of messages (default en)", "en")
    read.add_argument(
        "--out", metavar="DIR", help="write valid records as JSON Lines, one file per entity"
    )
    _report_parsers(jobs)


def _report_parsers(jobs: Any) -> None:
    """The ``report`` and ``xlsform`` subcommands."""
    form = jobs.add_parser(
        "xlsform",
        help="write the registration form as an XLSForm (KoboToolbox, ODK Collect)",
        description="Write one sheet of the registration workbook as an XLSForm (survey, "
        "choices, settings; labels in Armenian, Russian and English; choice lists from the "
        "code lists; constraints for the formats). Long lists (languages) are written as CSV "
        "files beside the form, to attach as media. `casestd workbook import` reads the "
        "CSV or XLSX exports of the form.",
    )
    form.add_argument("--out", required=True, metavar="FILE.xlsx", help="XLSForm to write")
    form.add_argument(
        "--sheet",
        choices=("children", "families", "services"),
        default="children",
        help="which records the form registers (children)",
    )
    _language(form, "the form's default language (hy)", "hy")
    report = jobs.add_parser(
        "report",
        help="cross-district report: duplicates, services given twice, budget table",
        description="Read the workbooks of several district offices and report the "
        "beneficiaries registered in more than one district (row references and the keys "
        "that matched; names only with --show-names), the services one person got from "
        "several districts over overlapping periods, and the budget table (cost in AMD by "
        "district, service type, funding source and month, with distinct beneficiaries) "
        "with a live bar chart of cost by district. Exit 0 when nothing is duplicated, 1 "
        "when something is, 2 for a usage error or an unreadable file.",
    )
    report.add_argument("files", nargs="+", metavar="FILE", help="the districts' workbooks")
    report.add_argument("--out", metavar="REPORT.xlsx", help="write the report as a workbook")
    report.add_argument(
        "--format", choices=("text", "json"), default="text", help="what to print (text)"
    )
    _language(report, "language of the report's labels and messages (default en)", "en")
    report.add_argument(
        "--show-names",
        action="store_true",
        help="PRINTS PERSONAL DATA: add the names of the duplicated beneficiaries",
    )
    report.add_argument(
        "--no-suppression",
        action="store_true",
        help="show counts of 1 to 10 beneficiaries in the budget table (internal use only)",
    )


def _language(parser: Any, text: str, default: str) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help=text)


def run(args: Any, out: IO[str], err: IO[str]) -> int:
    """Carry out ``casestd workbook ...``; returns the exit status."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise UsageError(
            "the workbook commands need the workbook extra: pip install 'casestd[workbook]'"
        ) from None
    command = args.workbook_command
    if command == "template":
        return write_template(args.out, args.lang, args.district, args.agency, out)
    if command == "export":
        return export_files(args.files, args.entity, args.out, args, out, err)
    if command == "import":
        return import_files(args.files, args.format, args.lang, args.out, out, err)
    if command == "report":
        return report_files(args, out)
    if command == "xlsform":
        from casestd.workbook.forms import xlsform

        try:
            written = xlsform(args.out, sheet=args.sheet, lang=args.lang)
        except OSError as error:
            raise UsageError(f"{args.out}: {error.strerror or 'cannot be written'}") from None
        out.write("".join(f"{path}\n" for path in written))
        return EXIT_OK
    raise AssertionError(f"unhandled workbook command {command}")  # pragma: no cover


def write_template(
    target: str, lang: str, district: str | None, agency: str | None, out: IO[str]
) -> int:
    """Write the template; return the exit status."""
    from casestd.workbook import template
    from casestd.workbook.layout import template_id

    try:
        template(target, lang=lang, district=district, agency=agency)
    except ValueError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{target}: {error.strerror or 'cannot be written'}") from None
    out.write(f"{target}: registration workbook, template {template_id()}\n")
    return EXIT_OK


def _export_entity(path: str, chosen: str | None) -> str:
    if chosen:
        return chosen
    stem, folder = Path(path).stem, Path(path).parent.name
    for name in (stem, folder):
        if name in ("child", "family", "service"):
            return name
    if stem in ENTITIES or folder in ENTITIES:
        raise UsageError(f"{path}: the workbook holds children, families and services only")
    raise UsageError(f"{path}: give --entity; neither the file name nor its folder names one")


def export_files(
    files: Sequence[str], entity: str | None, target: str, args: Any, out: IO[str], err: IO[str]
) -> int:
    """Export the valid records of ``files``; invalid ones are listed; returns the exit status."""
    from casestd.workbook import export
    from casestd.workbook.exporter import ExportError

    entities = {path: _export_entity(path, entity) for path in files}
    reader = RecordReader(entities, "en")
    invalid: list[str] = []

    def valid() -> Iterator[BaseModel]:
        for result in reader.results(files):
            report = result.report
            if report.ok and report.record is not None:
                yield report.record
            else:
                rules = sorted({f.rule for f in report.findings if f.severity == "error"})
                what = "not exported, invalid" if result.record else "unreadable"
                invalid.append(f"{result.source}: {what} [{', '.join(rules)}]")

    records = list(valid())
    try:
        export(records, target, lang=args.lang, district=args.district, agency=args.agency)
    except ExportError as error:
        raise UsageError(f"a record does not fit the workbook: {error}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    for line in invalid:
        out.write(line + "\n")
    out.write(f"{target}: {len(records)} records exported, {len(invalid)} invalid not exported\n")
    if reader.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if invalid else EXIT_OK


def _progress(err: IO[str]) -> Any:
    """A progress bar on ``err`` when it is a terminal; None otherwise."""
    if not getattr(err, "isatty", lambda: False)():
        return None
    from tqdm import tqdm

    return tqdm(file=err, unit=" rows", desc="import", leave=False)


class _Output:
    """Results as text (problems only) or as one JSON document, like ``casestd validate``."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        self.stream = stream
        self.json = ResultStream(stream) if fmt == "json" else None

    def result(self, result: Any) -> None:
        if self.json is not None:
            self.json.add(result.to_dict())
            return
        if not result.findings:
            return
        state = "ok" if result.ok else ("unreadable" if result.unreadable else "invalid")
        self.stream.write(f"{result.source}: {state}\n")
        for item in result.findings:
            found = item.finding
            where = item.location or "-"
            column = f" ({item.column})" if item.column else ""
            self.stream.write(
                f"  {found.severity:<7} {where}{column}  {found.path or '/'}  "
                f"[{found.rule}] {found.message}\n"
            )

    def close(self, tally: Tally, files: list[dict[str, Any]]) -> None:
        ok = tally.invalid == 0 and not tally.unreadable
        if self.json is not None:
            self.json.close(records=tally.records, invalid=tally.invalid, ok=ok, files=files)
            return
        for entry in files:
            if "template_id" in entry:
                self.stream.write(
                    f"{entry['file']}: template {entry['template_id'] or 'unknown'}, "
                    f"standard {entry['standard_version'] or 'unknown'}\n"
                )
        valid = tally.records - tally.invalid
        self.stream.write(
            f"{tally.records} records: {valid} valid, {tally.invalid} invalid, "
            f"{tally.warnings} warnings\n"
        )


def _describe(path: str, info: Info) -> dict[str, Any]:
    return {
        "file": path,
        "template_id": info.template_id,
        "standard_version": info.standard_version,
        "district": info.district,
    }


def import_files(
    files: Sequence[str], fmt: str, lang: str, out_dir: str | None, out: IO[str], err: IO[str]
) -> int:
    """Import ``files``: print the results, write valid records; return the exit status."""
    from casestd.workbook.importer import iter_read
    from casestd.workbook.reading import Info

    described: list[tuple[str, list[Info]]] = []

    def results() -> Iterator[RowResult]:
        for path in files:
            info: list[Info] = []
            described.append((path, info))
            yield from iter_read(path, lang=lang, on_info=info.append)

    def files_read() -> list[dict[str, Any]]:
        return [_describe(path, info[0] if info else Info()) for path, info in described]

    return write_results(results(), fmt, out_dir, out, err, files_read)


def write_results(
    results: Iterable[RowResult],
    fmt: str,
    out_dir: str | None,
    out: IO[str],
    err: IO[str],
    files: Callable[[], list[dict[str, Any]]],
) -> int:
    """Print ``results`` as ``casestd validate`` does, write the valid records as JSON
    Lines per entity under ``out_dir``; return the exit status. ``files`` describes the
    files read, once they are."""
    writers: dict[str, IO[str]] = {}
    if out_dir is not None:
        try:
            Path(out_dir).mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"{out_dir}: {error.strerror or 'cannot be created'}") from None
    tally = Tally()
    output = _Output(out, fmt)
    bar = _progress(err)
    try:
        for result in results:
            if bar is not None:
                bar.update(1)
            output.result(result)
            tally.unreadable |= result.unreadable
            tally.warnings += sum(f.finding.severity == "warning" for f in result.findings)
            if result.entity is None:
                continue
            tally.records += 1
            tally.invalid += not result.ok
            if out_dir is not None and result.record is not None:
                stream = writers.get(result.entity)
                if stream is None:
                    target = Path(out_dir) / f"{result.entity}.jsonl"
                    stream = writers[result.entity] = target.open("w", encoding="utf-8")
                stream.write(_record_json(result.record) + "\n")
    finally:
        if bar is not None:
            bar.close()
        for stream in writers.values():
            stream.close()
    output.close(tally, files())
    if tally.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if tally.invalid else EXIT_OK


def _record_json(record: BaseModel) -> str:
    return record.model_dump_json(exclude_none=True)


def report_files(args: Any, out: IO[str]) -> int:
    """Make the cross-district report of ``args.files``; return the exit status."""
    from casestd.workbook.report_book import write_report
    from casestd.workbook.reporter import cross_district_report

    report = cross_district_report(args.files, lang=args.lang, suppress=not args.no_suppression)
    if args.out:
        try:
            write_report(report, args.out, lang=args.lang, show_names=args.show_names)
        except OSError as error:
            raise UsageError(f"{args.out}: {error.strerror or 'cannot be written'}") from None
    if args.format == "json":
        out.write(json.dumps(report.to_dict(args.show_names), ensure_ascii=False, indent=2) + "\n")
    else:
        for path in report.unreadable:
            out.write(f"{path}: unreadable (see casestd workbook import {path})\n")
        for number, item in enumerate(report.duplicates, 1):
            out.write(f"beneficiary {number}: districts {', '.join(item.districts)}; ")
            out.write(f"keys {', '.join(item.keys)}\n")
            names = item.names if args.show_names else ()
            for index, row in enumerate(item.rows):
                name = f"  {names[index]}" if index < len(names) else ""
                out.write(f"  {row} ({row.district or 'no district'}){name}\n")
        twice = [item for item in report.services if item.cross_district]
        for number, double in enumerate(twice, 1):
            overlap = double.overlap
            out.write(
                f"service {number}: {overlap.service_type} {overlap.start}..{overlap.end} in "
                f"{', '.join(double.districts)}, total {overlap.total_amd} AMD: "
                f"{', '.join(str(row) for row in double.rows)}\n"
            )
        out.write(
            f"{report.records} records ({report.invalid} invalid, not used): "
            f"{len(report.duplicates)} beneficiaries in several districts, {len(twice)} "
            f"services given twice across districts, {len(report.budget)} budget rows\n"
        )
    if report.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if report.duplicates or report.services else EXIT_OK
