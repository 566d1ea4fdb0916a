"""casestd, Python jsonschema and Ajv agree on the published JSON Schemas, but for ``x-rules``.

One session fixture draws valid payloads of every entity from
`casestd.testing.payloads` and derives type-level corruptions of each (wrong
type, unknown code, missing required field, bad format, unknown property).
Every case goes to three validators: `casestd.validate`, jsonschema's
``Draft202012Validator`` with its format checker, and Ajv (draft 2020-12, strict
mode, ajv-formats) through ``tests/js/validate.mjs``, run once for the session.
Valid payloads must pass all three and every corruption must fail all three.
Records that break only a rule listed in an entity schema's ``x-rules`` are the
documented disagreement: casestd rejects them, the schema validators accept them.

Ajv needs Node.js and ``npm ci --prefix tests/js``. Without them the Ajv tests
fail when the environment variable CI is set, and are skipped otherwise.
"""

from __future__ import annotations

import copy
import functools
import json
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from node import JS, fail_or_skip, node_missing, run_node
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from casestd import validate
from casestd.model import ENTITIES
from casestd.schema import bundle, codes_schema, json_schema, keywords
from casestd.schema.export import CODES_REF
from casestd.testing import payloads

from factories import CONTEXT, FACTORIES, Payload

HERE = Path(__file__).resolve().parent

SCRIPT = JS / "validate.mjs"
NODE_PACKAGES = ("ajv", "ajv-formats")
#: Valid payloads drawn per entity; each also gives one case per corruption kind.
EXAMPLES = 25
VALIDATORS = ("casestd", "jsonschema", "ajv")
SCHEMA_VALIDATORS = ("jsonschema", "ajv")
BUNDLE = "bundle"
CODES = "codes"
JsonObject = dict[str, Any]
Location = tuple[str | int, ...]


# -- cases ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Case:
    """One payload for all validators; ``schema`` is an entity or ``bundle#/$defs/<entity>``."""

    entity: str
    schema: str
    label: str
    data: Any

    def describe(self) -> str:
        # generated test data, never real personal data: safe to print in full
        text = json.dumps(self.data, ensure_ascii=False, sort_keys=True)
        return f"{self.entity} [{self.label}] via {self.schema}: {text}"


@dataclass(frozen=True)
class Disagreement:
    """A record that breaks exactly one ``x-rules`` rule of its entity."""

    rule: str
    case: Case


@dataclass(frozen=True)
class Edge:
    """A value at the edge of a format that the schema, read as JSON Schema says, rejects.

    JSON Schema regexes are ECMA-262 ones: ``\\d`` is an ASCII digit and ``$`` the very
    end. Python's ``re`` (so jsonschema) reads both more loosely: ``python_re_accepts``.
    ``casestd_accepts`` says why casestd still accepts the value, while that is so.
    """

    case: Case
    python_re_accepts: bool = False
    casestd_accepts: str | None = None


@dataclass(frozen=True)
class Cases:
    """Every case of the session, each also sent to Ajv."""

    valid: list[Case]
    corrupt: list[Case]
    disagreements: list[Disagreement]
    bundle_valid: list[Case]
    bundle_corrupt: list[Case]
    edges: list[Edge]

    def all(self) -> list[Case]:
        return [
            *self.valid,
            *self.corrupt,
            *(d.case for d in self.disagreements),
            *self.bundle_valid,
            *self.bundle_corrupt,
            *(e.case for e in self.edges),
        ]


# -- walking a payload alongside its schema -------------------------------------


@dataclass(frozen=True)
class Node:
    """A value in a payload, the schema it is checked against and where it is."""

    location: Location
    value: Any
    schema: JsonObject
    parent: str | None  # the $defs name of the object holding the value, if any


@functools.cache
def _codes() -> JsonObject:
    return codes_schema()


def _resolve(schema: JsonObject, root: JsonObject) -> tuple[JsonObject, str | None]:
    name = None
    while "$ref" in schema:
        ref: str = schema["$ref"]
        if ref.startswith(CODES_REF):
            name = ref.removeprefix(CODES_REF)
            schema = _codes()["$defs"][name]
            continue
        assert ref.startswith("#/$defs/"), ref
        name = ref.removeprefix("#/$defs/")
        schema = root["$defs"][name]
    return schema, name


