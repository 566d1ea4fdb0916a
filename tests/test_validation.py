"""validate(): the public contract, bad input, and nothing changed or dropped."""

from __future__ import annotations

import copy
import json
import unicodedata
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casestd
from casestd import validation
from casestd.io import jsontext
from casestd.model import Child
from casestd.report import Report, pointer
from casestd.rules.messages import catalogue
from casestd.testing import payloads

EXAMPLE = Path(__file__).parent / "data" / "child.json"


def child() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    return data


def rules(report: Report) -> list[str]:
    return [finding.rule for finding in report.findings]


def test_public_names() -> None:
    assert casestd.STANDARD_VERSION == "2.1.0"
    assert set(casestd.ENTITIES) == {
        "child",
        "family",
        "case",
        "service",
        "referral",
        "trafficking_victim",
        "organisation",
        "perpetrator",
    }
    assert isinstance(casestd.__version__, str)


def test_valid_child_gives_record_and_no_findings() -> None:
    report = casestd.validate("child", child())
    assert report.ok and report.findings == ()
    assert isinstance(report.record, Child)
    assert report.to_dict() == {"ok": True, "findings": []}


def test_entity_may_be_the_model_class() -> None:
    assert casestd.validate(Child, child()).ok


@pytest.mark.parametrize("entity", ["person", "", "CHILD"])
def test_unknown_entity_is_a_programming_error(entity: str) -> None:
    with pytest.raises(ValueError):
        casestd.validate(entity, child())


def test_unknown_language_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        casestd.validate("child", child(), lang="de")


def test_json_text_and_bytes_give_the_same_report_as_the_mapping() -> None:
    data = child()
    data["sex"] = "Female"
    text = json.dumps(data, ensure_ascii=False)
    expected = casestd.validate("child", data).to_dict()
    assert casestd.validate("child", text).to_dict() == expected
    assert casestd.validate("child", text.encode()).to_dict() == expected


def test_finding_shape() -> None:
    data = child()
    del data["sex"]
    report = casestd.validate("child", data)
    assert not report.ok and report.record is None
    (finding,) = report.findings
    assert finding.to_dict() == {
        "rule": "field.required",
        "severity": "error",
        "path": "/sex",
        "message": "This field is required.",
    }


def test_warnings_alone_keep_the_record_valid() -> None:
    data = child()
    data["identifiers"][0]["type"] = "social_card_number"
    report = casestd.validate("child", data)
    assert report.ok
    assert rules(report) == ["code.deprecated"]
    assert report.warnings == report.findings and report.errors == ()
    assert report.findings[0].path == "/identifiers/0/type"
    assert "public_service_number" in report.findings[0].message


@pytest.mark.parametrize(
    ("change", "rule", "path"),
    [
        (lambda d: d.__setitem__("sex", 1), "field.code", "/sex"),
        (lambda d: d.__setitem__("sex", "Female"), "field.code", "/sex"),
        (lambda d: d.__setitem__("names", "Ani"), "field.type", "/names"),
        (lambda d: d.__setitem__("names", []), "field.length", "/names"),
        (
            lambda d: d.__setitem__("registration_date", 1740000000),
            "field.type",
            "/registration_date",
        ),
        (
            lambda d: d.__setitem__("registration_date", "04.03.2025"),
            "field.date",
            "/registration_date",
        ),
        (
            lambda d: d["birth_date"].__setitem__("value", "2014-02-30"),
            "field.date",
            "/birth_date/value",
        ),
        (
            lambda d: d["birth_date"].__setitem__("value", "14.06.2014"),
            "field.format",
            "/birth_date/value",
        ),
        (
            lambda d: d["birth_date"].__setitem__("estimated", "yes"),
            "field.type",
            "/birth_date/estimated",
        ),
        (
            lambda d: d["meta"].__setitem__("created", "2025-03-04T10:15:00"),
            "field.timezone",
            "/meta/created",
        ),
        (lambda d: d.__setitem__("id", 12345), "field.type", "/id"),
        (lambda d: d.__setitem__("id", "12345"), "field.format", "/id"),
        (
            lambda d: d["contacts"][0].__setitem__("value", "091 23 45 67"),
            "field.phone_format",
            "/contacts/0/value",
        ),
        (
            lambda d: d["contacts"][0].__setitem__("value", "+37400000000"),
            "field.phone",
            "/contacts/0/value",
        ),
        (
            lambda d: d["identifiers"][0].__setitem__("value", "12345"),
            "field.identifier",
            "/identifiers/0/value",
        ),
        (
            lambda d: d["address"].__setitem__("postal_code", "00010"),
            "field.format",
            "/address/postal_code",
        ),
        (lambda d: d.__setitem__("nickname", "x"), "field.unknown", "/nickname"),
        (lambda d: d["names"][0].__setitem__("given", " Ani"), "field.format", "/names/0/given"),
        (
            lambda d: d["names"][0].__setitem__("given", "A\u0000ni"),
            "field.format",
            "/names/0/given",
        ),
        (lambda d: d["names"][0].__setitem__("given", "A\ud800"), "field.format", "/names/0/given"),
        (lambda d: d["education"].__setitem__("enrolled", 1), "field.type", "/education/enrolled"),
    ],
)
def test_field_errors(change: Any, rule: str, path: str) -> None:
    data = child()
    change(data)
    report = casestd.validate("child", data)
    assert not report.ok and report.record is None
    assert (rule, path) in [(f.rule, f.path) for f in report.findings]


