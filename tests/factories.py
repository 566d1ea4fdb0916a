"""Minimal valid payloads of the entities, a fixed rule context and finding helpers.

Every factory returns a new plain dict with JSON-ready values (dates and
timestamps as ISO 8601 strings, timestamps at +04:00), so a test can change
one field to break exactly one rule. ``CONTEXT`` fixes "now" at
2026-01-15 12:00 in Yerevan, so the time-dependent rules are deterministic.

The rule tests call `assert_finding` with the rule id as a literal string;
``test_rules_common`` reads those calls to prove every registered rule is tested.
"""

from __future__ import annotations

import datetime as dt
import string
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from casestd import validate
from casestd.report import Finding, Report, Severity
from casestd.rules import RuleContext
from casestd.rules.messages import catalogue

Payload = dict[str, Any]

YEREVAN = ZoneInfo("Asia/Yerevan")
#: "Now" for every rule test: 15 January 2026, noon in Yerevan.
CONTEXT = RuleContext(now=datetime(2026, 1, 15, 12, 0, tzinfo=YEREVAN))
ENTITIES = (
    "child",
    "family",
    "case",
    "service",
    "referral",
    "trafficking_victim",
    "organisation",
    "perpetrator",
)
#: Entities whose records hold persons (names, birth dates, identifiers).
PERSON_ENTITIES = ("child", "family", "trafficking_victim")

CHILD_ID = "3f1c2a6e-8b4d-4c1e-9a57-0d2b6e4f8a11"
FAMILY_ID = "7a9e4b12-3c5d-4e6f-8a1b-2c3d4e5f6a72"
CASE_ID = "c4e8a2b6-1d3f-4a5c-9e7b-8f0a1b2c3d43"
SERVICE_ID = "5b7d9f1a-2c4e-4b6d-8f0a-1c3e5a7b9d04"
REFERRAL_ID = "9d1f3b5a-7c9e-4d1a-b3c5-e7f9a1b3c5d5"
VICTIM_ID = "e2a4c6e8-0b2d-4f4a-8c6e-0a2c4e6a8c06"
CHILD_REF_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c57"
ORGANISATION_ID = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d68"
PERPETRATOR_ID = "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e79"

#: The time at which the valid case was opened; its deadlines run from here.
CASE_OPENED = "2025-12-01T09:00:00+04:00"


def meta(created: str = "2025-03-01T10:00:00+04:00") -> Payload:
    """Record metadata created at ``created``."""
    return {
        "standard_version": "1.0.0",
        "source_system": "cmis",
        "agency": "molsa-cmis",
        "created": created,
    }


def name(given: str = "Anna", family: str = "Petrosyan") -> Payload:
    """A name in Latin script."""
    return {"given": given, "family": family, "script": "latn"}


def child() -> Payload:
    """A girl born 2015-04-10, registered 2025-03-01."""
    return {
        "id": CHILD_ID,
        "meta": meta("2025-03-01T10:00:00+04:00"),
        "names": [name()],
        "sex": "female",
        "birth_date": {"value": "2015-04-10"},
        "registration_date": "2025-03-01",
    }


def family_member(relationship: str, sex: str, birth: str | None = None) -> Payload:
    """A household member who is not the head."""
    member: Payload = {
        "names": [name("Aram" if sex == "male" else "Anna")],
        "sex": sex,
        "relationship": relationship,
    }
    if birth is not None:
        member["birth_date"] = {"value": birth}
    return member


def family() -> Payload:
    """A household of one: its head, a man born 1985-02-20."""
    return {
        "id": FAMILY_ID,
        "meta": meta("2025-03-01T10:00:00+04:00"),
        "members": [
            {
                "names": [name("Tigran")],
                "sex": "male",
                "birth_date": {"value": "1985-02-20"},
                "relationship": "head",
                "head_of_household": True,
            }
        ],
    }


def case() -> Payload:
    """An open, low-risk case opened 2025-12-01 09:00 with a case plan four days later."""
    return {
        "id": CASE_ID,
        "meta": meta(CASE_OPENED),
        "case_number": "2025/00042",
        "subject": {"type": "child", "id": CHILD_ID},
        "case_type": "child_protection",
        "status": "open",
        "stage": "case_plan",
        "risk_level": "low",
        "opened": CASE_OPENED,
        "agency": "yerevan-kentron-sso",
        "case_plan": {
            "created": "2025-12-05T11:00:00+04:00",
            "goals": [{"description": "Child attends school daily", "status": "in_progress"}],
        },
    }


