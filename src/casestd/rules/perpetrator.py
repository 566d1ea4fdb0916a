"""Rules on the perpetrator entity."""

from __future__ import annotations

from collections.abc import Iterator

from casestd.model.perpetrator import Perpetrator
from casestd.rules.engine import Hit, RuleContext, rule


@rule("perpetrator.victim_repeated", "error", "perpetrator")
def victim_repeated(perpetrator: Perpetrator, ctx: RuleContext) -> Iterator[Hit]:
    """Each victim is linked once."""
    seen = set()
    for index, victim_id in enumerate(perpetrator.victim_ids):
        if victim_id in seen:
            yield Hit(("victim_ids", index))
        seen.add(victim_id)


@rule("perpetrator.age_and_birth_date", "error", "perpetrator")
def age_and_birth_date(perpetrator: Perpetrator, ctx: RuleContext) -> Iterator[Hit]:
    """The age is for when the birth date is unknown: not both."""
    if perpetrator.person.age is not None and perpetrator.person.birth_date is not None:
        yield Hit(("person", "age"))
