"""casestd.rules.engine: rules.json defines every rule, and every rule it defines exists."""

from __future__ import annotations

import pytest

from casestd.model import ENTITIES
from casestd.rules import all_rules
from casestd.rules.engine import definitions, entities_of, rule


def test_every_rule_in_the_data_has_its_reference_implementation() -> None:
    registered = {entry.id for entry in all_rules()}
    fields = {r for r, d in definitions().items() if d.get("kind") == "field"}
    assert registered | fields == set(definitions())
    assert not registered & fields


def test_severity_and_entities_come_from_the_data() -> None:
    for entry in all_rules():
        assert entry.severity == definitions()[entry.id]["severity"]
        assert entry.entities == entities_of(entry.id)
        assert set(entry.entities) <= set(ENTITIES)
    assert entities_of("record.created_in_future") == tuple(ENTITIES)


def test_a_rule_the_data_does_not_define_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not in rules\.json"):
        rule("case.no_such_rule")
