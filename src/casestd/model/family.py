"""The family entity: a household and its members."""

from __future__ import annotations

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Address, ContactPoint, Person, Record
from casestd.model.types import RecordId


class FamilyMember(Person):
    """A member of the household and how they relate to its head."""

    member_id: RecordId | None = Field(
        default=None, description="Identifier of the member within the family (UUID)."
    )
    relationship: coded.FamilyRelationship = Field(
        description="Relationship to the head of household ('head' for the head)."
    )
    head_of_household: bool = Field(default=False, description="True for the head of household.")
    caregiver: bool = Field(
        default=False, description="True when the member cares for the children."
    )
    child_id: RecordId | None = Field(
        default=None, description="The child record, where the member is a registered child."
    )
    alive_status: coded.AliveStatus | None = Field(
        default=None, description="Whether the member is alive (Primero relation_is_alive)."
    )
    citizenships: list[coded.Country] = Field(
        default_factory=list,
        description="Citizenships (ISO 3166-1 alpha-2), Primero relation_nationality.",
    )
    languages: list[coded.Language] = Field(
        default_factory=list, description="Languages spoken (ISO 639-3), Primero relation_language."
    )


class Family(Record):
    """A family or household receiving services."""

    members: list[FamilyMember] = Field(min_length=1, description="Members of the household.")
    address: Address | None = Field(default=None, description="Where the family lives.")
    contacts: list[ContactPoint] = Field(
        default_factory=list, description="Contacts of the household."
    )