def _has_type(declared: Any, value: Any) -> bool:
    kinds = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if declared is None:
        return True
    names = declared if isinstance(declared, list) else [declared]
    return any(kinds[name](value) for name in names)


def _branch(schema: JsonObject, root: JsonObject, value: Any) -> tuple[JsonObject, str | None]:
    """The schema ``value`` is checked against, following $ref and the anyOf for null."""
    resolved, name = _resolve(schema, root)
    if "anyOf" not in resolved:
        return resolved, name
    for option in resolved["anyOf"]:
        chosen, chosen_name = _resolve(option, root)
        if _has_type(chosen.get("type"), value):
            return chosen, chosen_name
    raise AssertionError(f"no anyOf branch of {resolved} takes the value")


def walk(
    value: Any,
    schema: JsonObject,
    root: JsonObject,
    location: Location = (),
    parent: str | None = None,
) -> Iterator[Node]:
    """Every value of a payload, depth first, with the schema it is checked against."""
    resolved, name = _branch(schema, root, value)
    yield Node(location, value, resolved, parent)
    if isinstance(value, dict):
        for key, item in value.items():
            inner = resolved.get("properties", {}).get(key, resolved.get("additionalProperties"))
            if isinstance(inner, dict):
                yield from walk(item, inner, root, (*location, key), name)
    elif isinstance(value, list) and isinstance(resolved.get("items"), dict):
        for index, item in enumerate(value):
            yield from walk(item, resolved["items"], root, (*location, index), name)


def _set(document: Any, location: Location, value: Any) -> None:
    *above, last = location
    for step in above:
        document = document[step]
    document[last] = value


def _delete(document: Any, location: Location) -> None:
    *above, last = location
    for step in above:
        document = document[step]
    del document[last]


def pointer(location: Location) -> str:
    return "".join(f"/{step}" for step in location)


# -- corruptions: each one a type-level error every validator must catch ---------

Made = tuple[str, Payload] | None
Corruption = Callable[[Payload, list[Node], random.Random], Made]


def _pick(nodes: list[Node], rng: random.Random) -> Node | None:
    return rng.choice(nodes) if nodes else None


def _replaced(label: str, payload: Payload, node: Node | None, value: Any) -> Made:
    """``label at <pointer>`` and a copy of ``payload`` with the value at ``node`` replaced."""
    if node is None:
        return None
    changed = copy.deepcopy(payload)
    _set(changed, node.location, value)
    return f"{label} at {pointer(node.location)}", changed


def _is_code(node: Node) -> bool:
    return "x-code-list" in node.schema


