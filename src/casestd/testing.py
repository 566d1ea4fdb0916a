"""Hypothesis strategies for every entity: valid, realistic records.

The strategies are derived from the pydantic models: every coded field draws
from its code list and every field the model has is covered, so a new field or
code shows up in generated data without edits here. Realism comes from a few
providers (Armenian, Russian and Latin names, Yerevan districts, Armenian
phones, agencies) and from fix-ups that make dates and statuses agree the way
the cross-field rules require.

`population` is something else: a synthetic population of persons registered
several times, each time written differently, with the truth of who is who,
for benchmarks of `casestd.dedup` (bench/dedup.py). It uses ``random.Random``,
not hypothesis, to make a million registrations in seconds.

>>> from hypothesis import given, settings
>>> from casestd import validate
>>> @settings(deadline=None)  # the first call builds the models
... @given(payloads("child"))
... def test(payload):
...     assert validate("child", payload).ok
>>> test()
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import functools
import itertools
import json
import random
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from casestd import codes
from casestd.dedup.records import make_ref
from casestd.model import ENTITIES, common
from casestd.model.types import CodeRef, add_years
from casestd.normalise.partial_date import bounds as partial_date_bounds
from casestd.version import STANDARD_VERSION

if TYPE_CHECKING:
    from casestd.dedup.clusters import PersonKeys

Payload = dict[str, Any]
YEREVAN = dt.timezone(dt.timedelta(hours=4))
#: Generated records fall between these dates, all in the past.
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)


@functools.cache
def sample_data() -> dict[str, Any]:
    """Names, agencies, countries and phone prefixes used to make realistic records."""
    text = resources.files("casestd.testdata").joinpath("names.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# -- small providers ---------------------------------------------------------


def dates(lo: dt.date = FIRST_DAY, hi: dt.date = LAST_DAY) -> st.SearchStrategy[dt.date]:
    """Calendar dates in ``[lo, hi]``."""
    return st.dates(min_value=lo, max_value=hi)


def timestamps(lo: dt.date = FIRST_DAY, hi: dt.date = LAST_DAY) -> st.SearchStrategy[dt.datetime]:
    """Yerevan-time timestamps, whole minutes, between two dates."""
    return st.builds(
        lambda day, minute: (
            dt.datetime.combine(day, dt.time(), YEREVAN) + dt.timedelta(minutes=minute)
        ),
        dates(lo, hi),
        st.integers(8 * 60, 19 * 60),
    )


def partial_dates(lo: dt.date = FIRST_DAY, hi: dt.date = LAST_DAY) -> st.SearchStrategy[Payload]:
    """Partial dates (year, month or day) between two dates, estimated when not exact."""
    return st.builds(
        lambda day, precision: {
            "value": day.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]],
            "estimated": precision != "day",
        },
        dates(lo, hi),
        st.sampled_from(["day", "day", "day", "month", "year"]),
    )


def agencies() -> st.SearchStrategy[str]:
    """Ids of ministry, district, NGO and police agencies."""
    return st.sampled_from(sample_data()["agencies"])


def phones() -> st.SearchStrategy[str]:
    """Armenian mobile numbers in E.164."""
    return st.builds(
        lambda prefix, rest: f"+374{prefix}{rest:06d}",
        st.sampled_from(sample_data()["mobile_prefixes"]),
        st.integers(0, 999_999),
    )


def contacts() -> st.SearchStrategy[Payload]:
    """A phone contact point."""
    return st.fixed_dictionaries(
        {"system": st.just("phone"), "value": phones()},
        optional={"use": st.sampled_from(codes.get("contact_use").active())},
    )


def identifiers() -> st.SearchStrategy[Payload]:
    """A public service number, an Armenian passport or a birth certificate."""
    return st.one_of(
        st.builds(
            lambda n: {"type": "public_service_number", "value": f"{n:010d}"},
            st.integers(1, 9_999_999_999),
        ),
        st.builds(
            lambda a, b, n: {"type": "passport", "value": f"{a}{b}{n:07d}"},
            st.sampled_from("ABCEKLP"),
            st.sampled_from("ABCEKLPST"),
            st.integers(0, 9_999_999),
        ),
        st.builds(
            lambda n: {"type": "birth_certificate", "value": f"II-AM {n:06d}"},
            st.integers(0, 999_999),
        ),
    )


@st.composite
def names(draw: st.DrawFn, sex: str) -> list[Payload]:
    """One person's name written in one to three scripts."""
    data = sample_data()
    pool = data["given_female"] if sex == "female" else data["given_male"]
    given = draw(st.sampled_from(pool))
    family = draw(st.sampled_from(data["family"]))
    father = draw(st.sampled_from(data["given_male"]))
    scripts = draw(
        st.lists(st.sampled_from(["armn", "cyrl", "latn"]), min_size=1, max_size=3, unique=True)
    )
    result = []
    for script in scripts:
        name: Payload = {"given": given[script], "family": family[script], "script": script}
        if script in ("armn", "cyrl") and draw(st.booleans()):
            name["patronymic"] = father[f"patronymic_{script}"]
        result.append(name)
    return result


