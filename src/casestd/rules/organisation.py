"""Rules on the organisation entity."""

from __future__ import annotations

from collections.abc import Iterator

from casestd.model.organisation import Organisation
from casestd.rules.engine import Hit, RuleContext, rule


@rule("organisation.own_parent")
def own_parent(organisation: Organisation, ctx: RuleContext) -> Iterator[Hit]:
    """An organisation is not its own parent."""
    if organisation.parent_id is not None and organisation.parent_id == organisation.id:
        yield Hit(("parent_id",))
