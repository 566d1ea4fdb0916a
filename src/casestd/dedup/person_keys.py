"""Match keys of a person, to find the same person across districts, scripts and agencies.

`keys` takes a typed `~casestd.model.child.Child`, a
`~casestd.model.family.FamilyMember`, a
`~casestd.model.trafficking_victim.VictimPerson` or
`~casestd.model.trafficking_victim.TraffickingVictim` (its ``.person``), or any
casestd `~casestd.model.common.Person`, and returns ``dict[str, frozenset[str]]``:
key name -> the set of values. A set, because a person written in several
scripts (``names`` holds one entry per script), with several phones or with
an estimated birth year gives several values; the same person in any script
gives the same values. Two records *share* a key name when their value sets
for it intersect (`matching_keys`). A key name is left out when the record
lacks what it needs.

The keys, from the most precise to the most tolerant, as the key table
(`casestd.dedup.key_table`, ``data/keys.json``) describes them; the list is
made from it (``child_record`` is added by `casestd.dedup.record_keys`):

KEY TABLE

Only ``given``, ``family`` and ``patronymic`` of each name are used:
``other_names`` (nicknames) are not, and only the ``patronymic`` key reads the
patronymic field. Records without a birth date
get no name key at all: a name alone is too common to propose a match.

Values are normalised, never raw names, but they are still personal data
(a name key says the name, a date is a date): protect them with
`casestd.dedup.protect` before they leave the agency.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from casestd.dedup.key_table import CHILD_RECORD_KEY, KEYS, describe
from casestd.dedup.names import (
    name_key,
    patronymic_code,
    phonetic_code,
    split_patronymic,
)
from casestd.model.common import Person, PersonName
from casestd.model.trafficking_victim import TraffickingVictim
from casestd.normalise import birth_certificate, id_card, partial_date, passport, phone, psn

#: The keys `keys` makes, in table order: all but the record's own cross-reference.
_MADE = tuple(name for name in KEYS if name != CHILD_RECORD_KEY)
#: A one-letter-deleted name key shorter than this proposes too many typos.
_SHORTEST_VARIANT = 3


@dataclass(frozen=True)
class _Birth:
    year: int
    month: int | None
    day: int | None
    estimated: bool

    @classmethod
    def read(cls, person: Person) -> _Birth | None:
        if person.birth_date is None:
            return None
        year, month, day = partial_date.parts(person.birth_date.value)
        return cls(year, month, day, person.birth_date.estimated)

    def years(self) -> tuple[str, ...]:
        spread = (-1, 0, 1) if self.estimated else (0,)
        return tuple(f"{self.year + step:04d}" for step in spread)

    def month_text(self) -> str | None:
        if self.estimated or self.month is None:
            return None
        return f"{self.year:04d}-{self.month:02d}"

    def date_text(self) -> str | None:
        month = self.month_text()
        return None if month is None or self.day is None else f"{month}-{self.day:02d}"

    def unordered(self) -> str | None:
        if self.date_text() is None or self.month is None or self.day is None:
            return None
        low, high = sorted((self.month, self.day))
        return f"{self.year:04d}-{low:02d}/{high:02d}"


def _person(record: object) -> Person:
    if isinstance(record, TraffickingVictim):
        return record.person
    if isinstance(record, Person):
        return record
    raise TypeError(f"keys() needs a casestd person record, not {type(record).__name__}")


def passport_key(number: str, country: str) -> str:
    """The ``passport`` key value: ``COUNTRY:NUMBER``, the number `passport.compact`-ed;
    ``""`` when the number has no letter or digit.

    >>> passport_key("ab 1234567", "am")
    'AM:AB1234567'
    """
    compact = passport.compact(number)
    return f"{country.upper()}:{compact}" if compact else ""


def identifier_key(kind: str, value: str, country: str | None = None) -> tuple[str, str] | None:
    """(key name, value) of an identifier of type ``kind``; None for a type no key reads.

    The value is the `casestd.normalise` compact form; an Armenian ``passport``
    without ``country`` is ``AM``, a ``foreign_passport`` ``XX``.

    >>> identifier_key("social_card_number", "123-456-7890")
    ('psn', '1234567890')
    >>> identifier_key("birth_certificate", "II-ԱՄ 123456")
    ('birth_certificate', 'IIAM123456')
    """
    if kind in psn.TYPES:
        return "psn", psn.compact(value)
    if kind in passport.TYPES:
        return "passport", passport_key(value, country or ("AM" if kind == "passport" else "XX"))
    if kind == "id_card":
        return kind, id_card.compact(value)
    if kind == "birth_certificate":
        return kind, birth_certificate.compact(value)
    return None


def phone_key(value: str) -> str | None:
    """The ``phone`` key value: the number in E.164 (`casestd.normalise.phone.compact`),
    None when it is not a phone number."""
    try:
        return phone.compact(value)
    except ValueError:
        return None


def _patronymic_free(text: str, patronymics: frozenset[str]) -> list[str]:
    return split_patronymic(text, patronymics, lone_is_name=False)[0]


def _own_patronymics(names: Iterable[PersonName]) -> frozenset[str]:
    """The keys of the patronymics a record gives in its patronymic fields."""
    return frozenset(
        key for name in names if name.patronymic and (key := name_key(name.patronymic))
    )


def _patronymics(names: list[PersonName]) -> set[str]:
    """The codes of the patronymics of the fields and of those written in the name fields."""
    own = _own_patronymics(names)
    found = set()
    for name in names:
        if name.patronymic:
            found.add(patronymic_code(name.patronymic))
        for part in (name.given, name.family):
            if part:
                found.update(patronymic_code(word) for word in split_patronymic(part, own)[1])
    found.discard("")
    return found


def _near(number: str) -> set[str]:
    """Values that two numbers one mistyped digit or one swap apart share."""
    masked = {f"{number[:i]}_{number[i + 1 :]}" for i in range(len(number))}
    return masked | {"sorted:" + "".join(sorted(number))}


@functools.lru_cache(maxsize=1 << 17)
def _deletions(text: str) -> frozenset[str]:
    """The name key of ``text`` and of each form of it with one letter deleted.

    Two spellings one typo apart (a letter wrong, missing, added, or two
    swapped) share one of these keys, whichever script the other record uses.
    Variants shorter than three letters are left out: Ani and Anna would meet
    at ``an``.

    >>> sorted(_deletions("Nacira") & _deletions("Նաիրա"))
    ['nayra']
    >>> _deletions("Ani") & _deletions("Anna")
    frozenset()
    """
    found = {name_key(text)}
    for i in range(len(text)):
        if text[i].isalpha():
            variant = name_key(text[:i] + text[i + 1 :])
            if len(variant) >= _SHORTEST_VARIANT:
                found.add(variant)
    found.discard("")
    return frozenset(found)


def _typo_keys(person: Person, date: str, found: dict[str, set[str]]) -> None:
    sex = person.sex
    for written_family, written_given, family, given in _full_names(person.names):
        found["name_typo_dob"].update(
            f"{sex}|{v}|{given}|{date}" for v in _deletions(written_family)
        )
        found["name_typo_dob"].update(
            f"{sex}|{family}|{v}|{date}" for v in _deletions(written_given)
        )


def _full_names(names: Iterable[PersonName]) -> Iterator[tuple[str, str, str, str]]:
    """Family and given name as written, and their keys, of each name with both."""
    for name in names:
        if name.family and name.given:
            family, given = name_key(name.family), name_key(name.given)
            if family and given:
                yield name.family, name.given, family, given


def _name_pairs(names: Iterable[PersonName]) -> set[tuple[str, str]]:
    return {(family, given) for _, _, family, given in _full_names(names)}


def _cleaned_pairs(names: list[PersonName]) -> set[tuple[str, str]]:
    patronymics = _own_patronymics(names)
    pairs = set()
    for name in names:
        if not (name.family and name.given):
            continue
        family = _patronymic_free(name.family, patronymics)
        given = _patronymic_free(name.given, patronymics)[:1]
        if family and given:
            pairs.add((name_key(" ".join(family)), name_key(given[0])))
    return pairs


def _full_date_keys(
    pairs: set[tuple[str, str]],
    birth: _Birth,
    date: str,
    found: dict[str, set[str]],
    wanted: frozenset[str],
) -> None:
    assert birth.day is not None
    if not wanted & (_FULL_DATE_KEYS - {"name_dob"}):  # the linkage of the indicators
        found["name_dob"].update(f"{family}|{given}|{date}" for family, given in pairs)
        return
    month = date[:7]
    unordered = birth.unordered()
    for family, given in pairs:
        base = f"{family}|{given}"
        low, high = sorted((family, given))
        found["name_dob"].add(f"{base}|{date}")
        found["name_pair_dob"].add(f"{low}|{high}|{date}")
        found["name_dob_day"].add(f"{base}|{month}|{birth.day // 10}_")
        found["name_dob_day"].add(f"{base}|{month}|_{birth.day % 10}")
        if unordered:
            found["name_dob_swapped"].add(f"{base}|{unordered}")
        initials = f"{phonetic_code(family)[:1]}{phonetic_code(given)[:1]}"
        found["initials_dob"].add(f"{initials}|{date}")


def _year_keys(
    sex: str, pairs: set[tuple[str, str]], birth: _Birth, found: dict[str, set[str]]
) -> None:
    month = birth.month_text()
    years = birth.years()
    for family, given in pairs:
        base = f"{family}|{given}"
        low, high = sorted((family, given))
        codes = f"{phonetic_code(family)}|{phonetic_code(given)}"
        if month:
            found["name_dob_ym"].add(f"{base}|{month}")
        found["name_yob"].add(f"{base}|{birth.year:04d}")
        for year in years:
            found["name_yob_near"].add(f"{base}|{year}")
            found["name_swapped"].add(f"{low}|{high}|{year}")
            found["phonetic"].add(f"{codes}|{year}")
            found["given_yob"].add(f"{sex}|{given}|{year}")
            found["family_yob"].add(f"{sex}|{family}|{year}")


#: The keys `_full_date_keys` writes, and those `_year_keys` writes.
_FULL_DATE_KEYS = frozenset(
    {"name_dob", "name_pair_dob", "name_dob_day", "name_dob_swapped", "initials_dob"}
)
_YEAR_KEYS = frozenset(
    {"name_dob_ym", "name_yob", "name_yob_near", "name_swapped", "phonetic", "given_yob",
     "family_yob"}
)  # fmt: skip


def _name_keys(person: Person, found: dict[str, set[str]], wanted: frozenset[str]) -> None:
    birth = _Birth.read(person)
    if birth is None:
        return
    pairs = _name_pairs(person.names)
    cleaned = (
        _cleaned_pairs(person.names)
        if wanted & (_YEAR_KEYS | {"family_patronymic_free"})
        else set()
    )
    date = birth.date_text()
    if date:
        found["dob"].add(date)
        if wanted & _FULL_DATE_KEYS:
            _full_date_keys(pairs, birth, date, found, wanted)
        if wanted & {"given_dob", "family_dob"}:
            for name in person.names:  # one name part is enough for these
                if name.given and (given := name_key(name.given)):
                    found["given_dob"].add(f"{given}|{date}")
                if name.family and (family := name_key(name.family)):
                    found["family_dob"].add(f"{family}|{date}")
        if "name_typo_dob" in wanted:
            _typo_keys(person, date, found)
        found["family_patronymic_free"].update(f"{f}|{g}|{date}" for f, g in cleaned)
    if wanted & _YEAR_KEYS:
        _year_keys(person.sex, pairs | cleaned, birth, found)


def keys(
    record: Person | TraffickingVictim, only: Collection[str] | None = None
) -> dict[str, frozenset[str]]:
    """The match keys of a person record: key name -> set of values.

    ``record`` is a Child, FamilyMember, VictimPerson, TraffickingVictim (its
    ``.person``) or any casestd Person; anything else raises TypeError. Key
    names come in the order of the key table; one whose values would be empty is
    left out. ``only``: compute just these keys, for a caller that links on a
    few cheap ones over many records; the typo and year keys cost most.

    >>> person = Person.model_validate({
    ...     "names": [{"given": "Ани", "family": "Петросян", "script": "cyrl"},
    ...               {"given": "Ani", "family": "Petrossian", "script": "latn"}],
    ...     "sex": "female", "birth_date": {"value": "2015-04-03"}})
    >>> sorted(keys(person)["name_dob"])
    ['petrosyan|ani|2015-04-03']
    >>> sorted(keys(person)["name_dob_swapped"])
    ['petrosyan|ani|2015-03/04']
    """
    wanted = frozenset(_MADE if only is None else only)
    if not wanted <= set(_MADE):
        raise ValueError(f"unknown key(s): {', '.join(sorted(wanted - set(_MADE)))}")
    person = _person(record)
    found: dict[str, set[str]] = {name: set() for name in _MADE}
    for identifier in person.identifiers:
        pair = identifier_key(identifier.type, identifier.value, identifier.issuing_country)
        if pair is not None and pair[1]:
            found[pair[0]].add(pair[1])
            if pair[0] == "psn" and "psn_near" in wanted:
                found["psn_near"].update(_near(pair[1]))
    _name_keys(person, found, wanted)
    if "patronymic" in wanted:
        found["patronymic"].update(_patronymics(person.names))
    for contact in person.contacts if "phone" in wanted else ():
        if contact.system == "phone" and (number := phone_key(contact.value)):
            found["phone"].add(number)
    return {name: frozenset(values) for name, values in found.items() if values and name in wanted}


def matching_keys(
    first: Mapping[str, Iterable[str]], second: Mapping[str, Iterable[str]]
) -> frozenset[str]:
    """The key names under which two key sets (plain or protected) share a value.

    >>> sorted(matching_keys({"psn": {"1", "2"}, "phone": {"3"}}, {"psn": {"2"}, "phone": {"4"}}))
    ['psn']
    """
    return frozenset(
        name for name, values in first.items() if name in second and set(values) & set(second[name])
    )


__doc__ = (__doc__ or "").replace("KEY TABLE\n", describe(_MADE) + "\n")