def test_unknown_key_that_is_not_a_field_name_is_not_shown() -> None:
    data = child()
    data["Anna Hovhannisyan/2014"] = "x"
    (finding,) = casestd.validate("child", data).findings
    assert finding.rule == "field.unknown_unnamed"
    assert finding.path == ""


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        ([], "input.not_object"),
        (None, "input.not_object"),
        (42, "input.not_object"),
        ("", "input.empty"),
        ("{", "json.invalid"),
        ('{"id": }', "json.invalid"),
        (b"\xff\xfe{}", "input.encoding"),
        ("[" * 100_000 + "]" * 100_000, "json.too_deep"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "json.too_deep"),
        ("[1, 2]", "input.not_object"),
        ('"child"', "input.not_object"),
    ],
)
def test_bad_input_never_raises(data: Any, rule: str) -> None:
    report = casestd.validate("child", data)
    assert not report.ok
    assert rules(report)[0] == rule
    assert report.record is None


def test_deeply_nested_python_data_never_raises() -> None:
    nested: list[Any] = []
    inner = nested
    for _ in range(50_000):
        inner.append([])
        inner = inner[0]
    data = child()
    data["names"] = nested
    report = casestd.validate("child", data)
    assert rules(report) == ["field.type"]


def test_record_larger_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsontext, "MAX_RECORD_BYTES", 100)
    report = casestd.validate("child", json.dumps(child()))
    assert rules(report) == ["input.too_large"]


def test_validation_changes_nothing() -> None:
    data = child()
    before = copy.deepcopy(data)
    report = casestd.validate("child", data)
    assert data == before
    assert report.record.model_dump(mode="json", exclude_unset=True) == before


def test_names_are_kept_exactly_as_written() -> None:
    data = child()
    decomposed = unicodedata.normalize("NFD", "Élen")  # not NFC: kept as it is
    data["names"][0]["given"] = decomposed
    record = casestd.validate("child", data).record
    assert record.names[0].given == decomposed


def test_every_field_error_rule_has_a_message() -> None:
    by_type, _ = validation._field_errors()
    for rule_id in {
        *by_type.values(),
        "field.invalid",
        "field.unknown_unnamed",
        "input.too_large",
        "input.not_object",
        "json.too_deep",
    }:
        assert set(catalogue()[rule_id]) == {"en", "hy", "ru"}, rule_id


def test_pointer_escapes() -> None:
    assert pointer(("a/b", 0, "~")) == "/a~1b/0/~0"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads("child"))
def test_generated_records_round_trip_unchanged(payload: dict[str, Any]) -> None:
    report = casestd.validate("child", payload)
    assert report.ok
    dumped = report.record.model_dump(mode="json", exclude_unset=True)
    assert dumped == payload
    assert casestd.validate("child", json.dumps(dumped)).ok


