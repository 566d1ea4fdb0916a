"""validate()'s short ways give exactly what its long ways give.

JSON text that pydantic-core reads and accepts whole goes straight to the model
(`validation._direct`) instead of through jiter, the duplicate-key check and the
model's Python validator; mappings are counted by a walk that follows the model
(`validation._more_values_than`); rules compare timestamps with
`casestd.rules.engine.before`. Each is checked here against the way it replaces.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import casestd
from casestd import validation
from casestd.model import ENTITIES
from casestd.model.walk import container_fields
from casestd.report import Report
from casestd.rules.engine import before
from casestd.testing import payloads

ENTITY_NAMES = sorted(ENTITIES)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


@contextmanager
def the_long_way() -> Iterator[None]:
    """validate() without `_direct`: every text through jiter and the Python validator."""
    with mock.patch.object(validation, "_direct", lambda model, data: None):
        yield


def same_report(entity: str, data: Any) -> Report:
    """The report of ``data``, after checking that the long way gives the same one."""
    report = casestd.validate(entity, data)
    with the_long_way():
        slow = casestd.validate(entity, data)
    assert report.findings == slow.findings
    if slow.record is None:
        assert report.record is None
    else:
        assert type(report.record) is type(slow.record)
        assert report.record.model_dump() == slow.record.model_dump()
        assert report.record.model_fields_set == slow.record.model_fields_set
    return report


# -- writing JSON the ways files hold it ------------------------------------------


Path = tuple[int | str, ...]


def objects(value: Any, path: Path = ()) -> Iterator[Path]:
    """The path of every object in ``value``."""
    if isinstance(value, dict):
        yield path
        for key, item in value.items():
            yield from objects(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from objects(item, (*path, index))


def write(
    value: Any,
    *,
    colon: str = ": ",
    comma: str = ", ",
    repeat: Path | None = None,
    repeated_value: Any = None,
    escape_keys: bool = False,
    path: Path = (),
) -> str:
    """JSON text of ``value``; the object at ``repeat`` names its first key twice.

    The first occurrence holds ``repeated_value`` (when the key is repeated, the
    last occurrence wins, as in every reader). With ``escape_keys`` each key's
    first letter is written as a ``\\u`` escape.
    """
    if isinstance(value, dict):
        pairs = []
        for index, (key, item) in enumerate(value.items()):
            name = json.dumps(key, ensure_ascii=False)
            if escape_keys and key:
                name = f'"\\u{ord(key[0]):04x}{json.dumps(key[1:], ensure_ascii=False)[1:]}'
            text = write(item, colon=colon, comma=comma, repeat=repeat,
                         repeated_value=repeated_value, escape_keys=escape_keys,
                         path=(*path, key))  # fmt: skip
            if index == 0 and repeat == path:
                pairs.append(name + colon + json.dumps(repeated_value, ensure_ascii=False))
            pairs.append(name + colon + text)
        return "{" + comma.join(pairs) + "}"
    if isinstance(value, list):
        return "[" + comma.join(
            write(item, colon=colon, comma=comma, repeat=repeat, repeated_value=repeated_value,
                  escape_keys=escape_keys, path=(*path, index))
            for index, item in enumerate(value)
        ) + "]"  # fmt: skip
    return json.dumps(value, ensure_ascii=False)


#: (colon, comma) as writers put them: json.dumps, compact, and spaced out.
STYLES = st.sampled_from(
    [(": ", ", "), (":", ","), (" : ", " , "), ("\n:\t", ",\r\n  "), ("\t:", ",")]
)


# -- the direct way on JSON text ----------------------------------------------------


@pytest.mark.parametrize("entity", ENTITY_NAMES)
@SETTINGS
@given(data=st.data())
def test_generated_records_take_the_direct_way_with_the_same_report(
    entity: str, data: st.DataObject
) -> None:
    payload = data.draw(payloads(entity))
    colon, comma = data.draw(STYLES)
    text = write(payload, colon=colon, comma=comma).encode()
    report = same_report(entity, text)
    assert report.record is not None
    if comma in (", ", ",") and b'\\"' not in text and plain_strings(payload):
        # nothing but keys ends with a quote and a colon or white space
        assert validation._direct(ENTITIES[entity], text) is not None


def plain_strings(value: Any) -> bool:
    """True when no string in ``value`` starts with a colon or white space."""
    if isinstance(value, dict):
        return all(map(plain_strings, value.values()))
    if isinstance(value, list):
        return all(map(plain_strings, value))
    return not isinstance(value, str) or value[:1] not in (":", " ", "\t", "\n", "\r")


@pytest.mark.parametrize("entity", ENTITY_NAMES)
@SETTINGS
@given(data=st.data())
def test_a_repeated_key_anywhere_is_found(entity: str, data: st.DataObject) -> None:
    payload = data.draw(payloads(entity))
    where = data.draw(st.sampled_from([p for p in objects(payload) if _first_key(payload, p)]))
    colon, comma = data.draw(STYLES)
    first: Any = data.draw(st.sampled_from([None, "ZZZ", 0, True, [], {}]))
    text = write(payload, colon=colon, comma=comma, repeat=where, repeated_value=first).encode()
    assert validation._direct(ENTITIES[entity], text) is None
    report = same_report(entity, text)
    duplicates = [f.path for f in report.findings if f.rule == "json.duplicate_key"]
    assert duplicates == ["".join(f"/{part}" for part in where)]
    assert report.record is None


def _first_key(value: Any, path: Path) -> bool:
    for part in path:
        value = value[part]
    return bool(value)


@pytest.mark.parametrize("entity", ["child", "family"])
@SETTINGS
@given(data=st.data())
def test_keys_written_with_escapes_are_counted(entity: str, data: st.DataObject) -> None:
    payload = data.draw(payloads(entity))
    plain = write(payload, escape_keys=True).encode()
    assert validation._direct(ENTITIES[entity], plain) is not None
    where = data.draw(st.sampled_from([p for p in objects(payload) if _first_key(payload, p)]))
    repeated = write(payload, escape_keys=True, repeat=where, repeated_value="x").encode()
    report = same_report(entity, repeated)
    assert "json.duplicate_key" in [f.rule for f in report.findings]


@SETTINGS
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        ),
        max_leaves=30,
    ),
    style=STYLES,
)
def test_key_ends_counts_at_least_every_key(value: Any, style: tuple[str, str]) -> None:
    text = write(value, colon=style[0], comma=style[1])
    written = 0

    def count(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal written
        written += len(pairs)
        return dict(pairs)

    json.loads(text, object_pairs_hook=count)
    assert validation._key_ends(text.encode()) >= written


@pytest.mark.parametrize(
    "text",
    [
        # repeated keys, nested and at the top, in known and unknown fields
        '{"sex": "male", "sex": "female"}',
        '{"names": [{"given": "A", "script": "latn", "given": "B"}]}',
        '{"meta": {"x": {"y": 1, "y": 2}}}',
        '{"a": 1, "\\u0061": 2}',
        # strings holding what ends a key
        '{"names": [{"given": "A\\": x", "script": "latn"}]}',
        '{"names": [{"given": ":A", "script": "latn"}]}',
        # not JSON, or not as jiter reads it
        '{"sex": NaN}',
        '{"sex": Infinity}',
        '{"names": ["\\ud800"]}',
        '\ufeff{"sex": "female"}',
        '{"sex": "female"',
        "[" * 600 + "]" * 600,
        '{"names": ' + "[" * 300 + "]" * 300 + "}",
        '{"names": [' + ",".join(["0"] * 2_000) + "]}",
        '{"sex": ' + "9" * 4_000 + "}",
        "[]",
        "",
    ],
)
@pytest.mark.parametrize("entity", ["child", "family", "service"])
def test_hostile_text_gives_the_same_report(text: str, entity: str) -> None:
    same_report(entity, text.encode())


def test_text_the_direct_way_cannot_take_goes_the_long_way() -> None:
    child = ENTITIES["child"]
    valid = write(_valid("child")).encode()
    assert validation._direct(child, valid) is not None
    assert validation._direct(child, b"\xef\xbb\xbf" + valid) is None  # a byte order mark
    assert validation._direct(child, valid[:-1] + b', "sex": "female"}') is None
    assert validation._direct(child, b'{"sex": "female"}') is None  # not valid


def test_service_quantity_is_never_read_from_nan_or_infinity() -> None:
    base = json.loads(json.dumps(_valid("service")))
    for word in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps(base)[:-1] + f', "quantity": {word}}}'
        report = same_report("service", text.encode())
        assert not report.ok


def _valid(entity: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    @settings(max_examples=1, database=None, suppress_health_check=list(HealthCheck))
    @given(payloads(entity))
    def draw(payload: dict[str, Any]) -> None:
        found.append(payload)

    draw()
    return found[0]


def test_keys_held_ignores_models_held_by_default() -> None:
    class Inner(BaseModel):
        a: int = 0

    class Outer(BaseModel):
        inner: Inner = Inner(a=1)
        many: list[Inner] = []

    assert validation._keys_held(Outer()) == 0
    assert validation._keys_held(Outer.model_validate({"many": [{"a": 1}, {}]})) == 2


# -- counting the values of a mapping -------------------------------------------------


def counted_the_plain_way(model: type[BaseModel], value: dict[str, Any]) -> int:
    """Every key of an object and item of a list where the model iterates, counted one by one."""
    count = len(value)
    for name, many, nested in container_fields(model):
        item = value.get(name)
        if many and isinstance(item, list):
            count += len(item)
            if nested is not None:
                count += sum(counted_the_plain_way(nested, p) for p in item if isinstance(p, dict))
        elif nested is not None and isinstance(item, dict):
            count += counted_the_plain_way(nested, item)
    return count


@pytest.mark.parametrize("entity", ENTITY_NAMES)
@SETTINGS
@given(data=st.data())
def test_the_count_of_values_follows_the_model(entity: str, data: st.DataObject) -> None:
    model = ENTITIES[entity]
    payload = data.draw(payloads(entity))
    limit = data.draw(st.integers(0, 60))
    expected = counted_the_plain_way(model, payload) > limit
    assert validation._more_values_than(model, payload, limit) is expected


class _Items(list[Any]):
    """A list of another class, which the models' strict mode iterates over like a list."""


