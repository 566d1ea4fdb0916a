"""Hypothesis strategies for every entity: valid, realistic records.

The strategies are derived from the pydantic models: every coded field draws
from its code list and every field the model has is covered, so a new field or
code shows up in generated data without edits here. Realism comes from a few
providers (Armenian, Russian and Latin names, Yerevan districts, Armenian
phones, agencies: `casestd.testing.samples`) and from fix-ups that make dates
and statuses agree the way the cross-field rules require.

>>> from hypothesis import given, settings
>>> from casestd import validate
>>> @settings(deadline=None)  # the first call builds the models
... @given(payloads("child"))
... def test(payload):
...     assert validate("child", payload).ok
>>> test()
"""

from __future__ import annotations

import datetime as dt
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from casestd import codes
from casestd.model import ENTITIES, common
from casestd.model.types import CodeRef, add_years
from casestd.testing.samples import FIRST_DAY, LAST_DAY, sample_data
from casestd.version import STANDARD_VERSION

Payload = dict[str, Any]
YEREVAN = dt.timezone(dt.timedelta(hours=4))


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


__all__ = [
    "addresses",
    "agencies",
    "contacts",
    "dates",
    "identifiers",
    "meta",
    "model_payloads",
    "names",
    "partial_dates",
    "payloads",
    "phones",
    "records",
    "timestamps",
]
