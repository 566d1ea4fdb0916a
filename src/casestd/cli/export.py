"""``casestd export htcds|ctdc``: records in another standard's format.

``export ctdc FILES --out FILE.csv [--k 11]`` writes the trafficking victims of
FILES as rows of CTDC's 2024 global codebook, k-anonymous over every column
(`casestd.exchange.ctdc`); ``export htcds FILES --out FILE.csv|FILE.xlsx``
writes victims, their cases and referrals, perpetrators and organisations as
HTCDS 2.0 tables (`casestd.exchange.htcds`). Records are read and validated as
by ``casestd validate``: invalid ones are reported (never their values) and
left out; exit status 0 when every record was valid, 1 when some were not, 2
for a usage error or input that cannot be read. ``--format json`` prints
validate's JSON document with one more key saying what was written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

from pydantic import BaseModel

from casestd.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    RecordReader,
    Tally,
    UsageError,
    add_max_findings,
    entity_and_path,
)
from casestd.cli.validate import _Output
from casestd.version import LANGUAGES

FILES_HELP = (
    "JSON or JSON Lines files of records; the entity is taken from the file name "
    "(trafficking_victim.jsonl) or its folder, or given as ENTITY=FILE"
)


def add_parser(commands: Any) -> None:
    """Add the ``export`` subcommand and its formats."""
    export = commands.add_parser(
        "export",
        help="write records in another standard's format (HTCDS 2.0, CTDC 2024)",
        description="Write records in another standard's format: HTCDS 2.0 tables for "
        "exchange with partners, or CTDC's global codebook for publication (k-anonymous).",
    )
    formats = export.add_subparsers(dest="export_format", required=True, parser_class=type(export))
    ctdc = formats.add_parser(
        "ctdc",
        help="trafficking victims as CTDC 2024 codebook rows, k-anonymous",
        description="Write the actual and possible trafficking victims of FILES as rows of "
        "CTDC's 2024 global codebook (1/0 flags, -99 unknown, countries as ISO alpha-3). "
        "Rows are made k-anonymous over every released column together: age band, year "
        "of registration and months trafficked are generalised as far as needed, then "
        "the rows still in groups smaller than k are suppressed, and their number is "
        "reported. No name, identifier, exact date or free text is written.",
    )
    ctdc.add_argument("files", nargs="+", metavar="FILE", help=FILES_HELP)
    ctdc.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write")
    ctdc.add_argument(
        "--k", type=int, default=11, help="every released row is shared by at least k (11)"
    )
    ctdc.add_argument(
        "--max-suppressed",
        type=float,
        default=5.0,
        metavar="PERCENT",
        help="suppress at most this share of the rows before coarser levels are used (5)",
    )
    ctdc.add_argument(
        "--columns",
        metavar="NAME,...",
        help="release only these CTDC columns (fewer columns, fewer rows suppressed)",
    )
    _common(ctdc)
    htcds = formats.add_parser(
        "htcds",
        help="records as HTCDS 2.0 tables (CSV or XLSX), field names and value names",
        description="Write the trafficking victims of FILES (with their case and its latest "
        "incoming and outgoing referral), their trafficking events, perpetrators and "
        "organisations as HTCDS 2.0 tables in its field names and value names: an XLSX "
        "workbook laid out as HTCDS's Excel templates (a hidden row of field names, a row of "
        "labels), or one CSV file per table (FILE.csv, FILE.events.csv, ...). What HTCDS "
        "cannot hold is counted in notes, by field and code. The files hold personal data: "
        "share them only under a data-sharing agreement.",
    )
    htcds.add_argument("files", nargs="+", metavar="FILE", help=FILES_HELP)
    htcds.add_argument(
        "--out", required=True, metavar="FILE.xlsx|FILE.csv", help="workbook or CSV to write"
    )
    _common(htcds)


def _common(parser: Any) -> None:
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages")
    add_max_findings(parser)


class Records:
    """The valid records of the files named on the command line, validated as they are read.

    Every result goes to ``output`` (as ``casestd validate`` prints it) and is
    counted in ``tally``; invalid records and unreadable inputs are not yielded.
    """

    def __init__(self, specs: Sequence[str], args: Any, out: IO[str]) -> None:
        pairs = [entity_and_path(spec) for spec in specs]
        self.paths = [path for _, path in pairs]
        limit = args.max_findings if args.max_findings > 0 else None
        self.reader = RecordReader({path: entity for entity, path in pairs}, args.lang, limit)
        self.tally = Tally()
        self.output = _Output(out, args.format)

    def __iter__(self) -> Iterator[BaseModel]:
        for result in self.reader.results(self.paths):
            report = result.report
            if result.record:
                self.tally.records += 1
                self.tally.invalid += not report.ok
            else:
                self.tally.unreadable += not report.ok
            self.tally.warnings += sum(f.severity == "warning" for f in report.findings)
            self.output.result(result)
            if report.ok and report.record is not None:
                yield report.record

    def close(self, extra: dict[str, Any]) -> int:
        """Write the summary (``extra`` in the JSON document); return the exit status."""
        self.output.close(self.tally, self.reader.unreadable, extra)
        if self.reader.unreadable:
            return EXIT_UNREADABLE
        return EXIT_INVALID if self.tally.invalid else EXIT_OK


def export_ctdc(args: Any, out: IO[str]) -> int:
    """Run ``casestd export ctdc``; returns the exit status."""
    from casestd.exchange import ctdc
    from casestd.model.trafficking_victim import TraffickingVictim

    if args.k < ctdc.MIN_K:
        raise UsageError(f"--k must be at least {ctdc.MIN_K}")
    if not 0 <= args.max_suppressed <= 100:
        raise UsageError("--max-suppressed is a percentage from 0 to 100")
    only = None
    if args.columns:
        only = [name.strip() for name in args.columns.split(",") if name.strip()]
        unknown = sorted(set(only) - set(ctdc.columns()))
        if unknown:
            raise UsageError(f"--columns: not a CTDC column casestd writes: {', '.join(unknown)}")
    records = Records(args.files, args, out)
    victims = (r for r in records if isinstance(r, TraffickingVictim))
    result = ctdc.release(victims, k=args.k, max_suppressed=args.max_suppressed / 100, only=only)
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as target:
            ctdc.write_csv(result, target)
    except OSError as error:
        raise UsageError(f"{args.out}: {error.strerror or 'cannot be written'}") from None
    summary = {"file": args.out, **result.to_dict()}
    status = records.close({"ctdc": summary})
    if args.format == "text":
        levels = ", ".join(f"{name} {level}" for name, level in result.levels.items())
        out.write(
            f"{args.out}: {len(result.rows)} of {result.records} victims released, "
            f"{result.suppressed} suppressed ({result.share_suppressed:.1%}) for k={result.k}; "
            f"levels: {levels}; {result.excluded} records not of a victim left out\n"
        )
    return status


def run(args: Any, out: IO[str], err: IO[str]) -> int:
    """Carry out ``casestd export ...``; returns the exit status."""
    if args.export_format == "ctdc":
        return export_ctdc(args, out)
    if args.export_format == "htcds":
        return export_htcds(args, out)
    raise AssertionError(f"unhandled export format {args.export_format}")  # pragma: no cover


def export_htcds(args: Any, out: IO[str]) -> int:
    """Run ``casestd export htcds``; returns the exit status."""
    from casestd.exchange import htcds

    suffix = args.out.lower().rsplit(".", 1)[-1]
    if suffix not in ("csv", "xlsx"):
        raise UsageError("--out: give a .csv or an .xlsx file")
    if suffix == "xlsx":
        _needs_workbook()
    records = Records(args.files, args, out)
    try:
        written = htcds.export(records, args.out)
    except OSError as error:
        raise UsageError(f"{args.out}: {error.strerror or 'cannot be written'}") from None
    status = records.close({"htcds": written.to_dict()})
    if args.format == "text":
        for note in written.notes:
            out.write(f"  {note.severity:<7} [{note.rule}] {note.message}\n")
        rows = ", ".join(f"{count} {name}" for name, count in written.rows.items())
        out.write(f"{', '.join(written.files)}: {rows}\n")
    return status


def _needs_workbook() -> None:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise UsageError(
            "HTCDS workbooks need the workbook extra: pip install 'casestd[workbook]'"
        ) from None
