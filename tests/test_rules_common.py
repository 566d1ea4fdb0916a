"""Rules shared by several entities, messages, coverage of every rule, and properties.

The meta-tests read the rule test files: every registered rule must be the
subject of an ``assert_finding`` call there, with the severity it is
registered with, and must have a message in every language.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestd import validate
from casestd.model import ENTITIES as MODELS
from casestd.rules import all_rules
from casestd.rules.messages import catalogue
from casestd.testing import payloads
from casestd.version import LANGUAGES

from factories import (
    CONTEXT,
    ENTITIES,
    FACTORIES,
    PERSON_ENTITIES,
    Payload,
    assert_finding,
    assert_no_finding,
    check,
    payload,
    stamp,
)

HERE = Path(__file__).resolve().parent

RULE_TEST_FILES = sorted(HERE.glob("test_rules_*.py"))
ARMENIAN = re.compile("[\u0531-\u058f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def person(entity: str, data: Payload) -> tuple[Payload, str]:
    """The (first) person of a payload and the JSON Pointer to it."""
    if entity == "family":
        return data["members"][0], "/members/0"
    if entity == "trafficking_victim":
        return data["person"], "/person"
    return data, ""


# -- the factories --------------------------------------------------------------


@pytest.mark.parametrize("entity", ENTITIES)
def test_factory_payload_is_valid_without_any_finding(entity: str) -> None:
    data = payload(entity)
    assert not check(entity, data).findings
    assert payload(entity) is not data  # a new dict each time
    text = json.dumps(data)  # JSON-ready: no dates or UUIDs as objects
    assert validate(entity, text, context=CONTEXT) == validate(entity, data, context=CONTEXT)


def test_there_is_a_factory_for_every_entity() -> None:
    assert set(FACTORIES) == set(ENTITIES) == set(MODELS)


# -- record metadata (every entity) ---------------------------------------------


@pytest.mark.parametrize("entity", ENTITIES)
def test_updated_before_created(entity: str) -> None:
    data = payload(entity)
    created = data["meta"]["created"]
    data["meta"]["updated"] = created  # updated at once: fine
    assert_no_finding(check(entity, data), "record.updated_before_created")
    data["meta"]["updated"] = stamp(created, minutes=-1)
    assert_finding(check(entity, data), "record.updated_before_created", "error", "/meta/updated")


@pytest.mark.parametrize("entity", ENTITIES)
def test_created_in_future(entity: str) -> None:
    data = payload(entity)
    data["meta"]["created"] = "2026-01-15T08:00:00+00:00"  # exactly now, written in UTC
    assert not check(entity, data).findings
    data["meta"]["created"] = "2026-01-15T12:01:00+04:00"
    assert_finding(check(entity, data), "record.created_in_future", "error", "/meta/created")


# -- persons (child, family, trafficking victim) ----------------------------------


@pytest.mark.parametrize("entity", PERSON_ENTITIES)
def test_name_empty(entity: str) -> None:
    data = payload(entity)
    who, where = person(entity, data)
    who["names"].append({"family": "Петросян", "script": "cyrl"})  # family name only: fine
    assert_no_finding(check(entity, data), "person.name_empty")
    who["names"].append({"patronymic": "Արամի", "script": "armn"})
    assert_finding(check(entity, data), "person.name_empty", "error", f"{where}/names/2")


@pytest.mark.parametrize("entity", ["family", "trafficking_victim"])
@pytest.mark.parametrize("birth", ["2026-01-16", "2026-02", "2027"])
def test_birth_date_in_future(entity: str, birth: str) -> None:
    data = payload(entity)
    who, where = person(entity, data)
    assert_no_finding(check(entity, data), "person.birth_date_in_future")
    who["birth_date"] = {"value": birth}
    assert_finding(
        check(entity, data), "person.birth_date_in_future", "error", f"{where}/birth_date/value"
    )


@pytest.mark.parametrize("entity", ["family", "trafficking_victim"])
@pytest.mark.parametrize("birth", ["2026-01-15", "2026-01", "2026"])
def test_birth_date_today_or_possibly_before(entity: str, birth: str) -> None:
    data = payload(entity)
    who, _ = person(entity, data)
    who["birth_date"] = {"value": birth, "estimated": len(birth) < 10}
    assert not check(entity, data).findings


def test_child_birth_date_in_future() -> None:
    data = payload("child")
    data["birth_date"] = {"value": "2026-01-15"}  # today: only born after registration
    assert_no_finding(check("child", data), "person.birth_date_in_future")
    data["birth_date"] = {"value": "2026-01-16"}
    report = check("child", data)
    assert_finding(report, "person.birth_date_in_future", "error", "/birth_date/value", alone=False)
    assert_finding(
        report, "child.born_after_registration", "error", "/birth_date/value", alone=False
    )
    assert len(report.findings) == 2


@pytest.mark.parametrize("entity", ["child", "family"])
def test_district_outside_yerevan(entity: str) -> None:
    data = payload(entity)
    data["address"] = {"region": "AM-ER", "district": "kentron"}
    assert not check(entity, data).findings
    data["address"] = {"region": "AM-SH"}
    assert not check(entity, data).findings
    data["address"]["district"] = "kentron"
    assert_finding(
        check(entity, data), "address.district_outside_yerevan", "error", "/address/district"
    )


@pytest.mark.parametrize("entity", PERSON_ENTITIES)
def test_deprecated_code(entity: str) -> None:
    data = payload(entity)
    who, where = person(entity, data)
    who["identifiers"] = [
        {"type": "passport", "value": "AB1234567"},
        {"type": "public_service_number", "value": "1234567890"},
    ]
    assert not check(entity, data).findings
    who["identifiers"][1]["type"] = "social_card_number"
    [finding] = assert_finding(
        check(entity, data), "code.deprecated", "warning", f"{where}/identifiers/1/type"
    )
    assert "'social_card_number'" in finding.message
    assert "'public_service_number'" in finding.message


# -- messages -----------------------------------------------------------------------


def test_messages_are_translated() -> None:
    data = payload("child")
    data["birth_date"] = {"value": "2007-03-01"}
    messages = {}
    for lang in LANGUAGES:
        [finding] = assert_finding(
            check("child", data, lang=lang),
            "child.adult_at_registration",
            "error",
            "/registration_date",
        )
        messages[lang] = finding.message
        assert "18" in finding.message
    assert len(set(messages.values())) == 3, messages
    assert ARMENIAN.search(messages["hy"]), messages["hy"]
    assert CYRILLIC.search(messages["ru"]), messages["ru"]
    assert not ARMENIAN.search(messages["en"]) and not CYRILLIC.search(messages["en"])


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("rule_id", [r.id for r in all_rules()])
def test_every_rule_has_a_message_in_every_language(rule_id: str) -> None:
    templates = catalogue().get(rule_id, {})
    assert set(LANGUAGES) <= set(templates), f"{rule_id}: no message in some language"
    for lang in LANGUAGES:
        assert templates[lang].strip(), f"{rule_id}: empty {lang} message"
    expected = placeholders(templates["en"])
    for lang in LANGUAGES:
        assert placeholders(templates[lang]) == expected, f"{rule_id}: {lang} placeholders"


# -- every rule is tested ----------------------------------------------------------


def asserted_rules() -> dict[str, set[str]]:
    """Rule id -> severities passed to ``assert_finding`` in the rule test files."""
    found: dict[str, set[str]] = {}
    for path in RULE_TEST_FILES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "assert_finding"
            ):
                continue
            rule_arg, severity_arg = node.args[1], node.args[2]
            assert isinstance(rule_arg, ast.Constant) and isinstance(rule_arg.value, str), (
                f"{path.name}:{node.lineno}: write the rule id as a literal"
            )
            assert isinstance(severity_arg, ast.Constant), f"{path.name}:{node.lineno}"
            found.setdefault(rule_arg.value, set()).add(str(severity_arg.value))
    return found


def test_every_rule_is_tested() -> None:
    tested = asserted_rules()
    registered = {r.id: r.severity for r in all_rules()}
    assert len(registered) >= 40
    assert not set(registered) - set(tested), "rules without a test"
    assert not set(tested) - set(registered), "tests of rules that do not exist"
    for rule_id, severities in tested.items():
        assert severities == {registered[rule_id]}, rule_id


# -- properties: generated payloads are valid and round-trip ----------------------

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("entity", ENTITIES)
@PROPERTY
@given(data=st.data())
def test_generated_payloads_are_valid_and_round_trip(entity: str, data: st.DataObject) -> None:
    generated = data.draw(payloads(entity), label=entity)
    report = validate(entity, generated, context=CONTEXT)
    assert report.ok, [f.to_dict() for f in report.findings]
    assert not report.errors
    model = MODELS[entity]
    record = model.model_validate(generated)
    again = model.model_validate_json(record.model_dump_json())
    assert again == record


def test_assert_no_finding_refuses_an_unknown_rule() -> None:
    report = validate("child", payload("child"), context=CONTEXT)
    assert_no_finding(report, "person.name_empty")
    with pytest.raises(AssertionError, match="no rule"):
        assert_no_finding(report, "person.name_emtpy")
