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
from casestd.model.types import add_years, is_personal, whole_years


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


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2900, 1, 1)), st.integers(0, 99))
def test_add_years_and_whole_years_agree(day: dt.date, years: int) -> None:
    later = add_years(day, years)
    assert whole_years(day, later) == years or (day.month, day.day) == (2, 29)
    assert whole_years(day, later - dt.timedelta(days=1)) == years - 1 or years == 0
