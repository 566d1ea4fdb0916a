"""Every indicator against an independent computation on synthetic casework with known truth."""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from collections import Counter
from typing import Any

import pytest

from casestd.indicators import Period, compute
from casestd.indicators.categories import age_category
from casestd.indicators.compute import percentile
from casestd.testing.casework import Casework, casework, typed

PERIOD = Period.parse("2025")


@functools.cache
def _world() -> tuple[Casework, Any]:
    work = casework(900, seed=11)
    records = [typed(entity, payload) for entity, payload in work.records]
    return work, compute(records, period=PERIOD)


def _victims() -> list[dict[str, Any]]:
    return [p for e, p in _world()[0].records if e == "trafficking_victim"]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _recognised(v: dict[str, Any]) -> bool:
    return (
        v["status"] == "actual"
        and v.get("deciding_body") == "identification_commission"
        and v.get("decision_date") is not None
    )


def _identified_in_period() -> list[dict[str, Any]]:
    return [v for v in _victims() if _recognised(v) and _d(v["decision_date"]) in PERIOD]


def _age_at(v: dict[str, Any], on: dt.date) -> tuple[int, int] | None:
    text = v["person"].get("birth_date", {}).get("value")
    if not text:
        return None
    parts = [int(x) for x in text.split("-")]
    earliest = dt.date(
        parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
    )
    if len(parts) == 3:
        latest = earliest
    elif len(parts) == 2:
        latest = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        latest = dt.date(parts[0], 12, 31)

    def age(born: dt.date) -> int:
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    return age(latest), age(earliest)


def _child(v: dict[str, Any]) -> bool | None:
    ages = _age_at(v, _day(v.get("pre_identification_start")) or _d(v["decision_date"]))
    if ages is None:
        return None
    youngest, oldest = ages
    if oldest < 18:
        return True
    if youngest >= 18:
        return False
    return None


def test_victims_identified_total_and_by_sex() -> None:
    result = _world()[1]
    found = _identified_in_period()
    assert result.figure("victims_identified").value == len(found)
    for sex in ("female", "male"):
        expected = sum(v["person"]["sex"] == sex for v in found)
        assert result.figure("victims_identified", "sex", sex).numerator == expected


def test_victims_identified_by_child_or_adult_with_partial_dates_at_the_edge() -> None:
    result = _world()[1]
    found = _identified_in_period()
    truth = Counter({True: "child", False: "adult", None: "unknown"}[_child(v)] for v in found)
    assert truth["unknown"] > 0, "the population must hold birth dates that straddle 18"
    for code in ("child", "adult", "unknown"):
        assert result.figure("victims_identified", "age_group", code).numerator == truth[code]


def test_breakdowns_add_up_to_the_total() -> None:
    result = _world()[1]
    total = result.figure("victims_identified").numerator
    for name in result.by["victims_identified"]:
        cells = [
            f
            for f in result.figures
            if f.indicator == "victims_identified" and f.breakdown == name and f.period == "2025"
        ]
        assert sum(f.numerator or 0 for f in cells) == total, name


def test_recognition_rate() -> None:
    decided = [
        v
        for v in _victims()
        if (
            v.get("deciding_body") == "identification_commission"
            or v.get("commission_referral_date")
        )
        and v["status"] in ("actual", "not_a_victim")
        and _day(v.get("decision_date")) in PERIOD
    ]
    figure = _world()[1].figure("recognition_rate")
    assert figure.denominator == len(decided)
    assert figure.numerator == sum(v["status"] == "actual" for v in decided)
    assert figure.value == pytest.approx(100 * figure.numerator / figure.denominator)