@pytest.mark.parametrize(
    ("entity", "value", "values"),
    [
        ("child", {"names": [0] * 20_000}, 20_001),
        ("child", {"names": [{"other_names": [0] * 9_000}, {"other_names": [0] * 1_500}]}, 10_505),
        ("child", {"names": {"other_names": [0] * 20_000}}, 20_002),  # an object for a list
        ("child", {"sex": [0] * 50_000, "x": list(range(50_000))}, 2),  # not iterated
        ("family", {"members": [{"names": [{}] * 6_000}] * 2}, 12_005),
        ("family", {"members": [{"names": [0] * 9_999}]}, 10_002),
        ("child", {f"k{i}": 0 for i in range(10_001)}, 10_001),
        ("child", {"names": [OrderedDict.fromkeys(map(str, range(10_000)))]}, 10_002),
        ("child", {"names": _Items([{}] * 10_000)}, 10_001),
    ],
)
def test_the_count_of_hostile_mappings(entity: str, value: dict[str, Any], values: int) -> None:
    model = ENTITIES[entity]
    assert counted_the_plain_way(model, value) == values
    for limit in (values - 1, values, 10_000):
        assert validation._more_values_than(model, value, limit) is (values > limit)


# -- timestamps --------------------------------------------------------------------


OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
MOMENTS = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(min_value=dt.datetime(1900, 1, 3), max_value=dt.datetime(2100, 1, 1)),
    OFFSETS,
)


@settings(max_examples=500, deadline=None)
@given(MOMENTS, MOMENTS, st.timedeltas(dt.timedelta(days=-3), dt.timedelta(days=3)))
def test_before_is_less_than(first: dt.datetime, second: dt.datetime, by: dt.timedelta) -> None:
    near = (second + by).astimezone(first.tzinfo)
    for other in (second, near):
        assert before(first, other) is (first < other)
        assert before(other, first) is (other < first)