def addresses() -> st.SearchStrategy[Payload]:
    """An address in a Yerevan district or in a region."""
    in_yerevan = st.fixed_dictionaries(
        {
            "region": st.just("AM-ER"),
            "district": st.sampled_from(codes.get("yerevan_district").active()),
        },
        optional={
            "street": st.sampled_from(["Tumanyan", "Abovyan", "Komitas", "Bagratunyats"]),
            "building": st.integers(1, 120).map(str),
            "apartment": st.integers(1, 90).map(str),
            "postal_code": st.integers(1, 99).map(lambda n: f"{n:04d}"),
        },
    )
    regions = [code for code in codes.get("region").active() if code != "AM-ER"]
    in_region = st.fixed_dictionaries(
        {"region": st.sampled_from(regions)},
        optional={
            "community": st.sampled_from(["Gyumri", "Vanadzor", "Hrazdan", "Artik"]),
            "postal_code": st.integers(1000, 4999).map(str),
        },
    )
    return st.one_of(in_yerevan, in_region)


def meta(created: dt.date | None = None) -> st.SearchStrategy[Payload]:
    """Record metadata created on ``created`` (or any day), sometimes updated later."""
    day = st.just(created) if created else dates()

    @st.composite
    def build(draw: st.DrawFn) -> Payload:
        chosen = draw(day)
        start = draw(timestamps(chosen, chosen))
        result: Payload = {
            "standard_version": STANDARD_VERSION,
            "source_system": draw(st.sampled_from(sample_data()["source_systems"])),
            "agency": draw(agencies()),
            "created": start.isoformat(),
        }
        if draw(st.booleans()):
            result["district"] = draw(st.sampled_from(codes.get("yerevan_district").active()))
        if draw(st.booleans()):
            result["updated"] = (start + dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()
        return result

    return build()


# -- derived from the models -------------------------------------------------

_REALISTIC_CODES = {"country": "countries", "language": "languages"}


def _code_strategy(list_id: str) -> st.SearchStrategy[str]:
    if list_id in _REALISTIC_CODES:
        return st.sampled_from(sample_data()[_REALISTIC_CODES[list_id]])
    return st.sampled_from(codes.get(list_id).active())


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):  # Annotated[int, Field(ge=0, le=120)]
            found.update(_bounds(item.metadata))
            continue
        for key in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            value = getattr(item, key, None)
            if value is not None:
                found[key] = value
    return found


def _for_annotation(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    metadata = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata.extend(annotation.__metadata__)
            annotation = annotation.__origin__
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            break
    for item in metadata:
        if isinstance(item, CodeRef):
            return _code_strategy(item.list_id)
    bounds = _bounds(metadata)
    if typing.get_origin(annotation) is list:
        item = typing.get_args(annotation)[0]
        inner = _for_annotation(item, [])
        low = bounds.get("min_length", 0)
        unique = typing.get_origin(item) is typing.Annotated  # codes: no repeats
        return st.lists(inner, min_size=low, max_size=max(low, 3), unique=unique)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_payloads(annotation)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(bounds.get("ge", 0), bounds.get("le", 1_000_000))
    if annotation is float:
        return st.integers(1, 100).map(float)
    if annotation is dt.date:
        return dates().map(dt.date.isoformat)
    if annotation in (dt.datetime, AwareDatetime):
        return timestamps().map(dt.datetime.isoformat)
    if annotation is uuid.UUID:
        return st.uuids().map(str)
    if annotation is str:
        return st.sampled_from(["Initial home visit done", "Follow-up agreed with the school"])
    raise TypeError(f"no strategy for {annotation!r}")  # pragma: no cover - a new kind of field


_PROVIDERS: dict[type[BaseModel], Callable[[], st.SearchStrategy[Payload]]] = {
    common.RecordMeta: meta,
    common.Identifier: identifiers,
    common.ContactPoint: contacts,
    common.Address: addresses,
    common.PartialDate: partial_dates,
}
_FIELD_PROVIDERS: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "agency": agencies,
    "from_agency": agencies,
    "to_agency": agencies,
    "provider_agency": agencies,
    "caseworker": lambda: st.integers(1, 400).map(lambda n: f"cw-{n}"),
    "from_caseworker": lambda: st.integers(1, 400).map(lambda n: f"cw-{n}"),
    "to_caseworker": lambda: st.integers(1, 400).map(lambda n: f"cw-{n}"),
    "agency_id": agencies,
    "case_number": lambda: st.integers(1, 99_999).map(lambda n: f"2025/{n:05d}"),
    "source_system": lambda: st.sampled_from(sample_data()["source_systems"]),
}