def test_report_repr_leaves_the_record_out() -> None:
    report = casestd.validate("child", child())
    assert "record" not in repr(report)


# -- hostile and messy input (issue 9) ------------------------------------------


def zeros_in_names(count: int) -> bytes:
    return b'{"names": [' + b",".join([b"0"] * count) + b"]}"


@pytest.mark.parametrize("data", [zeros_in_names(5_000), json.loads(zeros_in_names(5_000))])
def test_findings_are_bounded_and_the_rest_counted(data: Any) -> None:
    report = casestd.validate("child", data)
    assert len(report.findings) == 101
    last = report.findings[-1]
    assert last.rule == "report.truncated" and last.severity == "error"
    left_out = json.loads(zeros_in_names(5_000))
    total = len(casestd.validate("child", left_out, max_findings=None).findings)
    assert str(total - 100) in last.message
    assert not report.ok


def test_max_findings_is_a_parameter() -> None:
    report = casestd.validate("child", zeros_in_names(50), max_findings=3)
    assert len(report.findings) == 4 and rules(report)[-1] == "report.truncated"
    assert len(casestd.validate("child", zeros_in_names(50), max_findings=None)) > 50
    with pytest.raises(ValueError):
        casestd.validate("child", child(), max_findings=0)


def test_few_findings_are_not_truncated() -> None:
    report = casestd.validate("child", zeros_in_names(3), max_findings=100)
    assert "report.truncated" not in rules(report)


@pytest.mark.parametrize(
    ("entity", "text"),
    [
        ("child", zeros_in_names(1_000_000)),  # about 2 MB: a million wrong items
        ("family", b'{"members": [' + b",".join([b"{}"] * 700_000) + b"]}"),  # empty members
        ("family", b'{"members": [{"names": [' + b",".join([b"0"] * 700_000) + b"]}]}"),
    ],
)
def test_pathological_record_stops_collecting(entity: str, text: bytes) -> None:
    for data in (text, json.loads(text)):
        report = casestd.validate(entity, data)
        assert not report.ok
        assert len(report.findings) <= 101
        assert report.findings[-1].rule == "report.truncated"


def test_a_large_value_where_the_model_does_not_iterate_is_one_finding() -> None:
    report = casestd.validate("child", {"sex": [0] * 1_000_000, "other": list(range(50_000))})
    assert [f.path for f in report.findings if f.path in ("/sex", "/other")] == ["/sex", "/other"]
    assert "report.truncated" not in rules(report)


def test_object_with_very_many_unknown_keys_is_bounded() -> None:
    text = "{" + ",".join(f'"k{i}": 0' for i in range(200_000)) + "}"
    report = casestd.validate("child", text)
    assert [(f.rule, f.path) for f in report.findings] == [("input.too_many_keys", "")]


class _Items(list[Any]):
    """A list of another class: the model's strict mode iterates over it like a list."""


def test_mappings_and_lists_of_subclasses_are_bounded_too() -> None:
    many_keys = OrderedDict((f"k{i}", 0) for i in range(200_000))
    report = casestd.validate("child", {"names": [many_keys]})
    assert [(f.rule, f.path) for f in report.findings] == [("input.too_many_keys", "/names/0")]
    report = casestd.validate("child", {"names": _Items([0] * 200_000)})
    assert len(report.findings) <= 101 and report.findings[-1].rule == "report.truncated"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"sex": "ZZZ", "sex": "female"}', ""),
        ('{"names": [{"given": "A", "given": "B", "script": "latn"}]}', "/names/0"),
        ('{"meta": {"agency": "a", "agency": "b"}}', "/meta"),
    ],
)
def test_duplicate_keys_are_an_error(text: str, path: str) -> None:
    for data in (text, text.encode()):
        report = casestd.validate("child", data)
        found = [f for f in report.findings if f.rule == "json.duplicate_key"]
        assert len(found) == 1 and found[0].path == path and found[0].severity == "error"
        assert not report.ok and report.record is None


