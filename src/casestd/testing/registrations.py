"""The registrations of the synthetic population: how each one writes its person.

A `Registration` is one person record (a child, a family member, a
trafficking victim) as one agency wrote it: its names in some scripts and
romanisations, a birth date that may be partial, estimated or mistyped, the
identifiers it kept, and the `VARIATION_KINDS` it carries. `Variation` holds
the rates at which the generator (`casestd.testing.population`) varies them.
Nothing here needs hypothesis.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from casestd.model import common

if TYPE_CHECKING:
    from casestd.dedup.clusters import PersonKeys

Payload = dict[str, Any]

#: The kinds of variation a registration can carry, as recorded in
#: `Registration.variations` (a registration may carry several).
VARIATION_KINDS: tuple[str, ...] = (
    "script:armn",  # names in Armenian script
    "script:cyrl",  # names in Russian Cyrillic (the usual Russian spelling: Оганесян)
    "script:latn",  # names in a Latin romanisation (one of the latn: kinds)
    "two_scripts",  # two name entries: Armenian and Latin, or Armenian and Cyrillic
    "latn:passport",  # the Armenian passport romanisation (Hovhannisyan)
    "latn:bgn",  # BGN/PCGN 1981, with apostrophes (Ch'ilingaryan)
    "latn:iso9985",  # ISO 9985, with diacritics (Hovhannisyan, Xač'atryan, Łazaryan)
    "latn:western",  # Western Armenian sounds (Bedrosian, Kevorkian, Hagopian)
    "latn:russian",  # Latin made from the Russian spelling (Oganesyan, Akopian)
    "spelling_variant",  # a curated other spelling (Ovanesyan, Sarkissian, Саркисян)
    "typo",  # one edit (insert, delete, substitute, transpose) in a given or family name
    "dob:year",  # birth date known to the year only
    "dob:year_month",  # birth date known to the month only
    "dob:estimated",  # estimated birth year, up to one year off, sometimes written YYYY-01-01
    "dob:day_month_swap",  # day and month swapped (DD.MM vs MM/DD)
    "dob:day_typo",  # one digit of the day mistyped
    "no_identifiers",  # no identifier at all on the registration
    "maiden_name",  # a married woman registered under her maiden family name
    "names_swapped",  # given and family name written in each other's fields
    "patronymic",  # the patronymic field is filled (Արմենի, Арменович)
    "patronymic_in_given",  # the patronymic written inside the given-name field
)

#: Latin romanisation systems and their share among Latin-script names.
LATIN_SYSTEMS: tuple[tuple[str, float], ...] = (
    ("passport", 0.35),
    ("bgn", 0.15),
    ("iso9985", 0.10),
    ("western", 0.10),
    ("russian", 0.15),
    ("variant", 0.15),
)


@dataclasses.dataclass(frozen=True)
class Variation:
    """How often each variation occurs, per registration (probabilities).

    The scripts: ``armenian``, ``cyrillic`` and ``latin`` only, else two
    scripts (Armenian with Latin, or with Cyrillic, 3:1). A Latin name uses a
    system of `LATIN_SYSTEMS`; ``cyrillic_variant`` is the share of Cyrillic
    names given a curated other Russian spelling. Birth dates: ``year_only``,
    ``year_month``, ``estimated``, ``day_month_swap``, ``day_typo``, else exact.
    ``no_identifiers``: the registration has none; otherwise each identifier
    the person has is written with ``identifier_kept``. ``maiden_name`` only
    applies to married women.
    """

    armenian: float = 0.35
    cyrillic: float = 0.20
    latin: float = 0.25
    cyrillic_variant: float = 0.15
    typo: float = 0.05
    year_only: float = 0.05
    year_month: float = 0.05
    estimated: float = 0.08
    day_month_swap: float = 0.06
    day_typo: float = 0.03
    no_identifiers: float = 0.40
    identifier_kept: float = 0.70
    maiden_name: float = 0.25
    names_swapped: float = 0.03
    patronymic: float = 0.50
    patronymic_in_given: float = 0.03


#: The rates of bench/dedup.py and docs/performance.md.
DEFAULT_VARIATION = Variation()


@dataclasses.dataclass(frozen=True, slots=True)
class NameForm:
    """A name as one registration writes it (the fields of `~casestd.model.common.PersonName`)."""

    given: str | None
    family: str | None
    patronymic: str | None
    script: str
    other_names: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class DateForm:
    """A birth date as written (the fields of `~casestd.model.common.PartialDate`)."""

    value: str
    estimated: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class IdentifierForm:
    """An identifier as written (the fields of `~casestd.model.common.Identifier`)."""

    type: str
    value: str
    issuing_country: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class ContactForm:
    """A phone as written (the fields of `~casestd.model.common.ContactPoint`)."""

    system: str
    value: str
    use: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Registration:
    """One person record of the population: a child, a family member or a victim.

    ``ref`` is the name `casestd.dedup.find_duplicates` gives the record
    (``child/<uuid>``, ``family/<uuid>/members/<i>``,
    ``trafficking_victim/<uuid>``); ``person_id`` the true person.
    ``variations`` are the `VARIATION_KINDS` this registration carries.
    """

    ref: str
    person_id: str
    entity: str
    record_id: str
    member_index: int
    names: tuple[NameForm, ...]
    sex: str
    birth: DateForm
    identifiers: tuple[IdentifierForm, ...]
    phones: tuple[str, ...]
    agency: str
    source_system: str
    district: str | None  # meta.district: the registering district office
    region: str | None  # address region (None for victims: no address)
    address_district: str | None
    registered: dt.date
    variations: frozenset[str]
    relationship: str | None = None
    child_id: str | None = None

    def person(self) -> common.Person:
        """The person as a casestd `Person`, built without validation (fast, for keys).

        ``model_construct`` only: the nested parts are the plain forms above,
        which `casestd.dedup.keys` reads like the pydantic ones.
        """
        fields: dict[str, Any] = {
            "names": list(self.names),
            "sex": self.sex,
            "birth_date": self.birth,
            "identifiers": list(self.identifiers),
            "contacts": [ContactForm("phone", phone) for phone in self.phones],
        }
        return common.Person.model_construct(**fields)

    def person_keys(self) -> PersonKeys:
        """The `PersonKeys` of this record, equal to those of its typed record, fast.

        Made by `PersonKeys.of` from `person` (no pydantic validation), as
        `casestd.dedup.record_keys` makes them of the typed record.
        """
        from casestd.dedup.clusters import PersonKeys, person_facts

        child_record = self.record_id if self.entity == "child" else self.child_id
        facts = person_facts(
            self.entity, self.agency, self.sex, self.district, self.region, self.birth.value
        )
        return PersonKeys.of(self.ref, self.person(), facts, child_record)

    def person_payload(self) -> Payload:
        """The person part of the record's JSON payload."""
        names = []
        for name in self.names:
            item: Payload = {"script": name.script}
            for part in ("given", "patronymic", "family"):
                text = getattr(name, part)
                if text:
                    item[part] = text
            names.append(item)
        payload: Payload = {
            "names": names,
            "sex": self.sex,
            "birth_date": {"value": self.birth.value, "estimated": self.birth.estimated},
        }
        if self.identifiers:
            payload["identifiers"] = [
                {"type": item.type, "value": item.value} for item in self.identifiers
            ]
        if self.phones:
            payload["contacts"] = [{"system": "phone", "value": phone} for phone in self.phones]
        return payload

    def linkage_input(self) -> Payload:
        """This record as an input dict of `casestd.dedup.columns.rows_from_keys`."""
        ids = {item.type: item.value for item in self.identifiers}
        data: Payload = {
            "unique_id": self.ref,
            "given": [name.given for name in self.names if name.given],
            "family": [name.family for name in self.names if name.family],
            "patronymic": [name.patronymic for name in self.names if name.patronymic],
            "sex": self.sex,
            "birth_date": self.birth.value,
            "birth_date_estimated": self.birth.estimated,
            "psn": ids.get("public_service_number"),
            "passport": ids.get("passport"),
            "birth_certificate": ids.get("birth_certificate"),
            "phone": self.phones[0] if self.phones else None,
            "district": self.address_district or self.district,
            "region": self.region,
            "entity": self.entity,
        }
        return {key: value for key, value in data.items() if value not in (None, [])}
