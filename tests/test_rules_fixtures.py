"""casestd.rules.fixtures: the fixtures say what casestd's own rules find, and cover every rule."""

from __future__ import annotations

import json

import pytest
from rule_edges import reference

from casestd.model import ENTITIES
from casestd.rules import portable
from casestd.rules.fixtures import Fixture, fixture_files, fixtures, portable_rules, rule_tests


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda f: f.file)
def test_the_python_rules_find_what_each_fixture_says(fixture: Fixture) -> None:
    expected = {fixture.rule: fixture.findings, **fixture.also}
    found = reference(fixture.entity, fixture.record, fixture.context)
    assert found == sorted((rule, path) for rule, paths in expected.items() for path in paths)


def test_every_check_has_a_passing_and_a_failing_fixture() -> None:
    """Each check of rules.json, on one of the entities it applies to."""
    entities: dict[tuple[str, str, str], set[str]] = {}
    for entity in ENTITIES:
        for check in portable.checks(entity):
            entities.setdefault((check.rule, check.context, check.source), set()).add(entity)
    have = {(f.rule, f.entity, f.passes) for f in fixtures()}
    for (rule_id, context, _), on in entities.items():
        for passes in (True, False):
            assert any((rule_id, e, passes) in have for e in on), (rule_id, context, passes)


def test_every_portable_rule_has_fixtures_and_names_are_unique() -> None:
    covered = {(f.rule, f.passes) for f in fixtures()}
    for rule_id in {r for entity in ENTITIES for r in portable_rules(entity)}:
        assert {(rule_id, True), (rule_id, False)} <= covered, rule_id
    files = [f.file for f in fixtures()]
    assert len(files) == len(set(files)) == len(fixture_files())


def test_the_kit_expects_every_portable_rule_on_every_record() -> None:
    kit = rule_tests("2.1.0")
    assert kit["standard_version"] == "2.1.0"
    assert len(kit["tests"]) == len(fixtures())
    for test, fixture in zip(kit["tests"], fixtures(), strict=True):
        assert set(test["expected"]) == set(portable_rules(fixture.entity))
        assert test["expected"][fixture.rule] == list(fixture.findings)
        assert set(test["variables"]) == set(portable.VARIABLES)
    json.dumps(kit, allow_nan=False)  # language-neutral: plain JSON


def test_a_fixture_document_holds_what_an_engine_needs() -> None:
    fixture = next(f for f in fixtures() if not f.passes)
    document = fixture_files()[fixture.file]
    assert fixture.file == f"rules/{fixture.rule}/{fixture.name}.fail.json"
    assert document["rule"] == fixture.rule and document["findings"]
    assert document["variables"]["deadlines"]["high_risk_assessment"] == "86400s"
    assert document["variables"]["today"].endswith("T00:00:00Z")
