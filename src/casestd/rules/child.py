"""Rules on the child entity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from casestd.model.child import Child
from casestd.model.types import add_years
from casestd.rules.engine import Hit, RuleContext, rule

ADULT_AGE = 18


@rule("child.adult_at_registration")
def adult_at_registration(child: Child, ctx: RuleContext) -> Iterator[Hit]:
    """A child is under 18 on the registration date, for every day the birth date allows."""
    youngest_birth = child.birth_date.latest
    if add_years(youngest_birth, ADULT_AGE) <= child.registration_date:
        yield Hit(("registration_date",), {"age": ADULT_AGE})


@rule("child.born_after_registration")
def born_after_registration(child: Child, ctx: RuleContext) -> Iterator[Hit]:
    """A child cannot be registered before being born."""
    if child.birth_date.earliest > child.registration_date:
        yield Hit(("birth_date", "value"))


@rule("child.registration_in_future")
def registration_in_future(child: Child, ctx: RuleContext) -> Iterator[Hit]:
    """The registration date is not after today."""
    if child.registration_date > ctx.today:
        yield Hit(("registration_date",))


@rule("child.functioning_domain_repeated")
def functioning_domain_repeated(child: Child, ctx: RuleContext) -> Iterator[Hit]:
    """Each functioning domain is answered at most once; each answer of a repeat is flagged."""
    answers = child.functioning
    if len(answers) < 2:
        return
    domains = [answer.domain for answer in answers]
    if len(set(domains)) == len(domains):
        return
    counts = Counter(domains)
    for index, answer in enumerate(answers):
        if counts[answer.domain] > 1:
            yield Hit(("functioning", index, "domain"))
