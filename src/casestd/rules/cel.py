"""Run the portable rules with a CEL engine: Google's cel-expr-python (CEL-C++).

It needs the ``cel`` extra (``pip install 'casestd[cel]'``). casestd's own
Python rules stay the default; this engine runs the same rules as a consumer
in another language would, from the expressions a release publishes:

>>> from casestd.rules.cel import CelEngine                  # doctest: +SKIP
>>> CelEngine("case").findings(payload)                      # doctest: +SKIP
[CelFinding(rule='case.closed_without_closure', severity='error', path='/closure')]

The record goes to the engine once (one activation), and each check runs on
every value its context reaches in one evaluation (`gathered`). The only CEL
function beyond the standard library is ``lowerAscii()`` of the strings
extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from casestd.report import Severity
from casestd.rules.engine import RuleContext, default_context
from casestd.rules.portable import CelCheck, checks, finding_path, matches, variables

try:
    from cel_expr_python import cel
    from cel_expr_python.ext import ext_strings
except ImportError as error:  # pragma: no cover - the extra is part of the test extra
    raise ImportError(
        "casestd.rules.cel needs cel-expr-python: pip install 'casestd[cel]'"
    ) from error

__all__ = ["CelEngine", "CelEvaluationError", "CelFinding", "cel", "environment", "ext_strings"]

#: Text in quotes in an engine's message: left out, since it may be a value of the record.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


class CelEvaluationError(Exception):
    """A check that did not evaluate to true or false: the record is outside the profile."""

    def __init__(self, rule: str, path: str, problem: str) -> None:
        super().__init__(f"{rule} at {path or '/'}: {problem}")
        self.rule, self.path, self.problem = rule, path, problem


@attrs.frozen
class CelFinding:
    """A check whose expression was false: the rule, its severity and where."""

    rule: str
    severity: Severity
    path: str


def environment() -> Any:
    """The evaluation environment: ``self`` and ``record`` of any type, the profile's variables."""
    return cel.NewEnv(
        variables={
            "self": cel.Type.DYN,
            "record": cel.Type.DYN,
            "now": cel.Type.TIMESTAMP,
            "today": cel.Type.TIMESTAMP,
            "deadlines": cel.Type.Map(cel.Type.STRING, cel.Type.DURATION),
        },
        extensions=[ext_strings.ExtStrings()],
    )


def _problem(value: Any) -> str:
    return _QUOTED.sub("'…'", str(value.value()))


def _step_names(pointer: str) -> list[str]:
    return [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]


def gathered(pointer: str, expression: str) -> str:
    """One CEL expression that runs ``expression`` on every value ``pointer`` reaches.

    Its value nests a list per ``*`` of the pointer, item by item; where the
    pointer meets a missing member or null it is 0, and where it reaches a value
    it is 1 (the check passes), 2 (it fails) or 3 (it gives no boolean): only
    integers, since cel-expr-python 0.1.3 miscounts the references to a null it
    hands back to Python. Evaluated once on ``record``, it does what
    `casestd.rules.portable.matches` and one evaluation per value would do.

    >>> print(gathered("/names/*", "has(self.given)"))  # doctest: +NORMALIZE_WHITESPACE
    (has(record.names) && record.names != null ? (type(record.names) == list ?
    dyn(record.names.map(casestd_item0, (casestd_item0 == null ? dyn(0) :
    dyn([casestd_item0].map(self, has(self.given)).map(casestd_v,
    type(casestd_v) == bool ? (casestd_v ? 1 : 2) : 3)[0])))) : dyn(0)) : dyn(0))
    """
    steps = _step_names(pointer)

    def down(node: str, depth: int, level: int) -> str:
        if depth == len(steps):
            verdict = "type(casestd_v) == bool ? (casestd_v ? 1 : 2) : 3"
            return f"dyn([{node}].map(self, {expression}).map(casestd_v, {verdict})[0])"
        step = steps[depth]
        if step == "*":
            item = f"casestd_item{level}"
            inner = down(item, depth + 1, level + 1)
            return (
                f"(type({node}) == list ? dyn({node}.map({item}, ({item} == null ? dyn(0) : "
                f"{inner}))) : dyn(0))"
            )
        member = f"{node}.{step}"
        inner = down(member, depth + 1, level)
        return f"(has({member}) && {member} != null ? {inner} : dyn(0))"

    return down("record", 0, 0)