def service() -> Payload:
    """A psychosocial service delivered in March 2025."""
    return {
        "id": SERVICE_ID,
        "meta": meta("2025-03-01T10:00:00+04:00"),
        "beneficiary_id": CHILD_ID,
        "service_type": "psychosocial",
        "provider_agency": "yerevan-kentron-sso",
        "status": "delivered",
        "start_date": "2025-03-01",
        "end_date": "2025-03-31",
    }


def referral() -> Payload:
    """A pending referral with the parent's consent, sent 2025-03-01 10:00."""
    return {
        "id": REFERRAL_ID,
        "meta": meta("2025-03-01T10:00:00+04:00"),
        "case_id": CASE_ID,
        "from_agency": "yerevan-kentron-sso",
        "to_agency": "molsa-cmis",
        "service_types": ["psychosocial"],
        "reason": "specialised_service_needed",
        "urgency": "normal",
        "status": "pending",
        "referred": "2025-03-01T10:00:00+04:00",
        "consent": {
            "scope": "referral",
            "given": True,
            "date": "2025-03-01",
            "given_by": "parent",
        },
    }


def trafficking_victim() -> Payload:
    """A possible victim, a woman born 2000-05-10, not yet in pre-identification."""
    return {
        "id": VICTIM_ID,
        "meta": meta("2025-03-01T10:00:00+04:00"),
        "person": {
            "names": [name("Mariam", "Hakobyan")],
            "sex": "female",
            "birth_date": {"value": "2000-05-10"},
        },
        "status": "possible",
    }


def organisation() -> Payload:
    """An NGO known to other records as ``ngo-shelter``."""
    return {
        "id": ORGANISATION_ID,
        "meta": meta(),
        "agency_id": "ngo-shelter",
        "name": "Shelter",
        "type": "ngo",
    }


def perpetrator() -> Payload:
    """A man of about 40 linked to the victim of `trafficking_victim`."""
    return {
        "id": PERPETRATOR_ID,
        "meta": meta(),
        "person": {"sex": "male", "age": 40},
        "victim_ids": [VICTIM_ID],
    }


FACTORIES = {
    "child": child,
    "family": family,
    "case": case,
    "service": service,
    "referral": referral,
    "trafficking_victim": trafficking_victim,
    "organisation": organisation,
    "perpetrator": perpetrator,
}


def payload(entity: str) -> Payload:
    """The minimal valid payload of ``entity``."""
    return FACTORIES[entity]()


def stamp(text: str, **delta: float) -> str:
    """The ISO timestamp ``text`` moved by a timedelta of ``delta`` (e.g. hours=24)."""
    return (datetime.fromisoformat(text) + dt.timedelta(**delta)).isoformat()


def day(text: str, days: int) -> str:
    """The ISO date ``text`` moved by ``days``."""
    return (dt.date.fromisoformat(text) + dt.timedelta(days=days)).isoformat()


def at(text: str) -> RuleContext:
    """A rule context whose "now" is the ISO timestamp ``text``."""
    return RuleContext(now=datetime.fromisoformat(text))


def check(entity: str, data: Payload, context: RuleContext = CONTEXT, lang: str = "en") -> Report:
    """Validate ``data`` and make sure it passed the model, so only rules can complain."""
    report = validate(entity, data, lang=lang, context=context)
    assert report.record is not None, [f.to_dict() for f in report.findings]
    return report


def findings_of(report: Report, rule: str) -> list[Finding]:
    """The findings of ``rule`` in ``report``."""
    return [f for f in report.findings if f.rule == rule]


def assert_no_finding(report: Report, rule: str) -> None:
    """``report`` has no finding of ``rule``, which must be a rule id casestd has: a
    misspelt id would have no finding either, and the test would pass for nothing."""
    assert rule in catalogue(), f"no rule {rule!r}"
    found = findings_of(report, rule)
    assert not found, [f.to_dict() for f in found]


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def assert_finding(
    report: Report, rule: str, severity: Severity, *paths: str, alone: bool = True
) -> list[Finding]:
    """``report`` has findings of ``rule`` exactly at ``paths``, each with ``severity``.

    With ``alone`` (the default) no other rule has a finding, so the change
    in the test broke exactly this rule. The message must have all its
    parameters filled in.
    """
    assert paths, "name at least one path"
    found = findings_of(report, rule)
    assert sorted(f.path for f in found) == sorted(paths), [f.to_dict() for f in report]
    templates = catalogue()[rule].values()
    parameters = set().union(*(_placeholders(t) for t in templates))
    for finding in found:
        assert finding.severity == severity, finding.to_dict()
        if parameters and not any("?" in t for t in templates):
            assert "?" not in finding.message, f"a parameter of {rule} is missing"
    if alone:
        others = [f.to_dict() for f in report.findings if f.rule != rule]
        assert not others, others
    return found
