"""Rules on the perpetrator entity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from casestd.model.perpetrator import Perpetrator
from casestd.rules.engine import Hit, RuleContext, rule


@rule("perpetrator.victim_repeated")
def victim_repeated(perpetrator: Perpetrator, ctx: RuleContext) -> Iterator[Hit]:
    """Each victim is linked once: every link of a victim linked more often is flagged."""
    counts = Counter(perpetrator.victim_ids)
    for index, victim_id in enumerate(perpetrator.victim_ids):
        if counts[victim_id] > 1:
            yield Hit(("victim_ids", index))


@rule("perpetrator.age_and_birth_date")
def age_and_birth_date(perpetrator: Perpetrator, ctx: RuleContext) -> Iterator[Hit]:
    """The age is for when the birth date is unknown: not both."""
    if perpetrator.person.age is not None and perpetrator.person.birth_date is not None:
        yield Hit(("person", "age"))