def model_payloads(model: type[BaseModel]) -> st.SearchStrategy[Payload]:
    """Payloads for any casestd model, field by field (no cross-field coherence)."""
    if model in _PROVIDERS:
        return _PROVIDERS[model]()
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        maker = _FIELD_PROVIDERS.get(name)
        strategy = maker() if maker else _for_annotation(info.annotation, info.metadata)
        (required if info.is_required() else optional)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


# -- entity fix-ups: make the generic payloads agree with the rules -----------


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _stamp(day: dt.date, draw: st.DrawFn) -> dt.datetime:
    return draw(timestamps(day, day))


@st.composite
def _person(draw: st.DrawFn, base: Payload, born_after: dt.date, born_before: dt.date) -> Payload:
    sex = draw(st.sampled_from(["female", "male"]))
    base.update(
        sex=sex, names=draw(names(sex)), birth_date=draw(partial_dates(born_after, born_before))
    )
    return base


@st.composite
def _child(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["child"]))
    registered = draw(dates())
    base["registration_date"] = _iso(registered)
    base["meta"] = draw(meta(registered))
    # born in a full year inside the 18 years before registration
    earliest = dt.date(add_years(registered, -17).year + 1, 1, 1)
    draw(_person(base, earliest, registered - dt.timedelta(days=1)))
    by_domain = {answer["domain"]: answer for answer in base.get("functioning", [])}
    base["functioning"] = list(by_domain.values())
    return base


@st.composite
def _family(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["family"]))
    head = draw(
        _person(
            {"relationship": "head", "head_of_household": True},
            dt.date(1965, 1, 1),
            dt.date(1995, 12, 31),
        )
    )
    head.update(caregiver=True)
    members = [head]
    facts_sex = {"son": "male", "daughter": "female"}
    for relationship in draw(st.lists(st.sampled_from(["son", "daughter"]), max_size=4)):
        child = draw(_person({"relationship": relationship}, dt.date(2008, 1, 1), FIRST_DAY))
        child["sex"] = facts_sex[relationship]
        child["names"] = draw(names(child["sex"]))
        if draw(st.booleans()):
            child["child_id"] = str(draw(st.uuids()))
        members.append(child)
    if draw(st.booleans()):
        spouse_sex = "female" if head["sex"] == "male" else "male"
        spouse = draw(_person({"relationship": "spouse"}, dt.date(1965, 1, 1), dt.date(1998, 1, 1)))
        spouse.update(sex=spouse_sex, names=draw(names(spouse_sex)), caregiver=True)
        members.append(spouse)
    for member in members:
        if draw(st.booleans()):
            member["contacts"] = [draw(contacts())]
    base["members"] = members
    return base


@st.composite
def _case(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["case"]))
    opened_day = draw(dates(FIRST_DAY, LAST_DAY - dt.timedelta(days=400)))
    opened = _stamp(opened_day, draw)
    base["opened"] = opened.isoformat()
    base["meta"] = draw(meta(opened_day))

    def later() -> dt.datetime:
        return _stamp(opened_day + dt.timedelta(days=draw(st.integers(1, 300))), draw)

    for key in ("closure", "transfer", "duplicate_of"):
        base.pop(key, None)
    base["assessments"] = [
        dict(a, completed=later().isoformat()) for a in base.get("assessments", [])
    ]
    if "case_plan" in base:
        base["case_plan"]["created"] = later().isoformat()
    base["reviews"] = [dict(r, date=later().isoformat()) for r in base.get("reviews", [])]
    status = base["status"]
    if status == "closed":
        base["closure"] = {
            "date": _stamp(opened_day + dt.timedelta(days=350), draw).isoformat(),
            "reason": draw(st.sampled_from(codes.get("closure_reason").active())),
        }
    elif status == "transferred":
        base["transfer"] = {
            "date": _stamp(opened_day + dt.timedelta(days=350), draw).isoformat(),
            "to_agency": draw(agencies()),
        }
    elif status == "duplicate":
        base["duplicate_of"] = str(draw(st.uuids().filter(lambda u: str(u) != base["id"])))
    return base


