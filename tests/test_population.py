"""The synthetic population of casestd.testing: deterministic, valid, varied, with the truth."""

from __future__ import annotations

import collections
import itertools
import json
from pathlib import Path

import pytest

from casestd import validate
from casestd.dedup.clusters import find_duplicates, record_keys
from casestd.dedup.names import name_key
from casestd.testing import (
    VARIATION_KINDS,
    Population,
    Registration,
    iter_payloads,
    iter_registrations,
    population,
    romanise,
    russian_latin,
    write_population,
)

SEED = 20261125


@pytest.fixture(scope="module")
def crowd() -> Population:
    return population(3000, seed=SEED)


def _pairs(crowd: Population) -> list[tuple[Registration, Registration]]:
    by_person: dict[str, list[Registration]] = collections.defaultdict(list)
    for reg in crowd.registrations:
        by_person[reg.person_id].append(reg)
    return [pair for regs in by_person.values() for pair in itertools.combinations(regs, 2)]


def test_same_seed_same_population(crowd: Population) -> None:
    again = population(3000, seed=SEED)
    assert again.registrations == crowd.registrations
    assert again.truth == crowd.truth


def test_other_seed_other_population(crowd: Population) -> None:
    other = population(3000, seed=SEED + 1)
    assert other.truth != crowd.truth
    assert {r.names for r in other.registrations[:50]} != {
        r.names for r in crowd.registrations[:50]
    }


def test_streaming_gives_the_same_registrations(crowd: Population) -> None:
    streamed = tuple(iter_registrations(3000, seed=SEED))
    assert streamed == crowd.registrations


def test_size_is_about_the_number_of_people(crowd: Population) -> None:
    assert 3000 <= crowd.people <= 3010
    assert len(crowd.registrations) > crowd.people  # duplicates exist


def test_truth_covers_every_ref(crowd: Population) -> None:
    refs = [reg.ref for reg in crowd.registrations]
    assert len(refs) == len(set(refs))
    assert set(crowd.truth) == set(refs)
    assert all(crowd.truth[reg.ref] == reg.person_id for reg in crowd.registrations)
    assert crowd.true_pairs() == {tuple(sorted((a.ref, b.ref))) for a, b in _pairs(crowd)}


def test_refs_name_records_as_find_duplicates_does(crowd: Population) -> None:
    for reg in crowd.registrations[:200]:
        if reg.entity == "family":
            assert reg.ref == f"family/{reg.record_id}/members/{reg.member_index}"
        else:
            assert reg.ref == f"{reg.entity}/{reg.record_id}"


def test_payloads_validate(crowd: Population) -> None:
    payloads = crowd.payloads()
    assert {entity for entity, _ in payloads} == {"child", "family", "trafficking_victim"}
    failed = [
        (entity, [f.to_dict() for f in report.errors])
        for entity, payload in payloads[:1500]
        if not (report := validate(entity, payload)).ok
    ]
    assert failed == []


def test_fast_keys_equal_keys_of_typed_records() -> None:
    small = population(300, seed=SEED)
    typed = {pk.ref: pk for record in small.records() for pk in record_keys(record)}
    fast = {pk.ref: pk for pk in small.person_keys()}
    assert typed.keys() == fast.keys()
    for ref, expected in typed.items():
        assert dict(fast[ref].keys) == dict(expected.keys), ref
        assert dict(fast[ref].facts) == dict(expected.facts), ref


def test_every_variation_kind_occurs(crowd: Population) -> None:
    seen = collections.Counter(kind for reg in crowd.registrations for kind in reg.variations)
    assert set(seen) == set(VARIATION_KINDS)
    assert all(seen[kind] >= 5 for kind in VARIATION_KINDS), seen


def test_variations_are_what_they_say(crowd: Population) -> None:
    for reg in crowd.registrations:
        scripts = {name.script for name in reg.names}
        assert {f"script:{s}" for s in scripts} == {k for k in reg.variations if "script:" in k}
        assert ("two_scripts" in reg.variations) == (len(reg.names) == 2)
        assert ("no_identifiers" in reg.variations) == (not reg.identifiers)
        estimated = "dob:estimated" in reg.variations
        assert reg.birth.estimated == estimated
        if "dob:year" in reg.variations:
            assert len(reg.birth.value) == 4
        if "dob:year_month" in reg.variations:
            assert len(reg.birth.value) == 7


def test_duplicates_across_districts_and_entities(crowd: Population) -> None:
    pairs = _pairs(crowd)
    assert any(a.district and b.district and a.district != b.district for a, b in pairs)
    crossed = collections.Counter(tuple(sorted((a.entity, b.entity))) for a, b in pairs)
    assert crossed[("child", "family")] > 0
    assert crossed[("family", "trafficking_victim")] > 0
    assert crossed[("child", "trafficking_victim")] > 0
    assert any(a.agency != b.agency for a, b in pairs)
    assert any(reg.region != "AM-ER" for reg in crowd.registrations if reg.region)


def test_maiden_names_differ_from_married_names(crowd: Population) -> None:
    for a, b in _pairs(crowd):
        if "maiden_name" in a.variations and not b.variations & {"maiden_name", "names_swapped"}:
            assert name_key(a.names[0].family or "") != name_key(b.names[0].family or "")
            return
    pytest.fail("no maiden-name pair")


def test_find_duplicates_finds_most_true_pairs(crowd: Population) -> None:
    clusters = find_duplicates(crowd.person_keys())
    found = {pair for c in clusters for pair in itertools.combinations(c.refs, 2)}
    truth = crowd.true_pairs()
    assert len(found & truth) / len(found) > 0.95
    assert len(found & truth) / len(truth) > 0.5


def test_romanisations() -> None:
    assert romanise("Հովհաննիսյան", "passport") == "Hovhannisyan"
    assert romanise("Ղազարյան", "iso9985") == "Łazaryan"
    assert romanise("Գևորգյան", "western") == "Kevorkian"
    assert romanise("Եղիազարյան", "bgn") == "Yeghiazaryan"
    assert russian_latin("Оганесян") == "Oganesyan"
    assert russian_latin("Акопян", icao=True) == "Akopian"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n_people": 0}, "n_people"),
        ({"n_people": 5, "duplicate_rate": 1.5}, "duplicate_rate"),
        ({"n_people": 5, "max_registrations": 0}, "max_registrations"),
    ],
)
def test_bad_arguments(arguments: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        population(seed=1, **arguments)  # type: ignore[arg-type]


def test_write_population_writes_what_the_command_line_reads(tmp_path: Path) -> None:
    paths = write_population(tmp_path, 400, seed=SEED)
    assert set(paths) == {"child", "family", "trafficking_victim"}
    assert all(path == tmp_path / entity / "records.jsonl" for entity, path in paths.items())
    lines = [
        (entity, json.loads(line))
        for entity, path in sorted(paths.items())
        for line in path.read_text("utf-8").splitlines()
    ]
    streamed = itertools.islice(iter_registrations(400, seed=SEED), 400)
    expected = sorted(iter_payloads(streamed), key=lambda pair: pair[0])
    assert lines == expected
    members = sum(len(p["members"]) if e == "family" else 1 for e, p in lines)
    assert members == 400
