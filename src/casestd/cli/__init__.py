"""The ``casestd`` command: one subcommand per capability, one module each.

``casestd validate --entity NAME [--format text|json] [--lang en|hy|ru] FILE...``
exits 0 when every record is valid, 1 when some record is invalid, and 2 for a
usage error or input that cannot be read. Output names files, record indexes,
fields and rules; it never prints a value from the records.

``casestd dedup FILE... [--entity NAME] [--services FILE...] [--format
text|json|csv] [--show-names]`` finds the person records that are the same
person and, with ``--services``, the services one person gets from several
providers at once; it exits 0 when there are none, 1 when there are some and
2 for a usage error or unreadable input. It prints record refs, key names and
fact names; ``--show-names`` is the only option that prints personal data.

``casestd export ctdc FILE... --out FILE.csv [--k 11]`` writes trafficking victims as
CTDC 2024 codebook rows, k-anonymous over every column; ``casestd export htcds FILE...
--out FILE.xlsx|FILE.csv`` as HTCDS 2.0 tables (``casestd.cli.export``), and ``casestd
import htcds FILE... --agency ID [--out DIR]`` reads HTCDS spreadsheets back into
validated records (``casestd.cli.import_``).

``casestd indicators list|compute`` lists the National Action Plan indicator
catalogue, or computes it from records with disclosure control
(``casestd.cli.indicators``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from casestd.cli import dedup, export, import_, indicators, schema, validate, workbook
from casestd.cli.common import EXIT_OK, EXIT_UNREADABLE, Parser, UsageError
from casestd.cli.dedup import DedupOptions, dedup_files
from casestd.cli.schema import diff_releases, export_schemas, release_standard
from casestd.cli.validate import validate_files
from casestd.version import STANDARD_VERSION, __version__

__all__ = ["dedup_files", "main", "validate_files"]

DESCRIPTION = (
    "casestd: validate child-protection and counter-trafficking case records, find the "
    "same person registered twice, and publish the standard's schemas."
)


def _parser() -> Parser:
    parser = Parser(prog="casestd", description=DESCRIPTION)
    parser.add_argument(
        "--version",
        action="version",
        version=f"casestd {__version__} (standard {STANDARD_VERSION})",
        help="print the package version and the version of the standard it implements",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    validate.add_parser(commands)
    dedup.add_parser(commands)
    indicators.add_parser(commands)
    export.add_parser(commands)
    import_.add_parser(commands)
    schema.add_parser(commands)
    workbook.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            limit = args.max_findings if args.max_findings > 0 else None
            return validate_files(
                args.files, args.entity, args.format, args.lang, sys.stdout, sys.stderr, limit
            )
        if args.command == "dedup":
            options = DedupOptions(args.format, args.show_names, args.max_block, args.jobs)
            return dedup_files(
                args.files, args.entity, args.services, options, sys.stdout, sys.stderr
            )
        if args.command == "indicators":
            return indicators.run(args)
        if args.command == "export":
            return export.run(args, sys.stdout, sys.stderr)
        if args.command == "import":
            return import_.run(args, sys.stdout, sys.stderr)
        if args.command == "workbook":
            return workbook.run(args, sys.stdout, sys.stderr)
        if args.command == "schema" and args.schema_command == "export":
            return export_schemas(args.out, args.base_uri, sys.stdout)
        if args.command == "schema" and args.schema_command == "diff":
            return diff_releases(args.old, args.new, args.format, sys.stdout)
        if args.command == "schema" and args.schema_command == "release":
            return release_standard(args.version, args.root, args.changelog, sys.stdout)
    except UsageError as error:
        sys.stderr.write(f"casestd: error: {error}\n")
        return EXIT_UNREADABLE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover
