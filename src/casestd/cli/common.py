"""What the subcommands share: exit statuses, errors, the parser, reading records."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from casestd.io.jsontext import Problem
from casestd.io.records import Item, read_records
from casestd.model import ENTITIES
from casestd.report import Report, Result
from casestd.rules.engine import RuleContext, default_context
from casestd.validation import MAX_FINDINGS, problem_finding, validate

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
#: Rules that mean the input itself could not be read (exit status 2).
UNREADABLE_RULES = frozenset(
    {
        "json.invalid",
        "json.too_deep",
        "input.too_large",
        "input.not_object",
        "input.encoding",
        "input.empty",
        "input.missing",
        "input.unreadable",
    }
)


class UsageError(Exception):
    """A command line that cannot be carried out."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit 2 with one line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"casestd: error: {message}\n")


def add_max_findings(parser: argparse.ArgumentParser) -> None:
    """The ``--max-findings`` option, shared by the subcommands that validate records."""
    parser.add_argument(
        "--max-findings",
        type=int,
        default=MAX_FINDINGS,
        metavar="N",
        help=f"report at most N findings per record, then how many were left out "
        f"(default {MAX_FINDINGS}; 0 for all)",
    )


def entity_for(path: str, chosen: str | None) -> str:
    """The entity of the records in ``path``: ``chosen``, or the name of the file's folder."""
    if chosen:
        return chosen
    names = ", ".join(ENTITIES)
    if path == "-":
        raise UsageError(f"give --entity ({names}) to read standard input")
    file = Path(path)
    if not file.exists():
        raise UsageError(f"{path}: no such file; give --entity ({names}) and an existing file")
    folder = file.resolve().parent.name
    if folder in ENTITIES:
        return folder
    raise UsageError(
        f"{path}: give --entity ({names}); without it the entity is taken from the "
        f"name of the file's folder, and '{folder}' is not an entity"
    )


def entity_and_path(spec: str) -> tuple[str, str]:
    """The entity and path of a file named on the command line: ``ENTITY=FILE``, or a file
    whose name (``case.jsonl``, ``case.2025.jsonl``) or folder (``case/x.json``) is an entity."""
    name, sep, path = spec.partition("=")
    if sep and name in ENTITIES:
        return name, path
    candidate = Path(spec)
    stem = candidate.name.split(".", 1)[0]
    for guess in (stem, candidate.parent.name):
        if guess in ENTITIES:
            return guess, spec
    raise UsageError(
        f"{spec}: name the entity (ENTITY=FILE); neither the file name nor "
        "the folder name is an entity"
    )


def report_for(
    item: Item, entity: str, lang: str, context: RuleContext, max_findings: int | None
) -> Report:
    """The report of one item read from a file."""
    if item.problem is not None or item.data is None:
        problem = item.problem or Problem("input.not_object")
        return Report((problem_finding(problem, lang),))
    return validate(entity, item.data, lang=lang, context=context, max_findings=max_findings)


@attrs.define
class RecordReader:
    """Reads files as validation results, one per record or unreadable input.

    ``share`` (k, n): validate only every n-th record of each file, from its k-th
    (0-based), so that n processes can each take a share of the same files; the
    results about a file as a whole go to share 0. Every process still reads
    every line (which is cheap), so line numbers and per-file findings stay the same.
    """

    entities: Mapping[str, str]
    lang: str
    max_findings: int | None = MAX_FINDINGS
    unreadable: bool = False
    share: tuple[int, int] = (0, 1)

    def results(self, files: Sequence[str]) -> Iterator[Result]:
        """One `Result` per record of ``files``, and one per input that cannot be read."""
        context = default_context()
        mine, every = self.share
        for path in files:
            seen = 0
            for item in read_records(path):
                if not item.record:
                    if mine:
                        continue
                elif every > 1:
                    seen += 1
                    if (seen - 1) % every != mine:
                        continue
                report = report_for(
                    item, self.entities[path], self.lang, context, self.max_findings
                )
                self.unreadable |= any(f.rule in UNREADABLE_RULES for f in report.findings)
                yield Result(item.location, report, item.record)


@attrs.define
class Tally:
    """Counts of the records a command read."""

    records: int = 0
    invalid: int = 0
    warnings: int = 0
    unreadable: int = 0


class ResultStream:
    """One JSON document whose ``results`` array is written a result at a time.

    Commands that read records print ``{"results": [...], ...}`` this way, in
    constant memory; `close` adds the closing fields.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.first = stream, True
        stream.write('{"results": [')

    def add(self, entry: Mapping[str, Any]) -> None:
        text = json.dumps(entry, ensure_ascii=False)
        self.stream.write(("\n  " if self.first else ",\n  ") + text)
        self.first = False

    def close(self, **fields: Any) -> None:
        rest = ", ".join(f'"{k}": {json.dumps(v, ensure_ascii=False)}' for k, v in fields.items())
        self.stream.write(("\n" if not self.first else "") + f"], {rest}}}\n")