@st.composite
def _service(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["service"]))
    start = draw(dates())
    base["meta"] = draw(meta(start))
    base["start_date"] = _iso(start)
    base["end_date"] = _iso(start + dt.timedelta(days=draw(st.integers(0, 180))))
    if draw(st.booleans()):
        base["quantity"], base["unit"] = (
            float(draw(st.integers(1, 30))),
            draw(st.sampled_from(codes.get("service_unit").active())),
        )
    else:
        base.pop("quantity", None)
        base.pop("unit", None)
    if base["status"] == "planned":
        base["status"] = "delivered"
    return base


@st.composite
def _referral(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["referral"]))
    day = draw(dates())
    referred = _stamp(day, draw)
    base["meta"] = draw(meta(day))
    base["referred"] = referred.isoformat()
    base["to_agency"] = draw(agencies().filter(lambda a: a != base["from_agency"]))
    base.pop("responded", None)
    base.pop("completed", None)
    base.pop("rejection_reason", None)
    if base["status"] != "pending":
        responded = referred + dt.timedelta(hours=draw(st.integers(1, 240)))
        base["responded"] = responded.isoformat()
        if base["status"] == "completed":
            base["completed"] = (
                responded + dt.timedelta(days=draw(st.integers(1, 60)))
            ).isoformat()
    if base["status"] == "rejected":
        base["rejection_reason"] = draw(
            st.sampled_from(codes.get("referral_rejection_reason").active())
        )
    if "legal_basis" not in base:
        base["consent"] = {
            "scope": "referral",
            "given": True,
            "date": _iso(day),
            "given_by": draw(st.sampled_from(["self", "parent", "legal_guardian"])),
        }
    return base


@st.composite
def _trafficking_victim(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["trafficking_victim"]))
    start = draw(dates(FIRST_DAY, LAST_DAY - dt.timedelta(days=30)))
    base["meta"] = draw(meta(start))
    base["person"] = draw(_person(base["person"], dt.date(1970, 1, 1), dt.date(2008, 12, 31)))
    base["pre_identification_start"] = _iso(start)
    born = dt.date(int(base["person"]["birth_date"]["value"][:4]), 12, 31)
    if "age_when_trafficked" in base:
        base["age_when_trafficked"] = draw(st.integers(0, max(0, start.year - born.year - 1)))
    if base["status"] == "possible":
        base.pop("decision_date", None)
    else:
        base["deciding_body"] = draw(st.sampled_from(codes.get("deciding_body").active()))
        base["decision_date"] = _iso(start + dt.timedelta(days=draw(st.integers(1, 10))))
    kinds = base.get("exploitation_types", [])
    if "sexual_exploitation" not in kinds:
        base.pop("sexual_exploitation_types", None)
    if "forced_labour" not in kinds:
        base.pop("forced_labour_industries", None)
    base.pop("recruitment_method", None)  # deprecated: recruitment_methods replaces it
    base["registration_date"] = _iso(start)
    if "commission_referral_date" in base:
        decided = base.get("decision_date")
        latest = dt.date.fromisoformat(decided) if decided else start + dt.timedelta(days=10)
        base["commission_referral_date"] = _iso(draw(dates(start, latest)))
    if "exploitation_start" in base:
        began = draw(dates(dt.date(2010, 1, 1), start))
        base["exploitation_start"] = {"value": _iso(began)}
        if "exploitation_end" in base:
            base["exploitation_end"] = {"value": _iso(draw(dates(began, start)))}
    else:
        base.pop("exploitation_end", None)
    for event in base.get("trafficking_events", []):
        if event["country"] != "AM" and "location" in event:
            event["location"].pop("region", None)
            event["location"].pop("community", None)
    return base


@st.composite
def _organisation(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["organisation"]))
    base["name"] = draw(st.sampled_from(sample_data()["organisation_names"]))
    if base.get("parent_id") == base["id"]:
        base.pop("parent_id")
    return base


@st.composite
def _perpetrator(draw: st.DrawFn) -> Payload:
    base = draw(model_payloads(ENTITIES["perpetrator"]))
    base["victim_ids"] = sorted(set(base["victim_ids"]))
    person = base["person"]
    if "age" in person and "birth_date" in person:
        del person[draw(st.sampled_from(["age", "birth_date"]))]
    if "names" in person:
        person["names"] = draw(names(person.get("sex", "male")))
    return base


_ENTITY_STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Payload]]] = {
    "child": _child,
    "family": _family,
    "case": _case,
    "service": _service,
    "referral": _referral,
    "trafficking_victim": _trafficking_victim,
    "organisation": _organisation,
    "perpetrator": _perpetrator,
}


