"""keys(): the same person meets across scripts, districts and agencies; different people don't."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from casestd import testing
from casestd.dedup import keys, matching_keys, person_keys, record_keys
from casestd.dedup.key_table import CANDIDATE_KEYS, KEY_NOTES
from casestd.dedup.names import patronymic_code
from casestd.model.child import Child
from casestd.model.common import Person
from casestd.model.family import Family, FamilyMember
from casestd.model.trafficking_victim import TraffickingVictim

from factories import child, family, trafficking_victim

ARMN = {"given": "Անի", "family": "Պետրոսյան", "script": "armn"}
CYRL = {"given": "Ани", "family": "Петросян", "script": "cyrl"}
LATN = {"given": "Ani", "family": "Petrossian", "script": "latn"}
NAME_KEYS = {
    "name_dob",
    "name_pair_dob",
    "name_typo_dob",
    "name_dob_day",
    "name_dob_ym",
    "name_yob",
    "name_yob_near",
    "given_yob",
    "family_yob",
    "name_dob_swapped",
    "name_swapped",
    "family_patronymic_free",
    "phonetic",
    "given_dob",
    "family_dob",
    "initials_dob",
    "dob",
}


def a_child(
    names: list[dict[str, str]], born: str = "2015-04-03", estimated: bool = False, **extra: Any
) -> Child:
    """A child from the factory with these names and birth date."""
    payload = child()
    payload["names"] = names
    payload["birth_date"] = {"value": born, "estimated": estimated}
    payload.update(extra)
    return Child.model_validate(payload)


def a_member(
    names: list[dict[str, str]], born: str | None = "2015-04-03", **extra: Any
) -> FamilyMember:
    """A family member (a daughter) with these names and birth date."""
    payload: dict[str, Any] = {"names": names, "sex": "female", "relationship": "daughter"}
    if born is not None:
        payload["birth_date"] = {"value": born}
    payload.update(extra)
    return FamilyMember.model_validate(payload)


def a_victim(
    names: list[dict[str, str]], born: str = "2015-04-03", **extra: Any
) -> TraffickingVictim:
    """A trafficking victim record whose person has these names and birth date."""
    payload = trafficking_victim()
    payload["person"].update({"names": names, "birth_date": {"value": born}, **extra})
    return TraffickingVictim.model_validate(payload)


PSN = [{"type": "public_service_number", "value": "1234567890"}]
OLD_PSN = [{"type": "social_card_number", "value": "1234567890"}]
PHONE = [{"system": "phone", "value": "+37491123456"}]


def test_same_person_in_two_scripts_and_districts() -> None:
    kentron = a_child([ARMN, LATN], identifiers=PSN, contacts=PHONE)
    shengavit = a_member([CYRL], identifiers=OLD_PSN, contacts=PHONE)
    shared = matching_keys(keys(kentron), keys(shengavit))
    assert shared == {"psn", "psn_near", "phone", *NAME_KEYS}


def test_a_record_with_several_scripts_gives_the_values_of_one() -> None:
    found = keys(a_child([ARMN, CYRL, LATN]))
    assert set(found) == NAME_KEYS
    armenian = keys(a_child([ARMN]))
    typos = found.pop("name_typo_dob")
    assert typos >= armenian.pop("name_typo_dob")  # letters deleted from each spelling
    assert found == armenian
    assert found["name_dob"] == {"petrosyan|ani|2015-04-03"}
    assert found["name_dob_day"] == {"petrosyan|ani|2015-04|0_", "petrosyan|ani|2015-04|_3"}


def test_victim_and_its_person_give_the_same_keys() -> None:
    victim = a_victim([CYRL], identifiers=[{"type": "passport", "value": "AN1234567"}])
    assert keys(victim) == keys(victim.person)
    assert keys(victim)["passport"] == {"AM:AN1234567"}
    member = a_member([LATN])
    assert matching_keys(keys(victim), keys(member)) == NAME_KEYS


def test_passport_of_armenia_meets_a_foreign_passport_issued_by_armenia() -> None:
    home = a_member([LATN], identifiers=[{"type": "passport", "value": "AN1234567"}])
    abroad = a_member(
        [LATN],
        identifiers=[{"type": "foreign_passport", "value": "AN1234567", "issuing_country": "AM"}],
    )
    assert "passport" in matching_keys(keys(home), keys(abroad))


def test_day_and_month_swapped() -> None:
    first, second = keys(a_child([ARMN], "2015-04-03")), keys(a_child([LATN], "2015-03-04"))
    shared = matching_keys(first, second)
    assert {"name_dob_swapped", "name_yob", "name_swapped", "phonetic"} <= shared
    assert not {"name_dob", "name_dob_ym", "family_patronymic_free"} & shared


def test_estimated_year_meets_a_neighbouring_year() -> None:
    estimated = keys(a_child([CYRL], "2014", estimated=True))
    exact = keys(a_child([LATN], "2015-04-03"))
    assert estimated["name_yob"] == {"petrosyan|ani|2014"}
    assert estimated["name_yob_near"] == {
        "petrosyan|ani|2013",
        "petrosyan|ani|2014",
        "petrosyan|ani|2015",
    }
    assert not {"name_dob", "name_dob_ym", "name_dob_swapped", "name_typo_dob"} & set(estimated)
    assert matching_keys(estimated, exact) == {
        "name_yob_near",
        "name_swapped",
        "phonetic",
        "given_yob",
        "family_yob",
    }
    two_off = keys(a_child([LATN], "2016-04-03"))
    assert not matching_keys(keys(a_child([CYRL], "2014")), two_off)


def test_given_and_family_swapped() -> None:
    swapped = {"given": "Petrosyan", "family": "Ani", "script": "latn"}
    shared = matching_keys(keys(a_child([ARMN])), keys(a_child([swapped])))
    assert shared - CANDIDATE_KEYS == {"name_swapped", "name_pair_dob"}


def test_patronymic_written_in_the_given_name() -> None:
    with_patronymic = {"given": "Ани Арменовна", "family": "Петросян", "script": "cyrl"}
    shared = matching_keys(keys(a_child([LATN])), keys(a_child([with_patronymic])))
    assert "family_patronymic_free" in shared
    assert "name_dob" not in shared
    armenian = {**ARMN, "given": "Անի Արմենի", "patronymic": "Արմենի"}
    assert "family_patronymic_free" in matching_keys(
        keys(a_child([LATN])), keys(a_child([armenian]))
    )


def test_different_people_differ() -> None:
    ani = keys(a_child([LATN]))
    sister = keys(a_child([{**LATN, "given": "Mariam"}]))
    assert not matching_keys(ani, sister) - CANDIDATE_KEYS
    namesake_born_later = keys(a_child([LATN], "2017-09-21"))
    assert not matching_keys(ani, namesake_born_later)
    other_family = keys(a_child([{**LATN, "family": "Petrov"}]))
    assert not matching_keys(ani, other_family) - CANDIDATE_KEYS
    ohanyan = {"given": "Ani", "family": "Ohanyan", "script": "latn"}
    hovhannisyan = {"given": "Ani", "family": "Hovhannisyan", "script": "latn"}
    shared = matching_keys(keys(a_child([ohanyan])), keys(a_child([hovhannisyan])))
    assert not shared - CANDIDATE_KEYS


def test_ani_and_anna_meet_only_on_candidate_keys() -> None:
    anna = keys(a_child([{**LATN, "given": "Anna"}]))
    shared = matching_keys(keys(a_child([LATN])), anna)
    assert "phonetic" in shared
    assert shared <= CANDIDATE_KEYS


def test_records_without_birth_date_have_no_name_keys() -> None:
    found = keys(a_member([LATN], born=None, identifiers=PSN))
    assert set(found) == {"psn", "psn_near"}


def test_values_are_normalised_not_raw() -> None:
    record = a_child(
        [ARMN, CYRL],
        identifiers=[*PSN, {"type": "birth_certificate", "value": "ԱԲ 123456"}],
        contacts=PHONE,
    )
    found = keys(record)
    assert found["birth_certificate"] == {"AB123456"}
    for values in found.values():
        for value in values:
            assert value.isascii()
            assert re.fullmatch(r"[a-z0-9|/+:A-Z_-]+", value)
            for raw in ("Պետրոսյան", "Петросян", "Անի", "Ани"):
                assert raw not in value


def test_the_module_doc_lists_the_key_table() -> None:
    doc = " ".join((person_keys.__doc__ or "").split())
    for name, note in KEY_NOTES.items():
        if name != "child_record":  # made by record_keys, not by keys
            assert f"``{name}`` {note}" in doc


def test_family_is_not_a_person() -> None:
    with pytest.raises(TypeError, match="Family"):
        keys(Family.model_validate(family()))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        keys("Ani Petrosyan")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(testing.records("child"))
def test_generated_children(record: BaseModel) -> None:
    assert isinstance(record, Person)
    found = keys(record)
    assert set(found) <= set(KEY_NOTES)
    assert all(values and all(value.isascii() for value in values) for values in found.values())
    reordered = record.model_copy(update={"names": list(reversed(record.names))})
    assert keys(reordered) == found


def test_psn_near_meets_one_mistyped_or_swapped_digit() -> None:
    base = keys(
        a_child([LATN], identifiers=[{"type": "public_service_number", "value": "1234567890"}])
    )
    for typo in ("1234567891", "1234567980", "0234567890"):
        other = keys(
            a_child([LATN], identifiers=[{"type": "public_service_number", "value": typo}])
        )
        assert "psn_near" in matching_keys(base, other)
        assert "psn" not in matching_keys(base, other)
    far = keys(
        a_child([LATN], identifiers=[{"type": "public_service_number", "value": "1234569980"}])
    )
    assert "psn_near" not in matching_keys(base, far)


def test_one_name_part_and_the_date_survive_a_new_family_name() -> None:
    married = keys(a_child([{"given": "Ani", "family": "Sargsyan", "script": "latn"}]))
    maiden = keys(a_child([LATN]))
    shared = matching_keys(married, maiden)
    assert {"given_dob", "dob"} <= shared
    assert "name_dob" not in shared and "family_dob" not in shared


@pytest.mark.parametrize(
    ("written", "mistyped"),
    [
        ({"given": "Narek", "family": "Petrosyan"}, {"given": "Naerk", "family": "Petrosyan"}),
        ({"given": "Mariam", "family": "Petrosyan"}, {"given": "Marian", "family": "Petrosyan"}),
        ({"given": "Ani", "family": "Petrosyan"}, {"given": "Ani", "family": "Petrosyn"}),
        ({"given": "Ani", "family": "Petrosyan"}, {"given": "Ani", "family": "Petrosyam"}),
    ],
)
def test_one_typo_in_one_name_meets_on_name_typo_dob(
    written: dict[str, str], mistyped: dict[str, str]
) -> None:
    first = keys(a_child([{**written, "script": "latn"}]))
    second = keys(a_child([{**mistyped, "script": "latn"}]))
    assert "name_dob" not in matching_keys(first, second)
    assert "name_typo_dob" in matching_keys(first, second)


def test_a_typo_meets_across_scripts() -> None:
    armenian = keys(a_child([{"given": "Նարեկ", "family": "Պետրոսյան", "script": "armn"}]))
    latin = keys(a_child([{"given": "Naerk", "family": "Petrosyan", "script": "latn"}]))
    assert "name_typo_dob" in matching_keys(armenian, latin)


def test_typos_in_both_names_or_another_date_do_not_meet() -> None:
    ani = keys(a_child([LATN]))
    both = keys(a_child([{"given": "Anni", "family": "Petrosyn", "script": "latn"}]))
    assert "name_typo_dob" not in matching_keys(ani, both)
    later = keys(a_child([{**LATN, "family": "Petrosyn"}], "2015-04-04"))
    assert "name_typo_dob" not in matching_keys(ani, later)
    boy = keys(a_child([{**LATN, "family": "Petrosyn"}], sex="male"))
    assert "name_typo_dob" not in matching_keys(ani, boy)


@pytest.mark.parametrize(("day", "meets"), [("18", True), ("23", True), ("31", False)])
def test_one_mistyped_digit_of_the_day_meets_on_name_dob_day(day: str, meets: bool) -> None:
    first = keys(a_child([LATN], "2015-05-13"))
    second = keys(a_child([ARMN], f"2015-05-{day}"))
    assert ("name_dob_day" in matching_keys(first, second)) is meets
    assert "name_dob" not in matching_keys(first, second)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Արմենի", "Арменович"),
        ("Արմենի", "Armenovna"),
        ("Арменовна", "Armenovich"),
        ("Դավթի", "Давидович"),
        ("Ваагнович", "Vahagni"),
    ],
)
def test_a_patronymic_gives_one_code_in_every_form(one: str, other: str) -> None:
    assert patronymic_code(one) == patronymic_code(other) != ""


def test_different_fathers_give_different_patronymic_codes() -> None:
    assert patronymic_code("Արմենի") != patronymic_code("Арамович")
    assert patronymic_code("Давидович") != patronymic_code("Ваагнович")


def test_the_patronymic_key_reads_the_field_and_the_given_name() -> None:
    in_field = keys(a_child([{**ARMN, "patronymic": "Արմենի"}]))
    in_given = keys(a_child([{**CYRL, "given": "Ани Арменовна"}]))
    assert in_field["patronymic"] == in_given["patronymic"] == {patronymic_code("Արմեն")}
    assert "patronymic" not in keys(a_child([LATN]))


@pytest.mark.parametrize(
    "only",
    [
        ("psn", "name_dob"),
        ("name_dob", "name_dob_swapped"),
        ("name_typo_dob",),
        ("name_yob", "phonetic"),
        ("phone", "patronymic"),
    ],
)
def test_only_some_keys_are_those_keys_of_the_full_set(only: tuple[str, ...]) -> None:
    person = a_child([ARMN, LATN], identifiers=PSN, contacts=PHONE)
    full = keys(person)
    assert keys(person, only=only) == {name: full[name] for name in only if name in full}
    record = a_victim([LATN], identifiers=PSN)
    (limited,) = record_keys(record, only=only)
    (whole,) = record_keys(record)
    assert dict(limited.keys) == {k: v for k, v in whole.keys.items() if k in only}


def test_only_an_unknown_key_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown key"):
        keys(a_child([LATN]), only=("shoe_size",))


#: The caches of `casestd.dedup.person_keys`: names, name pairs, dates, typos, phones.
KEY_CACHES = (
    person_keys._names,
    person_keys._pair,
    person_keys._birth,
    person_keys._deletions,
    person_keys.phone_key,
)


def cold_keys(record: Person, only: tuple[str, ...] | None = None) -> dict[str, frozenset[str]]:
    """`keys` with every cache of person_keys emptied first: what no earlier record fed."""
    for cache in KEY_CACHES:
        cache.cache_clear()
    return keys(record, only=only)


ONLY = st.sampled_from([None, ("name_dob",), ("patronymic", "name_typo_dob"), ("name_yob",)])


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(testing.records("child"), testing.records("child"), ONLY)
def test_cached_and_uncached_keys_agree(first: Child, second: Child, only: Any) -> None:
    """A record whose names another record (of another sex, birth date, identifiers, and
    asked for other keys) has put in the caches gets the keys it gets from empty caches."""
    twin = second.model_copy(update={"names": first.names})
    expected = cold_keys(twin)
    cold_keys(first, only)  # the caches now hold the names, perhaps only some of their parts
    assert keys(twin) == expected
    assert keys(twin) == expected  # and again, all from the caches
    asked = {name: values for name, values in expected.items() if only is None or name in only}
    assert keys(twin, only=only) == asked


def test_names_with_the_same_parts_share_one_cache_entry() -> None:
    person_keys._names.cache_clear()
    first = keys(a_child([{**LATN, "patronymic": "Armenovna"}, ARMN]))
    other = keys(a_victim([{**LATN, "patronymic": "Armenovna"}, ARMN], "2001-02-03"))
    assert person_keys._names.cache_info().currsize == 1
    assert first["patronymic"] == other["patronymic"]
    assert first["name_dob"] != other["name_dob"]
