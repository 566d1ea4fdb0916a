"""Rules on the trafficking victim entity."""

from __future__ import annotations

from collections.abc import Iterator

from casestd.model.trafficking_victim import TraffickingVictim
from casestd.model.types import whole_years
from casestd.rules.engine import Hit, RuleContext, rule


@rule("trafficking.actual_without_decision")
def actual_without_decision(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """An identified (actual) victim has the deciding body and the decision date."""
    if victim.status == "actual":
        if victim.deciding_body is None:
            yield Hit(("deciding_body",))
        if victim.decision_date is None:
            yield Hit(("decision_date",))


@rule("trafficking.sexual_type_without_sexual_exploitation")
def sexual_type_without_sexual_exploitation(
    victim: TraffickingVictim, ctx: RuleContext
) -> Iterator[Hit]:
    """A type of sexual exploitation is given only with sexual exploitation."""
    if victim.sexual_exploitation_types and "sexual_exploitation" not in victim.exploitation_types:
        yield Hit(("sexual_exploitation_types",))


@rule("trafficking.industry_without_forced_labour")
def industry_without_forced_labour(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """A forced-labour industry is given only with forced labour."""
    if victim.forced_labour_industries and "forced_labour" not in victim.exploitation_types:
        yield Hit(("forced_labour_industries",))


@rule("trafficking.age_when_trafficked_above_age")
def age_when_trafficked_above_age(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """The age when trafficked is not above the person's greatest possible current age."""
    birth = victim.person.birth_date
    if victim.age_when_trafficked is None or birth is None:
        return
    oldest_age = whole_years(birth.earliest, ctx.today)
    if victim.age_when_trafficked > oldest_age:
        yield Hit(("age_when_trafficked",))


@rule("trafficking.decision_before_pre_identification")
def decision_before_pre_identification(
    victim: TraffickingVictim, ctx: RuleContext
) -> Iterator[Hit]:
    """The status decision comes after pre-identification started."""
    start, decided = victim.pre_identification_start, victim.decision_date
    if start is not None and decided is not None and decided < start:
        yield Hit(("decision_date",))


@rule("trafficking.pre_identification_too_long")
def pre_identification_too_long(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """Pre-identification lasts at most 10 days (configurable) before formal identification.

    For a possible victim it is still running today; for a decided status
    (actual or not a victim) it ended on the decision date.
    """
    start = victim.pre_identification_start
    end = ctx.today if victim.status == "possible" else victim.decision_date
    if start is None or end is None:
        return
    limit = ctx.deadlines.pre_identification
    if end - start > limit:
        yield Hit(("pre_identification_start",), {"days": limit.days})


@rule("trafficking.exploitation_end_before_start")
def exploitation_end_before_start(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """Exploitation cannot end before it began (partial dates: on any reading of them)."""
    start, end = victim.exploitation_start, victim.exploitation_end
    if start is not None and end is not None and end.latest < start.earliest:
        yield Hit(("exploitation_end", "value"))


@rule("trafficking.decision_before_commission_referral")
def decision_before_commission_referral(
    victim: TraffickingVictim, ctx: RuleContext
) -> Iterator[Hit]:
    """The identification commission decides after the case was referred to it."""
    referred, decided = victim.commission_referral_date, victim.decision_date
    if (
        victim.deciding_body == "identification_commission"
        and referred is not None
        and decided is not None
        and decided < referred
    ):
        yield Hit(("decision_date",))


@rule("trafficking.event_location_outside_armenia")
def event_location_outside_armenia(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """An event's region and community are Armenian: only for an event in Armenia (AM)."""
    for index, event in enumerate(victim.trafficking_events):
        location = event.location
        if location is None or event.country == "AM":
            continue
        for part in ("region", "community"):
            if getattr(location, part) is not None:
                yield Hit(("trafficking_events", index, "location", part))


@rule("record.deprecated_field")
def deprecated_field(victim: TraffickingVictim, ctx: RuleContext) -> Iterator[Hit]:
    """A deprecated field is accepted, with a warning that names its replacement."""
    if victim.recruitment_method is not None:
        yield Hit(("recruitment_method",), {"replacement": "recruitment_methods"})