def payloads(entity: str) -> st.SearchStrategy[Payload]:
    """Valid, realistic JSON-ready payloads of ``entity`` (a name in ENTITIES)."""
    return _ENTITY_STRATEGIES[entity]()


def records(entity: str) -> st.SearchStrategy[BaseModel]:
    """Valid typed records of ``entity``: `payloads` parsed by the model."""
    model = ENTITIES[entity]
    return payloads(entity).map(model.model_validate)


# -- a synthetic population with ground truth ----------------------------------
#
# Everything below draws with one ``random.Random(seed)``, not hypothesis: it is
# made for benchmarks of casestd.dedup (bench/dedup.py) and has to make a
# million registrations in seconds.

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

_ARMENIAN_VOWELS = frozenset("աեէըիոօ")
_COMMON_LETTERS = dict(zip("աբգդզիլկհմյնպսվտրֆռօւ", "abgdzilkhmynpsvtrfrov", strict=True))
_ROMANISATIONS: dict[str, dict[str, str]] = {
    "iso9985": {
        **_COMMON_LETTERS,
        **dict(
            zip(
                "եէըթժխծձղճշոչջռցփքևւօ",
                [
                    "e",
                    "ē",
                    "ë",
                    "tʼ",
                    "ž",
                    "x",
                    "ç",
                    "j",
                    "ł",
                    "č̣",
                    "š",
                    "o",
                    "č",
                    "ǰ",
                    "ṙ",
                    "cʼ",
                    "pʼ",
                    "kʼ",
                    "ew",
                    "w",
                    "ō",
                ],
                strict=True,
            )
        ),
    },
    "bgn": {
        **_COMMON_LETTERS,
        **dict(
            zip(
                "եէըթժխծձղճշոչջցփքև",
                [
                    "e",
                    "e",
                    "y",
                    "t’",
                    "zh",
                    "kh",
                    "ts",
                    "dz",
                    "gh",
                    "ch",
                    "sh",
                    "o",
                    "ch’",
                    "j",
                    "ts’",
                    "p’",
                    "k’",
                    "ev",
                ],
                strict=True,
            )
        ),
    },
    "western": {
        **_COMMON_LETTERS,
        **dict(
            zip(
                "բպգկդտեէըթժխծձղճշոչջցփքև",
                [
                    "p",
                    "b",
                    "k",
                    "g",
                    "t",
                    "d",
                    "e",
                    "e",
                    "u",
                    "t",
                    "j",
                    "kh",
                    "dz",
                    "ts",
                    "gh",
                    "j",
                    "sh",
                    "o",
                    "ch",
                    "ch",
                    "ts",
                    "p",
                    "k",
                    "ev",
                ],
                strict=True,
            )
        ),
    },
}
_ROMANISATIONS["passport"] = {
    **_ROMANISATIONS["bgn"],
    **{"թ": "t", "չ": "ch", "ց": "ts", "փ": "p", "ք": "k"},
}
_RUSSIAN_BGN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
_RUSSIAN_ICAO = {**_RUSSIAN_BGN, "ё": "e", "й": "i", "ъ": "ie", "ю": "iu", "я": "ia"}
_RUSSIAN_VOWELS = frozenset("аеёиоуыэюяй")
_ALPHABETS = {
    "armn": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "cyrl": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "latn": "abcdefghijklmnopqrstuvwxyz",
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def romanise(armenian: str, system: str) -> str:
    """An Armenian-script name in a Latin romanisation.

    ``system`` is ``passport`` (the Armenian passport system), ``bgn``
    (BGN/PCGN 1981, apostrophes for aspirates), ``iso9985`` (with diacritics)
    or ``western`` (Western Armenian sounds: voiced and voiceless stops swap,
    ``ou`` for ու, ``-ian`` for -յան).

    >>> [romanise("Պետրոսյան", s) for s in ("passport", "bgn", "iso9985", "western")]
    ['Petrosyan', 'Petrosyan', 'Petrosyan', 'Bedrosian']
    >>> romanise("Երվանդ", "bgn"), romanise("Ոսկանյան", "passport"), romanise("Չոբանյան", "bgn")
    ('Yervand', 'Voskanyan', 'Ch’obanyan')
    >>> romanise("Խաչատրյան", "iso9985"), romanise("Հակոբյան", "western")
    ('Xačatryan', 'Hagopian')
    """
    table = _ROMANISATIONS[system]
    low = armenian.lower()
    out: list[str] = []
    index = 0
    while index < len(low):
        char = low[index]
        before = low[index - 1] if index else ""
        initial = not before.isalpha()
        after_vowel = before in _ARMENIAN_VOWELS or low[max(0, index - 2) : index] == "ու"
        if char == "ո" and low[index + 1 : index + 2] == "ւ":
            out.append({"iso9985": "ow", "western": "ou"}.get(system, "u"))
            index += 2
            continue
        if system == "western" and low[index:] == "յան":
            out.append("ian")
            break
        if system in ("bgn", "passport"):
            if char == "ե" and (initial or after_vowel):
                out.append("ye")
            elif char == "և" and (initial or after_vowel):
                out.append("yev")
            elif char == "ո" and initial:
                out.append("vo")
            else:
                out.append(table.get(char, char))
        elif system == "western" and char == "ե" and initial:
            out.append("ye")
        else:
            out.append(table.get(char, char))
        index += 1
    return _capital("".join(out))


def russian_latin(cyrillic: str, icao: bool = False) -> str:
    """A Russian-spelt name in Latin letters: BGN/PCGN, or the ICAO passport table.

    >>> russian_latin("Оганесян"), russian_latin("Арутюнян", icao=True)
    ('Oganesyan', 'Arutiunian')
    """
    table = _RUSSIAN_ICAO if icao else _RUSSIAN_BGN
    low = cyrillic.lower()
    out = []
    for index, char in enumerate(low):
        if char == "е" and not icao and (index == 0 or low[index - 1] in _RUSSIAN_VOWELS):
            out.append("ye")
        else:
            out.append(table.get(char, char))
    return _capital("".join(out))


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
    text = resources.files("casestd.testdata").joinpath("population_names.json").read_text("utf-8")
    data = json.loads(text)
    pools = {}
    for kind in ("family", "given_female", "given_male"):
        entries = tuple(_entry(item) for item in data[kind])
        weights = itertools.accumulate(1.0 / (rank + 1) ** 0.7 for rank in range(len(entries)))
        pools[kind] = _NamePool(entries, tuple(weights))
    return pools


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

    def facts(self) -> dict[str, str]:
        """The evidence facts `casestd.dedup.clusters.person_keys` gives this record."""
        facts = {"entity": self.entity, "agency": self.agency, "sex": self.sex}
        if self.district:
            facts["district"] = self.district
        if self.region:
            facts["region"] = self.region
        facts["birth_year"] = self.birth.value[:4]
        return facts

    def person_keys(self) -> PersonKeys:
        """The `PersonKeys` of this record, equal to those of its typed record, fast.

        The keys come from `casestd.dedup.keys` on `person` (no pydantic
        validation), plus ``child_record`` as `find_duplicates` adds it.
        """
        from casestd.dedup.clusters import CHILD_RECORD_KEY, PersonKeys
        from casestd.dedup.person_keys import keys

        values = keys(self.person())
        if self.entity == "child":
            values[CHILD_RECORD_KEY] = frozenset({self.record_id})
        elif self.child_id is not None:
            values[CHILD_RECORD_KEY] = frozenset({self.child_id})
        return PersonKeys(self.ref, values, self.facts())

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


@dataclasses.dataclass(frozen=True)
class Population:
    """A synthetic population: its registrations and the truth about them.

    ``truth`` maps every ref to its person id; ``variations`` every ref to the
    `VARIATION_KINDS` it carries.
    """

    registrations: tuple[Registration, ...]
    truth: dict[str, str]

    @property
    def people(self) -> int:
        """How many distinct persons the registrations stand for."""
        return len(set(self.truth.values()))

    @property
    def variations(self) -> dict[str, frozenset[str]]:
        """Ref -> the variation kinds of that registration."""
        return {reg.ref: reg.variations for reg in self.registrations}

    def true_pairs(self) -> set[tuple[str, str]]:
        """Every pair of refs (sorted within the pair) that is one person."""
        by_person: dict[str, list[str]] = {}
        for ref, person in self.truth.items():
            by_person.setdefault(person, []).append(ref)
        return {
            (first, second) if first < second else (second, first)
            for refs in by_person.values()
            for first, second in itertools.combinations(refs, 2)
        }

    def payloads(self) -> list[tuple[str, Payload]]:
        """(entity, JSON payload) of every record; a family record holds several registrations."""
        return [(entity, payload) for entity, payload in _records_of(self.registrations)]

    def records(self) -> list[common.Record]:
        """The typed records (validated by the pydantic models; slow at scale)."""
        return [ENTITIES[entity].model_validate(payload) for entity, payload in self.payloads()]

    def person_keys(self) -> list[PersonKeys]:
        """`Registration.person_keys` of every registration (fast path, no validation)."""
        return [reg.person_keys() for reg in self.registrations]

    def linkage_inputs(self) -> list[Payload]:
        """`Registration.linkage_input` of every registration."""
        return [reg.linkage_input() for reg in self.registrations]


def _meta(reg: Registration, rng: random.Random) -> Payload:
    minute = rng.randrange(9 * 60, 18 * 60)
    meta: Payload = {
        "standard_version": STANDARD_VERSION,
        "source_system": reg.source_system,
        "agency": reg.agency,
        "created": f"{reg.registered.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00+04:00",
    }
    if reg.district:
        meta["district"] = reg.district
    return meta


def _address(reg: Registration) -> Payload | None:
    if reg.region is None:
        return None
    address: Payload = {"region": reg.region}
    if reg.address_district:
        address["district"] = reg.address_district
    return address


def _records_of(registrations: Iterable[Registration]) -> Iterator[tuple[str, Payload]]:
    rng = random.Random(0)  # only the minutes of meta.created
    group: list[Registration] = []

    def family(members: list[Registration]) -> Payload:
        head = members[0]
        payload: Payload = {"id": head.record_id, "meta": _meta(head, rng)}
        rows = []
        for member in members:
            row = member.person_payload()
            row["relationship"] = member.relationship or "other_relative"
            row["head_of_household"] = member.relationship == "head"
            if member.relationship in ("head", "spouse"):
                row["caregiver"] = True
            if member.child_id:
                row["child_id"] = member.child_id
            rows.append(row)
        payload["members"] = rows
        if (address := _address(head)) is not None:
            payload["address"] = address
        return payload

    for reg in registrations:
        if group and reg.record_id != group[0].record_id:
            yield "family", family(group)
            group = []
        if reg.entity == "family":
            group.append(reg)
            continue
        payload = {"id": reg.record_id, "meta": _meta(reg, rng), **reg.person_payload()}
        if reg.entity == "child":
            payload["registration_date"] = reg.registered.isoformat()
            if (address := _address(reg)) is not None:
                payload["address"] = address
            yield "child", payload
        else:
            yield "trafficking_victim", _victim(reg, payload, rng)
    if group:
        yield "family", family(group)


def _victim(reg: Registration, base: Payload, rng: random.Random) -> Payload:
    person = {
        key: base.pop(key)
        for key in ("names", "sex", "birth_date", "identifiers", "contacts")
        if key in base
    }
    payload: Payload = {**base, "person": person}
    payload["pre_identification_start"] = reg.registered.isoformat()
    if rng.random() < 0.3:
        payload["status"] = "possible"
    else:
        payload["status"] = "actual"
        payload["deciding_body"] = "identification_commission"
        decided = reg.registered + dt.timedelta(days=rng.randint(1, 10))
        payload["decision_date"] = decided.isoformat()
    payload["exploitation_types"] = [
        rng.choice(["forced_labour", "sexual_exploitation", "forced_begging"])
    ]
    return payload


# -- the generator ---------------------------------------------------------------

_DISTRICTS: tuple[str, ...] = (
    "ajapnyak",
    "arabkir",
    "avan",
    "davtashen",
    "erebuni",
    "kanaker_zeytun",
    "kentron",
    "malatia_sebastia",
    "nork_marash",
    "nor_nork",
    "nubarashen",
    "shengavit",
)
_REGIONS: tuple[str, ...] = (
    "AM-AG",
    "AM-AR",
    "AM-AV",
    "AM-GR",
    "AM-KT",
    "AM-LO",
    "AM-SH",
    "AM-SU",
    "AM-TV",
    "AM-VD",
)
_REGIONAL_AGENCIES = {"AM-SH": "gyumri-cpc", "AM-LO": "vanadzor-day-centre"}
_VICTIM_AGENCIES = (
    ("ngo-hope-and-help", "ngo-database"),
    ("ngo-shelter-yerevan", "ngo-database"),
    ("police-ctip-unit", "ctip-registry"),
)
_MOBILE = ("33", "41", "43", "44", "55", "77", "91", "93", "94", "95", "96", "97", "98", "99")


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


class _Generator:
    def __init__(
        self, rng: random.Random, variation: Variation, duplicate_rate: float, most: int
    ) -> None:
        self.rng = rng
        self.rates = variation
        self.duplicate_rate = duplicate_rate
        self.most = most
        self.pools = _name_pools()
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
            person.phone = f"+374{rng.choice(_MOBILE)}{rng.randrange(10**6):06d}"
        return person

    def home(self) -> tuple[str, str | None]:
        if self.rng.random() < 0.6:
            return "AM-ER", self.rng.choice(_DISTRICTS)
        return self.rng.choice(_REGIONS), None

    def place(self, home: tuple[str, str | None]) -> tuple[str, str, str | None, str, str | None]:
        """(agency, source system, meta district, address region, address district)."""
        rng = self.rng
        region, district = home
        if region == "AM-ER" or rng.random() < 0.15:
            if rng.random() < 0.75:
                office = district if district and rng.random() < 0.5 else rng.choice(_DISTRICTS)
                agency = f"yerevan-{office.replace('_', '-')}-sso"
                return agency, "district-register", office, "AM-ER", district or office
            return "molsa-cmis", "cmis", None, region, district
        if region in _REGIONAL_AGENCIES and rng.random() < 0.4:
            return _REGIONAL_AGENCIES[region], "district-register", None, region, None
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
        alphabet = _ALPHABETS[script]
        size = len(text)
        position = rng.randrange(1, size) if size > 1 else 0
        operation = rng.randrange(4)
        if operation == 0 and size > 2:
            return text[:position] + text[position + 1 :]
        if operation == 1:
            return text[:position] + rng.choice(alphabet) + text[position:]
        if operation == 3 and size > 2 and text[position - 1] != text[position]:
            return text[: position - 1] + text[position] + text[position - 1] + text[position + 1 :]
        choices = [letter for letter in alphabet if letter != text[position].lower()]
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
            agency, system = self.rng.choice(_VICTIM_AGENCIES)
            place = (agency, system, None, "AM-ER", None)
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


def iter_registrations(
    n_people: int,
    *,
    seed: int,
    duplicate_rate: float = 0.3,
    max_registrations: int = 4,
    variation: Variation = Variation(),
) -> Iterator[Registration]:
    """The registrations of `population`, one at a time (constant memory).

    Same arguments and same registrations, in the same order, as `population`.
    """
    if n_people < 1:
        raise ValueError("n_people must be at least 1")
    if not 0 <= duplicate_rate <= 1:
        raise ValueError("duplicate_rate must be between 0 and 1")
    if max_registrations < 1:
        raise ValueError("max_registrations must be at least 1")
    rng = random.Random(seed)
    maker = _Generator(rng, variation, duplicate_rate, max_registrations)
    units = (maker.household, maker.lone_child, maker.lone_victim)
    while maker.people < n_people:
        yield from units[bisect.bisect((0.50, 0.85), rng.random())]()


def population(
    n_people: int,
    *,
    seed: int,
    duplicate_rate: float = 0.3,
    max_registrations: int = 4,
    variation: Variation = Variation(),
) -> Population:
    """A synthetic population of about ``n_people`` persons, with the truth.

    Households (a head, often a spouse whose maiden name differs, one to four
    children) are registered as families by the 12 Yerevan district offices,
    the CMIS or regional agencies; some of their children also have child
    records, some women and teenage girls trafficking-victim records; lone
    children and lone victims make up the rest (a young victim may also have a
    child record from before). Every registration channel registers its
    person (or household) again, elsewhere, with probability
    ``duplicate_rate``, up to ``max_registrations`` times. Each registration
    writes the person in its own way (`Variation`, `VARIATION_KINDS`): scripts
    and romanisations, curated spelling variants, typos, partial, estimated,
    swapped or mistyped birth dates, missing identifiers, maiden names,
    swapped names, patronymics. Names are drawn from
    ``casestd/testdata/population_names.json`` with Zipf-like weights, as
    real names are (many Hovhannisyans, few Mezhlumyans).

    Deterministic for a ``seed`` (``random.Random``). The last household may
    take the count a few persons above ``n_people``.

    >>> crowd = population(300, seed=1)
    >>> crowd.people >= 300, len(crowd.truth) == len(crowd.registrations)
    (True, True)
    >>> population(300, seed=1).truth == crowd.truth
    True
    """
    found = tuple(
        iter_registrations(
            n_people,
            seed=seed,
            duplicate_rate=duplicate_rate,
            max_registrations=max_registrations,
            variation=variation,
        )
    )
    return Population(found, {reg.ref: reg.person_id for reg in found})


__all__ = [
    "LATIN_SYSTEMS",
    "VARIATION_KINDS",
    "ContactForm",
    "DateForm",
    "IdentifierForm",
    "NameForm",
    "Population",
    "Registration",
    "Variation",
    "iter_registrations",
    "model_payloads",
    "payloads",
    "population",
    "records",
    "romanise",
    "russian_latin",
    "sample_data",
]
