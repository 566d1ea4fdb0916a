"""The ``casestd`` command: one subcommand per capability.

``casestd validate --entity NAME [--format text|json] [--lang en|hy|ru] FILE...``
exits 0 when every record is valid, 1 when some record is invalid, and 2 for a
usage error or input that cannot be read. Output names files, record indexes,
fields and rules; it never prints a value from the records.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from casestd.io.records import Item, ReadError, read_records
from casestd.model import ENTITIES
from casestd.report import Finding, Report
from casestd.rules.engine import RuleContext
from casestd.rules.messages import LANGUAGES, message
from casestd.schema.export import DEFAULT_BASE_URI, dumps, keywords, schema_files
from casestd.validation import validate

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
#: Rules that mean the input itself could not be read (exit status 2).
UNREADABLE_RULES = frozenset(
    {"json.invalid", "json.too_deep", "input.too_large", "input.not_object", "input.encoding"}
)


class UsageError(Exception):
    """A command line that cannot be carried out."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit 2 with one line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"casestd: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casestd", description=__doc__.splitlines()[0] if __doc__ else None)
    from casestd import __version__

    parser.add_argument("--version", action="version", version=f"casestd {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser(
        "validate",
        help="validate records against the standard",
        description="Validate JSON, JSON arrays or JSON Lines records of one entity.",
    )
    check.add_argument(
        "--entity",
        choices=sorted(ENTITIES),
        help="entity of the records; if left out, taken from each file's "
        "folder name (examples/child/x.json is a child)",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages")
    check.add_argument("files", nargs="+", metavar="FILE", help="files to read; - for stdin")

    schema = commands.add_parser("schema", help="publish the standard: JSON Schemas, releases")
    schema_commands = schema.add_subparsers(
        dest="schema_command", required=True, parser_class=_Parser
    )
    export = schema_commands.add_parser(
        "export",
        help="write the JSON Schemas of the current models",
        description="Write one JSON Schema (draft 2020-12) per entity, the bundle and the "
        "annotation keywords to DIR, or print the bundle without --out.",
    )
    export.add_argument("--out", metavar="DIR", help="folder to write the schema files to")
    export.add_argument(
        "--base-uri",
        default=DEFAULT_BASE_URI,
        help=f"base of the $id URIs (default {DEFAULT_BASE_URI})",
    )
    return parser


def export_schemas(out: str | None, base_uri: str, stdout: IO[str]) -> int:
    """Write the schema files to ``out``, or print the bundle; returns the exit status."""
    files = schema_files(base_uri=base_uri)
    if out is None:
        stdout.write(dumps(files["bundle.schema.json"]))
        return EXIT_OK
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in {**files, "keywords.json": keywords()}.items():
            (folder / name).write_text(dumps(schema), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{out}: {error.strerror or 'cannot write'}") from None
    stdout.write(f"wrote {len(files) + 1} files to {folder}\n")
    return EXIT_OK


@attrs.define
class _Tally:
    records: int = 0
    invalid: int = 0
    warnings: int = 0
    unreadable: bool = False


def _entity_for(path: str, chosen: str | None) -> str:
    if chosen:
        return chosen
    folder = Path(path).parent.name
    if folder in ENTITIES:
        return folder
    raise UsageError(f"{path}: give --entity; the folder name does not name an entity")


def _report(item: Item, entity: str, lang: str, context: RuleContext) -> Report:
    if item.problem is not None or item.data is None:
        rule_id = item.problem or "input.not_object"
        return Report((Finding(rule_id, "error", "", message(rule_id, lang)),))
    return validate(entity, item.data, lang=lang, context=context)


class _Output:
    """Writes results as text (problems only) or as one streamed JSON document."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        self.stream, self.fmt, self.first = stream, fmt, True
        if fmt == "json":
            stream.write('{"results": [')

    def result(self, source: str, report: Report) -> None:
        if self.fmt == "json":
            entry = {
                "source": source,
                "ok": report.ok,
                "findings": [f.to_dict() for f in report.findings],
            }
            self.stream.write(
                ("\n  " if self.first else ",\n  ") + json.dumps(entry, ensure_ascii=False)
            )
            self.first = False
        elif report.findings:
            self.stream.write(f"{source}: {'ok' if report.ok else 'invalid'}\n")
            for finding in report.findings:
                self.stream.write(
                    f"  {finding.severity:<7} {finding.path or '/'}  "
                    f"[{finding.rule}] {finding.message}\n"
                )

    def close(self, tally: _Tally) -> None:
        ok = tally.invalid == 0 and not tally.unreadable
        if self.fmt == "json":
            self.stream.write(
                ("\n" if not self.first else "")
                + f'], "records": {tally.records}, "invalid": {tally.invalid}, '
                f'"ok": {json.dumps(ok)}}}\n'
            )
        else:
            valid = tally.records - tally.invalid
            self.stream.write(
                f"{tally.records} records: {valid} valid, {tally.invalid} invalid, "
                f"{tally.warnings} warnings\n"
            )


def validate_files(
    files: Sequence[str], entity: str | None, fmt: str, lang: str, out: IO[str], err: IO[str]
) -> int:
    """Validate every record of ``files``; write the results; return the exit status."""
    entities = {path: _entity_for(path, entity) for path in files}
    context = RuleContext()
    tally = _Tally()
    output = _Output(out, fmt)
    for path in files:
        try:
            for item in read_records(path):
                report = _report(item, entities[path], lang, context)
                tally.records += 1
                tally.invalid += not report.ok
                tally.warnings += sum(f.severity == "warning" for f in report.findings)
                tally.unreadable |= any(f.rule in UNREADABLE_RULES for f in report.findings)
                output.result(f"{path}#{item.index}", report)
        except ReadError as error:
            tally.unreadable = True
            err.write(f"casestd: {path}: {error}\n")
    output.close(tally)
    if tally.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if tally.invalid else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate_files(
                args.files, args.entity, args.format, args.lang, sys.stdout, sys.stderr
            )
        if args.command == "schema" and args.schema_command == "export":
            return export_schemas(args.out, args.base_uri, sys.stdout)
    except UsageError as error:
        sys.stderr.write(f"casestd: error: {error}\n")
        return EXIT_UNREADABLE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover
