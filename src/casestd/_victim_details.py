"""Synthetic trafficking details for generated victims, for the exchange tests and benches.

`casestd.testing.casework` makes victims with the fields the indicators read; CTDC
and HTCDS also carry the registration date, gender, means of control,
industries, types of sexual exploitation, the recruiter's relation and the
months of exploitation. `with_details` adds them to a victim payload, drawn
from a random generator seeded by the victim's id (so the casework itself is
unchanged), with skewed frequencies like those of real registers: a few
combinations are common and many are rare, which is what makes k-anonymity
cost something.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

Payload = dict[str, Any]

_CONTROL = (
    (("false_promises",), 30),
    (("false_promises", "withholds_documents"), 20),
    (("debt_bondage", "takes_earnings"), 15),
    (("physical_threats", "psychological_abuse"), 12),
    (("restricts_movement", "withholds_necessities"), 8),
    (("psychoactive_substance", "sexual_abuse"), 5),
    (("excessive_working_hours",), 5),
    ((), 25),
)
_INDUSTRIES = (
    (("construction",), 30),
    (("agriculture_forestry_fishing",), 25),
    (("households_as_employers",), 20),
    (("accommodation_food_service",), 15),
    (("manufacturing",), 10),
)
_SEXUAL = ((("prostitution",), 70), (("pornography",), 10), (("private_sexual_services",), 20))
_RECRUITER = (
    ("friend", 25),
    ("intimate_partner", 15),
    ("family", 10),
    ("acquaintance", 20),
    ("employer", 10),
    (None, 20),
)


def _pick(rng: random.Random, options: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([option for option, _ in options], [weight for _, weight in options])[0]


def with_details(victim: Payload) -> Payload:
    """``victim`` with registration date, gender and trafficking details added (in place)."""
    rng = random.Random(victim["id"])
    created = dt.date.fromisoformat(victim["meta"]["created"][:10])
    detected = victim.get("pre_identification_start")
    registered = dt.date.fromisoformat(detected) if detected else created
    victim["registration_date"] = registered.isoformat()
    person = victim["person"]
    if rng.random() < 0.9:
        person["gender"] = "feminine" if person["sex"] == "female" else "masculine"
    control = _pick(rng, _CONTROL)
    if control:
        victim["control_methods"] = list(control)
    kinds = victim.get("exploitation_types", [])
    if "forced_labour" in kinds and rng.random() < 0.8:
        victim["forced_labour_industries"] = list(_pick(rng, _INDUSTRIES))
    if "sexual_exploitation" in kinds and rng.random() < 0.8:
        victim["sexual_exploitation_types"] = list(_pick(rng, _SEXUAL))
    relation = _pick(rng, _RECRUITER)
    if relation is not None:
        victim["recruiter_relationship"] = relation
    if rng.random() < 0.6:
        months = int(rng.expovariate(1 / 9))
        end = registered - dt.timedelta(days=rng.randint(0, 60))
        start = end - dt.timedelta(days=30 * months + rng.randint(0, 29))
        victim["exploitation_start"] = {"value": f"{start:%Y-%m}", "estimated": True}
        victim["exploitation_end"] = {"value": end.isoformat(), "estimated": False}
    return victim


def victims(n_victims: int, *, seed: int) -> Iterator[Payload]:
    """The victim payloads of `casestd.testing.casework.casework`, with their details."""
    from casestd.testing.casework import iter_casework

    for entity, payload, _ in iter_casework(n_victims, seed=seed):
        if entity == "trafficking_victim":
            yield with_details(payload)
