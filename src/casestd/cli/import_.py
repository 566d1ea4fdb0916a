"""``casestd import htcds``: HTCDS spreadsheets into validated casestd records.

Reads the XLSX or CSV files of HTCDS's Excel templates (or of ``casestd export
htcds``) together, validates every record and prints the results as ``casestd
validate`` does, each finding located by cell (``FILE!'Case Sheet'!H7``) and
column, never with its value; ``--out DIR`` writes the valid records as JSON
Lines, one file per entity. Exit status 0 when every record is valid, 1 when
some are not, 2 for a usage error or a file that cannot be read.
"""

from __future__ import annotations

from typing import IO, Any

from casestd.cli.common import UsageError, add_max_findings
from casestd.version import LANGUAGES


def add_parser(commands: Any) -> None:
    """Add the ``import`` subcommand and its formats."""
    reader = commands.add_parser(
        "import",
        help="read another standard's files into validated records (HTCDS 2.0)",
        description="Read files of another standard into validated casestd records.",
    )
    formats = reader.add_subparsers(dest="import_format", required=True, parser_class=type(reader))
    htcds = formats.add_parser(
        "htcds",
        help="HTCDS 2.0 spreadsheets (its Excel templates, CSV) into records",
        description="Read HTCDS 2.0 spreadsheets as its Excel templates and casestd export "
        "htcds write them (field names or labels, value names or labels, ';'-separated "
        "multi-select cells, Excel dates, phones as written in Armenia) into trafficking "
        "victims, perpetrators and organisations, validated; findings are located by cell "
        "and never quote a value. Case-management columns (cas_*) and the consent checkbox "
        "cannot make a valid casestd case, referral or consent: they are reported, not "
        "imported.",
    )
    htcds.add_argument("files", nargs="+", metavar="FILE", help=".xlsx/.xlsm workbooks or CSV")
    htcds.add_argument(
        "--agency", required=True, metavar="ID", help="agency the imported records belong to"
    )
    htcds.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    htcds.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages")
    add_max_findings(htcds)
    htcds.add_argument(
        "--out", metavar="DIR", help="write valid records as JSON Lines, one file per entity"
    )


def run(args: Any, out: IO[str], err: IO[str]) -> int:
    """Carry out ``casestd import htcds``; returns the exit status."""
    from casestd.cli.export import _needs_workbook

    _needs_workbook()
    from pydantic import TypeAdapter, ValidationError

    from casestd.cli.workbook import write_results
    from casestd.exchange.htcds_import import iter_read
    from casestd.model.types import AgencyId

    try:
        TypeAdapter(AgencyId).validate_python(args.agency)
    except ValidationError:
        raise UsageError(
            "--agency: an agency id is letters, digits and . _ : / - (64 at most)"
        ) from None
    results = iter_read(args.files, agency=args.agency, lang=args.lang)
    return write_results(
        results, args.format, args.out, out, err, lambda: [{"file": f} for f in args.files]
    )
