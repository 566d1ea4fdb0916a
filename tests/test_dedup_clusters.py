"""find_duplicates(): the same person across districts, scripts and entities; nobody else."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from casestd.dedup import (
    Cluster,
    PersonKeys,
    find_duplicates,
    keys,
    name_key,
    protect,
    record_keys,
)
from casestd.dedup.clusters import Encoded, Encoder, keys_read
from casestd.dedup.key_table import DATE_KEY, DEFAULT_MATCH_KEYS, DEFAULT_TOLERANT_KEYS
from casestd.model.case import Case
from casestd.model.child import Child
from casestd.model.family import Family
from casestd.model.trafficking_victim import TraffickingVictim
from casestd.testing import population

from factories import case, child, family, meta, trafficking_victim

SECRET = bytes(range(32))
ARMN = {"given": "Անի", "family": "Պետրոսյան", "script": "armn"}
LATN = {"given": "Ani", "family": "Petrosyan", "script": "latn"}
CYRL = {"given": "Ани", "family": "Петросян", "script": "cyrl"}


def uuid(number: int) -> str:
    """A fixed record id that is easy to read in a failing test."""
    return f"00000000-0000-4000-8000-{number:012d}"


def district_meta(district: str) -> dict[str, Any]:
    """Metadata of a record registered by a Yerevan district office."""
    return {**meta(), "agency": f"yerevan-{district}-sso", "district": district}


def a_child(
    number: int,
    names: list[dict[str, str]],
    born: str = "2015-04-03",
    district: str = "kentron",
    **extra: Any,
) -> Child:
    """A girl registered by ``district`` with these names and birth date."""
    payload = child()
    payload.update(
        id=uuid(number),
        meta=district_meta(district),
        names=names,
        birth_date={"value": born},
        **extra,
    )
    return Child.model_validate(payload)


def a_victim(
    number: int, names: list[dict[str, str]], born: str = "2015-04-03", **extra: Any
) -> TraffickingVictim:
    """A possible victim of trafficking registered by the anti-trafficking registry."""
    payload = trafficking_victim()
    payload["id"] = uuid(number)
    payload["meta"] = {**meta(), "agency": "ctip-registry", "source_system": "ctip-registry"}
    payload["person"].update(names=names, birth_date={"value": born}, **extra)
    return TraffickingVictim.model_validate(payload)


def a_family(number: int, *members: dict[str, Any]) -> Family:
    """A family whose head is Tigran Petrosyan (1985) and with these other members."""
    payload = family()
    payload["id"] = uuid(number)
    payload["meta"] = district_meta("shengavit")
    payload["members"].extend(members)
    return Family.model_validate(payload)


def refs_of(clusters: Iterable[Cluster]) -> list[tuple[str, ...]]:
    return [cluster.refs for cluster in clusters]


def test_a_child_in_two_districts_in_armenian_and_latin_is_one_cluster() -> None:
    kentron = a_child(1, [ARMN], district="kentron")
    arabkir = a_child(2, [LATN], district="arabkir")
    (cluster,) = find_duplicates([kentron, arabkir])
    assert cluster.refs == (f"child/{uuid(1)}", f"child/{uuid(2)}")
    assert cluster.entities == ("child",)
    (evidence,) = cluster.evidence
    assert evidence.refs == cluster.refs
    assert evidence.linked_by == "name_dob"
    assert {"name_dob", "name_dob_swapped", "family_patronymic_free"} <= set(evidence.keys)
    assert {"sex", "birth_year", "entity"} <= set(evidence.agree)
    assert {"district", "agency"} <= set(evidence.disagree)


def test_a_trafficking_victim_who_is_a_child_in_the_cmis_is_one_cluster() -> None:
    registered = a_child(1, [ARMN, LATN])
    victim = a_victim(2, [CYRL])
    (cluster,) = find_duplicates([registered, victim])
    assert cluster.refs == (f"child/{uuid(1)}", f"trafficking_victim/{uuid(2)}")
    assert cluster.entities == ("child", "trafficking_victim")
    assert "entity" in cluster.evidence[0].disagree


def test_a_family_member_who_is_a_registered_child_is_one_cluster() -> None:
    daughter = {
        "names": [CYRL],
        "sex": "female",
        "birth_date": {"value": "2015-04-03"},
        "relationship": "daughter",
    }
    (cluster,) = find_duplicates([a_child(1, [LATN]), a_family(2, daughter)])
    assert cluster.refs == (f"child/{uuid(1)}", f"family/{uuid(2)}/members/1")
    assert cluster.entities == ("child", "family")


def test_a_family_member_naming_the_child_record_links_without_a_birth_date() -> None:
    son = {
        "names": [{"given": "Aram", "family": "Petrosyan", "script": "latn"}],
        "sex": "male",
        "relationship": "son",
        "child_id": uuid(1),
    }
    (cluster,) = find_duplicates([a_child(1, [LATN]), a_family(2, son)])
    assert cluster.refs == (f"child/{uuid(1)}", f"family/{uuid(2)}/members/1")
    assert cluster.evidence[0].linked_by == "child_record"


def test_different_people_with_common_names_are_not_merged() -> None:
    people = [
        a_child(1, [LATN], born="2015-04-03"),
        a_child(2, [LATN], born="2015-09-21"),
        a_child(3, [LATN], born="2014-04-03"),
        a_child(4, [{"given": "Anna", "family": "Petrosyan", "script": "latn"}]),
        a_child(5, [{"given": "Ani", "family": "Grigoryan", "script": "latn"}]),
    ]
    assert not find_duplicates(people)


def test_namesakes_of_the_same_age_meet_only_on_the_tolerant_keys() -> None:
    people = [a_child(1, [LATN], born="2015-04-03"), a_child(2, [ARMN], born="2015-09-21")]
    assert not find_duplicates(people)
    (cluster,) = find_duplicates(people, keys=(*DEFAULT_MATCH_KEYS, "name_yob"))
    assert cluster.evidence[0].linked_by == "name_yob"


def estimated(number: int, names: list[dict[str, str]], born: str, **extra: Any) -> Child:
    """A child whose birth date is known only as ``born`` (a year or a month)."""
    payload = child()
    payload.update(
        id=uuid(number),
        meta=district_meta("nor_nork"),
        names=names,
        birth_date={"value": born, "estimated": len(born) == 4},
        **extra,
    )
    return Child.model_validate(payload)


@pytest.mark.parametrize(("born", "key"), [("2015", "name_yob"), ("2015-04", "name_dob_ym")])
def test_a_record_with_a_partial_date_joins_its_one_dated_namesake(born: str, key: str) -> None:
    people = [a_child(1, [LATN]), estimated(2, [ARMN], born)]
    (cluster,) = find_duplicates(people)
    assert cluster.evidence[0].linked_by == key
    assert DATE_KEY == "name_dob" and key in DEFAULT_TOLERANT_KEYS
    assert not find_duplicates(people, tolerant=())


def test_a_partial_date_is_not_guessed_between_two_dated_namesakes() -> None:
    people = [
        a_child(1, [LATN], born="2015-04-03"),
        a_child(2, [CYRL], born="2015-09-21"),
        estimated(3, [ARMN], "2015"),
    ]
    result = find_duplicates(people)
    assert result.clusters == ()
    assert result.summary.ambiguous >= 1


def test_a_month_tells_two_dated_namesakes_apart() -> None:
    people = [
        a_child(1, [LATN], born="2015-04-03"),
        a_child(2, [CYRL], born="2015-09-21"),
        estimated(3, [ARMN], "2015-09"),
    ]
    (cluster,) = find_duplicates(people)
    assert cluster.refs == (f"child/{uuid(2)}", f"child/{uuid(3)}")


def test_two_partial_dates_of_one_name_join_when_nobody_else_is_dated() -> None:
    people = [estimated(1, [LATN], "2015"), estimated(2, [ARMN], "2016")]
    (cluster,) = find_duplicates(people)
    assert cluster.evidence[0].linked_by == "name_swapped"


def test_the_veto_holds_for_tolerant_links() -> None:
    psn = [{"type": "public_service_number", "value": "1111111111"}]
    other = [{"type": "public_service_number", "value": "2222222222"}]
    people = [
        a_child(1, [LATN], identifiers=psn),
        estimated(2, [ARMN], "2015"),
        estimated(3, [CYRL], "2015-04", identifiers=other),
    ]
    result = find_duplicates(people)
    (cluster,) = result.clusters
    assert cluster.refs == (f"child/{uuid(1)}", f"child/{uuid(2)}")
    assert result.summary.vetoed >= 1


def test_conflicting_psns_veto_the_link() -> None:
    first = a_child(
        1, [LATN], identifiers=[{"type": "public_service_number", "value": "1111111111"}]
    )
    second = a_child(
        2, [ARMN], identifiers=[{"type": "public_service_number", "value": "2222222222"}]
    )
    result = find_duplicates([first, second])
    assert result.clusters == ()
    assert result.summary.vetoed == 1


def test_one_shared_psn_is_no_conflict() -> None:
    both = [
        {"type": "public_service_number", "value": "1111111111"},
        {"type": "social_card_number", "value": "3333333333"},
    ]
    first = a_child(1, [LATN], identifiers=both)
    second = a_child(2, [ARMN], identifiers=both[:1])
    assert refs_of(find_duplicates([first, second])) == [(f"child/{uuid(1)}", f"child/{uuid(2)}")]


def test_a_record_without_psn_does_not_chain_two_conflicting_psns() -> None:
    psn = [{"type": "public_service_number", "value": "1111111111"}]
    other = [{"type": "public_service_number", "value": "2222222222"}]
    people = [
        a_child(1, [LATN], identifiers=psn),
        a_child(2, [CYRL]),
        a_child(3, [ARMN], identifiers=other),
    ]
    result = find_duplicates(people)
    (cluster,) = result.clusters
    assert len(cluster.refs) == 2 and f"child/{uuid(2)}" in cluster.refs
    assert result.summary.vetoed == 1


def test_a_passport_links_different_names_directly() -> None:
    passport = [{"type": "passport", "value": "AN1234567"}]
    first = a_child(1, [LATN], identifiers=passport)
    second = a_victim(2, [{"given": "Mariam", "family": "Hakobyan", "script": "latn"}])
    payload = trafficking_victim()
    payload["id"] = uuid(2)
    payload["person"]["identifiers"] = passport
    second = TraffickingVictim.model_validate(payload)
    (cluster,) = find_duplicates([first, second])
    assert cluster.evidence[0].linked_by == "passport"
    assert cluster.evidence[0].keys == ("passport",)


def plain(ref: str, **values: str) -> PersonKeys:
    """PersonKeys with one value per named key."""
    return PersonKeys(ref, {name: frozenset({value}) for name, value in values.items()})


def test_max_block_skips_a_huge_block_and_counts_it() -> None:
    people = [plain(f"child/{n}", psn="0000000000") for n in range(60)]
    result = find_duplicates(people)
    assert result.clusters == ()
    assert result.summary.skipped == {"psn": 1}
    assert result.summary.skipped_values == 1
    (cluster,) = find_duplicates(people, max_block=100)
    assert len(cluster.refs) == 60 and len(cluster.evidence) == 59


def test_a_placeholder_identifier_in_a_huge_block_vetoes_nothing() -> None:
    people = [plain(f"child/{n}", psn="0000000000") for n in range(60)]
    people.append(plain("child/a", psn="0000000000", name_dob="x"))
    people.append(plain("child/b", psn="1234567890", name_dob="x"))
    (cluster,) = find_duplicates(people)
    assert cluster.refs == ("child/a", "child/b")


def test_protected_keys_give_the_same_clusters() -> None:
    psn = [{"type": "public_service_number", "value": "1111111111"}]
    daughter = {
        "names": [ARMN],
        "sex": "female",
        "birth_date": {"value": "2015-04-03"},
        "relationship": "daughter",
    }
    records: list[Any] = [
        a_child(1, [ARMN], identifiers=psn),
        a_child(2, [LATN], district="arabkir"),
        a_child(3, [CYRL], born="2015-03-04", identifiers=psn),
        a_child(4, [LATN], identifiers=[{"type": "public_service_number", "value": "2222222222"}]),
        a_victim(5, [CYRL]),
        a_family(6, daughter),
        a_child(7, [{"given": "Mariam", "family": "Hakobyan", "script": "latn"}]),
    ]
    people = [person for record in records for person in record_keys(record)]
    protected = [PersonKeys(p.ref, protect(p.keys, SECRET), p.facts) for p in people]
    clusters = find_duplicates(people)
    assert clusters and clusters == find_duplicates(protected)
    assert clusters == find_duplicates(records)


KEY_NAMES = ("psn", "name_dob", "name_yob", "phonetic")


@st.composite
def populations(draw: st.DrawFn) -> list[PersonKeys]:
    """Small random populations over few values, so that blocks, chains and vetoes happen."""
    size = draw(st.integers(0, 25))
    people = []
    for number in range(size):
        found = {}
        for name in KEY_NAMES:
            values = draw(st.frozensets(st.sampled_from("abcdef"), max_size=2))
            if values:
                found[name] = values
        people.append(PersonKeys(f"child/{number}", found, {"sex": draw(st.sampled_from("fm"))}))
    return people


@settings(max_examples=60, deadline=None)
@given(populations(), st.integers(2, 6))
def test_protected_keys_give_the_same_clusters_for_any_population(
    people: list[PersonKeys], max_block: int
) -> None:
    protected = [PersonKeys(p.ref, protect(p.keys, SECRET), p.facts) for p in people]
    options: dict[str, Any] = {
        "keys": ("psn", "name_dob"),
        "tolerant": ("name_yob", "phonetic"),
        "max_block": max_block,
    }
    assert find_duplicates(people, **options) == find_duplicates(protected, **options)


@settings(max_examples=60, deadline=None)
@given(populations(), st.integers(2, 6))
def test_encoded_records_give_the_same_clusters_for_any_population(
    people: list[PersonKeys], max_block: int
) -> None:
    options: dict[str, Any] = {"keys": ("psn", "name_dob"), "tolerant": ("name_yob", "phonetic")}
    encode = Encoder(**options)
    encoded = [encode([person]) for person in people]
    found = find_duplicates(encoded, max_block=max_block, **options)
    assert found == find_duplicates(people, max_block=max_block, **options)


def test_encoded_records_of_a_population_give_its_clusters() -> None:
    """Households, tolerant keys, the household step: the default rule, record by record."""
    people = population(1500, seed=11).person_keys()
    encode = Encoder()
    by_record: dict[str, list[PersonKeys]] = {}
    for person in people:
        by_record.setdefault(person.ref.rsplit("/members/", 1)[0], []).append(person)
    encoded = [encode(held) for held in by_record.values()]
    found = find_duplicates([*encoded, encode([])])
    expected = find_duplicates(people)
    assert found.clusters == expected.clusters and len(found.clusters) > 100
    assert found.summary == attrs.evolve(expected.summary, ignored=1)


def test_encoded_records_of_other_keys_are_refused() -> None:
    person = PersonKeys("child/a", {"psn": frozenset({"1"})})
    with pytest.raises(ValueError, match="other keys"):
        find_duplicates([Encoder(keys=("psn",))([person])])
    with pytest.raises(ValueError, match="another interpreter"):
        find_duplicates([Encoded(1, ())])


def components(people: list[PersonKeys], names: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Connected components of two or more records sharing a value, found the slow way."""
    linked: dict[int, set[int]] = {n: set() for n in range(len(people))}
    for a, first in enumerate(people):
        for b, second in enumerate(people[:a]):
            if any(first.keys.get(n, set()) & second.keys.get(n, set()) for n in names):
                linked[a].add(b)
                linked[b].add(a)
    seen: set[int] = set()
    found = set()
    for start in linked:
        if start in seen:
            continue
        stack, group = [start], set()
        while stack:
            item = stack.pop()
            if item not in group:
                group.add(item)
                stack.extend(linked[item])
        seen |= group
        if len(group) > 1:
            found.add(tuple(sorted(people[n].ref for n in group)))
    return found


