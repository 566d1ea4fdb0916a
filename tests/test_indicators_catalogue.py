"""The catalogue as data: complete, in three languages, and about fields that exist."""

from __future__ import annotations

import pytest

from casestd.indicators import catalogue
from casestd.indicators.period import Period, PeriodError
from casestd.model import ENTITIES


def test_every_indicator_is_complete() -> None:
    ids = catalogue.ids()
    assert len(ids) == len(set(ids)) >= 20
    for indicator in catalogue.indicators():
        for lang in ("en", "hy", "ru"):
            assert indicator.title(lang) and indicator.definition(lang)
        assert indicator.area in ("prevention", "protection", "prosecution", "partnership")
        assert indicator.variables() <= set(catalogue.variables()), indicator.id
        for name in indicator.breakdowns:
            assert indicator.population in catalogue.breakdown(name).units


def test_codes_for_dhis2_and_sdmx_are_unique() -> None:
    dhis2 = [i.dhis2_code for i in catalogue.indicators()]
    sdmx = [i.sdmx_code for i in catalogue.indicators()]
    assert len(set(dhis2)) == len(dhis2) and len(set(sdmx)) == len(sdmx)


@pytest.mark.parametrize("breakdown", catalogue.breakdowns(), ids=lambda b: b.id)
def test_breakdowns_are_exhaustive(breakdown: catalogue.Breakdown) -> None:
    assert "unknown" in breakdown.codes()
    for category in breakdown.categories:
        assert len(category.sdmx) == len(breakdown.sdmx_dimensions)
        assert category.label("hy") and category.label("ru")


def test_named_fields_exist_in_the_models() -> None:
    for indicator in catalogue.indicators():
        for path in indicator.fields:
            entity, first, *_ = path.split(".")
            assert first in ENTITIES[entity].model_fields, path
    for variable in catalogue.variables().values():
        assert variable.description and variable.fields, variable.name
        for path in variable.fields:
            entity, first, *_ = path.split(".")
            assert first in ENTITIES[entity].model_fields, path


def test_the_published_catalogue_says_what_each_variable_is() -> None:
    published = catalogue.publish()
    used = set().union(*(i.variables() for i in catalogue.indicators()))
    assert used <= set(published["variables"])
    assert published["variables"]["recognised"]["fields"] == [
        "trafficking_victim.status",
        "trafficking_victim.deciding_body",
        "trafficking_victim.decision_date",
    ]


def test_reasons_have_labels() -> None:
    for reason in ("unknown:detection_date", "open:not_due", "population:missing"):
        assert catalogue.label("reasons", reason, "hy") != reason


@pytest.mark.parametrize("text", ["2025Q0", "25", "2025-13", "2025-05..2025-01", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_unknown_ids() -> None:
    with pytest.raises(catalogue.UnknownIndicatorError):
        catalogue.get("nope")
    with pytest.raises(catalogue.UnknownIndicatorError):
        catalogue.breakdown("nope")


def test_docs_describe_every_indicator() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "indicators.md").read_text("utf-8")
    for indicator in catalogue.indicators():
        assert f"`{indicator.id}`" in text and indicator.definition("en") in text


def test_published_conditions_are_the_data_files() -> None:
    import json
    from importlib import resources

    text = resources.files("casestd.indicators.data").joinpath("catalogue.json").read_text("utf-8")
    raw = {item["id"]: item for item in json.loads(text)["indicators"]}
    published = catalogue.publish()
    assert published["linkage_keys"] == [
        "psn",
        "passport",
        "id_card",
        "birth_certificate",
        "name_dob",
    ]
    for indicator in published["indicators"]:
        for part in ("numerator", "denominator"):
            assert indicator[part] == (raw[indicator["id"]].get(part) or {}).get("where", [])
    for indicator in catalogue.indicators():
        for condition in (*indicator.numerator, *indicator.denominator):
            assert catalogue.Condition.from_data(condition.to_dict()) == condition
