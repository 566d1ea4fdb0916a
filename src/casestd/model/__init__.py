"""The pydantic entities of the standard, one module per entity."""

from __future__ import annotations

from types import MappingProxyType

from casestd.model.case import Case
from casestd.model.child import Child
from casestd.model.common import Record
from casestd.model.family import Family
from casestd.model.organisation import Organisation
from casestd.model.perpetrator import Perpetrator
from casestd.model.referral import Referral
from casestd.model.service import Service
from casestd.model.trafficking_victim import TraffickingVictim

#: Entity name -> model class; the names are part of the public API.
ENTITIES: MappingProxyType[str, type[Record]] = MappingProxyType(
    {
        "child": Child,
        "family": Family,
        "case": Case,
        "service": Service,
        "referral": Referral,
        "trafficking_victim": TraffickingVictim,
        "organisation": Organisation,
        "perpetrator": Perpetrator,
    }
)

__all__ = [
    "ENTITIES",
    "Case",
    "Child",
    "Family",
    "Organisation",
    "Perpetrator",
    "Record",
    "Referral",
    "Service",
    "TraffickingVictim",
]
