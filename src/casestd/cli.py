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
from casestd.rules.engine import RuleContext, default_context
from casestd.rules.messages import LANGUAGES, message
from casestd.schema import cutting, release
from casestd.schema.diff import diff, next_version, required_bump
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
    compare = schema_commands.add_parser(
        "diff",
        help="list the changes between two releases and the version bump they need",
        description="Compare two releases (a release folder, or 'current' for the current "
        "models). Exit 1 when some change is breaking, 0 otherwise, 2 for unreadable input.",
    )
    compare.add_argument("old", metavar="OLD", help="release folder, or current")
    compare.add_argument("new", metavar="NEW", help="release folder, or current")
    compare.add_argument("--format", choices=("text", "json"), default="text")
    cut = schema_commands.add_parser(
        "release",
        help="publish the current models as a numbered release",
        description="Write ROOT/VERSION from the current models and add its changes to the "
        "changelog. Refuses a VERSION smaller than the changes since the last release need.",
    )
    cut.add_argument("version", metavar="VERSION", help="MAJOR.MINOR.PATCH")
    cut.add_argument("--root", default="schemas", help="folder of the releases (default schemas)")
    cut.add_argument("--changelog", default="CHANGELOG.md", help="changelog to add the release to")
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


def diff_releases(old: str, new: str, fmt: str, stdout: IO[str]) -> int:
    """Print the changes from release ``old`` to ``new``; exit 1 when one is breaking."""
    try:
        before, after = release.load(old), release.load(new)
    except release.ReleaseError as error:
        raise UsageError(str(error)) from None
    changes = diff(before, after)
    bump = required_bump(changes)
    breaking = any(item.breaking for item in changes)
    if fmt == "json":
        document = {
            "old": before.version,
            "new": after.version,
            "changes": [item.to_dict() for item in changes],
            "bump": bump,
            "breaking": breaking,
        }
        stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        for item in changes:
            marker = "BREAKING" if item.breaking else "ok"
            stdout.write(
                f"{marker:<8} {item.kind} {item.entity} {item.path or '/'}: {item.detail}\n"
            )
        if not changes:
            stdout.write("no changes\n")
        target = next_version(before.version, bump)
        shown = f"{bump} ({before.version} -> {target})" if bump else "none"
        stdout.write(f"required bump: {shown}\n")
    return EXIT_INVALID if breaking else EXIT_OK


def release_standard(version: str, root: str, changelog: str, stdout: IO[str]) -> int:
    """Cut release ``version`` under ``root`` and log it in ``changelog``."""
    try:
        plan = cutting.cut_release(version, Path(root), Path(changelog))
    except release.ReleaseError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{root}: {error.strerror or 'cannot write'}") from None
    if plan.previous is None:
        stdout.write(
            f"released {version} in {Path(root) / version}: first release; {changelog} updated\n"
        )
    else:
        stdout.write(
            f"released {version} in {Path(root) / version}: {len(plan.changes)} changes since "
            f"{plan.previous} (needs {plan.bump}); {changelog} updated\n"
        )
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
    context = default_context()
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
