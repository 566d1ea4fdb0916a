"""casestd.rules.portable: the CEL form of the rules as rules.json holds and a release shows it."""

from __future__ import annotations

import datetime as dt

import pytest

from casestd.model import ENTITIES
from casestd.rules import Deadlines, RuleContext, portable
from casestd.rules.engine import definitions


def test_published_expressions_are_plain_cel() -> None:
    for entity in ENTITIES:
        for check in portable.checks(entity):
            assert "@" not in check.expression and "$" not in check.expression, check.rule


def test_a_macro_argument_that_is_not_a_name_is_bracketed() -> None:
    assert portable.expand("@given(a.b)") == "(has(a.b) && a.b != null)"
    assert portable.expand("@date(x + y)") == "timestamp((x + y) + 'T00:00:00Z')"


@pytest.mark.parametrize(
    ("text", "problem"),
    [("@nothing(a)", "unknown"), ("@date", "needs its arguments"),
     ("@date(a, b)", "takes 1"), ("@date(a", "unbalanced")],
)  # fmt: skip
def test_a_wrong_macro_call_is_refused(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        portable.expand(text)


def test_a_rule_is_portable_or_says_why_not() -> None:
    for rule_id, definition in definitions().items():
        if portable.is_portable(rule_id):
            assert definition["cel"] and portable.reason(rule_id) is None
            assert all(c.keys() >= {"context", "expression", "path"} for c in definition["cel"])
        else:
            assert "cel" not in definition and len(portable.reason(rule_id) or "") > 40
    assert sorted(r for r in definitions() if not portable.is_portable(r)) == [
        "field.date", "field.phone"
    ]  # fmt: skip


def test_published_rule_shows_the_checks_of_one_entity() -> None:
    shown = portable.published_rule("person.name_empty", "family")
    assert shown == {"portable": True, "cel": [{
        "context": "/members/*/names/*",
        "expression": "(has(self.given) && self.given != null) || "
        "(has(self.family) && self.family != null)",
        "path": "/members/*/names/*",
    }]}  # fmt: skip
    assert portable.published_rule("field.phone", "child")["portable"] is False


def test_matches_skip_null_and_missing_members() -> None:
    record = {"a": [{"b": 1}, {"b": None}, {}, None], "c": None}
    assert list(portable.matches(record, "/a/*/b")) == [((0,), 1)]
    assert list(portable.matches(record, "/c")) == []
    assert list(portable.matches(record, "")) == [((), record)]
    with pytest.raises(ValueError, match="JSON Pointer"):
        list(portable.matches(record, "a"))


def test_variables_are_the_context_in_the_profile_s_terms() -> None:
    now = dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=4)))
    context = RuleContext(now=now, deadlines=Deadlines(case_plan=dt.timedelta(days=7)))
    texts = portable.variable_texts(context)
    # 01:30 in Yerevan is still 28 February in UTC: "today" is Yerevan's day
    assert texts["today"] == "2026-03-01T00:00:00Z"
    assert texts["now"] == "2026-03-01T01:30:00+04:00"
    assert texts["deadlines"]["case_plan"] == "604800s"
    assert portable.variables(context)["deadlines"]["case_plan"] == dt.timedelta(days=7)
