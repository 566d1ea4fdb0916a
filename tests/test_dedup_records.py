"""casestd.dedup.records: the persons a record holds, their paths and refs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from casestd import testing
from casestd.dedup.records import (
    Ref,
    holds_persons,
    make_ref,
    parse_ref,
    person_paths,
    persons,
)
from casestd.model import ENTITIES
from casestd.model.common import Person


def _at(document: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(ENTITIES)).flatmap(testing.records))
def test_persons_of_every_entity(record: BaseModel) -> None:
    found = persons(record)
    assert holds_persons(record) == bool(found)
    walked = [(entity, path, id(person)) for entity, path, person in person_paths(record)]
    assert walked == [(held.entity, held.path, id(held.person)) for held in found]
    dumped = record.model_dump()
    entity = next(name for name, model in ENTITIES.items() if isinstance(record, model))
    for index, held in enumerate(found):
        assert isinstance(held.person, Person)
        assert held.entity == entity and held.record is record
        # the path leads to the person in the record's data
        assert _at(dumped, held.path)["names"] == held.person.model_dump()["names"]
        member = index if entity == "family" else None
        assert parse_ref(held.ref) == Ref(entity, str(dumped["id"]), member)
    if entity == "family":
        assert [held.member for held in found] == list(range(len(found)))
    elif found:
        assert len(found) == 1


@given(
    st.sampled_from(["child", "family", "trafficking_victim"]),
    st.uuids().map(str),
    st.none() | st.integers(0, 50),
)
def test_refs_read_back(entity: str, record_id: str, member: int | None) -> None:
    assert parse_ref(make_ref(entity, record_id, member)) == Ref(entity, record_id, member)


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("child/abc", Ref("child", "abc")),
        ("family/abc/members/3", Ref("family", "abc", 3)),
        ("family/abc/members/x", Ref("family", "abc")),
        ("nothing", Ref("nothing", "")),
        ("a/b/c", Ref("a", "b")),
    ],
)
def test_hand_made_refs(ref: str, parsed: Ref) -> None:
    assert parse_ref(ref) == parsed