@settings(max_examples=60, deadline=None)
@given(populations())
def test_without_vetoes_or_huge_blocks_clusters_are_the_connected_components(
    people: list[PersonKeys],
) -> None:
    names = ("name_dob", "name_yob", "phonetic")
    result = find_duplicates(people, keys=names, tolerant=(), max_block=1000, veto=())
    assert set(refs_of(result.clusters)) == components(people, names)
    for cluster in result.clusters:
        assert len(cluster.evidence) == len(cluster.refs) - 1


@settings(max_examples=60, deadline=None)
@given(populations())
def test_the_psns_of_a_cluster_are_joined_by_shared_values(people: list[PersonKeys]) -> None:
    """Groups with PSNs merge only through a shared PSN, so no chain joins two strangers."""
    by_ref = {p.ref: p for p in people}
    clusters = find_duplicates(people, keys=("psn", "name_dob"), tolerant=("name_yob",))
    holders = [
        [by_ref[ref].keys["psn"] for ref in cluster.refs if "psn" in by_ref[ref].keys]
        for cluster in clusters
    ]
    checked = [present for present in holders if len(present) > 1]
    assume(checked)  # a cluster with two PSN holders, or there is nothing to check
    for present in checked:
        reached, frontier = {0}, [0]
        while frontier:
            item = frontier.pop()
            for other, values in enumerate(present):
                if other not in reached and values & present[item]:
                    reached.add(other)
                    frontier.append(other)
        assert len(reached) == len(present)


