"""Run the portable rules with a CEL engine: Google's cel-expr-python (CEL-C++).

It needs the ``cel`` extra (``pip install 'casestd[cel]'``). casestd's own
Python rules stay the default; this engine runs the same rules as a consumer
in another language would, from the expressions a release publishes:

>>> from casestd.rules.cel import CelEngine                  # doctest: +SKIP
>>> CelEngine("case").findings(payload)                      # doctest: +SKIP
[CelFinding(rule='case.closed_without_closure', severity='error', path='/closure')]

The checks that share a context are evaluated together, on one activation per
value the context reaches. The only CEL function beyond the standard library
is ``lowerAscii()`` of the strings extension.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


class CelEngine:
    """The portable rules of one entity, compiled once, for any number of records."""

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

    def findings(
        self, record: Mapping[str, Any], context: RuleContext | None = None
    ) -> list[CelFinding]:
        """The findings of every check on ``record`` (a JSON object: dicts, lists, strings...).

        Raises `CelEvaluationError` when a check gives no boolean (an error of the engine,
        or a record the profile does not cover); its message holds no value of the record.
        """
        bound = variables(context or default_context())
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
