"""The compact storage of the collector: tables, rows of ints, persons' linkage keys."""

from __future__ import annotations

import datetime as dt
import pickle

from hypothesis import given
from hypothesis import strategies as st

from casestd.dedup import PersonKeys
from casestd.indicators.store import (
    PLAIN,
    Persons,
    Rows,
    Table,
    date,
    day,
    digest,
    merged_office,
    office_key,
    office_key_parts,
    office_value,
    office_value_parts,
)

_CODES = st.sampled_from(["female", "male", "unknown", "AM-ER", None])


@given(st.dates() | st.none())
def test_day_numbers_give_the_date_back(value: dt.date | None) -> None:
    assert date(day(value)) == value


@given(st.lists(_CODES))
def test_a_table_numbers_each_value_once(values: list[str | None]) -> None:
    table = Table[str | None]()
    numbers = [table.number(value) for value in values]
    assert [table.values[n] for n in numbers] == values
    assert len(table) == len(set(values) | {None}) and table.number(None) == 0


_ROW = st.tuples(st.integers(0, 2**31 - 1), _CODES, st.integers(0, 2**31 - 1))


@given(st.lists(_ROW), st.lists(_ROW))
def test_rows_extended_from_another_table_keep_their_values(
    mine: list[tuple[int, str | None, int]], theirs: list[tuple[int, str | None, int]]
) -> None:
    """Rows with a column of table numbers, extended by rows numbered by another table,
    decode to the values each was given."""

    def stored(rows: list[tuple[int, str | None, int]]) -> tuple[Rows, Table[str | None]]:
        table, kept = Table[str | None](), Rows("q", (PLAIN, 0, PLAIN))
        for first, code, last in rows:
            kept.append((first, table.number(code), last))
        return kept, table

    rows, table = stored(mine)
    other, other_table = stored(theirs)
    rows.extend(pickle.loads(pickle.dumps(other)), [table.renumbering(other_table)])
    assert len(rows) == len(mine) + len(theirs)
    assert [(a, table.values[b], c) for a, b, c in rows] == mine + theirs


_VALUES = st.frozensets(st.sampled_from(["AB1234567", "AB1234568", "ani|2015-04-03", "x"]))
_PERSON = st.tuples(
    st.dictionaries(st.sampled_from(["passport", "name_dob", "psn"]), _VALUES, max_size=3),
    st.integers(0, 5),
)
_People = list[tuple[dict[str, frozenset[str]], int]]


def _store(people: _People, prefix: str) -> Persons:
    store = Persons()
    for number, (keys, extra) in enumerate(people):
        store.add(f"{prefix}/{number}", keys, (extra, number))
    return store


@given(st.lists(_PERSON, max_size=8), st.lists(_PERSON, max_size=8))
def test_persons_keep_which_values_are_shared(first: _People, second: _People) -> None:
    """The persons given back hold digests of their values: two persons share a key value
    exactly when they shared it before; refs and the extra ints are kept."""
    store = _store(first, "child")
    store.extend(_store(second, "trafficking_victim"))
    given_people = [*first, *second]
    back = list(store.person_keys())
    assert [p.ref for p in back] == [p.ref for p in store.person_keys()] == store.refs
    assert all(isinstance(p, PersonKeys) for p in back)
    for (keys, _), person in zip(given_people, back, strict=True):
        assert set(person.keys) == {name for name, values in keys.items() if values}
        assert {n: {f"{digest(v):016x}" for v in vs} for n, vs in keys.items() if vs} == {
            n: set(vs) for n, vs in person.keys.items()
        }
    for (keys_a, _), a in zip(given_people, back, strict=True):
        for (keys_b, _), b in zip(given_people, back, strict=True):
            for name in set(keys_a) & set(keys_b):
                shared = a.keys.get(name, frozenset()) & b.keys.get(name, frozenset())
                assert bool(keys_a[name] & keys_b[name]) == bool(shared)
    extra = list(store.extra())
    assert [(ref, first) for ref, first, _ in extra] == [
        (ref, person[1]) for ref, person in zip(store.refs, given_people, strict=True)
    ]
    assert [p.ref for p in store.person_keys("child/")] == [f"child/{n}" for n in range(len(first))]


_DAYS = st.integers(1, dt.date.max.toordinal())
_COSTS = st.none() | st.integers(0, 10**12)


@given(st.integers(0, 2**40), st.integers(0, 2**20 - 1), st.integers(0, 2**20 - 1))
def test_an_office_key_gives_its_parts_back(beneficiary: int, office: int, month: int) -> None:
    assert office_key_parts(office_key(beneficiary, office, month)) == (beneficiary, office, month)


@given(_DAYS, _COSTS)
def test_an_office_value_gives_its_day_and_cost_back(first: int, cost: int | None) -> None:
    assert office_value_parts(office_value(first, cost)) == (first, cost)


@given(st.lists(st.tuples(_DAYS, _COSTS), min_size=1))
def test_merged_office_entries_keep_the_first_day_and_the_total_cost(
    entries: list[tuple[int, int | None]],
) -> None:
    merged: int | None = None
    for first, cost in entries:
        merged = merged_office(office_value(first, cost), merged)
    costs = [cost for _, cost in entries if cost is not None]
    assert merged is not None
    assert office_value_parts(merged) == (
        min(first for first, _ in entries),
        sum(costs) if costs else None,
    )