def test_the_order_of_the_input_does_not_change_the_clusters() -> None:
    people = [plain(f"child/{n}", name_dob=str(n % 7), psn=str(n % 5)) for n in range(40)] + [
        plain(f"victim/{n}", name_dob=str(n % 3)) for n in range(10)
    ]
    expected = refs_of(find_duplicates(people))
    shuffled = people[:]
    random.Random(3).shuffle(shuffled)
    assert refs_of(find_duplicates(shuffled)) == expected


MARKER_GIVEN = "Zorvatrix"
MARKER_FAMILY = "Quenbelyan"


def test_clusters_and_evidence_hold_no_names_and_no_values() -> None:
    marked = [{"given": MARKER_GIVEN, "family": MARKER_FAMILY, "script": "latn"}]
    psn = [{"type": "public_service_number", "value": "9876543210"}]
    phone = [{"system": "phone", "value": "+37491123456"}]
    people = [
        a_child(1, marked, born="2013-11-29", identifiers=psn, contacts=phone),
        a_child(2, marked, born="2013-11-29", identifiers=psn, district="avan"),
    ]
    result = find_duplicates(people)
    assert len(result.clusters) == 1
    shown = repr(result) + json.dumps([c.to_dict() for c in result.clusters])
    shown += json.dumps(result.summary.to_dict()) + repr(record_keys(people[0]))
    secrets = [
        MARKER_GIVEN,
        MARKER_FAMILY,
        name_key(MARKER_GIVEN),
        name_key(MARKER_FAMILY),
        "9876543210",
        "2013",
        "37491123456",
        "avan",
        "kentron",
    ]
    for secret in secrets:
        assert secret.lower() not in shown.lower(), secret


