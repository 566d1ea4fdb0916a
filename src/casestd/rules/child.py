"""Rules on the child entity."""

from __future__ import annotations

from collections import Counter

from casestd.model.child import Child
from casestd.model.types import add_years
from casestd.normalise.partial_date import bounds
from casestd.rules.engine import Hit, Hits, RuleContext, rule

ADULT_AGE = 18


@rule("child.adult_at_registration")
def adult_at_registration(child: Child, ctx: RuleContext) -> Hits:
    """A child is under 18 on the registration date, for every day the birth date allows."""
    youngest, registered = bounds(child.birth_date.value)[1], child.registration_date
    turns = youngest.year + ADULT_AGE - registered.year  # the years decide, unless equal
    if turns < 0 or (not turns and add_years(youngest, ADULT_AGE) <= registered):
        return (Hit(("registration_date",), {"age": ADULT_AGE}),)
    return ()


@rule("child.born_after_registration")
def born_after_registration(child: Child, ctx: RuleContext) -> Hits:
    """A child cannot be registered before being born."""
    if bounds(child.birth_date.value)[0] > child.registration_date:
        return (Hit(("birth_date", "value")),)
    return ()


@rule("child.registration_in_future")
def registration_in_future(child: Child, ctx: RuleContext) -> Hits:
    """The registration date is not after today."""
    if child.registration_date > ctx.today:
        return (Hit(("registration_date",)),)
    return ()


@rule("child.functioning_domain_repeated")
def functioning_domain_repeated(child: Child, ctx: RuleContext) -> Hits:
    """Each functioning domain is answered at most once; each answer of a repeat is flagged."""
    answers = child.functioning
    if len(answers) < 2:
        return ()
    domains = [answer.domain for answer in answers]
    if len(set(domains)) == len(domains):
        return ()
    counts = Counter(domains)
    return [
        Hit(("functioning", index, "domain"))
        for index, domain in enumerate(domains)
        if counts[domain] > 1
    ]
