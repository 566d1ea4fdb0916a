"""The generator of the synthetic population: people, households and how they are registered.

Private to `casestd.testing.population`, which documents what it makes.
Everything draws from one ``random.Random``: a million registrations take
seconds, and a seed gives the same population every time.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import functools
import itertools
import random
import uuid
from typing import Any

from casestd.dedup.records import make_ref
from casestd.model.types import add_years
from casestd.normalise.partial_date import bounds as partial_date_bounds
from casestd.testing.registrations import (
    LATIN_SYSTEMS,
    DateForm,
    IdentifierForm,
    NameForm,
    Registration,
    Variation,
)
from casestd.testing.romanisation import alphabet, romanise, russian_latin
from casestd.testing.samples import (
    FIRST_DAY,
    LAST_DAY,
    districts,
    population_names,
    regions,
    sample_data,
)


@dataclasses.dataclass(frozen=True)
class _NameEntry:
    """One curated name with every written form the generator uses."""

    forms: dict[str, str]  # armn, cyrl, latn:<system>, latn:russian_bgn, latn:russian_icao
    cyrillic_variants: tuple[str, ...]
    latin_variants: tuple[str, ...]
    patronymic: dict[str, str]  # armn, cyrl_male, cyrl_female, latn (male names only)


def _entry(data: dict[str, Any]) -> _NameEntry:
    armn, cyrl = data["armn"], data["cyrl"]
    forms = {"armn": armn, "cyrl": cyrl, "latn:passport": data["latn"]}
    for system in ("bgn", "iso9985", "western"):
        forms[f"latn:{system}"] = romanise(armn, system)
    forms["latn:russian_bgn"] = russian_latin(cyrl)
    forms["latn:russian_icao"] = russian_latin(cyrl, icao=True)
    variants = data.get("variants", [])
    cyrillic = tuple(v for v in variants if any("\u0400" <= c <= "\u04ff" for c in v))
    latin = tuple(v for v in variants if v not in cyrillic)
    patronymic: dict[str, str] = {}
    if "patronymic_armn" in data:
        male = data["patronymic_cyrl"]
        female = male[:-2] + "на" if male.endswith(("ович", "евич")) else male
        patronymic = {
            "armn": data["patronymic_armn"],
            "cyrl_male": male,
            "cyrl_female": female,
            "latn": romanise(data["patronymic_armn"], "passport"),
        }
    return _NameEntry(forms, cyrillic, latin, patronymic)


@dataclasses.dataclass(frozen=True)
class _NamePool:
    entries: tuple[_NameEntry, ...]
    weights: tuple[float, ...]  # cumulative, Zipf-like by rank


@functools.cache
def _name_pools() -> dict[str, _NamePool]:
    data = population_names()
    pools = {}
    for kind in ("family", "given_female", "given_male"):
        entries = tuple(_entry(item) for item in data[kind])
        weights = itertools.accumulate(1.0 / (rank + 1) ** 0.7 for rank in range(len(entries)))
        pools[kind] = _NamePool(entries, tuple(weights))
    return pools


@dataclasses.dataclass
class _Person:
    id: str
    sex: str
    given: _NameEntry
    family: _NameEntry
    father: _NameEntry
    born: dt.date
    maiden: _NameEntry | None = None
    psn: str | None = None
    passport: str | None = None
    certificate: str | None = None
    phone: str | None = None


_YEREVAN = "AM-ER"


class _Generator:
    def __init__(
        self, rng: random.Random, variation: Variation, duplicate_rate: float, most: int
    ) -> None:
        self.rng = rng
        self.rates = variation
        self.duplicate_rate = duplicate_rate
        self.most = most
        self.pools = _name_pools()
        data = sample_data()
        self.districts = districts()
        self.regions = tuple(region for region in regions() if region != _YEREVAN)
        self.mobile_prefixes = tuple(data["mobile_prefixes"])
        self.regional_agencies: dict[str, str] = data["regional_agencies"]
        self.victim_agencies = tuple(tuple(pair) for pair in data["victim_agencies"])
        self.people = 0
        self.offset = rng.randrange(10**6)
        self.script_cuts = tuple(
            itertools.accumulate((variation.armenian, variation.cyrillic, variation.latin))
        )
        self.latin_cuts = tuple(itertools.accumulate(share for _, share in LATIN_SYSTEMS))
        self.birth_cuts = tuple(
            itertools.accumulate(
                (
                    variation.year_only,
                    variation.year_month,
                    variation.estimated,
                    variation.day_month_swap,
                    variation.day_typo,
                )
            )
        )

    # -- drawing helpers
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def name(self, kind: str) -> _NameEntry:
        pool = self.pools[kind]
        return pool.entries[bisect.bisect(pool.weights, self.rng.random() * pool.weights[-1])]

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        span = max(0, (last - first).days) + 1
        return first + dt.timedelta(days=int(self.rng.random() * span))

    def count(self) -> int:
        """How many registrations one channel makes: 1, or more with duplicate_rate."""
        if self.most < 2 or self.rng.random() >= self.duplicate_rate:
            return 1
        extra = 1 + bisect.bisect((0.65, 0.90), self.rng.random())
        return 1 + min(extra, self.most - 1)

    def person(self, sex: str, born: dt.date, family: _NameEntry | None = None) -> _Person:
        rng = self.rng
        self.people += 1
        person = _Person(
            id=f"p{self.people:08d}",
            sex=sex,
            given=self.name("given_female" if sex == "female" else "given_male"),
            family=family or self.name("family"),
            father=self.name("given_male"),
            born=born,
        )
        # identifiers are unique per person, as real ones are: a bijective scramble of
        # the person number (the multipliers are coprime to the moduli)
        number = self.people + self.offset
        if rng.random() < 0.92:
            person.psn = f"{10**9 + number * 1_000_000_007 % (9 * 10**9)}"
        if born.year < 2008 and rng.random() < 0.7:
            letters = "".join(rng.choice("ABCEKLNP") for _ in range(2))
            person.passport = f"{letters}{number * 1_000_003 % 10**7:07d}"
        if born.year >= 2000 and rng.random() < 0.9:
            person.certificate = f"{number * 10_000_019 % 10**8:08d}"
        if born.year < 2008 and rng.random() < 0.8:
            person.phone = f"+374{rng.choice(self.mobile_prefixes)}{rng.randrange(10**6):06d}"
        return person

    def home(self) -> tuple[str, str | None]:
        if self.rng.random() < 0.6:
            return _YEREVAN, self.rng.choice(self.districts)
        return self.rng.choice(self.regions), None

    def place(self, home: tuple[str, str | None]) -> tuple[str, str, str | None, str, str | None]:
        """(agency, source system, meta district, address region, address district)."""
        rng = self.rng
        region, district = home
        if region == _YEREVAN or rng.random() < 0.15:
            if rng.random() < 0.75:
                office = district if district and rng.random() < 0.5 else rng.choice(self.districts)
                agency = f"yerevan-{office.replace('_', '-')}-sso"
                return agency, "district-register", office, _YEREVAN, district or office
            return "molsa-cmis", "cmis", None, region, district
        if region in self.regional_agencies and rng.random() < 0.4:
            return self.regional_agencies[region], "district-register", None, region, None
        return "molsa-cmis", "cmis", None, region, None

    # -- how one registration writes a person
    def written(self, entry: _NameEntry, script: str, system: str) -> tuple[str, str | None]:
        """The form of a name in a script (and Latin system), and its variation kind."""
        rng = self.rng
        if script == "armn":
            return entry.forms["armn"], None
        if script == "cyrl":
            if entry.cyrillic_variants and rng.random() < self.rates.cyrillic_variant:
                return rng.choice(entry.cyrillic_variants), "spelling_variant"
            return entry.forms["cyrl"], None
        if system == "variant":
            if entry.latin_variants:
                return rng.choice(entry.latin_variants), "spelling_variant"
            return entry.forms["latn:passport"], "latn:passport"
        if system == "russian":
            form = rng.choice(("latn:russian_bgn", "latn:russian_icao"))
            return entry.forms[form], "latn:russian"
        return entry.forms[f"latn:{system}"], f"latn:{system}"

    def typo(self, text: str, script: str) -> str:
        rng = self.rng
        letters = alphabet(script)
        size = len(text)
        position = rng.randrange(1, size) if size > 1 else 0
        operation = rng.randrange(4)
        if operation == 0 and size > 2:
            return text[:position] + text[position + 1 :]
        if operation == 1:
            return text[:position] + rng.choice(letters) + text[position:]
        if operation == 3 and size > 2 and text[position - 1] != text[position]:
            return text[: position - 1] + text[position] + text[position - 1] + text[position + 1 :]
        choices = [letter for letter in letters if letter != text[position].lower()]
        return text[:position] + rng.choice(choices) + text[position + 1 :]

    def names(self, person: _Person) -> tuple[tuple[NameForm, ...], set[str]]:
        rng, rates = self.rng, self.rates
        kinds: set[str] = set()
        cut = rng.random()
        if cut < self.script_cuts[0]:
            scripts: tuple[str, ...] = ("armn",)
        elif cut < self.script_cuts[1]:
            scripts = ("cyrl",)
        elif cut < self.script_cuts[2]:
            scripts = ("latn",)
        else:
            scripts = ("armn", "latn") if rng.random() < 0.75 else ("armn", "cyrl")
            kinds.add("two_scripts")
        system = ""
        if "latn" in scripts:
            system = LATIN_SYSTEMS[
                bisect.bisect(self.latin_cuts, rng.random() * self.latin_cuts[-1])
            ][0]
        family = person.family
        if person.maiden is not None and rng.random() < rates.maiden_name:
            family = person.maiden
            kinds.add("maiden_name")
        with_patronymic = rng.random() < rates.patronymic
        inline = rng.random() < rates.patronymic_in_given
        forms: list[list[str | None]] = []
        for script in scripts:
            kinds.add(f"script:{script}")
            given, given_kind = self.written(person.given, script, system)
            surname, family_kind = self.written(family, script, system)
            kinds.update(kind for kind in (given_kind, family_kind) if kind)
            patronymic: str | None = self.patronymic(person, script)
            if inline and script != "latn":
                given = f"{given} {patronymic}"
                patronymic = None
                kinds.add("patronymic_in_given")
            elif not with_patronymic or (script == "latn" and rng.random() < 0.7):
                patronymic = None
            if patronymic:
                kinds.add("patronymic")
            forms.append([given, patronymic, surname, script])
        if rng.random() < rates.typo:
            target = rng.choice(forms)
            part = rng.choice((0, 2))
            text = target[part]
            assert text is not None and target[3] is not None
            head, _, tail = text.partition(" ")
            target[part] = self.typo(head, target[3]) + (f" {tail}" if tail else "")
            kinds.add("typo")
        if rng.random() < rates.names_swapped:
            for form in forms:
                form[0], form[2] = form[2], form[0]
            kinds.add("names_swapped")
        return (
            tuple(NameForm(given=g, family=f, patronymic=p, script=str(s)) for g, p, f, s in forms),
            kinds,
        )

    def patronymic(self, person: _Person, script: str) -> str:
        forms = person.father.patronymic
        if script == "cyrl":
            return forms["cyrl_female" if person.sex == "female" else "cyrl_male"]
        return forms[script]

    def birth(self, born: dt.date) -> tuple[DateForm, str | None]:
        rng = self.rng
        cut = rng.random()
        which = bisect.bisect(self.birth_cuts, cut)
        year, month, day = born.year, born.month, born.day
        if which == 0:
            return DateForm(f"{year:04d}"), "dob:year"
        if which == 1:
            return DateForm(f"{year:04d}-{month:02d}"), "dob:year_month"
        if which == 2:
            shifted = year + rng.choice((-1, 0, 0, 1))
            value = f"{shifted:04d}" if rng.random() < 0.5 else f"{shifted:04d}-01-01"
            return DateForm(value, estimated=True), "dob:estimated"
        if which == 3 and day <= 12 and day != month:
            return DateForm(f"{year:04d}-{day:02d}-{month:02d}"), "dob:day_month_swap"
        if which == 4:
            last = calendar.monthrange(year, month)[1]
            options = [
                other
                for other in range(1, last + 1)
                if other != day and (other // 10 == day // 10 or other % 10 == day % 10)
            ]
            return DateForm(f"{year:04d}-{month:02d}-{rng.choice(options):02d}"), "dob:day_typo"
        return DateForm(born.isoformat()), None

    def identifiers(self, person: _Person) -> tuple[tuple[IdentifierForm, ...], set[str]]:
        rng = self.rng
        if rng.random() < self.rates.no_identifiers:
            return (), {"no_identifiers"}
        kept = self.rates.identifier_kept
        found = []
        if person.psn and rng.random() < kept:
            found.append(IdentifierForm("public_service_number", person.psn))
        if person.passport and rng.random() < kept:
            found.append(IdentifierForm("passport", person.passport))
        if person.certificate and rng.random() < kept:
            series = rng.choice(("II-AM ", "II-AM", "IIAM ", "II AM "))
            found.append(IdentifierForm("birth_certificate", series + person.certificate))
        return tuple(found), (set() if found else {"no_identifiers"})

    def registration(
        self,
        person: _Person,
        entity: str,
        record_id: str,
        member_index: int,
        place: tuple[str, str, str | None, str, str | None],
        registered: dt.date,
        relationship: str | None = None,
        child_id: str | None = None,
    ) -> Registration:
        names, kinds = self.names(person)
        birth, birth_kind = self.birth(person.born)
        if entity == "child" and not _child_date_ok(birth, registered):
            birth, birth_kind = DateForm(person.born.isoformat()), None
        if birth_kind:
            kinds.add(birth_kind)
        identifiers, id_kinds = self.identifiers(person)
        kinds |= id_kinds
        phones = (person.phone,) if person.phone and self.rng.random() < 0.4 else ()
        agency, system, office, region, district = place
        ref = make_ref(entity, record_id, member_index if entity == "family" else None)
        return Registration(
            ref=ref,
            person_id=person.id,
            entity=entity,
            record_id=record_id,
            member_index=member_index,
            names=names,
            sex=person.sex,
            birth=birth,
            identifiers=identifiers,
            phones=phones,
            agency=agency,
            source_system=system,
            district=office,
            region=None if entity == "trafficking_victim" else region,
            address_district=None if entity == "trafficking_victim" else district,
            registered=registered,
            variations=frozenset(kinds),
            relationship=relationship,
            child_id=child_id,
        )

    # -- the units of the population
    def child_records(self, child: _Person, home: tuple[str, str | None]) -> list[Registration]:
        first = max(FIRST_DAY, child.born + dt.timedelta(days=30))
        last = min(LAST_DAY, add_years(child.born, 17))
        if first > last:
            return []
        return [
            self.registration(
                child, "child", self.uuid(), 0, self.place(home), self.day(first, last)
            )
            for _ in range(self.count())
        ]

    def victim_records(self, person: _Person) -> list[Registration]:
        first = max(FIRST_DAY, add_years(person.born, 14))
        if first > LAST_DAY:
            return []
        found = []
        for _ in range(self.count()):
            agency, system = self.rng.choice(self.victim_agencies)
            place = (agency, system, None, _YEREVAN, None)
            found.append(
                self.registration(
                    person, "trafficking_victim", self.uuid(), 0, place, self.day(first, LAST_DAY)
                )
            )
        return found

    def household(self) -> list[Registration]:
        rng = self.rng
        home = self.home()
        head_sex = "male" if rng.random() < 0.75 else "female"
        head = self.person(head_sex, self.day(dt.date(1960, 1, 1), dt.date(1995, 12, 31)))
        members: list[tuple[_Person, str]] = [(head, "head")]
        if head_sex == "male" and rng.random() < 0.85:
            spouse_born = self.day(
                head.born - dt.timedelta(days=5 * 365), head.born + dt.timedelta(days=5 * 365)
            )
            spouse = self.person("female", spouse_born, family=head.family)
            spouse.maiden = self.name("family")
            if spouse.maiden == head.family:
                spouse.maiden = None
            members.append((spouse, "spouse"))
        first_birth = max(dt.date(2000, 1, 1), add_years(head.born, 20))
        children = 1 + bisect.bisect((0.35, 0.70, 0.90), rng.random())
        for _ in range(children):
            sex = "female" if rng.random() < 0.5 else "male"
            child = self.person(sex, self.day(first_birth, dt.date(2025, 6, 30)), head.family)
            child.father = head.given if head_sex == "male" else self.name("given_male")
            members.append((child, "daughter" if sex == "female" else "son"))
        found: list[Registration] = []
        child_ids: dict[str, list[str]] = {}
        for person, relationship in members[1:]:
            if relationship in ("son", "daughter") and rng.random() < 0.4:
                records = self.child_records(person, home)
                child_ids[person.id] = [reg.record_id for reg in records]
                found += records
        for person, relationship in members:
            adult_woman = person.sex == "female" and relationship in ("head", "spouse")
            teen = relationship == "daughter" and person.born.year <= 2010
            if (adult_woman and rng.random() < 0.03) or (teen and rng.random() < 0.02):
                found += self.victim_records(person)
        youngest = max(person.born for person, _ in members)
        start = max(FIRST_DAY, youngest + dt.timedelta(days=30))
        for _ in range(self.count()):
            record_id = self.uuid()
            place = self.place(home)
            registered = self.day(start, LAST_DAY)
            for index, (person, relationship) in enumerate(members):
                known = child_ids.get(person.id)
                child_id = rng.choice(known) if known and rng.random() < 0.3 else None
                found.append(
                    self.registration(
                        person,
                        "family",
                        record_id,
                        index,
                        place,
                        registered,
                        relationship,
                        child_id,
                    )
                )
        return found

    def lone_child(self) -> list[Registration]:
        sex = "female" if self.rng.random() < 0.5 else "male"
        child = self.person(sex, self.day(dt.date(2000, 1, 1), dt.date(2025, 6, 30)))
        records = self.child_records(child, self.home())
        if not records:  # pragma: no cover - the birth window always leaves a registration day
            self.people -= 1
        return records

    def lone_victim(self) -> list[Registration]:
        rng = self.rng
        sex = "female" if rng.random() < 0.7 else "male"
        person = self.person(sex, self.day(dt.date(1975, 1, 1), dt.date(2007, 12, 31)))
        if sex == "female" and person.born.year < 1998 and rng.random() < 0.4:
            person.maiden = self.name("family")
            person.maiden, person.family = person.family, self.name("family")
            if person.maiden == person.family:
                person.maiden = None
        found = self.victim_records(person)
        if person.born.year >= 1998 and rng.random() < 0.3:
            found = self.child_records(person, self.home()) + found
        if not found:
            self.people -= 1
        return found


def _child_date_ok(birth: DateForm, registered: dt.date) -> bool:
    """A child's written birth date agrees with the child rules on the registration day."""
    earliest, latest = partial_date_bounds(birth.value)
    return earliest <= registered and add_years(latest, 18) > registered
