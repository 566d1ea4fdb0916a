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
from typing import NamedTuple

from casestd.dedup.key_table import CHILD_RECORD_KEY, KEYS, describe
from casestd.dedup.names import (
    name_key,
    patronymic_code,
    phonetic_code,
    split_patronymic,
)
from casestd.model.common import Person
from casestd.model.trafficking_victim import TraffickingVictim
from casestd.normalise import birth_certificate, id_card, partial_date, passport, phone, psn

#: The keys `keys` makes, in table order: all but the record's own cross-reference.
_MADE = tuple(name for name in KEYS if name != CHILD_RECORD_KEY)
_ALL_MADE = frozenset(_MADE)
#: A one-letter-deleted name key shorter than this proposes too many typos.
_SHORTEST_VARIANT = 3


class _Birth(NamedTuple):
    """The texts of a birth date that the keys read, made once per date (`_birth`)."""

    #: ``YYYY``
    year: str
    #: the year, and its neighbours when the date is estimated
    years: tuple[str, ...]
    #: ``YYYY-MM``, None when estimated or without a month
    month: str | None
    #: ``YYYY-MM-DD``, None when estimated or partial
    date: str | None
    #: ``YYYY-low/high`` of month and day, for a full date
    unordered: str | None
    #: ``YYYY-MM|D_`` and ``YYYY-MM|_D``: each digit of the day, for a full date
    days: tuple[str, str] | None


@functools.lru_cache(maxsize=1 << 16)
def _birth(value: str, estimated: bool) -> _Birth:
    """The `_Birth` of a birth date's value: dates repeat, so it is remembered."""
    year, month, day = partial_date.parts(value)
    years = tuple(f"{year + step:04d}" for step in ((-1, 0, 1) if estimated else (0,)))
    month_text = None if estimated or month is None else f"{year:04d}-{month:02d}"
    if month_text is None or month is None or day is None:
        return _Birth(f"{year:04d}", years, month_text, None, None, None)
    low, high = sorted((month, day))
    days = (f"{month_text}|{day // 10}_", f"{month_text}|_{day % 10}")
    unordered = f"{year:04d}-{low:02d}/{high:02d}"
    return _Birth(f"{year:04d}", years, month_text, f"{month_text}-{day:02d}", unordered, days)


def _birth_of(person: Person) -> _Birth | None:
    birth = person.birth_date
    return None if birth is None else _birth(birth.value, birth.estimated)


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


@functools.lru_cache(maxsize=1 << 16)
def phone_key(value: str) -> str | None:
    """The ``phone`` key value: the number in E.164 (`casestd.normalise.phone.compact`),
    None when it is not a phone number. Remembered: parsing a number is slow, and the
    records of one person repeat it."""
    try:
        return phone.compact(value)
    except ValueError:
        return None


class _Name(NamedTuple):
    """The parts of a `PersonName` that the name keys read."""

    given: str | None
    family: str | None
    patronymic: str | None


def _patronymic_free(text: str, patronymics: frozenset[str]) -> list[str]:
    return split_patronymic(text, patronymics, lone_is_name=False)[0]


def _own_patronymics(names: Iterable[_Name]) -> frozenset[str]:
    """The keys of the patronymics a record gives in its patronymic fields."""
    return frozenset(
        key for name in names if name.patronymic and (key := name_key(name.patronymic))
    )


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


def _full_names(names: Iterable[_Name]) -> Iterator[tuple[str, str, str, str]]:
    """Family and given name as written, and their keys, of each name with both."""
    for name in names:
        if name.family and name.given:
            family, given = name_key(name.family), name_key(name.given)
            if family and given:
                yield name.family, name.given, family, given


def _cleaned_pairs(names: Iterable[_Name], patronymics: frozenset[str]) -> set[tuple[str, str]]:
    pairs = set()
    for name in names:
        if not (name.family and name.given):
            continue
        family = _patronymic_free(name.family, patronymics)
        given = _patronymic_free(name.given, patronymics)[:1]
        if family and given:
            pairs.add((name_key(" ".join(family)), name_key(given[0])))
    return pairs


