"""protect(): keyed hashes keep equality and inequality, hide the values, need a real secret."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casestd.dedup import keys, matching_keys, protect
from casestd.model.common import Person

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))

key_values = st.dictionaries(
    st.sampled_from(["psn", "passport", "name_dob", "name_yob", "phone"]),
    st.frozensets(st.text(min_size=1, max_size=30), min_size=1, max_size=4),
    max_size=5,
)


def person(given: str, family: str, born: str, psn: str | None = None) -> Person:
    """A person with one Latin name, a birth date and perhaps a PSN."""
    payload: dict[str, object] = {
        "names": [{"given": given, "family": family, "script": "latn"}],
        "sex": "female",
        "birth_date": {"value": born},
    }
    if psn is not None:
        payload["identifiers"] = [{"type": "public_service_number", "value": psn}]
    return Person.model_validate(payload)


def test_protected_keys_match_where_plain_keys_match() -> None:
    kentron = keys(person("Ani", "Petrosyan", "2015-04-03", "1234567890"))
    shelter = keys(person("Ани", "Петросян", "2015-03-04", "1234567890"))
    stranger = keys(person("Mariam", "Hakobyan", "2001-11-30"))
    plain = matching_keys(kentron, shelter)
    assert plain == matching_keys(protect(kentron, SECRET), protect(shelter, SECRET))
    assert "psn" in plain and "name_dob" not in plain
    assert not matching_keys(protect(kentron, SECRET), protect(stranger, SECRET))


@settings(max_examples=100, deadline=None)
@given(key_values)
def test_equality_and_inequality_are_kept(found: dict[str, frozenset[str]]) -> None:
    protected = protect(found, SECRET)
    assert set(protected) == set(found)
    for name, values in found.items():
        assert len(protected[name]) == len(values)
        for value in values:
            assert protect({name: {value}}, SECRET)[name] <= protected[name]


@settings(max_examples=100, deadline=None)
@given(key_values)
def test_no_plain_value_in_the_output(found: dict[str, frozenset[str]]) -> None:
    protected = protect(found, SECRET)
    for values in protected.values():
        for value in values:
            assert re.fullmatch("[0-9a-f]{64}", value)
    plain = {value for values in found.values() for value in values if len(value) > 3}
    text = " ".join(value for values in protected.values() for value in values)
    assert not any(value in text for value in plain)


def test_different_secrets_give_disjoint_values() -> None:
    found = keys(person("Ani", "Petrosyan", "2015-04-03", "1234567890"))
    first, second = protect(found, SECRET), protect(found, OTHER_SECRET)
    assert matching_keys(first, second) == frozenset()
    assert not {v for vs in first.values() for v in vs} & {v for vs in second.values() for v in vs}


def test_key_name_and_context_are_mixed_in() -> None:
    same = {"name_dob": {"x|y|2015"}, "name_yob": {"x|y|2015"}}
    protected = protect(same, SECRET)
    assert protected["name_dob"] != protected["name_yob"]
    assert protect(same, SECRET, context="exchange-2026-01")["name_dob"] != protected["name_dob"]
    assert protect(same, SECRET) == protected


def test_short_or_wrong_secret_is_rejected() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        protect({"psn": {"1234567890"}}, b"0123456789abcde")
    assert protect({"psn": {"1234567890"}}, b"0123456789abcdef")
    with pytest.raises(TypeError):
        protect({"psn": {"1234567890"}}, "a text secret of many characters")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="context"):
        protect({"psn": {"1234567890"}}, SECRET, context="")


def test_error_messages_carry_no_values() -> None:
    with pytest.raises(ValueError) as caught:
        protect({"psn": {"1234567890"}}, b"short")
    assert "1234567890" not in str(caught.value)
