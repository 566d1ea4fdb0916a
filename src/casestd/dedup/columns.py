"""Flat, normalised columns of persons, for fuzzy record linkage (`casestd.dedup.linkage`).

A fuzzy matcher such as Splink compares strings; it cannot know that
Հովհաննիսյան, Оганесян and Hovhannisyan are one name. So every name goes
through `casestd.dedup.name_key` first and the matcher only ever sees keys.
`person_rows` turns casestd records into one flat row per person (a child,
each member of a family, the person of a trafficking victim record);
`rows_from_keys` does the same for plain dicts, for generated data and
benchmarks that have no typed records.

The columns (``COLUMNS``, each explained in ``COLUMN_NOTES``):

``unique_id``
    Where the person is: ``child/<uuid>``, ``family/<uuid>/members/<i>``
    (``i`` counts from 0 in the order of ``members``) or
    ``trafficking_victim/<uuid>``.
``family_key``, ``given_key``, ``patronymic_key``
    `name_key` of each name part. A person may carry several names, one per
    script; their keys are script-independent, so they normally coincide. When
    they do not (a typo in one script), the key most of the names agree on is
    taken, and on a tie the one of the earliest name in ``names``. Patronymic
    words written inside the given or family name fields (``Анна Арменовна``,
    or the record's own patronymic repeated) are removed from those fields and
    used as the patronymic when the patronymic field is empty.
    ``patronymic_key`` is the key of the *father's name*: the Russian endings
    (-ович, -евич, -овна, -евна, -ична) and the Armenian genitive -ի (-i) are
    cut off, so Արմենի, Арменович and Armen all give ``armen``.
``phonetic_family``
    `phonetic_code` of ``family_key``: the consonant skeleton, for blocking.
``birth_date``, ``birth_year``, ``birth_month``, ``birth_day``
    ``birth_date`` is ``YYYY-MM-DD`` for a full date that is not estimated;
    ``birth_year`` is always there when a birth date is (also for estimates);
    month and day only when known and not estimated. Integers.
``sex``
    The sex code; ``unknown`` becomes empty (null).
``psn``, ``passport``, ``birth_certificate``, ``id_card``
    The identifiers in the form of `casestd.dedup.keys`: the public service
    number's 10 digits, ``COUNTRY:NUMBER`` for passports, upper-case ASCII
    without separators for the other two. The first of each kind.
``phone``
    The person's first phone in E.164 (a family's household phone is not used:
    it joins everyone in the household).
``district``, ``region``
    The Yerevan district of the person's address (for a family member, the
    family's address); when there is no address, the district office that
    registered the record (``meta.district``). ``region`` is the ISO 3166-2:AM
    code of the address, ``AM-ER`` when only a Yerevan district is known.
``entity``
    ``child``, ``family`` or ``trafficking_victim``.

Empty values are ``None``. The rows hold keys, never raw names, but keys and
dates are still personal data: protect them (`casestd.dedup.protect`) before
they leave the agency.

>>> rows = rows_from_keys([
...     {"unique_id": "a", "given": "Անի", "family": "Պետրոսյան", "patronymic": "Արմենի",
...      "birth_date": "2015-04-03", "sex": "female"},
...     {"unique_id": "b", "given": ["Ани", "Ani"], "family": "Петросян",
...      "patronymic": "Арменовна", "birth_date": "2015-04-03", "sex": "female"}])
>>> [(row["family_key"], row["given_key"], row["patronymic_key"]) for row in rows]
[('petrosyan', 'ani', 'armen'), ('petrosyan', 'ani', 'armen')]
>>> rows[0]["birth_date"], rows[0]["birth_year"], rows[0]["phonetic_family"]
('2015-04-03', 2015, 'ptrsn')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from casestd.dedup.names import name_key, patronymic_key, phonetic_code, split_patronymic
from casestd.dedup.person_keys import identifier_key, passport_key, phone_key
from casestd.dedup.records import Held, holds_persons, persons
from casestd.model.child import Child
from casestd.model.common import Person, PersonName
from casestd.model.family import Family
from casestd.model.trafficking_victim import TraffickingVictim
from casestd.normalise import birth_certificate, id_card, partial_date, psn
from casestd.normalise.exceptions import InvalidFormat

#: A linkage row: column name -> value (str, int or None).
Row = dict[str, str | int | None]

#: What each column holds, in column order.
COLUMN_NOTES: Mapping[str, str] = MappingProxyType(
    {
        "unique_id": "child/<uuid>, family/<uuid>/members/<i> or trafficking_victim/<uuid>.",
        "family_key": "name_key of the family name (the one most of the person's names agree on).",
        "given_key": "name_key of the given name, patronymic words removed.",
        "patronymic_key": "name_key of the father's name: the patronymic without its Russian "
        "ending (-ович, -овна) or Armenian genitive -ի.",
        "phonetic_family": "phonetic_code of family_key (consonant skeleton).",
        "birth_date": "YYYY-MM-DD of a full, not estimated birth date.",
        "birth_year": "Year of birth, also of an estimated date (integer).",
        "birth_month": "Month of birth, when known and not estimated (integer).",
        "birth_day": "Day of birth, when known and not estimated (integer).",
        "sex": "Sex code; 'unknown' is null.",
        "psn": "Public service number, 10 digits (also from social_card_number).",
        "passport": "COUNTRY:NUMBER of the first passport (AM for an Armenian passport).",
        "birth_certificate": "Birth certificate number, upper-case ASCII without separators.",
        "id_card": "National ID card number, upper-case ASCII without separators.",
        "phone": "The person's first phone in E.164.",
        "district": "Yerevan district of the address, else of the registering office.",
        "region": "ISO 3166-2:AM region of the address; AM-ER when only a district is known.",
        "entity": "child, family or trafficking_victim.",
    }
)
#: The column names, in order.
COLUMNS: tuple[str, ...] = tuple(COLUMN_NOTES)
#: Columns holding integers; all others hold strings.
INTEGER_COLUMNS = frozenset({"birth_year", "birth_month", "birth_day"})

#: The keys `rows_from_keys` reads from each input dict.
INPUT_KEYS = frozenset(
    {
        "unique_id",
        "given",
        "family",
        "patronymic",
        "sex",
        "birth_date",
        "birth_date_estimated",
        "psn",
        "passport",
        "passport_country",
        "birth_certificate",
        "id_card",
        "phone",
        "district",
        "region",
        "entity",
    }
)

_YEREVAN = "AM-ER"
_IDENTIFIER_COLUMNS = ("psn", "passport", "birth_certificate", "id_card")


def _split_part(text: str, own: frozenset[str]) -> tuple[str, list[str]]:
    """The key of a name part without patronymic words, and the patronymic words found."""
    kept, found = split_patronymic(text, own)
    return name_key(" ".join(kept)), found


def _canonical(values: Iterable[str]) -> str | None:
    """The value most entries agree on; on a tie, the first seen. None when there is none."""
    counts = Counter(value for value in values if value)
    if not counts:
        return None
    best = max(counts.values())
    return next(value for value, count in counts.items() if count == best)


def _name_columns(
    givens: Sequence[str], families: Sequence[str], patronymics: Sequence[str]
) -> Row:
    own = frozenset(key for text in patronymics if (key := name_key(text)))
    given_keys: list[str] = []
    family_keys: list[str] = []
    inline: list[str] = []
    for texts, keys in ((givens, given_keys), (families, family_keys)):
        for text in texts:
            key, found = _split_part(text, own)
            keys.append(key)
            inline.extend(found)
    father = _canonical(patronymic_key(text) for text in [*patronymics, *inline])
    family = _canonical(family_keys)
    return {
        "family_key": family,
        "given_key": _canonical(given_keys),
        "patronymic_key": father,
        "phonetic_family": (phonetic_code(family) or None) if family else None,
    }


def _birth_columns(value: str | None, estimated: bool) -> Row:
    empty: Row = {"birth_date": None, "birth_year": None, "birth_month": None, "birth_day": None}
    if not value:
        return empty
    try:
        year, month, day = partial_date.parts(value.strip())
    except InvalidFormat:
        raise ValueError("birth_date must be YYYY, YYYY-MM or YYYY-MM-DD") from None
    except ValueError:
        raise ValueError("birth_date is not a calendar date") from None
    if estimated:
        month = day = None
    full = month is not None and day is not None
    return {
        "birth_date": f"{year:04d}-{month:02d}-{day:02d}" if full else None,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day if month is not None else None,
    }


def _passport(value: str | None, country: str | None) -> str | None:
    """The passport column of a ``NUMBER`` or ``COUNTRY:NUMBER`` text."""
    if not value:
        return None
    if ":" in value:
        country, value = value.split(":", 1)
    return passport_key(value, country or "AM") or None


def _identifiers(person: Person) -> Row:
    """The identifier columns: the key value of the first identifier of each kind."""
    found: Row = {}
    for identifier in person.identifiers:
        pair = identifier_key(identifier.type, identifier.value, identifier.issuing_country)
        if pair is not None:
            found.setdefault(pair[0], pair[1] or None)
    return {column: found.get(column) for column in _IDENTIFIER_COLUMNS}


def _place(district: str | None, region: str | None) -> Row:
    return {"district": district, "region": region or (_YEREVAN if district else None)}


def _row(unique_id: str, entity: str | None, names: Row, birth: Row, rest: Row) -> Row:
    row: Row = {"unique_id": unique_id, **names, **birth, **rest, "entity": entity}
    return {column: row.get(column) for column in COLUMNS}


def _texts(names: list[PersonName], part: str) -> list[str]:
    return [text for name in names if (text := getattr(name, part))]


def _person_row(held: Held) -> Row:
    person, address = held.person, held.address
    phone = next((c.value for c in person.contacts if c.system == "phone"), None)
    birth = person.birth_date
    district = address.district if address is not None else held.record.meta.district
    return _row(
        held.ref,
        held.entity,
        _name_columns(
            _texts(person.names, "given"),
            _texts(person.names, "family"),
            _texts(person.names, "patronymic"),
        ),
        _birth_columns(birth.value if birth else None, birth.estimated if birth else False),
        {
            "sex": None if person.sex == "unknown" else person.sex,
            **_identifiers(person),
            "phone": phone_key(phone) if phone else None,
            **_place(district, address.region if address is not None else None),
        },
    )


def person_rows(records: Iterable[Child | Family | TraffickingVictim]) -> list[Row]:
    """One linkage row per person in typed casestd records, columns in `COLUMNS` order.

    A `Child` gives one row, a `Family` one per member, a `TraffickingVictim`
    one for its person. Anything else raises TypeError.

    >>> from casestd.model.family import Family
    >>> family = Family.model_validate({
    ...     "id": "7a9e4b12-3c5d-4e6f-8a1b-2c3d4e5f6a72",
    ...     "meta": {"standard_version": "1.0.0", "source_system": "cmis",
    ...              "agency": "molsa-cmis", "created": "2025-03-01T10:00:00+04:00"},
    ...     "members": [{"names": [{"given": "Տիգրան", "family": "Գրիգորյան", "script": "armn"},
    ...                            {"given": "Tigran", "family": "Grigoryan", "script": "latn"}],
    ...                  "sex": "male", "birth_date": {"value": "1985-02-20"},
    ...                  "relationship": "head", "head_of_household": True}]})
    >>> row = person_rows([family])[0]
    >>> row["unique_id"], row["family_key"], row["given_key"], row["birth_month"]
    ('family/7a9e4b12-3c5d-4e6f-8a1b-2c3d4e5f6a72/members/0', 'krikoryan', 'tikran', 2)
    """
    rows: list[Row] = []
    for record in records:
        if not holds_persons(record):
            raise TypeError(
                f"person_rows() needs Child, Family or TraffickingVictim records, "
                f"not {type(record).__name__}"
            )
        rows.extend(_person_row(held) for held in persons(record))
    return rows


def _strings(value: object, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TypeError(f"{key} must be a string or a list of strings")


def _compact(clean: Callable[[str], str | None], value: str | None) -> str | None:
    return (clean(value) or None) if value else None


def _text(person: Mapping[str, Any], key: str) -> str | None:
    value = person.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a string")
    return value


def rows_from_keys(people: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Linkage rows from plain dicts, one per person, with the columns of `person_rows`.

    Each dict has ``unique_id`` (any string, unique in the batch) and any of
    (`INPUT_KEYS`; an unknown key raises ValueError, so a typo is not lost):

    - ``given``, ``family``, ``patronymic``: the raw name parts in any script,
      each a string or a list of strings (one per script);
    - ``sex``: a sex code; ``birth_date``: ``YYYY``, ``YYYY-MM`` or
      ``YYYY-MM-DD``; ``birth_date_estimated``: bool (default False);
    - ``psn``; ``passport`` (``NUMBER`` or ``COUNTRY:NUMBER``) with
      ``passport_country`` (default ``AM``); ``birth_certificate``;
      ``id_card``; ``phone`` (E.164 or the national ``0XX XXXXXX`` form);
    - ``district`` (a Yerevan district code), ``region`` (ISO 3166-2:AM),
      ``entity`` (free text, e.g. ``child``).

    The values are normalised exactly as in `person_rows`.

    >>> row = rows_from_keys([{"unique_id": "x", "family": "Hovhannisyan",
    ...                        "phone": "091 234567", "passport": "ab 1234567"}])[0]
    >>> row["family_key"], row["phone"], row["passport"], row["given_key"]
    ('ovanisyan', '+37491234567', 'AM:AB1234567', None)
    """
    rows: list[Row] = []
    for person in people:
        unknown = sorted(set(person) - INPUT_KEYS)
        if unknown:
            raise ValueError(f"rows_from_keys(): unknown keys {unknown}")
        unique_id = person.get("unique_id")
        if not isinstance(unique_id, str) or not unique_id:
            raise ValueError("rows_from_keys(): every person needs a unique_id string")
        sex = _text(person, "sex")
        rows.append(
            _row(
                unique_id,
                _text(person, "entity"),
                _name_columns(
                    _strings(person.get("given"), "given"),
                    _strings(person.get("family"), "family"),
                    _strings(person.get("patronymic"), "patronymic"),
                ),
                _birth_columns(
                    _text(person, "birth_date"), bool(person.get("birth_date_estimated"))
                ),
                {
                    "sex": None if sex == "unknown" else sex,
                    "psn": _compact(psn.compact, _text(person, "psn")),
                    "passport": _passport(
                        _text(person, "passport"), _text(person, "passport_country")
                    ),
                    "birth_certificate": _compact(
                        birth_certificate.compact, _text(person, "birth_certificate")
                    ),
                    "id_card": _compact(id_card.compact, _text(person, "id_card")),
                    "phone": _compact(phone_key, _text(person, "phone")),
                    **_place(_text(person, "district"), _text(person, "region")),
                },
            )
        )
    return rows


__all__ = [
    "COLUMNS",
    "COLUMN_NOTES",
    "INPUT_KEYS",
    "INTEGER_COLUMNS",
    "Row",
    "patronymic_key",
    "person_rows",
    "rows_from_keys",
]