class _Pair(NamedTuple):
    """The texts of one (family, given) pair of name keys that the keys read (`_pair`)."""

    family: str
    given: str
    #: ``family|given``
    base: str
    #: the two keys in alphabetical order, ``low|high``
    swapped: str
    #: ``code|code``: the `phonetic_code` of each
    codes: str
    #: the first letter of each code
    initials: str


@functools.lru_cache(maxsize=1 << 17)
def _pair(family: str, given: str) -> _Pair:
    """The `_Pair` of two name keys: pairs repeat, so it is remembered."""
    low, high = sorted((family, given))
    family_code, given_code = phonetic_code(family), phonetic_code(given)
    return _Pair(
        family, given, f"{family}|{given}", f"{low}|{high}", f"{family_code}|{given_code}",
        f"{family_code[:1]}{given_code[:1]}",
    )  # fmt: skip


#: What `_names` reads of a person's names: (given, family, patronymic) of each.
_Signature = tuple[tuple[str | None, str | None, str | None], ...]


class _Names:
    """What the keys read of a person's names, made once per `_Signature` (`_names`).

    The parts other than the pairs are made when first asked for: a caller that
    asks for a few keys pays for those only.
    """

    __slots__ = (
        "_cleaned", "_parts", "_patronymics", "_typos", "_year_pairs", "full", "names", "own",
        "pairs",
    )  # fmt: skip

    def __init__(self, signature: _Signature) -> None:
        self.names = tuple(map(_Name._make, signature))
        #: family and given name as written, and their keys, of each name with both
        self.full = tuple(_full_names(self.names))
        #: the `_Pair` of the keys of each name with both
        self.pairs = tuple({_pair(family, given) for _, _, family, given in self.full})
        #: the keys of the patronymics the patronymic fields give
        self.own = _own_patronymics(self.names)
        self._cleaned: tuple[_Pair, ...] | None = None
        self._parts: tuple[tuple[str, ...], tuple[str, ...]] | None = None
        self._typos: tuple[str, ...] | None = None
        self._patronymics: frozenset[str] | None = None
        self._year_pairs: tuple[_Pair, ...] | None = None

    def cleaned(self) -> tuple[_Pair, ...]:
        """The pairs with the patronymics written in the name fields taken out."""
        if self._cleaned is None:
            self._cleaned = tuple(_pair(f, g) for f, g in _cleaned_pairs(self.names, self.own))
        return self._cleaned

    def year_pairs(self) -> tuple[_Pair, ...]:
        """The pairs the year keys read: those of the names and the cleaned ones."""
        if self._year_pairs is None:
            self._year_pairs = tuple(dict.fromkeys((*self.pairs, *self.cleaned())))
        return self._year_pairs

    def parts(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The keys of the given names and of the family names, each on its own."""
        if self._parts is None:
            names = self.names
            given = {key for name in names if name.given and (key := name_key(name.given))}
            family = {key for name in names if name.family and (key := name_key(name.family))}
            self._parts = tuple(given), tuple(family)
        return self._parts

    def typos(self) -> tuple[str, ...]:
        """``family|given`` with one name one letter off (`_deletions`), in each form."""
        if self._typos is None:
            found: set[str] = set()
            for written_family, written_given, family, given in self.full:
                found.update([f"{v}|{given}" for v in _deletions(written_family)])
                found.update([f"{family}|{v}" for v in _deletions(written_given)])
            self._typos = tuple(found)
        return self._typos

    def patronymics(self) -> frozenset[str]:
        """The codes of the patronymics of the fields and of those written in the name fields."""
        if self._patronymics is None:
            found = set()
            for name in self.names:
                if name.patronymic:
                    found.add(patronymic_code(name.patronymic))
                for part in (name.given, name.family):
                    if part:
                        words = split_patronymic(part, self.own)[1]
                        found.update(patronymic_code(word) for word in words)
            found.discard("")
            self._patronymics = frozenset(found)
        return self._patronymics


@functools.lru_cache(maxsize=1 << 17)
def _names(signature: _Signature) -> _Names:
    """The `_Names` of a signature: names repeat across records, so it is remembered."""
    return _Names(signature)


def _names_of(person: Person) -> _Names:
    return _names(tuple([(name.given, name.family, name.patronymic) for name in person.names]))


def _full_date_keys(
    names: _Names, birth: _Birth, date: str, found: dict[str, set[str]], wanted: frozenset[str]
) -> None:
    if not wanted & (_FULL_DATE_KEYS - {"name_dob"}):  # the linkage of the indicators
        found["name_dob"].update([f"{pair.base}|{date}" for pair in names.pairs])
        return
    assert birth.days is not None
    day_tens, day_units = birth.days
    unordered = birth.unordered
    for pair in names.pairs:
        base = pair.base
        found["name_dob"].add(f"{base}|{date}")
        found["name_pair_dob"].add(f"{pair.swapped}|{date}")
        found["name_dob_day"].update((f"{base}|{day_tens}", f"{base}|{day_units}"))
        if unordered:
            found["name_dob_swapped"].add(f"{base}|{unordered}")
        found["initials_dob"].add(f"{pair.initials}|{date}")


def _year_keys(sex: str, names: _Names, birth: _Birth, found: dict[str, set[str]]) -> None:
    month = birth.month
    years = birth.years
    for pair in names.year_pairs():
        base = pair.base
        if month:
            found["name_dob_ym"].add(f"{base}|{month}")
        found["name_yob"].add(f"{base}|{birth.year}")
        for year in years:
            found["name_yob_near"].add(f"{base}|{year}")
            found["name_swapped"].add(f"{pair.swapped}|{year}")
            found["phonetic"].add(f"{pair.codes}|{year}")
            found["given_yob"].add(f"{sex}|{pair.given}|{year}")
            found["family_yob"].add(f"{sex}|{pair.family}|{year}")


#: The keys `_full_date_keys` writes, and those `_year_keys` writes.
_FULL_DATE_KEYS = frozenset(
    {"name_dob", "name_pair_dob", "name_dob_day", "name_dob_swapped", "initials_dob"}
)
_YEAR_KEYS = frozenset(
    {"name_dob_ym", "name_yob", "name_yob_near", "name_swapped", "phonetic", "given_yob",
     "family_yob"}
)  # fmt: skip


def _name_keys(person: Person, found: dict[str, set[str]], wanted: frozenset[str]) -> None:
    birth = _birth_of(person)
    if birth is None and "patronymic" not in wanted:
        return
    names = _names_of(person)
    if "patronymic" in wanted:  # the one key of the names that needs no birth date
        found["patronymic"].update(names.patronymics())
    if birth is None:
        return
    date = birth.date
    if date:
        found["dob"].add(date)
        if wanted & _FULL_DATE_KEYS:
            _full_date_keys(names, birth, date, found, wanted)
        if wanted & {"given_dob", "family_dob"}:  # one name part is enough for these
            given, family = names.parts()
            found["given_dob"].update([f"{key}|{date}" for key in given])
            found["family_dob"].update([f"{key}|{date}" for key in family])
        if "name_typo_dob" in wanted:
            sex = person.sex
            found["name_typo_dob"].update([f"{sex}|{middle}|{date}" for middle in names.typos()])
        if "family_patronymic_free" in wanted:
            found["family_patronymic_free"].update([f"{p.base}|{date}" for p in names.cleaned()])
    if wanted & _YEAR_KEYS:
        _year_keys(person.sex, names, birth, found)


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
    wanted = _ALL_MADE if only is None else frozenset(only)
    if not wanted <= _ALL_MADE:
        raise ValueError(f"unknown key(s): {', '.join(sorted(wanted - _ALL_MADE))}")
    person = _person(record)
    found: dict[str, set[str]] = {name: set() for name in _MADE}
    for identifier in person.identifiers:
        pair = identifier_key(identifier.type, identifier.value, identifier.issuing_country)
        if pair is not None and pair[1]:
            found[pair[0]].add(pair[1])
            if pair[0] == "psn" and "psn_near" in wanted:
                found["psn_near"].update(_near(pair[1]))
    _name_keys(person, found, wanted)
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
