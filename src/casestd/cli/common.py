"""What the subcommands share: exit statuses, errors, the parser, reading records."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from casestd.io.records import Item, ReadError, read_records
from casestd.model import ENTITIES
from casestd.report import Finding, Report
from casestd.rules.engine import RuleContext, default_context
from casestd.rules.messages import message
from casestd.validation import validate

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
#: Rules that mean the input itself could not be read (exit status 2).
UNREADABLE_RULES = frozenset(
    {"json.invalid", "json.too_deep", "input.too_large", "input.not_object", "input.encoding"}
)


class UsageError(Exception):
    """A command line that cannot be carried out."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit 2 with one line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"casestd: error: {message}\n")


def entity_for(path: str, chosen: str | None) -> str:
    if chosen:
        return chosen
    folder = Path(path).parent.name
    if folder in ENTITIES:
        return folder
    raise UsageError(f"{path}: give --entity; the folder name does not name an entity")


def report_for(item: Item, entity: str, lang: str, context: RuleContext) -> Report:
    if item.problem is not None or item.data is None:
        rule_id = item.problem or "input.not_object"
        return Report((Finding(rule_id, "error", "", message(rule_id, lang)),))
    return validate(entity, item.data, lang=lang, context=context)


@attrs.define
class RecordReader:
    """Reads files as validation reports, one per record, and remembers unreadable input."""

    entities: Mapping[str, str]
    lang: str
    err: IO[str]
    unreadable: bool = False

    def reports(self, files: Sequence[str]) -> Iterator[tuple[str, Report]]:
        """(``FILE#INDEX``, report) per record; a file that cannot be read goes to ``err``."""
        context = default_context()
        for path in files:
            try:
                for item in read_records(path):
                    report = report_for(item, self.entities[path], self.lang, context)
                    self.unreadable |= any(f.rule in UNREADABLE_RULES for f in report.findings)
                    yield f"{path}#{item.index}", report
            except ReadError as error:
                self.unreadable = True
                self.err.write(f"casestd: {path}: {error}\n")