def test_days_to_identification_median_p90_and_limit() -> None:
    days = [
        (_d(v["decision_date"]) - _d(v["pre_identification_start"])).days
        for v in _identified_in_period()
        if v.get("pre_identification_start")
    ]
    result = _world()[1]
    assert result.figure("days_to_identification_median").value == statistics.median(days)
    ranked = sorted(days)
    assert (
        result.figure("days_to_identification_p90").value == ranked[-(-len(ranked) * 9 // 10) - 1]
    )
    within = result.figure("identified_within_limit")
    assert (within.numerator, within.denominator) == (sum(d <= 10 for d in days), len(days))
    missing = sum(not v.get("pre_identification_start") for v in _identified_in_period())
    assert within.excluded == ({"unknown:detection_date": missing} if missing else {})


def _services_of(victim_id: str) -> list[dict[str, Any]]:
    return [
        p
        for e, p in _world()[0].records
        if e == "service"
        and p["beneficiary_id"] == victim_id
        and p["status"] in ("ongoing", "delivered")
    ]


def test_early_assistance_and_coverage() -> None:
    found = [v for v in _identified_in_period() if v.get("pre_identification_start")]
    early = 0
    for v in found:
        detected = _d(v["pre_identification_start"])
        starts = [_d(s["start_date"]) for s in _services_of(v["id"])]
        starts = [s for s in starts if s <= PERIOD.end]
        if starts and max(0, (min(starts) - detected).days) <= 3:
            early += 1
    figure = _world()[1].figure("early_assistance")
    assert (figure.numerator, figure.denominator) == (early, len(found))
    shelter = sum(
        any(s["service_type"] == "safe_house" for s in _services_of(v["id"]))
        or "shelter" in v.get("support_received", [])
        for v in _identified_in_period()
    )
    assert _world()[1].figure("coverage_shelter").numerator == shelter
    paid = sum(v.get("compensation", {}).get("status") == "paid" for v in _identified_in_period())
    assert _world()[1].figure("coverage_compensation").numerator == paid


def test_referrals_completed_in_30_days_leave_out_open_ones_not_yet_due() -> None:
    sent = [
        p
        for e, p in _world()[0].records
        if e == "referral" and _day(p["referred"]) in PERIOD and p["status"] != "cancelled"
    ]
    done, due, not_due = 0, 0, 0
    for p in sent:
        referred = _d(p["referred"])
        completed = _day(p.get("completed")) if p["status"] == "completed" else None
        if completed is not None and completed > PERIOD.end:
            completed = None
        if completed is None and (PERIOD.end - referred).days < 30:
            not_due += 1
            continue
        due += 1
        done += completed is not None and (completed - referred).days <= 30
    figure = _world()[1].figure("referrals_completed_30d")
    assert (figure.numerator, figure.denominator) == (done, due)
    assert figure.excluded == {"open:not_due": not_due}
    assert not_due > 0


def test_child_victims_with_a_child_protection_case() -> None:
    cases: dict[str, dt.date] = {}
    for e, p in _world()[0].records:
        if e == "case" and p["case_type"] == "child_protection":
            day = _d(p["opened"])
            cases[p["subject"]["id"]] = min(day, cases.get(p["subject"]["id"], day))
    children = [
        v
        for v in _identified_in_period()
        if v.get("pre_identification_start") and _child(v) is True
    ]
    timely = sum(
        v["id"] in cases and max(0, (cases[v["id"]] - _d(v["pre_identification_start"])).days) <= 3
        for v in children
    )
    figure = _world()[1].figure("child_victims_cp_case")
    assert (figure.numerator, figure.denominator) == (timely, len(children))


def test_reidentification_finds_the_same_person_identified_twice() -> None:
    work, result = _world()
    by_person: dict[str, list[dt.date]] = {}
    for v in _victims():
        if _recognised(v):
            by_person.setdefault(work.truth[v["id"]], []).append(_d(v["decision_date"]))
    expected = truth = 0
    for v in _identified_in_period():
        day = _d(v["decision_date"])
        earlier = [d for d in by_person[work.truth[v["id"]]] if d < day]
        if earlier:
            before = max(earlier)
            months = (
                (day.year - before.year) * 12 + day.month - before.month - (day.day < before.day)
            )
            truth += months <= 24
            # the linkage keys: an identifier, or the name with a full birth date
            person = v["person"]
            linkable = person.get("identifiers") or len(person["birth_date"]["value"]) == 10
            expected += months <= 24 and bool(linkable)
    assert expected > 0
    figure = result.figure("reidentified_24m")
    assert figure.numerator == expected <= truth  # a lower bound of the truth


def test_records_outside_the_period_do_not_count() -> None:
    before = [v for v in _victims() if _recognised(v) and _d(v["decision_date"]) < PERIOD.start]
    assert before
    records = [typed("trafficking_victim", v) for v in before]
    assert compute(records, period=PERIOD).figure("victims_identified").value == 0


def test_victims_registered_and_a_missing_date_is_an_exclusion() -> None:
    registered = _world()[1].figure("victims_registered")
    in_scope = [v for v in _victims() if v["status"] in ("possible", "actual")]
    dated = [v for v in in_scope if v.get("registration_date")]
    assert registered.value == sum(_d(v["registration_date"]) in PERIOD for v in dated)
    assert registered.excluded == {"unknown:registration_date": len(in_scope) - len(dated)}
    assert len(dated) < len(in_scope)


def _district(v: dict[str, Any]) -> str:
    address = v.get("address")
    if address is None:
        return "unknown"
    if address["region"] != "AM-ER":
        return "outside_yerevan"
    return str(address.get("district", "unknown"))


def test_victims_identified_by_region_and_district_of_residence() -> None:
    result = _world()[1]
    identified = _identified_in_period()
    regions = Counter(v.get("address", {}).get("region", "unknown") for v in identified)
    districts = Counter(_district(v) for v in identified)
    for region, count in regions.items():
        assert result.figure("victims_identified", "region", region).numerator == count
    for district, count in districts.items():
        assert result.figure("victims_identified", "district", district).numerator == count
    assert regions["unknown"] and districts["outside_yerevan"] and len(regions) > 3


def test_referrals_completed_by_receiving_agency_type() -> None:
    types = {p["agency_id"]: p["type"] for e, p in _world()[0].records if e == "organisation"}
    assert types  # the organisation register is part of the casework
    seen: Counter[str] = Counter()
    for e, p in _world()[0].records:
        if e == "referral" and _day(p["referred"]) in PERIOD and p["status"] != "cancelled":
            referred, completed = _d(p["referred"]), None
            if p["status"] == "completed" and _d(p["completed"]) <= PERIOD.end:
                completed = _d(p["completed"])
            if completed is None and (PERIOD.end - referred).days < 30:
                continue  # not due yet: excluded
            seen[types.get(p["to_agency"], "unknown")] += 1
    result = _world()[1]
    for kind, count in seen.items():
        figure = result.figure("referrals_completed_30d", "agency_type", kind)
        assert figure.denominator == count
    assert seen["unknown"] and len(seen) > 2  # one agency is not in the register


def test_percentile_and_age_band_helpers() -> None:
    assert percentile(Counter({5: 1}), 0.9) == 5.0
    assert (
        age_category("age_band", (dt.date(2000, 1, 1), dt.date(2000, 1, 1)), dt.date(2018, 1, 1))
        == "18-20"
    )
    assert (
        age_category("age_band", (dt.date(2000, 1, 1), dt.date(2000, 12, 31)), dt.date(2018, 6, 1))
        == "unknown"
    )
    assert age_category("age_band", None, dt.date(2018, 6, 1)) == "unknown"


def test_unknown_parameter_or_breakdown_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown parameter"):
        compute([], period=PERIOD, parameters={"nonsense": 1})
    with pytest.raises(KeyError):
        compute([], period=PERIOD, by=["shoe_size"])


def test_duplicated_services_are_those_dedup_finds_over_every_service() -> None:
    from casestd.dedup import find_duplicates, record_keys, service_overlaps
    from casestd.indicators.variables import link_keys

    work = _world()[0]
    records = [typed(entity, payload) for entity, payload in work.records]
    people = [k for r in records for k in record_keys(r, only=link_keys())]
    clusters = find_duplicates(people, keys=link_keys(), tolerant=(), household=())
    services = [r for r in records if type(r).__name__ == "Service"]
    overlaps = service_overlaps(services, clusters, today=PERIOD.end)
    expected = sum(overlap.start in PERIOD for overlap in overlaps)
    assert expected > 0
    assert _world()[1].figure("services_duplicated").numerator == expected


#: The forms of exploitation the catalogue groups, written out again here (independently).
_FORMS = {
    "sexual_exploitation": "sexual",
    "forced_labour": "labour",
    "servitude": "labour",
    "child_labour": "labour",
    "forced_begging": "begging",
    "forced_criminality": "criminality",
    "forced_marriage": "marriage",
}


def _categories(v: dict[str, Any]) -> dict[str, str]:
    forms = {_FORMS.get(t, "other") for t in v.get("exploitation_types", [])}
    countries = v["person"].get("citizenships", [])
    places = {
        e["country"] == "AM" for e in v.get("trafficking_events", []) if e["type"] == "exploitation"
    }
    child = _child(v)
    sex = v["person"]["sex"]
    adults = {"female": "women", "male": "men"}
    children = {"female": "girls", "male": "boys"}
    sex_age = (
        (children if child else adults).get(sex, "unknown") if child is not None else "unknown"
    )
    return {
        "exploitation": "unknown" if not forms else forms.pop() if len(forms) == 1 else "mixed",
        "citizenship": "armenian" if "AM" in countries else "foreign" if countries else "unknown",
        "exploited_where": {frozenset(): "unknown", frozenset({True}): "armenia",
                            frozenset({False}): "abroad"}.get(frozenset(places), "both"),
        "sex_age": sex_age,
    }  # fmt: skip


@pytest.mark.parametrize("breakdown", ["exploitation", "citizenship", "exploited_where", "sex_age"])
def test_victims_identified_by_form_citizenship_place_and_unodc_category(breakdown: str) -> None:
    truth = Counter(_categories(v)[breakdown] for v in _identified_in_period())
    assert len(truth) > 2, "the casework must hold several categories"
    for code, expected in truth.items():
        assert _world()[1].figure("victims_identified", breakdown, code).numerator == expected


@pytest.mark.parametrize(
    ("kind", "services", "support"),
    [
        ("medical", {"health_medical"}, {"health"}),
        ("psychological", {"psychosocial"}, {"psychological"}),
        ("legal", {"legal_assistance"}, {"legal"}),
        ("reintegration", {"livelihoods", "education"}, {"livelihood", "education"}),
    ],
)
def test_coverage_of_each_kind_of_assistance(
    kind: str, services: set[str], support: set[str]
) -> None:
    found = _identified_in_period()
    covered = sum(
        any(s["service_type"] in services for s in _services_of(v["id"]))
        or bool(support & set(v.get("support_received", [])))
        for v in found
    )
    figure = _world()[1].figure(f"coverage_{kind}")
    assert (figure.numerator, figure.denominator) == (covered, len(found))


def test_rate_per_100000_uses_the_population_file() -> None:
    from casestd.indicators.population import Population

    lines = ["year,sex,age_group,region,population", "2025,,,,2990900", "2025,female,,,1590000"]
    population = Population.read(lines)
    work = _world()[0]
    result = compute(
        [typed(e, p) for e, p in work.records],
        period=PERIOD,
        indicators=["victims_identified_rate"],
        population=population,
    )
    found = _identified_in_period()
    total = result.figure("victims_identified_rate")
    assert total.value == pytest.approx(100_000 * len(found) / 2_990_900)
    women = sum(v["person"]["sex"] == "female" for v in found)
    by_sex = result.figure("victims_identified_rate", "sex", "female")
    assert by_sex.value == pytest.approx(100_000 * women / 1_590_000)
    male = result.figure("victims_identified_rate", "sex", "male")
    assert male.value is None and male.excluded == {"population:missing": male.numerator}


def test_cost_per_beneficiary_by_district_office() -> None:
    offices: dict[tuple[str, str], list[int | None]] = {}
    for entity, s in _world()[0].records:
        if entity != "service" or s["status"] == "cancelled" or _d(s["start_date"]) not in PERIOD:
            continue
        costs = offices.setdefault((s["beneficiary_id"], s.get("provider_district", "unknown")), [])
        costs.append(s.get("cost_amd"))
    paid = {key: sum(c for c in costs if c is not None) for key, costs in offices.items()
            if any(c is not None for c in costs)}  # fmt: skip
    result = _world()[1]
    total = result.figure("cost_per_beneficiary")
    assert (total.numerator, total.total_amd) == (len(paid), sum(paid.values()))
    assert total.value == pytest.approx(sum(paid.values()) / len(paid))
    for office in {office for _, office in paid}:
        mine = [amount for (_, place), amount in paid.items() if place == office]
        figure = result.figure("cost_per_beneficiary", "provider_district", office)
        assert figure.value == pytest.approx(sum(mine) / len(mine)), office


def test_beneficiaries_registered_by_more_than_one_district_office() -> None:
    """The persons linked by the catalogue's keys, counted again from the raw records."""
    from casestd.dedup import find_duplicates, record_keys
    from casestd.indicators.variables import link_keys

    work = _world()[0]
    victims = [typed(e, p) for e, p in work.records if e == "trafficking_victim"]
    people = [k for v in victims for k in record_keys(v, only=link_keys())]
    clusters = find_duplicates(people, keys=link_keys(), tolerant=(), household=())
    payloads = {v["id"]: v for v in _victims()}
    expected = 0
    for cluster in clusters:
        records = [payloads[str(ref).split("/", 1)[1].split("#")[0]] for ref in cluster.refs]
        offices = {r["meta"].get("district") for r in records} - {None}
        days = [_d(r.get("registration_date") or r["meta"]["created"]) for r in records]
        expected += len(offices) > 1 and any(day in PERIOD for day in days)
    assert expected > 0, "the casework must hold persons registered in two districts"
    assert _world()[1].figure("beneficiaries_multi_district").numerator == expected
