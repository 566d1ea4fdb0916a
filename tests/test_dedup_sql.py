"""casestd.dedup.sql: the precise linking as SQL on DuckDB gives find_duplicates' clusters."""

from __future__ import annotations

import pytest

from casestd.dedup import PersonKeys, find_duplicates
from casestd.dedup.key_table import DEFAULT_MATCH_KEYS
from casestd.dedup.sql import DuckDB, cluster_refs, key_rows, load_duckdb, statements
from casestd.testing import population

duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def people() -> list[PersonKeys]:
    return population(10_000, seed=2026).person_keys()


@pytest.fixture(scope="module")
def engine(people: list[PersonKeys]) -> DuckDB:
    connection = duckdb.connect()
    load_duckdb(connection, people)
    return DuckDB(connection)


def in_process(people: list[PersonKeys], **options: object) -> list[tuple[str, ...]]:
    found = find_duplicates(people, tolerant=(), household=(), **options)  # type: ignore[arg-type]
    return [cluster.refs for cluster in found]


def test_without_veto_the_clusters_are_find_duplicates(
    people: list[PersonKeys], engine: DuckDB
) -> None:
    expected = in_process(people, veto=())
    assert len(expected) > 1000
    assert cluster_refs(engine, veto=()) == expected


def test_with_the_veto_the_clusters_are_find_duplicates_precise_links(
    people: list[PersonKeys], engine: DuckDB
) -> None:
    assert cluster_refs(engine) == in_process(people)


def _person(ref: str, **keys: str) -> PersonKeys:
    return PersonKeys(ref, {name: frozenset({value}) for name, value in keys.items()})


def test_two_identifiers_veto_a_pair_as_in_process() -> None:
    people = [
        _person("child/a", psn="1", name_dob="x"),
        _person("child/b", psn="2", name_dob="x"),
        _person("child/c", psn="1", passport="AM:1"),
        _person("child/d", passport="AM:1", name_dob="y"),
        _person("child/e", name_dob="y"),
    ]
    connection = duckdb.connect()
    load_duckdb(connection, people)
    expected = in_process(people)
    assert expected == [("child/a", "child/c", "child/d", "child/e")]
    assert cluster_refs(DuckDB(connection)) == expected


def test_a_chain_across_a_veto_is_one_cluster_in_sql_only() -> None:
    """The documented difference: the veto is judged per pair, not per group."""
    people = [
        _person("child/a", psn="1", name_dob="x"),
        _person("child/b", name_dob="x"),
        _person("child/c", psn="2", name_dob="x"),
    ]
    connection = duckdb.connect()
    load_duckdb(connection, people)
    assert in_process(people) == [("child/a", "child/b")]
    assert cluster_refs(DuckDB(connection)) == [("child/a", "child/b", "child/c")]


def test_max_block_and_keys_are_those_of_find_duplicates(
    people: list[PersonKeys], engine: DuckDB
) -> None:
    keys = ("psn", "name_dob")
    expected = in_process(people, keys=keys, veto=(), max_block=3)
    assert cluster_refs(engine, keys=keys, veto=(), max_block=3) == expected


def test_the_key_table_holds_the_linking_and_veto_keys_only() -> None:
    person = PersonKeys("child/a", {"psn": frozenset({"1"}), "phonetic": frozenset({"p"})})
    assert list(key_rows([person])) == [("child/a", "psn", "1")]
    assert set(DEFAULT_MATCH_KEYS) >= {"psn", "name_dob"}


def test_statements_are_plain_selects_and_refuse_a_tiny_block() -> None:
    found = statements("t")
    assert [name for name, _ in found][-1] == "casestd_edges"
    assert all(select.startswith("SELECT ") and ";" not in select for _, select in found)
    with pytest.raises(ValueError, match="max_block"):
        statements("t", max_block=1)
