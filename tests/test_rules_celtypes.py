"""casestd.rules.celtypes: every published expression type-checks against the JSON Schema."""

from __future__ import annotations

import attrs
import pytest

from casestd.model import ENTITIES
from casestd.rules import portable
from casestd.rules.cel import cel
from casestd.rules.celtypes import context_type, type_errors


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_check_type_checks(entity: str) -> None:
    assert type_errors(entity) == []


def _with(entity: str, rule: str, expression: str) -> list[portable.CelCheck]:
    check = next(c for c in portable.checks(entity) if c.rule == rule)
    return [attrs.evolve(check, expression=expression)]


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("self.status != 'closed' || has(self.closure_reason)", "closure_reason"),
        ("self.status != 'closed' || self.closure", "no matching overload"),
        ("self.opened", "the expression is a"),
        ("timestamp(self.opened) > 3", "no matching overload"),
    ],
)
def test_a_wrong_field_or_type_is_reported(
    expression: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = _with("case", "case.closed_without_closure", expression)
    monkeypatch.setattr("casestd.rules.celtypes.checks", lambda entity: changed)
    errors = type_errors("case")
    assert len(errors) == 1 and problem in errors[0], errors
    assert errors[0].startswith("case.closed_without_closure (case, context /)")


def test_context_types_follow_the_schema() -> None:
    assert context_type("case", "") == cel.Type("casestd.case.Case")
    assert context_type("case", "/reviews/*/date") == cel.Type.STRING
    assert context_type("family", "/members/*") == cel.Type("casestd.family.FamilyMember")
    assert context_type("child", "/names") == cel.Type.List(cel.Type("casestd.child.PersonName"))
