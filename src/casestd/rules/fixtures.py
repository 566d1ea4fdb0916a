"""Fixtures of the portable rules and the conformance kit a release publishes.

``fixtures.json`` writes each fixture as a change to a valid base record of its
entity. A release holds them written out in full, the pattern HL7 uses for the
invariants of FHIR: ``rules/<rule id>/<name>.pass.json`` and ``.fail.json``, each
``{"rule", "entity", "variables", "record", "findings"}``, and all of them in
one language-neutral ``rule-tests.json`` that gives, for each record and its
variables, the findings every portable rule of its entity must have (``[]``:
the rule passes). Variables are text that CEL's ``timestamp()`` and
``duration()`` read.

>>> kit = rule_tests("2.1.0")
>>> kit["tests"][0]["name"], kit["tests"][0]["expected"]["record.updated_before_created"]
('record.updated_before_created/updated-after-creation', [])
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from importlib import resources
from typing import Any

import attrs

from casestd.rules.engine import Deadlines, RuleContext, definitions, entities_of
from casestd.rules.portable import VARIABLES, is_portable, variable_texts
from casestd.version import STANDARD_VERSION

JsonObject = dict[str, Any]
#: The folder of a release that holds the fixtures, and the file of the conformance kit.
FOLDER = "rules"
KIT = "rule-tests.json"


@attrs.frozen
class Fixture:
    """A record that passes a rule (no findings) or fails it (at ``findings``).

    Every other rule passes it too, but those named in ``also``, which find
    what they find there (a record without a single head of household both has
    the wrong number of heads and no generation order to check).
    """

    rule: str
    name: str
    entity: str
    record: JsonObject = attrs.field(repr=False)
    context: RuleContext
    findings: tuple[str, ...]
    also: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    note: str | None = None

    @property
    def passes(self) -> bool:
        """True for a record on which the rule finds nothing."""
        return not self.findings

    @property
    def file(self) -> str:
        """The path of the fixture in a release."""
        return f"{FOLDER}/{self.rule}/{self.name}.{'pass' if self.passes else 'fail'}.json"

    def document(self) -> JsonObject:
        """The fixture as its file in a release holds it."""
        shown: JsonObject = {
            "rule": self.rule,
            "entity": self.entity,
            "variables": variable_texts(self.context),
            "record": self.record,
            "findings": list(self.findings),
        }
        if self.also:
            shown["also"] = {rule_id: list(paths) for rule_id, paths in self.also.items()}
        if self.note:
            shown["note"] = self.note
        return shown


@functools.cache
def _data() -> JsonObject:
    text = resources.files("casestd.rules").joinpath("fixtures.json").read_text("utf-8")
    found: JsonObject = json.loads(text)
    return found


def _parent(record: Any, pointer: str) -> tuple[Any, str]:
    steps = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    node = record
    for step in steps[:-1]:
        node = node[int(step)] if isinstance(node, list) else node[step]
    return node, steps[-1]


def _set(record: JsonObject, pointer: str, value: Any) -> None:
    node, last = _parent(record, pointer)
    if isinstance(node, list):
        index = len(node) if last == "-" else int(last)
        if index == len(node):
            node.append(value)
        else:
            node[index] = value
    else:
        node[last] = value


def _unset(record: JsonObject, pointer: str) -> None:
    node, last = _parent(record, pointer)
    del node[int(last) if isinstance(node, list) else last]


def _context(entry: JsonObject) -> RuleContext:
    now = dt.datetime.fromisoformat(str(entry.get("now", _data()["now"])))
    changed = {
        name: dt.timedelta(seconds=float(text.removesuffix("s")))
        for name, text in entry.get("deadlines", {}).items()
    }
    return RuleContext(now=now, deadlines=Deadlines(**changed))


@functools.cache
def fixtures() -> tuple[Fixture, ...]:
    """Every fixture, rule by rule in the order of ``fixtures.json``."""
    found: list[Fixture] = []
    for rule_id, entries in _data()["fixtures"].items():
        for entry in entries:
            record = copy.deepcopy(_data()["bases"][entry["entity"]])
            for pointer, value in entry.get("set", {}).items():
                _set(record, pointer, copy.deepcopy(value))
            for pointer in entry.get("unset", []):
                _unset(record, pointer)
            also = {rule: tuple(paths) for rule, paths in entry.get("also", {}).items()}
            found.append(
                Fixture(
                    rule_id,
                    entry["name"],
                    entry["entity"],
                    record,
                    _context(entry),
                    tuple(entry["findings"]),
                    also,
                    entry.get("note"),
                )
            )
    return tuple(found)


def portable_rules(entity: str) -> list[str]:
    """The ids of the portable rules of ``entity``, in the order of ``rules.json``."""
    return [r for r in definitions() if entity in entities_of(r) and is_portable(r)]


def fixture_files() -> dict[str, JsonObject]:
    """Path in a release -> document, for every fixture."""
    return {fixture.file: fixture.document() for fixture in fixtures()}


def rule_tests(version: str | None = None) -> JsonObject:
    """The conformance kit: every fixture, with the findings of every portable rule expected."""
    tests = []
    for fixture in fixtures():
        expected: dict[str, list[str]] = {rule_id: [] for rule_id in portable_rules(fixture.entity)}
        expected[fixture.rule] = list(fixture.findings)
        expected.update({rule_id: list(paths) for rule_id, paths in fixture.also.items()})
        tests.append(
            {
                "name": f"{fixture.rule}/{fixture.name}",
                "entity": fixture.entity,
                "variables": variable_texts(fixture.context),
                "record": fixture.record,
                "expected": expected,
            }
        )
    return {
        "standard_version": version or STANDARD_VERSION,
        "description": "For each test, evaluate the CEL checks of every portable rule in the "
        "x-rules of the entity's schema on the record, with the variables (timestamps as "
        "CEL's timestamp() reads them, durations as duration() does), and compare the "
        "findings' paths with 'expected' (rule id -> paths; [] when the rule passes). "
        "docs/rules.md describes the profile.",
        "variables": {
            name: {"type": kind, "meaning": meaning} for name, (kind, meaning) in VARIABLES.items()
        },
        "tests": tests,
    }