def wrong_type_string(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    texts = [n for n in nodes if n.schema.get("type") == "string"]
    node = _pick([n for n in texts if not _is_code(n)] or texts, rng)
    return _replaced("number for string", payload, node, 42)


def wrong_type_list(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    node = _pick([n for n in nodes if n.schema.get("type") == "array"], rng)
    return _replaced("object for list", payload, node, {})


def unknown_code(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    node = _pick([n for n in nodes if _is_code(n)], rng)
    return _replaced("not_a_code", payload, node, "not_a_code")


def missing_required(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    required = [
        (*n.location, key)
        for n in nodes
        if isinstance(n.value, dict)
        for key in n.schema.get("required", [])
        if key in n.value
    ]
    if not required:
        return None
    location = rng.choice(required)
    changed = copy.deepcopy(payload)
    _delete(changed, location)
    return f"required {pointer(location)} deleted", changed


def bad_uuid(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    return "not-a-uuid at /id", dict(payload, id="not-a-uuid")


def _is_date(node: Node) -> bool:
    if node.schema.get("format") == "date":
        return True
    # the value of a partial date: a pattern, no format
    return node.parent == "PartialDate" and node.location[-1:] == ("value",)


def bad_date(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    node = _pick([n for n in nodes if _is_date(n)], rng)
    return _replaced("date 2024-13-45", payload, node, "2024-13-45")


_OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def datetime_without_offset(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    node = _pick([n for n in nodes if n.schema.get("format") == "date-time"], rng)
    if node is None:
        return None
    local = _OFFSET.sub("", node.value)
    assert local != node.value, node.value
    return _replaced("date-time without offset", payload, node, local)


def unknown_property(payload: Payload, nodes: list[Node], rng: random.Random) -> Made:
    closed = [n for n in nodes if isinstance(n.value, dict) and "properties" in n.schema]
    node = _pick(closed, rng)
    if node is None:
        return None
    changed = copy.deepcopy(payload)
    _set(changed, (*node.location, "extra_field"), "surplus")
    return f"extra_field in {pointer(node.location) or '/'}", changed


CORRUPTIONS: dict[str, Corruption] = {
    "wrong_type_string": wrong_type_string,
    "wrong_type_list": wrong_type_list,
    "unknown_code": unknown_code,
    "missing_required": missing_required,
    "bad_uuid": bad_uuid,
    "bad_date": bad_date,
    "datetime_without_offset": datetime_without_offset,
    "unknown_property": unknown_property,
}


def draw_cases(entity: str, schema: JsonObject) -> tuple[list[Case], list[Case]]:
    """``EXAMPLES`` valid payloads of ``entity`` and the corruptions of each."""
    valid: list[Case] = []
    corrupt: list[Case] = []

    @settings(
        max_examples=EXAMPLES,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payloads(entity), st.randoms(use_true_random=False))
    def collect(payload: Payload, rng: random.Random) -> None:
        valid.append(Case(entity, entity, "valid", payload))
        nodes = list(walk(payload, schema, schema))
        for kind, corruption in CORRUPTIONS.items():
            made = corruption(payload, nodes, rng)
            if made is not None:
                label, data = made
                corrupt.append(Case(entity, entity, f"{kind}: {label}", data))

    collect()
    return valid, corrupt


def disagreements() -> list[Disagreement]:
    """Records that break one ``x-rules`` rule only; the schemas cannot see it."""
    found: list[Disagreement] = []

    def add(rule: str, entity: str, label: str, change: Callable[[Payload], None]) -> None:
        data = FACTORIES[entity]()
        change(data)
        found.append(Disagreement(rule, Case(entity, entity, label, data)))

    def phone(data: Payload) -> None:
        data["contacts"] = [{"system": "phone", "value": "+37400000000"}]

    def member_phone(data: Payload) -> None:
        data["members"][0]["contacts"] = [{"system": "phone", "value": "+37400000000"}]

    def victim_birth(data: Payload) -> None:
        data["person"]["birth_date"] = {"value": "2001-02-29"}

    add(
        "field.date",
        "child",
        "birth date 2014-02-30",
        lambda d: d.update(birth_date={"value": "2014-02-30"}),
    )
    add("field.date", "trafficking_victim", "birth date 2001-02-29", victim_birth)
    add("field.phone", "child", "phone +37400000000", phone)
    add("field.phone", "family", "member phone +37400000000", member_phone)
    add(
        "case.closed_without_closure",
        "case",
        "closed, no closure",
        lambda d: d.update(status="closed"),
    )
    add(
        "service.end_before_start",
        "service",
        "ends before it starts",
        lambda d: d.update(start_date="2025-03-31", end_date="2025-03-01"),
    )
    add(
        "referral.same_agency",
        "referral",
        "to the agency it came from",
        lambda d: d.update(to_agency=d["from_agency"]),
    )
    add(
        "trafficking.actual_without_decision",
        "trafficking_victim",
        "actual victim, no decision",
        lambda d: d.update(status="actual"),
    )
    add(
        "child.born_after_registration",
        "child",
        "born after registration",
        lambda d: d.update(birth_date={"value": "2025-03-02"}),
    )
    return found


def edges() -> list[Edge]:
    """Format edges: every JSON Schema validator should reject them, and casestd too."""

    def child(label: str, change: Callable[[Payload], None]) -> Case:
        data = FACTORIES["child"]()
        change(data)
        return Case("child", "child", label, data)

    def created(value: str) -> Callable[[Payload], None]:
        return lambda d: d["meta"].update(created=value)

    hyphenless = "3f1c2a6e8b4d4c1e9a570d2b6e4f8a11"
    braced = "{3f1c2a6e-8b4d-4c1e-9a57-0d2b6e4f8a11}"
    case = FACTORIES["case"]()
    case["case_number"] = "2025/00042\n"
    return [
        Edge(
            child("uuid without hyphens", lambda d: d.update(id=hyphenless)),
        ),
        Edge(
            child("uuid in braces", lambda d: d.update(id=braced)),
        ),
        Edge(child("date-time without seconds", created("2025-03-01T10:00+04:00"))),
        Edge(child("date-time with a space for T", created("2025-03-01 10:00:00+04:00"))),
        Edge(child("date-time offset without colon", created("2025-03-01T10:00:00+0400"))),
        Edge(
            child("uuid as a URN", lambda d: d.update(id="urn:uuid:" + FACTORIES["child"]()["id"]))
        ),
        Edge(child("date-time as a number", created("1740000000"))),
        Edge(
            child(
                "partial date in Arabic-Indic digits",
                lambda d: d.update(birth_date={"value": "٢٠١٤"}),
            ),
            python_re_accepts=True,
        ),
        Edge(
            child("trailing newline in a name", lambda d: d["names"][0].update(given="Anna\n")),
            python_re_accepts=True,
        ),
        Edge(Case("case", "case", "trailing newline in case_number", case), python_re_accepts=True),
    ]


@pytest.fixture(scope="session")
def schemas() -> dict[str, JsonObject]:
    """Every entity's schema, the code lists and the bundle."""
    found = {name: json_schema(name) for name in ENTITIES}
    found[CODES] = _codes()
    found[BUNDLE] = bundle()
    return found


@pytest.fixture(scope="session")
def cases(schemas: dict[str, JsonObject]) -> Cases:
    valid: list[Case] = []
    corrupt: list[Case] = []
    for entity in ENTITIES:
        drawn, broken = draw_cases(entity, schemas[entity])
        valid += drawn
        corrupt += broken
    via = f"{BUNDLE}#/$defs/"
    bundle_valid = [Case(c.entity, via + c.entity, c.label, c.data) for c in valid[::5]]
    bundle_corrupt = [Case(c.entity, via + c.entity, c.label, c.data) for c in corrupt[::7]]
    return Cases(valid, corrupt, disagreements(), bundle_valid, bundle_corrupt, edges())


# -- the three validators ---------------------------------------------------------


@dataclass(frozen=True)
class AjvRun:
    """What validate.mjs said: its Ajv version, compile results and one result per case."""

    version: str
    compiled: dict[str, bool | str]
    compiled_without_keywords: dict[str, bool | str]
    results: dict[Case, bool | str]


@pytest.fixture(scope="session")
def ajv_run(schemas: dict[str, JsonObject], cases: Cases) -> AjvRun | str:
    """Run every case through Ajv in one node process; a string says why it could not run."""
    missing = node_missing(NODE_PACKAGES)
    if missing is not None:
        return missing
    every = cases.all()
    request = {
        "keywords": list(keywords()),
        "schemas": schemas,
        "cases": [{"entity": case.schema, "data": case.data} for case in every],
        "resources": [schemas[CODES]],
        "probe_without_keywords": True,
    }
    node = shutil.which("node")
    assert node is not None
    answer = run_node(node, SCRIPT, request)
    assert len(answer["results"]) == len(every)
    return AjvRun(
        answer["ajv"],
        answer["compiled"],
        answer["compiled_without_keywords"],
        dict(zip(every, answer["results"], strict=True)),
    )


def need_ajv(run: AjvRun | str) -> AjvRun:
    """The Ajv run, or fail (under CI) or skip with the reason it could not run."""
    if isinstance(run, AjvRun):
        return run
    fail_or_skip(f"Ajv tests need Node.js and tests/js/node_modules: {run}")


@pytest.fixture(scope="session")
def jsonschema_validators(schemas: dict[str, JsonObject]) -> dict[str, Draft202012Validator]:
    """One validator per entity, and one per entity through ``bundle#/$defs/<entity>``."""
    checker = Draft202012Validator.FORMAT_CHECKER
    codes_resource = Resource.from_contents(schemas[CODES], default_specification=DRAFT202012)
    with_codes: Registry[Any] = Registry().with_resource(schemas[CODES]["$id"], codes_resource)
    found = {
        name: Draft202012Validator(schemas[name], registry=with_codes, format_checker=checker)
        for name in ENTITIES
    }
    resource = Resource.from_contents(schemas[BUNDLE], default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(schemas[BUNDLE]["$id"], resource)
    for name in ENTITIES:
        via = {"$ref": f"{schemas[BUNDLE]['$id']}#/$defs/{name}"}
        found[f"{BUNDLE}#/$defs/{name}"] = Draft202012Validator(
            via, registry=registry, format_checker=checker
        )
    return found


Verdicts = Callable[[Case], bool | str]


@pytest.fixture
def verdict(
    request: pytest.FixtureRequest,
    jsonschema_validators: dict[str, Draft202012Validator],
) -> Callable[[str], Verdicts]:
    """``verdict(validator)(case)``: True when the validator accepts the case."""

    def by_casestd(case: Case) -> bool | str:
        return validate(case.entity, case.data, context=CONTEXT).ok

    def by_jsonschema(case: Case) -> bool | str:
        return bool(jsonschema_validators[case.schema].is_valid(case.data))

    def choose(name: str) -> Verdicts:
        if name == "casestd":
            return by_casestd
        if name == "jsonschema":
            return by_jsonschema
        run = need_ajv(request.getfixturevalue("ajv_run"))
        return lambda case: run.results[case]

    return choose


def _casestd_rules(case: Case) -> list[str]:
    return [f.rule for f in validate(case.entity, case.data, context=CONTEXT).findings]


# -- the tests ---------------------------------------------------------------------


def test_jsonschema_format_checker_checks_the_formats_casestd_uses() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    assert "date-time" in checker.checkers, (
        "jsonschema cannot check date-time: install rfc3339-validator (the test extra has it)"
    )
    assert checker.conforms("2024-03-01T10:00:00+04:00", "date-time")
    assert not checker.conforms("2024-03-01T10:00:00", "date-time")
    assert checker.conforms("2024-02-29", "date")
    assert not checker.conforms("2024-13-45", "date")
    assert not checker.conforms("2023-02-29", "date")
    assert checker.conforms("3f1c2a6e-8b4d-4c1e-9a57-0d2b6e4f8a11", "uuid")
    assert not checker.conforms("not-a-uuid", "uuid")


def test_every_x_keyword_in_the_schemas_is_declared(schemas: dict[str, JsonObject]) -> None:
    used: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            used.update(k for k in node if k.startswith("x-"))
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schemas)
    assert used <= set(keywords()), sorted(used - set(keywords()))


@pytest.mark.parametrize("name", [*ENTITIES, CODES, BUNDLE])
def test_ajv_compiles_every_schema_in_strict_mode(ajv_run: AjvRun | str, name: str) -> None:
    run = need_ajv(ajv_run)
    assert run.compiled[name] is True, f"Ajv {run.version} strict mode: {run.compiled[name]}"


def test_ajv_strict_mode_refuses_undeclared_x_keywords(ajv_run: AjvRun | str) -> None:
    """The strict compile above means something: without the vocabulary Ajv refuses."""
    run = need_ajv(ajv_run)
    for name, result in run.compiled_without_keywords.items():
        assert isinstance(result, str), name
        assert 'unknown keyword: "x-' in result, result


def test_every_corruption_kind_is_exercised_for_every_entity(
    schemas: dict[str, JsonObject], cases: Cases
) -> None:
    for entity in ENTITIES:
        assert len([c for c in cases.valid if c.entity == entity]) >= EXAMPLES, entity
    made = {(c.entity, c.label.split(":")[0]) for c in cases.corrupt}
    missing = [(e, k) for e in ENTITIES for k in CORRUPTIONS if (e, k) not in made]
    # an entity without any list (service) cannot have a list replaced, nor one without
    # a date (organisation) a date
    no_lists = {e for e in ENTITIES if '"type": "array"' not in json.dumps(schemas[e])}
    no_dates = {
        e
        for e in ENTITIES
        if '"format": "date"' not in json.dumps(schemas[e])
        and "PartialDate" not in schemas[e].get("$defs", {})
    }
    assert set(missing) == {(e, "wrong_type_list") for e in no_lists} | {
        (e, "bad_date") for e in no_dates
    }
    assert no_dates == {"organisation"}


@pytest.mark.parametrize("validator", VALIDATORS)
def test_valid_payloads_are_accepted(
    cases: Cases, verdict: Callable[[str], Verdicts], validator: str
) -> None:
    accepts = verdict(validator)
    refused = [(c.describe(), r) for c in cases.valid if (r := accepts(c)) is not True]
    assert not refused, f"{validator} refused {len(refused)} valid payloads: {refused[:3]}"


@pytest.mark.parametrize("validator", VALIDATORS)
def test_corruptions_are_rejected(
    cases: Cases, verdict: Callable[[str], Verdicts], validator: str
) -> None:
    accepts = verdict(validator)
    passed = [(c.describe(), r) for c in cases.corrupt if (r := accepts(c)) is not False]
    assert not passed, f"{validator} accepted {len(passed)} corrupt payloads: {passed[:3]}"


@pytest.mark.parametrize("validator", SCHEMA_VALIDATORS)
def test_bundle_validates_each_entity_via_its_defs(
    cases: Cases, verdict: Callable[[str], Verdicts], validator: str
) -> None:
    accepts = verdict(validator)
    children = [c for c in cases.bundle_valid if c.entity == "child"]
    assert children and children[0].schema == "bundle#/$defs/child"
    assert all(accepts(c) is True for c in children)
    refused = [c.describe() for c in cases.bundle_valid if accepts(c) is not True]
    assert not refused, refused[:3]
    passed = [c.describe() for c in cases.bundle_corrupt if accepts(c) is not False]
    assert not passed, passed[:3]


@pytest.mark.parametrize("disagreement", disagreements(), ids=lambda d: f"{d.rule}-{d.case.entity}")
def test_x_rule_breaks_are_caught_by_casestd_with_that_rule(
    schemas: dict[str, JsonObject], disagreement: Disagreement
) -> None:
    case = disagreement.case
    assert set(_casestd_rules(case)) == {disagreement.rule}, case.describe()
    listed = [entry["id"] for entry in schemas[case.entity]["x-rules"]]
    assert disagreement.rule in listed, listed


@pytest.mark.parametrize("validator", SCHEMA_VALIDATORS)
def test_x_rule_breaks_pass_json_schema_validators(
    cases: Cases, verdict: Callable[[str], Verdicts], validator: str
) -> None:
    """The documented disagreement: a schema validator cannot see an x-rules rule."""
    accepts = verdict(validator)
    refused = [
        (d.rule, d.case.describe()) for d in cases.disagreements if accepts(d.case) is not True
    ]
    assert not refused, refused


def test_every_entity_schema_lists_the_field_rules(schemas: dict[str, JsonObject]) -> None:
    for name in ENTITIES:
        listed = {entry["id"] for entry in schemas[name]["x-rules"]}
        assert {"field.phone", "field.date"} <= listed, name


@pytest.mark.parametrize("validator", SCHEMA_VALIDATORS)
def test_schema_validators_reject_format_edges(
    cases: Cases, verdict: Callable[[str], Verdicts], validator: str
) -> None:
    """Python's re reads \\d and $ more loosely than ECMA-262; see docs/schemas.md."""
    accepts = verdict(validator)
    checked = [e for e in cases.edges if validator == "ajv" or not e.python_re_accepts]
    passed = [(e.case.describe(), r) for e in checked if (r := accepts(e.case)) is not False]
    assert not passed, passed


@pytest.mark.parametrize(
    "edge",
    [
        pytest.param(
            edge,
            id=edge.case.label.replace(" ", "_"),
            marks=[pytest.mark.xfail(strict=True, reason=edge.casestd_accepts)]
            if edge.casestd_accepts
            else [],
        )
        for edge in edges()
    ],
)
def test_casestd_rejects_format_edges(edge: Edge) -> None:
    case = edge.case
    report = validate(case.entity, case.data, context=CONTEXT)
    assert not report.ok, f"casestd accepts {case.describe()}"
