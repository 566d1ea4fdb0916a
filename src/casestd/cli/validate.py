"""``casestd validate``: check records against the standard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

from casestd.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    RecordReader,
    ResultStream,
    Tally,
    add_max_findings,
    entity_for,
)
from casestd.model import ENTITIES
from casestd.report import Result
from casestd.version import LANGUAGES


def add_parser(commands: Any) -> None:
    """Add the ``validate`` subcommand."""
    check = commands.add_parser(
        "validate",
        help="validate records against the standard",
        description="Validate the records of JSON Lines files, JSON arrays or single JSON "
        "objects. Results are located FILE:LINE (JSON Lines) or FILE#INDEX (items of a "
        "JSON document). Exit status: 0 all valid, 1 some invalid, 2 usage error or "
        "input that cannot be read.",
    )
    check.add_argument(
        "--entity",
        choices=sorted(ENTITIES),
        help="entity of the records; if left out, taken from each file's "
        "folder name (examples/child/x.json is a child)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the records with findings and a summary (default); json: one JSON "
        "document with a result per record",
    )
    check.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages")
    add_max_findings(check)
    check.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files to read (.jsonl and .ndjson are JSON Lines; others are recognised by "
        "their content); - for standard input",
    )


class _Output:
    """Writes results as text (problems only) or as one streamed JSON document."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        self.stream = stream
        self.json = ResultStream(stream) if fmt == "json" else None

    def result(self, result: Result) -> None:
        report = result.report
        if self.json is not None:
            self.json.add(result.to_dict())
        elif report.findings:
            state = "ok" if report.ok else "invalid" if result.record else "unreadable"
            self.stream.write(f"{result.source}: {state}\n")
            for finding in report.findings:
                self.stream.write(
                    f"  {finding.severity:<7} {finding.path or '/'}  "
                    f"[{finding.rule}] {finding.message}\n"
                )

    def close(self, tally: Tally, failed: bool, extra: Mapping[str, Any] | None = None) -> None:
        """Write the summary; ``extra`` adds keys to the JSON document (text: nothing)."""
        ok = tally.invalid == 0 and not failed
        if self.json is not None:
            self.json.close(
                records=tally.records,
                invalid=tally.invalid,
                unreadable=tally.unreadable,
                ok=ok,
                **(extra or {}),
            )
        else:
            valid = tally.records - tally.invalid
            plural = "s" if tally.unreadable > 1 else ""
            unreadable = (
                f", {tally.unreadable} unreadable input{plural}" if tally.unreadable else ""
            )
            self.stream.write(
                f"{tally.records} records: {valid} valid, {tally.invalid} invalid, "
                f"{tally.warnings} warnings{unreadable}\n"
            )


def validate_files(
    files: Sequence[str],
    entity: str | None,
    fmt: str,
    lang: str,
    out: IO[str],
    err: IO[str],
    max_findings: int | None = 100,
) -> int:
    """Validate every record of ``files``; write the results; return the exit status."""
    entities = {path: entity_for(path, entity) for path in files}
    reader = RecordReader(entities, lang, max_findings)
    tally = Tally()
    output = _Output(out, fmt)
    for result in reader.results(files):
        report = result.report
        if result.record:
            tally.records += 1
            tally.invalid += not report.ok
        else:
            tally.unreadable += not report.ok
        tally.warnings += sum(f.severity == "warning" for f in report.findings)
        output.result(result)
    output.close(tally, reader.unreadable)
    if reader.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if tally.invalid else EXIT_OK
