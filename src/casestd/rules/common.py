"""Rules on the parts every entity shares: metadata, persons, addresses."""

from __future__ import annotations

from typing import Any

from casestd.dedup.records import person_paths
from casestd.model.child import Child
from casestd.model.common import Address
from casestd.model.family import Family
from casestd.model.organisation import Organisation
from casestd.model.trafficking_victim import TraffickingVictim
from casestd.normalise.partial_date import bounds
from casestd.rules.engine import Hit, Hits, Path, RuleContext, before, rule

_WITH_ADDRESS = (Child, Family, TraffickingVictim, Organisation)


def addresses(record: Any) -> tuple[tuple[Path, Address], ...]:
    """Each address in a record, with the path to it."""
    if isinstance(record, _WITH_ADDRESS) and record.address is not None:
        return ((("address",), record.address),)
    return ()


@rule("record.updated_before_created")
def updated_before_created(record: Any, ctx: RuleContext) -> Hits:
    """The last change of a record cannot be before its creation."""
    meta = record.meta
    if meta.updated is not None and before(meta.updated, meta.created):
        return (Hit(("meta", "updated")),)
    return ()


@rule("record.created_in_future")
def created_in_future(record: Any, ctx: RuleContext) -> Hits:
    """A record cannot be created after the time of validation."""
    if before(ctx.now, record.meta.created):
        return (Hit(("meta", "created")),)
    return ()


@rule("person.name_empty")
def name_empty(record: Any, ctx: RuleContext) -> Hits:
    """Every name has at least a given or a family name."""
    hits = []
    for _, path, person in person_paths(record):
        for index, name in enumerate(person.names):
            if name.given is None and name.family is None:
                hits.append(Hit((*path, "names", index)))
    return hits


@rule("person.birth_date_in_future")
def birth_date_in_future(record: Any, ctx: RuleContext) -> Hits:
    """No one is born after today."""
    hits = []
    for _, path, person in person_paths(record):
        birth = person.birth_date
        if birth is not None and bounds(birth.value)[0] > ctx.today:
            hits.append(Hit((*path, "birth_date", "value")))
    return hits


@rule("address.district_outside_yerevan")
def district_outside_yerevan(record: Any, ctx: RuleContext) -> Hits:
    """A Yerevan administrative district goes only with the region AM-ER."""
    hits = []
    for path, address in addresses(record):
        if address.district is not None and address.region != "AM-ER":
            hits.append(Hit((*path, "district")))
    return hits
