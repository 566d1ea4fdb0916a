"""Rules on the service entity."""

from __future__ import annotations

from collections.abc import Iterator

from casestd.model.service import Service
from casestd.rules.engine import Hit, RuleContext, rule


@rule("service.end_before_start")
def end_before_start(service: Service, ctx: RuleContext) -> Iterator[Hit]:
    """A service does not end before it starts."""
    if service.start_date and service.end_date and service.end_date < service.start_date:
        yield Hit(("end_date",))


@rule("service.quantity_without_unit")
def quantity_without_unit(service: Service, ctx: RuleContext) -> Iterator[Hit]:
    """A quantity is meaningless without its unit, and a unit without a quantity."""
    if service.quantity is not None and service.unit is None:
        yield Hit(("unit",))
    elif service.unit is not None and service.quantity is None:
        yield Hit(("quantity",))


@rule("service.delivered_without_start")
def delivered_without_start(service: Service, ctx: RuleContext) -> Iterator[Hit]:
    """A delivered or ongoing service says when it started."""
    if service.status in {"delivered", "ongoing"} and service.start_date is None:
        yield Hit(("start_date",))


@rule("service.planned_in_past")
def planned_in_past(service: Service, ctx: RuleContext) -> Iterator[Hit]:
    """A service still planned should not have ended already."""
    if service.status == "planned" and service.end_date and service.end_date < ctx.today:
        yield Hit(("status",))