def _verdicts(
    result: Any, stars: int, indices: tuple[int, ...] = ()
) -> Iterator[tuple[tuple[int, ...], Any]]:
    """(indices, verdict) of each value a gathered result holds."""
    if result == 0:
        return
    if stars == 0:
        yield indices, result
        return
    for index, item in enumerate(result):
        yield from _verdicts(item, stars - 1, (*indices, index))


class CelEngine:
    """The portable rules of one entity, compiled once, for any number of records.

    Each check runs as one CEL program over all the values of its context
    (`gathered`), all on one activation of the record, so that the record is
    handed to the engine once; a record on which one of them fails is checked
    again one value at a time, to name the check and the value that failed.
    """

    def __init__(self, entity: str, only: tuple[CelCheck, ...] | None = None) -> None:
        self.entity = entity
        self.env = environment()
        chosen = checks(entity) if only is None else only
        grouped: dict[str, list[tuple[CelCheck, Any]]] = {}
        for check in chosen:
            grouped.setdefault(check.context, []).append(
                (check, self.env.compile(check.expression))
            )
        self.groups = grouped
        #: the checks in the order of their findings: by context, then by check
        self.ordered = [check for group in grouped.values() for check, _ in group]
        self.gathered = [self.env.compile(gathered(c.context, c.expression)) for c in self.ordered]

    def findings(
        self, record: Mapping[str, Any], context: RuleContext | None = None
    ) -> list[CelFinding]:
        """The findings of every check on ``record`` (a JSON object: dicts, lists, strings...).

        Raises `CelEvaluationError` when a check gives no boolean (an error of the engine,
        or a record the profile does not cover); its message holds no value of the record.
        """
        bound = variables(context or default_context())
        activation = self.env.Activation({**bound, "record": record})
        results = []
        for program in self.gathered:
            result = program.eval(activation)
            if result.type() == cel.Type.ERROR:
                return self._one_by_one(record, bound)
            results.append(result.plain_value())
        found = self._read(results)
        return self._one_by_one(record, bound) if found is None else found

    def _read(self, results: list[Any]) -> list[CelFinding] | None:
        """The findings of the gathered results; None if some verdict is not a boolean."""
        keyed: list[tuple[int, tuple[int, ...], int, CelFinding]] = []
        contexts = list(self.groups)
        for position, (check, result) in enumerate(zip(self.ordered, results, strict=True)):
            stars = _step_names(check.context).count("*")
            for indices, verdict in _verdicts(result, stars):
                if verdict == 1:
                    continue
                if verdict != 2:
                    return None
                path = finding_path(check.path, indices)
                finding = CelFinding(check.rule, check.severity, path)
                keyed.append((contexts.index(check.context), indices, position, finding))
        return [entry[-1] for entry in sorted(keyed, key=lambda e: e[:3])]

    def _one_by_one(self, record: Mapping[str, Any], bound: dict[str, Any]) -> list[CelFinding]:
        found: list[CelFinding] = []
        for pointer, group in self.groups.items():
            for indices, value in matches(record, pointer):
                activation = self.env.Activation({**bound, "self": value, "record": record})
                for check, program in group:
                    result = program.eval(activation)
                    verdict = result.value()
                    if verdict is True:
                        continue
                    path = finding_path(check.path, indices)
                    if verdict is False:
                        found.append(CelFinding(check.rule, check.severity, path))
                    else:
                        raise CelEvaluationError(check.rule, path, _problem(result))
        return found
