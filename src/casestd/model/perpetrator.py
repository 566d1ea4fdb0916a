"""The perpetrator entity: a suspected trafficker or accomplice (HTCDS ``per_*``).

Everything known about a perpetrator is personal data: it is marked as such
field by field, and never appears in a finding or a published table.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Identifier, PartialDate, PersonName, Record, StandardModel
from casestd.model.types import LongText, RecordId, personal


class PerpetratorPerson(StandardModel):
    """What is known of the perpetrator as a person; often little, so nothing is required."""

    names: list[PersonName] = personal(
        "Names, aliases and nicknames, one entry per script.", default_factory=list
    )
    sex: coded.Sex | None = personal("Sex of the perpetrator.", default=None)
    gender: coded.Gender | None = personal("Gender identity (HTCDS prs_Gender).", default=None)
    birth_date: PartialDate | None = personal(
        "Date or year of birth, possibly estimated.", default=None
    )
    age: Annotated[int, Field(ge=0, le=120)] | None = personal(
        "Age in years when the birth date is not known (at the record's creation).", default=None
    )
    citizenships: list[coded.Country] = personal(
        "Citizenships (ISO 3166-1 alpha-2).", default_factory=list
    )
    identifiers: list[Identifier] = personal(
        "Identity documents known to the agency.", default_factory=list
    )


class Perpetrator(Record):
    """A person suspected of trafficking one or more victims, or of taking part in it."""

    person: PerpetratorPerson = Field(description="The perpetrator as a person.")
    victim_ids: list[RecordId] = Field(
        min_length=1, description="The trafficking victim records this perpetrator is linked to."
    )
    roles: list[coded.PerpetratorRole] = personal(
        "Roles in the trafficking process (HTCDS per_RoleInProcess).", default_factory=list
    )
    role_details: LongText | None = personal(
        "What the perpetrator did, in words (HTCDS per_RoleDetails).", default=None
    )
    relationship: coded.RecruiterRelationship | None = personal(
        "Relationship to the victims (CTDC recruiter relation).", default=None
    )
    organisation_id: RecordId | None = personal(
        "The organisation (a business, agency) the perpetrator acted through (HTCDS "
        "per_Organisation).",
        default=None,
    )
