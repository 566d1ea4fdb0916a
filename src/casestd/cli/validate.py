"""``casestd validate``: check records against the standard."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

import attrs

from casestd.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    RecordReader,
    entity_for,
)
from casestd.model import ENTITIES
from casestd.report import Report
from casestd.rules.messages import LANGUAGES


def add_parser(commands: Any) -> None:
    """Add the ``validate`` subcommand."""
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


@attrs.define
class _Tally:
    records: int = 0
    invalid: int = 0
    warnings: int = 0
    unreadable: bool = False


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
    entities = {path: entity_for(path, entity) for path in files}
    reader = RecordReader(entities, lang, err)
    tally = _Tally()
    output = _Output(out, fmt)
    for source, report in reader.reports(files):
        tally.records += 1
        tally.invalid += not report.ok
        tally.warnings += sum(f.severity == "warning" for f in report.findings)
        output.result(source, report)
    tally.unreadable = reader.unreadable
    output.close(tally)
    if tally.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if tally.invalid else EXIT_OK
