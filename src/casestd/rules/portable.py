"""The rules in CEL, as ``rules.json`` holds them and as a release publishes them.

Each portable rule is a list of checks. A check binds ``self`` to every value
its *context* reaches in a record (a JSON Pointer; ``*`` stands for each item
of an array) and is skipped where the context meets a missing member or null.
Its *expression* is true when the record passes; otherwise the finding is at
its *path*, whose ``*`` are filled in with the context's indices, in order.
Expressions may also read ``record`` (the whole record), ``now``, ``today``
and ``deadlines`` (`VARIABLES`). This module needs no CEL engine:
`casestd.rules.cel` runs the checks with one.

In ``rules.json`` an expression may use ``@name(argument, ...)`` for a macro
and ``@name`` for a constant (a value of a data file, such as the implied sex
of relationship codes); `expand` writes them out, so that what a release
publishes is plain CEL.

>>> expand("@given(self.closure)")
'(has(self.closure) && self.closure != null)'
>>> [c.context for c in checks("case") if c.rule == "case.activity_before_opening"]
['/assessments/*', '/case_plan', '/reviews/*']
>>> list(matches({"names": [{"given": "A"}, None, {"family": "B"}]}, "/names/*"))
[((0,), {'given': 'A'}), ((2,), {'family': 'B'})]
>>> finding_path("/members/*/names/*", (1, 0))
'/members/1/names/0'
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

import attrs

from casestd import codes
from casestd.report import Severity
from casestd.rules.engine import RuleContext, definitions, entities_of

#: The variables every expression may read besides ``self`` and ``record``: CEL type, meaning.
VARIABLES: dict[str, tuple[str, str]] = {
    "now": ("timestamp", "the time of validation (RuleContext.now)"),
    "today": (
        "timestamp",
        "today's date in Asia/Yerevan at `now` (RuleContext.today), as 00:00:00 UTC of that day",
    ),
    "deadlines": (
        "casestd.rules.Deadlines",
        "the case management deadlines (RuleContext.deadlines): fields "
        "high_risk_assessment, case_plan, review_interval, pre_identification, each a duration",
    ),
}
#: The deadlines, each a CEL duration, in the order of `casestd.rules.Deadlines`.
DEADLINES = ("high_risk_assessment", "case_plan", "review_interval", "pre_identification")
_CALL = re.compile(r"@([a-z_][a-z0-9_]*)")
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@attrs.frozen
class CelCheck:
    """One check of a portable rule on one entity, its expression written out in CEL."""

    rule: str
    severity: Severity
    entity: str
    context: str
    path: str
    expression: str
    source: str
    note: str | None = None

    def published(self) -> dict[str, str]:
        """The check as a release's ``x-rules`` carries it."""
        shown = {"context": self.context, "expression": self.expression, "path": self.path}
        if self.note:
            shown["note"] = self.note
        return shown


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files("casestd.rules").joinpath("rules.json").read_text("utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


def macros() -> dict[str, dict[str, Any]]:
    """Macro name -> ``params``, ``body`` and ``doc``, as ``rules.json`` defines them."""
    found: dict[str, dict[str, Any]] = _data()["macros"]
    return found


def constant_sources() -> dict[str, dict[str, Any]]:
    """Constant name -> the data file and key, or the code list, its value comes from."""
    found: dict[str, dict[str, Any]] = _data()["constants"]
    return found


@functools.cache
def constants() -> dict[str, Any]:
    """Constant name -> its value (JSON), read from the data file or code list it names."""
    values: dict[str, Any] = {}
    for name, source in constant_sources().items():
        if "file" in source:
            text = resources.files("casestd.rules").joinpath(source["file"]).read_text("utf-8")
            values[name] = json.loads(text)[source["key"]]
        else:
            values[name] = list(codes.get(source["code_list"]).deprecated())
    return values


def cel_literal(value: Any) -> str:
    """A JSON value (strings, lists and maps of them) as a CEL literal.

    >>> cel_literal({"son": "male", "it's": ["a", "b"]})
    "{'son': 'male', 'it\\\\'s': ['a', 'b']}"
    """
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(cel_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{cel_literal(k)}: {cel_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(f"no CEL literal for {type(value).__name__}")


def call_arguments(text: str, start: int) -> tuple[list[str], int]:
    """The arguments of a call whose "(" is at ``start``, and the index after its ")".

    >>> call_arguments("f(a, [b, c]) || d", 1)
    (['a', '[b, c]'], 12)
    """
    depth, quote, args, current = 0, "", [], start + 1
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[current:index].strip())
                return [a for a in args if a], index + 1
        elif char == "," and depth == 1:
            args.append(text[current:index].strip())
            current = index + 1
        index += 1
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _bind(bound: dict[str, str], found: re.Match[str]) -> str:
    return bound[found[1]]


def expand(text: str) -> str:
    """``text`` with every ``@macro(...)`` and ``@constant`` written out in CEL."""
    out: list[str] = []
    position = 0
    for found in _CALL.finditer(text):
        if found.start() < position:
            continue
        name = found[1]
        out.append(text[position : found.start()])
        if name in constants():
            out.append(cel_literal(constants()[name]))
            position = found.end()
            continue
        if name not in macros():
            raise ValueError(f"unknown macro or constant @{name}")
        macro = macros()[name]
        args: list[str] = []
        position = found.end()
        if macro["params"]:
            if not text.startswith("(", position):
                raise ValueError(f"@{name} needs its arguments")
            args, position = call_arguments(text, position)
            if len(args) != len(macro["params"]):
                raise ValueError(f"@{name} takes {len(macro['params'])} arguments")
        bound = {
            param: value if _PLAIN.match(value) else f"({value})"
            for param, value in zip(macro["params"], (expand(a) for a in args), strict=True)
        }
        out.append(_PARAM.sub(functools.partial(_bind, bound), expand(macro["body"])))
    out.append(text[position:])
    return "".join(out)


def is_portable(rule_id: str) -> bool:
    """Whether rule ``rule_id`` has a CEL form (``portable`` is not false in ``rules.json``)."""
    return definitions()[rule_id].get("portable", True) is not False


def reason(rule_id: str) -> str | None:
    """Why rule ``rule_id`` is not portable; None for a portable rule."""
    reason_text: str | None = definitions()[rule_id].get("reason")
    return reason_text


@functools.cache
def checks(entity: str) -> tuple[CelCheck, ...]:
    """The CEL checks of every portable rule of ``entity``, in the order of ``rules.json``."""
    found: list[CelCheck] = []
    for rule_id, definition in definitions().items():
        if entity not in entities_of(rule_id):
            continue
        for entry in definition.get("cel", []):
            if entity in entry.get("entities", (entity,)):
                found.append(
                    CelCheck(
                        rule_id,
                        definition["severity"],
                        entity,
                        entry["context"],
                        entry["path"],
                        expand(entry["expression"]),
                        entry["expression"],
                        entry.get("note"),
                    )
                )
    return tuple(found)


def published_rule(rule_id: str, entity: str) -> dict[str, Any]:
    """What an entity schema's ``x-rules`` says of a rule's CEL form."""
    if not is_portable(rule_id):
        return {"portable": False, "reason": reason(rule_id)}
    return {
        "portable": True,
        "cel": [c.published() for c in checks(entity) if c.rule == rule_id],
    }


def _steps(pointer: str) -> list[str]:
    if pointer and not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON Pointer")
    return [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]


def matches(record: Any, context: str) -> Iterator[tuple[tuple[int, ...], Any]]:
    """(indices of the context's ``*``, value) for each value ``context`` reaches in ``record``."""
    steps = _steps(context)

    def reach(
        node: Any, depth: int, indices: tuple[int, ...]
    ) -> Iterator[tuple[tuple[int, ...], Any]]:
        if node is None:
            return
        if depth == len(steps):
            yield indices, node
            return
        step = steps[depth]
        if step == "*":
            if isinstance(node, list):
                for index, item in enumerate(node):
                    yield from reach(item, depth + 1, (*indices, index))
        elif isinstance(node, Mapping) and step in node:
            yield from reach(node[step], depth + 1, indices)

    yield from reach(record, 0, ())


def finding_path(path: str, indices: tuple[int, ...]) -> str:
    """``path`` with its ``*`` replaced by ``indices``, in order."""
    parts = path.split("/")
    filled = iter(indices)
    return "/".join(str(next(filled)) if part == "*" else part for part in parts)


def today_timestamp(day: dt.date) -> dt.datetime:
    """A calendar day as the profile's timestamp: 00:00:00 UTC of that day."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def variables(context: RuleContext) -> dict[str, Any]:
    """``now``, ``today`` and ``deadlines`` of ``context`` as Python values for a CEL engine."""
    return {
        "now": context.now,
        "today": today_timestamp(context.today),
        "deadlines": {name: getattr(context.deadlines, name) for name in DEADLINES},
    }


def duration_text(delta: dt.timedelta) -> str:
    """A timedelta as CEL's ``duration()`` reads it: seconds, e.g. ``'864000s'``.

    >>> duration_text(dt.timedelta(hours=24)), duration_text(dt.timedelta(seconds=1.5))
    ('86400s', '1.5s')
    """
    seconds = delta.total_seconds()
    return f"{int(seconds)}s" if seconds == int(seconds) else f"{seconds:.6f}".rstrip("0") + "s"


def timestamp_text(moment: dt.datetime) -> str:
    """A timestamp as RFC 3339 text with as few fractional digits as it needs (0, 3 or 6).

    >>> at = dt.datetime(2026, 3, 1, 9, 5, tzinfo=dt.UTC)
    >>> timestamp_text(at), timestamp_text(at.replace(microsecond=120000))
    ('2026-03-01T09:05:00Z', '2026-03-01T09:05:00.120Z')
    """
    if moment.microsecond == 0:
        spec = "seconds"
    elif moment.microsecond % 1000 == 0:
        spec = "milliseconds"
    else:
        spec = "microseconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def variable_texts(context: RuleContext) -> dict[str, Any]:
    """The variables as JSON text: timestamps for ``timestamp()``, durations for ``duration()``."""
    return {
        "now": timestamp_text(context.now),
        "today": timestamp_text(today_timestamp(context.today)),
        "deadlines": {name: duration_text(getattr(context.deadlines, name)) for name in DEADLINES},
    }
