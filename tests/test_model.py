"""The entities: described fields, personal-data marks, reprs, and helpers."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import casestd
from casestd.model.types import (
    add_years,
    is_personal,
    partial_date_bounds,
    to_e164,
    whole_years,
)


def models(
    model: type[BaseModel], seen: set[type[BaseModel]] | None = None
) -> Iterator[type[BaseModel]]:
    """``model`` and every model nested in it."""
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    yield model
    for info in model.model_fields.values():
        for inner in _nested(info.annotation):
            yield from models(inner, seen)


def _nested(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _nested(arg)


ALL_MODELS = sorted(
    {m for entity in casestd.ENTITIES.values() for m in models(entity)}, key=lambda m: m.__name__
)


def test_entities_mapping_is_read_only() -> None:
    with pytest.raises(TypeError):
        casestd.ENTITIES["person"] = casestd.ENTITIES["child"]  # type: ignore[index]


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_field_has_an_english_description(model: type[BaseModel]) -> None:
    assert model.__doc__
    for name, info in model.model_fields.items():
        assert info.description and info.description[0].isupper(), f"{model.__name__}.{name}"


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_unknown_fields_are_rejected(model: type[BaseModel]) -> None:
    assert model.model_config.get("extra") == "forbid"
    assert model.model_config.get("strict") is True


def personal_fields() -> set[str]:
    return {
        f"{model.__name__}.{name}"
        for model in ALL_MODELS
        for name, info in model.model_fields.items()
        if is_personal(info)
    }


def test_personal_data_is_marked() -> None:
    expected = {
        "PersonName.given",
        "PersonName.patronymic",
        "PersonName.family",
        "PersonName.other_names",
        "Identifier.value",
        "ContactPoint.value",
        "Address.street",
        "Address.building",
        "Address.apartment",
        "Assessment.summary",
        "Goal.description",
        "Review.notes",
    }
    assert expected <= personal_fields()


def test_personal_fields_are_left_out_of_reprs() -> None:
    for model in ALL_MODELS:
        for name, info in model.model_fields.items():
            if is_personal(info):
                assert info.repr is False, f"{model.__name__}.{name}"


def test_json_schema_carries_personal_data_mark_and_code_list() -> None:
    schema = casestd.ENTITIES["child"].model_json_schema()
    name = schema["$defs"]["PersonName"]["properties"]
    assert name["family"]["x-personal-data"] is True
    assert name["script"]["x-code-list"] == "name_script"
    assert set(name["script"]["enum"]) == {"armn", "cyrl", "latn"}


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from([4, 7, 10]),
)
def test_partial_date_bounds_contain_the_day(day: dt.date, length: int) -> None:
    low, high = partial_date_bounds(day.isoformat()[:length])
    assert low <= day <= high
    assert (low == high) == (length == 10)


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2900, 1, 1)), st.integers(0, 99))
def test_add_years_and_whole_years_agree(day: dt.date, years: int) -> None:
    later = add_years(day, years)
    assert whole_years(day, later) == years or (day.month, day.day) == (2, 29)
    assert whole_years(day, later - dt.timedelta(days=1)) == years - 1 or years == 0


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("010 54 12 34", "+37410541234"),
        ("+374 91 23-45-67", "+37491234567"),
        ("(091) 234567", "+37491234567"),
        ("+7 495 123-45-67", "+74951234567"),
    ],
)
def test_to_e164_converts_on_purpose(written: str, e164: str) -> None:
    assert to_e164(written) == e164


@pytest.mark.parametrize("written", ["12", "Zq9 phone", "+374 00 000000"])
def test_to_e164_rejects_without_quoting(written: str) -> None:
    with pytest.raises(ValueError) as error:
        to_e164(written)
    assert written not in str(error.value)


def _phonenumbers_says(value: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return bool(phonenumbers.is_valid_number(number)) and e164 == value


@given(
    st.sampled_from(["374", "7", "1", "44", "39", "995", "98", "971", "90", "49", "380", "961"]),
    st.text("0123456789", min_size=4, max_size=12),
)
def test_fast_phone_check_agrees_with_phonenumbers(country: str, rest: str) -> None:
    from casestd.model.types import is_valid_e164

    value = f"+{country}{rest}"[:16]
    assert is_valid_e164(value) == _phonenumbers_says(value)
