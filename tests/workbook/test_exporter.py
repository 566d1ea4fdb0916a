"""records -> workbook -> records is the identity, for every entity the workbook holds."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from casestd.testing import records
from casestd.workbook import ExportError, export, read
from casestd.workbook.exporter import cell_value, code_text, entities
from casestd.workbook.layout import sheet

_SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _id(record: Any) -> str:
    return str(record.id)


def round_trip(found: list[Any], tmp: Path, lang: str) -> list[Any]:
    path = tmp / f"round-{lang}.xlsx"
    export(found, path, lang=lang)
    results = read(path)
    assert [r.to_dict() for r in results if r.findings] == []
    return [result.record for result in results]


@pytest.mark.parametrize("entity", ["child", "family", "service"])
@_SLOW
@given(data=st.data())
def test_round_trip_is_identity(entity: str, data: st.DataObject, tmp_path_factory: Any) -> None:
    found: list[Any] = data.draw(
        st.lists(records(entity), min_size=1, max_size=6, unique_by=lambda r: str(r.id))
    )
    lang = data.draw(st.sampled_from(["hy", "ru", "en"]))
    back = round_trip(found, tmp_path_factory.mktemp("rt"), lang)
    assert {_id(r): r for r in back} == {_id(r): r for r in found}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    children=st.lists(records("child"), min_size=1, max_size=3),
    families=st.lists(records("family"), min_size=1, max_size=3),
    services=st.lists(records("service"), min_size=1, max_size=3),
)
def test_mixed_round_trip(
    children: list[BaseModel],
    families: list[BaseModel],
    services: list[BaseModel],
    tmp_path_factory: Any,
) -> None:
    found = children + families + services
    back = round_trip(found, tmp_path_factory.mktemp("mixed"), "hy")
    assert sorted(back, key=_id) == sorted(found, key=_id)


def test_the_workbook_holds_children_families_and_services() -> None:
    assert entities() == ("child", "family", "service")


@settings(max_examples=3, deadline=None)
@given(case=records("case"))
def test_other_entities_are_refused_by_name(case: BaseModel) -> None:
    with pytest.raises(ExportError, match="case records"):
        export([case], io.BytesIO())


@settings(max_examples=3, deadline=None)
@given(child=records("child"))
def test_too_many_names_is_refused_without_values(child: BaseModel) -> None:
    names = [child.names[0]] * 4  # type: ignore[attr-defined]
    crowded = child.model_copy(update={"names": names})
    with pytest.raises(ExportError) as caught:
        export([crowded], io.BytesIO())
    assert "names" in str(caught.value)
    assert names[0].family is None or names[0].family not in str(caught.value)


def test_labels_that_would_read_back_as_another_code_are_written_as_codes() -> None:
    assert code_text("sex", "male", "ru") == "Мужской"
    assert code_text("country", "AM", "en") == "Armenia"
    # every label written for every list reads back as its own code
    from casestd import codes

    for column in sheet("children").columns:
        if column.list_id:
            code_list = codes.get(column.list_id)
            for code in code_list.active():
                for lang in ("hy", "ru", "en"):
                    assert code_list.lookup(code_text(column.list_id, code, lang)) == code


def test_partial_dates_are_written_as_people_write_them() -> None:
    column = sheet("children").column("birth_date.value")
    assert cell_value(column, "2012", "hy") == "2012"
    assert cell_value(column, "2012-03", "hy") == "03.2012"