def test_duplicate_key_in_an_otherwise_valid_record() -> None:
    text = json.dumps(child(), ensure_ascii=False)
    text = text.replace('"sex": "female"', '"sex": "male", "sex": "female"')
    report = casestd.validate("child", text)
    assert rules(report) == ["json.duplicate_key"]
    assert "'sex'" in report.findings[0].message


def test_duplicate_key_that_is_not_a_field_is_not_named() -> None:
    report = casestd.validate("child", '{"Anna H": 1, "Anna H": 2}')
    found = [f for f in report.findings if f.rule == "json.duplicate_key"]
    assert len(found) == 1 and "Anna" not in found[0].message


def test_every_duplicate_is_reported() -> None:
    text = (
        '{"sex": "a", "sex": "b", '
        '"names": [{"given": "x", "given": "y"}, {"family": "f", "family": "g"}]}'
    )
    report = casestd.validate("child", text)
    found = [f.path for f in report.findings if f.rule == "json.duplicate_key"]
    assert found == ["", "/names/0", "/names/1"]


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", "\ufeff"])
def test_byte_order_mark_is_accepted(bom: bytes | str) -> None:
    text = json.dumps(child(), ensure_ascii=False)
    data = bom + text.encode() if isinstance(bom, bytes) else bom + text
    assert casestd.validate("child", data).ok


@pytest.mark.parametrize("codec", ["cp1251", "latin-1"])
def test_text_in_another_encoding_is_input_encoding(codec: str) -> None:
    data = child()
    data["names"][0] = {"given": "Анна Éléonore Петрова", "script": "cyrl"}
    data["address"]["street"] = "Улица Абовяна, дом Société Générale"
    raw = json.dumps(data, ensure_ascii=False).encode(codec, errors="replace")
    report = casestd.validate("child", raw)
    assert rules(report) == ["input.encoding"]
    assert "Анна" not in report.findings[0].message


def test_windows_1251_is_named_when_it_is_recognised() -> None:
    data = child()
    data["names"] = [
        {"given": "Анна", "family": "Оганесян", "patronymic": "Ашотовна", "script": "cyrl"}
    ]
    data["address"]["street"] = "улица Абовяна, дом двенадцать, квартира пять, Ереван"
    raw = json.dumps(data, ensure_ascii=False).encode("cp1251")
    (finding,) = casestd.validate("child", raw).findings
    assert "Windows-1251" in finding.message


@pytest.mark.parametrize("digits", [31, 400, 4_301, 5_000, 100_000])
def test_huge_integers_give_one_finding_of_one_kind(digits: int) -> None:
    for field, rule in (("sex", "field.code"), ("registration_date", "field.type")):
        number = f'"{field}": {"9" * digits}, "x_": "'
        data = json.dumps(child()).replace(f'"{field}": "', number, 1)
        report = casestd.validate("child", data)
        assert [f.rule for f in report.findings if f.path == f"/{field}"] == [rule]
    victim = '{"age_when_trafficked": ' + "9" * digits + "}"
    assert "field.range" in rules(casestd.validate("trafficking_victim", victim))


@pytest.mark.parametrize("text", ["", "   ", "\ufeff", "\n\n"])
def test_empty_text_is_input_empty(text: str) -> None:
    assert rules(casestd.validate("child", text)) == ["input.empty"]


@pytest.mark.parametrize(
    "text", ["1" * 20_000, '"' + "x" * 20_000 + '"', "[" + "1," * 9_999 + "1]"]
)
def test_large_text_that_is_not_an_object(text: str) -> None:
    assert rules(casestd.validate("child", text)) == ["input.not_object"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(payloads("family"), st.sampled_from([0, "", [], {}, None, "ZZZ", 10**40, -1.5]))
def test_text_and_mapping_give_the_same_findings(payload: dict[str, Any], wrong: Any) -> None:
    # the command line now checks every record as text; before, array items went as dicts
    for key in list(payload)[:4]:
        data = {**payload, key: wrong}
        text = json.dumps(data, ensure_ascii=False)
        assert (
            casestd.validate("family", text).findings == casestd.validate("family", data).findings
        )
