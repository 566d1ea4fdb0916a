"""casestd.dedup.key_table: the one table the defaults, guards and docs are read from."""

from __future__ import annotations

import collections
import itertools
from typing import Any

import attrs
import pytest

from casestd.dedup import key_table
from casestd.dedup.key_table import (
    CANDIDATE_KEYS,
    DEFAULT_HOUSEHOLD_KEYS,
    DEFAULT_MATCH_KEYS,
    DEFAULT_TOLERANT_KEYS,
    IDENTIFIER_KEYS,
    KEYS,
    TOLERANT_GUARDS,
    VERIFIED_IN,
)
from casestd.testing import population


def test_the_defaults_of_the_linking() -> None:
    """The order is the order of linking: changing it changes the clusters."""
    assert IDENTIFIER_KEYS == ("psn", "passport", "id_card", "birth_certificate")
    assert (
        *IDENTIFIER_KEYS,
        "child_record",
        "name_dob",
        "name_pair_dob",
        "name_dob_swapped",
        "family_patronymic_free",
    ) == DEFAULT_MATCH_KEYS
    assert DEFAULT_TOLERANT_KEYS == (
        "name_typo_dob",
        "name_dob_day",
        "given_dob",
        "name_dob_ym",
        "name_yob",
        "name_swapped",
    )
    assert DEFAULT_HOUSEHOLD_KEYS == ("given_yob", "family_yob", "name_swapped")
    assert TOLERANT_GUARDS["name_typo_dob"] == TOLERANT_GUARDS["name_dob_day"] == "pair"
    assert TOLERANT_GUARDS["given_dob"] == "corroborated"
    assert VERIFIED_IN["name_typo_dob"] == ("given_dob", "family_dob")
    assert not CANDIDATE_KEYS & set(DEFAULT_MATCH_KEYS)


def test_every_key_is_described() -> None:
    for key in KEYS.values():
        assert len(key.note) > 30 and key.note.endswith(".")
        assert key.name in key_table.describe([key.name])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "exact"}, "unknown role"),
        ({"guard": "loose"}, "unknown guard"),
        ({"verified_in": ("no_such_key",)}, "unknown keys"),
        ({"role": "match", "guard": "pair"}, "no guard"),
    ],
)
def test_a_broken_table_is_refused(change: dict[str, Any], message: str) -> None:
    keys = dict(KEYS)
    keys["name_yob"] = attrs.evolve(KEYS["name_yob"], **change)
    with pytest.raises(ValueError, match=message):
        key_table._check(keys, len(keys))
    with pytest.raises(ValueError, match="twice"):
        key_table._check(dict(KEYS), len(KEYS) + 1)


def test_keys_are_verified_where_they_can_be_found() -> None:
    """VERIFIED_IN is sound: two records sharing a value of a key share a coarse value.

    find_duplicates compares these keys only within the blocks of their coarse
    keys; a pair sharing a value but no coarse value would be missed.
    """
    people = [keys.keys for keys in population(800, seed=11).person_keys()]
    checked = collections.Counter[str]()
    for name, coarse in VERIFIED_IN.items():
        holders: dict[str, list[int]] = collections.defaultdict(list)
        for number, values in enumerate(people):
            for value in values.get(name, ()):
                holders[value].append(number)
        for members in holders.values():
            for first, second in itertools.combinations(sorted(set(members)), 2):
                assert any(
                    people[first].get(key, frozenset()) & people[second].get(key, frozenset())
                    for key in coarse
                ), name
                checked[name] += 1
    assert all(checked[name] > 0 for name in VERIFIED_IN), checked
