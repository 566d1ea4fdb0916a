"""The compatibility diff: every kind of change, its path, whether it breaks, the bump."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from casestd.schema.diff import Change, change, diff, next_version, required_bump
from casestd.schema.release import SchemaSet, current

Schema = dict[str, Any]
Edit = Callable[[Schema], None]


@pytest.fixture(scope="module")
def base() -> SchemaSet:
    return current()


def edit_entity(base: SchemaSet, entity: str, edit: Edit) -> SchemaSet:
    """A copy of ``base`` whose schema of ``entity`` (a deep copy) went through ``edit``."""
    schema = copy.deepcopy(base.entities[entity])
    edit(schema)
    return attrs.evolve(base, entities={**base.entities, entity: schema})


def edit_list(base: SchemaSet, list_id: str, edit: Edit) -> SchemaSet:
    """A copy of ``base`` whose code list ``list_id`` (a deep copy) went through ``edit``."""
    data = copy.deepcopy(base.code_lists[list_id])
    edit(data)
    return attrs.evolve(base, code_lists={**base.code_lists, list_id: data})


def summary(changes: list[Change]) -> list[tuple[str, str, str, bool, str]]:
    return [(c.kind, c.entity, c.path, c.breaking, c.bump) for c in changes]


def one(changes: list[Change], kind: str) -> Change:
    found = [c for c in changes if c.kind == kind]
    assert len(found) == 1, summary(changes)
    return found[0]


def defs(schema: Schema, name: str) -> Schema:
    found: Schema = schema["$defs"][name]
    return found


def test_no_change_is_no_change(base: SchemaSet) -> None:
    assert diff(base, base) == []
    assert diff(base, copy.deepcopy(base)) == []
    assert required_bump([]) is None


def test_property_added_is_minor(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        s["properties"]["nickname"] = {"type": "string", "maxLength": 50}

    changes = diff(base, edit_entity(base, "child", edit))
    assert summary(changes) == [("property_added", "child", "/nickname", False, "minor")]


def test_property_added_to_an_open_object_breaks(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        s["additionalProperties"] = True

    old = edit_entity(base, "child", edit)
    new = edit_entity(old, "child", lambda s: s["properties"].update(nickname={"type": "string"}))
    assert summary(diff(old, new)) == [("property_added", "child", "/nickname", True, "major")]


def test_property_removed_from_a_shared_definition(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        del defs(s, "PersonName")["properties"]["family"]

    changes = diff(base, edit_entity(base, "child", edit))
    assert summary(changes) == [("property_removed", "child", "/names/*/family", True, "major")]


def test_shared_definition_is_reported_at_each_path(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        del defs(s, "ContactPoint")["properties"]["use"]

    changes = diff(base, edit_entity(base, "family", edit))
    assert [c.path for c in changes] == ["/contacts/*/use", "/members/*/contacts/*/use"]
    assert all(c.kind == "property_removed" and c.breaking for c in changes)


def test_required_added_breaks_and_required_removed_is_minor(base: SchemaSet) -> None:
    added = edit_entity(base, "child", lambda s: s["required"].append("contacts"))
    assert summary(diff(base, added)) == [("required_added", "child", "/contacts", True, "major")]
    removed = edit_entity(base, "child", lambda s: s["required"].remove("birth_date"))
    assert summary(diff(base, removed)) == [
        ("required_removed", "child", "/birth_date", False, "minor")
    ]


def test_nullable_field_made_non_null_is_a_narrowed_type(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        prop = s["properties"]["family_id"]
        s["properties"]["family_id"] = {**prop["anyOf"][0], "description": prop["description"]}

    change = one(diff(base, edit_entity(base, "child", edit)), "type_changed")
    assert (change.path, change.breaking, change.bump) == ("/family_id", True, "major")
    assert "null" in change.detail


@pytest.mark.parametrize(
    ("entity", "path", "edit"),
    [
        ("child", "/registration_date", lambda s: s["properties"]["registration_date"].update(
            type=["string", "null"])),
        ("trafficking_victim", "/age_when_trafficked",
         lambda s: s["properties"]["age_when_trafficked"]["anyOf"][0].update(type="number")),
    ],
)  # fmt: skip
def test_widened_type_is_minor(base: SchemaSet, entity: str, path: str, edit: Edit) -> None:
    changes = diff(base, edit_entity(base, entity, edit))
    assert summary(changes) == [("type_changed", entity, path, False, "minor")]


def test_switching_code_list_is_a_type_change(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        s["$defs"]["code.gender"] = base.entities["trafficking_victim"]["$defs"]["code.gender"]
        s["properties"]["sex"] = {"$ref": "#/$defs/code.gender"}

    change = one(diff(base, edit_entity(base, "child", edit)), "type_changed")
    assert (change.path, change.breaking) == ("/sex", True)


def test_code_added_removed_deprecated_and_relabelled(base: SchemaSet) -> None:
    def add(data: Schema) -> None:
        data["codes"].append({**data["codes"][0], "code": "intersex"})

    def remove(data: Schema) -> None:
        data["codes"] = [c for c in data["codes"] if c["code"] != "other"]

    def deprecate(data: Schema) -> None:
        data["codes"][2].update(status="deprecated", replaced_by="unknown")

    def relabel(data: Schema) -> None:
        data["codes"][0]["labels"]["ru"] = "Женщина"

    expected = {
        add: ("code_added", "sex", "sex", False, "minor"),
        remove: ("code_removed", "sex", "sex", True, "major"),
        deprecate: ("code_deprecated", "sex", "sex", False, "minor"),
        relabel: ("label_changed", "sex", "sex", False, "patch"),
    }
    for edit, wanted in expected.items():
        assert summary(diff(base, edit_list(base, "sex", edit))) == [wanted]


def test_code_removed_from_an_entity_definition_only(base: SchemaSet) -> None:
    changes = diff(base, edit_entity(base, "child", lambda s: defs(s, "code.sex")["enum"].pop()))
    assert summary(changes) == [("code_removed", "sex", "sex", True, "major")]
    assert changes[0].detail == "code 'unknown' removed"


def test_the_same_change_in_lists_and_definitions_is_reported_once(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        defs(s, "code.sex")["enum"].remove("other")

    new = edit_entity(base, "child", edit)
    new = edit_list(
        new, "sex", lambda d: d.update(codes=[c for c in d["codes"] if c["code"] != "other"])
    )
    assert summary(diff(base, new)) == [("code_removed", "sex", "sex", True, "major")]


def test_code_lists_and_entities_added_and_removed(base: SchemaSet) -> None:
    lists = dict(base.code_lists)
    lists["new_list"] = {**lists.pop("sex"), "id": "new_list"}
    entities = dict(base.entities)
    entities["shelter"] = entities.pop("service")
    changes = diff(base, attrs.evolve(base, code_lists=lists, entities=entities))
    assert summary(changes) == [
        ("code_list_added", "new_list", "new_list", False, "minor"),
        ("entity_removed", "service", "", True, "major"),
        ("code_list_removed", "sex", "sex", True, "major"),
        ("entity_added", "shelter", "", False, "minor"),
    ]


@pytest.mark.parametrize(
    ("edit", "kind", "path", "breaking"),
    [
        (lambda s: defs(s, "PartialDate")["properties"]["value"].update(pattern="^\\d{4}$"),
         "pattern_changed", "/birth_date/value", True),
        (lambda s: defs(s, "Identifier")["properties"]["value"].update(pattern="^[0-9]+$"),
         "pattern_added", "/identifiers/*/value", True),
        (lambda s: defs(s, "RecordMeta")["properties"]["agency"].pop("pattern"),
         "pattern_removed", "/meta/agency", False),
        (lambda s: s["properties"]["registration_date"].update(format="date-time"),
         "pattern_changed", "/registration_date", True),
        (lambda s: defs(s, "PersonName")["properties"]["given"]["anyOf"][0].update(maxLength=50),
         "length_narrowed", "/names/*/given", True),
        (lambda s: defs(s, "PersonName")["properties"]["given"]["anyOf"][0].update(maxLength=200),
         "length_widened", "/names/*/given", False),
        (lambda s: s["properties"]["names"].update(minItems=2), "bound_narrowed", "/names", True),
        (lambda s: s["properties"]["names"].pop("minItems"), "bound_widened", "/names", False),
        (lambda s: s["properties"]["registration_date"].update(enum=["2024-01-01"]),
         "enum_narrowed", "/registration_date", True),
        (lambda s: s.update(additionalProperties=True),
         "additional_properties_changed", "", False),
        (lambda s: s["properties"]["sex"].update(deprecated=True),
         "property_deprecated", "/sex", False),
        (lambda s: s["properties"]["registration_date"].update({"x-personal-data": True}),
         "annotation_changed", "/registration_date", False),
        (lambda s: s["properties"]["registration_date"].update(description="When registered."),
         "label_changed", "/registration_date", False),
        (lambda s: s.update(title="A child"), "label_changed", "", False),
        (lambda s: s["properties"]["names"].update(uniqueItems=True),
         "constraint_changed", "/names", True),
    ],
)  # fmt: skip
def test_constraint_changes_on_child(
    base: SchemaSet, edit: Edit, kind: str, path: str, breaking: bool
) -> None:
    changes = diff(base, edit_entity(base, "child", edit))
    bump = "major" if breaking else ("patch" if kind == "label_changed" else "minor")
    assert summary(changes) == [(kind, "child", path, breaking, bump)]


def inclusive_quantity(s: Schema) -> None:
    """``quantity > 0`` becomes ``quantity >= 0``: wider."""
    branch = s["properties"]["quantity"]["anyOf"][0]
    del branch["exclusiveMinimum"]
    branch["minimum"] = 0


@pytest.mark.parametrize(
    ("entity", "edit", "kind", "path", "breaking"),
    [
        ("trafficking_victim",
         lambda s: s["properties"]["age_when_trafficked"]["anyOf"][0].update(maximum=100),
         "bound_narrowed", "/age_when_trafficked", True),
        ("trafficking_victim",
         lambda s: defs(s, "Compensation")["properties"]["amount_amd"]["anyOf"][0].pop("minimum"),
         "bound_widened", "/compensation/amount_amd", False),
        ("service", inclusive_quantity, "bound_widened", "/quantity", False),
        ("service", lambda s: s["properties"]["quantity"]["anyOf"][0].update(exclusiveMinimum=1),
         "bound_narrowed", "/quantity", True),
    ],
)  # fmt: skip
def test_numeric_bounds(
    base: SchemaSet, entity: str, edit: Edit, kind: str, path: str, breaking: bool
) -> None:
    changes = diff(base, edit_entity(base, entity, edit))
    assert summary(changes) == [(kind, entity, path, breaking, "major" if breaking else "minor")]


def test_non_code_enum_widened_and_narrowed(base: SchemaSet) -> None:
    def with_enum(values: list[str]) -> Edit:
        return lambda s: s["properties"]["registration_date"].update(enum=values)

    old = edit_entity(base, "child", with_enum(["2024-01-01"]))
    wider = edit_entity(base, "child", with_enum(["2024-01-01", "2024-01-02"]))
    narrower = edit_entity(base, "child", with_enum(["2024-01-02"]))
    assert summary(diff(old, wider)) == [
        ("enum_widened", "child", "/registration_date", False, "minor")
    ]
    assert summary(diff(old, narrower)) == [
        ("enum_narrowed", "child", "/registration_date", True, "major")
    ]
    assert summary(diff(old, base)) == [
        ("enum_widened", "child", "/registration_date", False, "minor")
    ]


def test_closing_an_object_breaks(base: SchemaSet) -> None:
    open_child = edit_entity(base, "child", lambda s: s.update(additionalProperties=True))
    assert summary(diff(open_child, base)) == [
        ("additional_properties_changed", "child", "", True, "major")
    ]


def test_property_removed_from_an_open_object_is_minor(base: SchemaSet) -> None:
    def edit(s: Schema) -> None:
        s["additionalProperties"] = True

    old = edit_entity(base, "child", edit)
    new = edit_entity(old, "child", lambda s: s["properties"].pop("family_id"))
    assert summary(diff(old, new)) == [("property_removed", "child", "/family_id", False, "minor")]


def conditions(s: Schema) -> list[Schema]:
    found: list[Schema] = defs(s, "Identifier")["allOf"]
    return found


def passport(s: Schema) -> Schema:
    return next(c for c in conditions(s) if c["if"]["properties"]["type"]["const"] == "passport")


@pytest.mark.parametrize(
    ("edit", "kind", "breaking"),
    [
        (lambda s: passport(s)["then"]["properties"]["value"].update(pattern="^[A-Z]{2}\\d{8}$"),
         "pattern_changed", True),
        (lambda s: conditions(s).remove(passport(s)), "pattern_removed", False),
        (lambda s: conditions(s).append({
            "if": {"properties": {"type": {"const": "military_id"}}, "required": ["type"]},
            "then": {"properties": {"value": {"pattern": "^[0-9]{6}$"}}},
        }), "pattern_added", True),
    ],
)  # fmt: skip
def test_conditional_patterns(base: SchemaSet, edit: Edit, kind: str, breaking: bool) -> None:
    change = one(diff(base, edit_entity(base, "child", edit)), kind)
    assert (change.path, change.breaking) == ("/identifiers/*/value", breaking)
    assert change.detail.startswith("if type = ")


def rule(rules: list[Schema], rule_id: str) -> Schema:
    return next(r for r in rules if r["id"] == rule_id)


@pytest.mark.parametrize(
    ("edit", "kind", "breaking"),
    [
        (lambda rules: rules.append({"id": "family.new", "severity": "error", "text": {}}),
         "rule_added", True),
        (lambda rules: rules.append({"id": "family.new", "severity": "warning", "text": {}}),
         "rule_added", False),
        (lambda rules: rules.remove(rule(rules, "family.spouse_count")), "rule_removed", False),
        (lambda rules: rule(rules, "code.deprecated").update(severity="error"),
         "rule_severity_changed", True),
        (lambda rules: rule(rules, "field.phone").update(severity="warning"),
         "rule_severity_changed", False),
        (lambda rules: rule(rules, "field.phone")["text"].update(en="Changed."),
         "label_changed", False),
        (lambda rules: rule(rules, "family.spouse_count").update(cel=[{"expression": "true"}]),
         "rule_expression_changed", False),
    ],
)  # fmt: skip
def test_rules(
    base: SchemaSet, edit: Callable[[list[Schema]], None], kind: str, breaking: bool
) -> None:
    changes = diff(base, edit_entity(base, "family", lambda s: edit(s["x-rules"])))
    bump = "major" if breaking else ("patch" if kind == "label_changed" else "minor")
    assert summary(changes) == [(kind, "family", "", breaking, bump)]


def test_bumps_and_versions() -> None:
    minor = change("code_added", "sex", "sex", "code 'x' added")
    major = change("code_removed", "sex", "sex", "code 'y' removed")
    patch = change("label_changed", "sex", "sex", "title changed")
    assert required_bump([patch]) == "patch"
    assert required_bump([patch, minor]) == "minor"
    assert required_bump([minor, major, patch]) == "major"
    assert next_version("1.4.2", "major") == "2.0.0"
    assert next_version("1.4.2", "minor") == "1.5.0"
    assert next_version("1.4.2", "patch") == "1.4.3"
    assert next_version("1.4.2", None) == "1.4.2"
    assert major.to_dict() == {
        "kind": "code_removed",
        "entity": "sex",
        "path": "sex",
        "detail": "code 'y' removed",
        "breaking": True,
        "bump": "major",
    }
    with pytest.raises(ValueError):
        next_version("1.4", "minor")
    with pytest.raises(ValueError):
        change("type_changed", "child", "/sex", "type")


@pytest.mark.parametrize(
    ("before", "after", "how"),
    [(None, [{"expression": "true"}], "added"),
     ([{"expression": "true"}], [{"expression": "false"}], "changed"),
     ([{"expression": "true"}], None, "removed")],
)  # fmt: skip
def test_cel_checks_of_a_rule(before: Any, after: Any, how: str) -> None:
    from casestd.schema.diff import _rule_changes

    def schema(cel: Any) -> dict[str, Any]:
        entry = {"id": "family.spouse_count", "severity": "warning", "text": {}}
        return {"x-rules": [entry if cel is None else {**entry, "cel": cel}]}

    (found,) = _rule_changes("family", schema(before), schema(after))
    assert (found.kind, found.breaking, found.bump) == ("rule_expression_changed", False, "minor")
    assert found.detail == f"rule family.spouse_count: CEL checks {how}"