def test_other_entities_are_ignored_and_counted() -> None:
    result = find_duplicates([Case.model_validate(case()), a_child(1, [LATN])])
    assert result.clusters == ()
    assert result.summary.ignored == 1 and result.summary.persons == 1


def test_the_same_record_read_twice_is_not_a_duplicate() -> None:
    record = a_child(1, [LATN])
    assert not find_duplicates([record, record])
    (cluster,) = find_duplicates([record, record, a_child(2, [ARMN])])
    assert cluster.refs == (f"child/{uuid(1)}", f"child/{uuid(2)}")


def test_record_keys_of_each_entity() -> None:
    (kid,) = record_keys(a_child(1, [LATN]))
    assert kid.keys == {**keys(a_child(1, [LATN])), "child_record": frozenset({uuid(1)})}
    assert kid.facts == {
        "entity": "child",
        "agency": "yerevan-kentron-sso",
        "district": "kentron",
        "sex": "female",
        "birth_year": "2015",
    }
    (head,) = record_keys(a_family(2))
    assert head.ref == f"family/{uuid(2)}/members/0" and head.facts["sex"] == "male"
    (victim,) = record_keys(a_victim(3, [LATN]))
    assert victim.ref == f"trafficking_victim/{uuid(3)}" and "district" not in victim.facts
    assert record_keys(Case.model_validate(case())) == []


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"keys": ()}, "keys"),
        ({"keys": "psn"}, "keys"),
        ({"tolerant": "name_yob"}, "tolerant"),
        ({"max_block": 1}, "max_block"),
    ],
)
def test_bad_arguments_raise(options: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        find_duplicates([], **options)


def woman(given: str, family: str, born: str, relationship: str = "spouse") -> dict[str, Any]:
    """A woman of a household, in Latin script."""
    return {
        "names": [{"given": given, "family": family, "script": "latn"}],
        "sex": "female",
        "birth_date": {"value": born},
        "relationship": relationship,
    }


def test_a_wife_registered_under_her_maiden_name_joins_within_the_household() -> None:
    married = a_family(1, woman("Anna", "Petrosyan", "1987-06-15"))
    maiden = a_family(2, woman("Anna", "Grigoryan", "1987-06-16"))
    clusters = find_duplicates([married, maiden])
    wives = (f"family/{uuid(1)}/members/1", f"family/{uuid(2)}/members/1")
    assert wives in refs_of(clusters)
    (cluster,) = [cluster for cluster in clusters if cluster.refs == wives]
    assert cluster.evidence[0].linked_by == "household:given_yob"
    assert list(find_duplicates([married, maiden], household=())) == [
        cluster for cluster in clusters if cluster.refs != wives
    ]


def test_the_same_women_outside_two_registrations_of_one_household_stay_apart() -> None:
    married = a_victim(
        1, [{"given": "Anna", "family": "Petrosyan", "script": "latn"}], "1987-06-15"
    )
    maiden = a_victim(2, [{"given": "Anna", "family": "Grigoryan", "script": "latn"}], "1987-06-16")
    assert not find_duplicates([married, maiden])


def test_two_possible_wives_in_the_other_registration_link_neither() -> None:
    married = a_family(1, woman("Anna", "Petrosyan", "1987-06-15"))
    other = a_family(
        2,
        woman("Anna", "Grigoryan", "1987-06-16"),
        woman("Anna", "Avetisyan", "1987-01-01", relationship="sister"),
    )
    result = find_duplicates([married, other])
    assert refs_of(result.clusters) == [
        (f"family/{uuid(1)}/members/0", f"family/{uuid(2)}/members/0")
    ]
    assert result.summary.ambiguous >= 1


@pytest.mark.parametrize(
    ("mistyped", "key"),
    [({"given": "Naerk"}, "name_typo_dob"), ({"family": "Petrosyn"}, "name_typo_dob")],
)
def test_one_typo_links_two_records_of_one_date(mistyped: dict[str, str], key: str) -> None:
    narek = {"given": "Narek", "family": "Petrosyan", "script": "latn"}
    people = [a_child(1, [narek], sex="male"), a_child(2, [{**narek, **mistyped}], sex="male")]
    (cluster,) = find_duplicates(people)
    assert cluster.evidence[0].linked_by == key


def test_a_typo_between_three_namesakes_is_ambiguous() -> None:
    people = [
        a_child(1, [{"given": "Narek", "family": "Petrosyan", "script": "latn"}], sex="male"),
        a_child(2, [{"given": "Narek", "family": "Petrosyn", "script": "latn"}], sex="male"),
        a_child(3, [{"given": "Narek", "family": "Petrosyon", "script": "latn"}], sex="male"),
    ]
    result = find_duplicates(people)
    assert result.clusters == ()
    assert result.summary.ambiguous >= 1


def test_a_mistyped_digit_of_the_day_links() -> None:
    people = [a_child(1, [LATN], born="2015-04-13"), a_child(2, [ARMN], born="2015-04-18")]
    (cluster,) = find_duplicates(people)
    assert cluster.evidence[0].linked_by == "name_dob_day"


def test_a_shared_phone_picks_the_one_married_namesake() -> None:
    phone = [{"system": "phone", "value": "+37491123456"}]
    maiden = {"given": "Anna", "family": "Grigoryan", "script": "latn"}
    married = {"given": "Anna", "family": "Petrosyan", "script": "latn"}
    other = {"given": "Anna", "family": "Avetisyan", "script": "latn"}
    people = [
        a_victim(1, [maiden], "1990-02-02"),
        a_child(2, [married], born="1990-02-02", contacts=phone),
        a_child(3, [other], born="1990-02-02"),
    ]
    assert not find_duplicates(people)
    people[0] = a_victim(1, [maiden], "1990-02-02", contacts=phone)
    (cluster,) = find_duplicates(people)
    assert cluster.refs == (f"child/{uuid(2)}", f"trafficking_victim/{uuid(1)}")
    assert cluster.evidence[0].linked_by == "given_dob"


def test_different_patronymics_keep_a_tolerant_link_apart() -> None:
    armen = {**ARMN, "patronymic": "Արմենի"}
    davit = {**CYRL, "patronymic": "Давидовна"}
    assert find_duplicates([a_child(1, [armen]), estimated(2, [CYRL], "2015")])
    assert not find_duplicates([a_child(1, [armen]), estimated(2, [davit], "2015")])
    same = {**CYRL, "patronymic": "Арменовна"}
    assert find_duplicates([a_child(1, [armen]), estimated(2, [same], "2015")])


def coherent(draw: st.DrawFn) -> list[PersonKeys]:
    """Persons whose name_swapped value follows from their name_dob values, as in keys()."""
    people = []
    for number in range(draw(st.integers(0, 20))):
        found: dict[str, frozenset[str]] = {}
        values = draw(st.frozensets(st.sampled_from(["a1", "a2", "b1", "b2", "c1"]), max_size=2))
        if values:
            found["name_dob"] = values
            found["name_swapped"] = frozenset(value[0] for value in values)
        people.append(PersonKeys(f"child/{number}", found))
    return people


@settings(max_examples=60, deadline=None)
@given(st.composite(coherent)(), st.data())
def test_keys_compared_within_coarse_blocks_link_as_if_indexed(
    people: list[PersonKeys], data: st.DataObject
) -> None:
    """name_dob is compared within name_swapped blocks; records lacking those are compared
    with everybody; either way the clusters are those of an index of name_dob."""
    dropped = data.draw(st.sets(st.integers(0, max(len(people) - 1, 0))))
    mixed = [
        PersonKeys(p.ref, {k: v for k, v in p.keys.items() if k != "name_swapped"})
        if number in dropped
        else p
        for number, p in enumerate(people)
    ]
    options: dict[str, Any] = {"keys": ("name_dob",), "tolerant": (), "max_block": 1000}
    assert set(refs_of(find_duplicates(mixed, **options))) == components(people, ("name_dob",))


def test_the_keys_read_are_enough() -> None:
    """find_duplicates makes only the keys it reads: the clusters are those of all keys."""
    crowd = population(1500, seed=11)
    records = crowd.records()
    every = [pk for record in records for pk in record_keys(record)]
    wanted = keys_read()
    assert {"name_dob", "name_typo_dob", "child_record", "psn"} <= wanted
    assert not {"phonetic", "initials_dob"} & wanted
    assert find_duplicates(records) == find_duplicates(every)
    assert len(find_duplicates(records)) > 50
