"""casestd.dedup.columns: the linkage columns agree with the exact keys on every record.

The columns (for Splink) and the keys (for find_duplicates) read the same
records through the same cleaners (`casestd.normalise`) and the same walk
(`casestd.dedup.records`); these tests hold them to it on generated records.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from casestd import testing
from casestd.dedup.clusters import PersonKeys, record_keys
from casestd.dedup.columns import Row, person_rows, rows_from_keys
from casestd.dedup.names import father_code
from casestd.model.common import Record

_IDENTIFIERS = ("psn", "passport", "birth_certificate", "id_card")


def assert_agree(row: Row, keys: PersonKeys) -> None:
    """Every value of the row is one the exact keys hold too, and the other way round."""
    values: Mapping[str, frozenset[str]] = keys.keys
    assert row["unique_id"] == keys.ref
    for column in (*_IDENTIFIERS, "phone"):
        if row[column] is not None:
            assert row[column] in values[column], column
        else:
            assert column not in values, column
    date, year = row["birth_date"], row["birth_year"]
    assert values.get("dob", frozenset()) == ({date} if date else set())
    family, given = row["family_key"], row["given_key"]
    if family and given:
        pairs = values.get("name_dob", frozenset()) | values.get("family_patronymic_free", set())
        if date:
            assert f"{family}|{given}|{date}" in pairs
        if year is not None:
            assert f"{family}|{given}|{year:04d}" in values["name_yob"]
    father = row["patronymic_key"]
    if isinstance(father, str) and father_code(father):
        assert father_code(father) in values["patronymic"]
    assert row["entity"] == keys.facts["entity"]
    if "region" in keys.facts:
        assert row["region"] == keys.facts["region"]


def assert_record_agrees(record: BaseModel) -> None:
    rows = person_rows([record])  # type: ignore[list-item]
    found = record_keys(record)
    assert [row["unique_id"] for row in rows] == [keys.ref for keys in found]
    for row, keys in zip(rows, found, strict=True):
        assert_agree(row, keys)


@functools.cache
def _crowd() -> testing.Population:
    return testing.population(1500, seed=17)


def test_keys_and_columns_agree_on_every_record_of_a_population() -> None:
    crowd = _crowd()
    records: list[Record] = crowd.records()
    for record in records:
        assert_record_agrees(record)
    rows = person_rows(records)  # type: ignore[arg-type]
    assert len(rows) == len(crowd.registrations)


def test_plain_inputs_give_the_rows_of_the_typed_records() -> None:
    crowd = _crowd()
    typed = {row["unique_id"]: row for row in person_rows(crowd.records())}  # type: ignore[arg-type]
    plain = rows_from_keys(reg.linkage_input() for reg in crowd.registrations)
    assert {str(row["unique_id"]): row for row in plain} == typed


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["child", "family", "trafficking_victim"]).flatmap(testing.records))
def test_keys_and_columns_agree_on_generated_records(record: BaseModel) -> None:
    assert record_keys(record), "every record of these entities holds a person"
    assert_record_agrees(record)
