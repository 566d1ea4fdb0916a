"""The child entity: a child registered for child-protection services."""

from __future__ import annotations

from pydantic import Field

from casestd.model import coded
from casestd.model.common import (
    Address,
    FunctioningAnswer,
    PartialDate,
    Person,
    Record,
    StandardModel,
)
from casestd.model.types import IsoDate, RecordId


class Education(StandardModel):
    """Schooling of the child."""

    enrolled: bool = Field(description="True when the child is enrolled in education now.")
    level: coded.IscedLevel | None = Field(
        default=None, description="Highest ISCED 2011 level attained or attended."
    )


class Child(Person, Record):
    """A child (under 18 at registration) known to child-protection services."""

    registration_date: IsoDate = Field(description="Date the child was registered by the agency.")
    birth_date: PartialDate = Field(description="Date of birth, possibly partial or estimated.")
    citizenships: list[coded.Country] = Field(
        default_factory=list, description="Citizenships (ISO 3166-1 alpha-2); several allowed."
    )
    languages: list[coded.Language] = Field(
        default_factory=list, description="Languages the child speaks (ISO 639-3)."
    )
    address: Address | None = Field(default=None, description="Where the child lives.")
    functioning: list[FunctioningAnswer] = Field(
        default_factory=list,
        description="Functioning by Washington Group / Child Functioning Module domain.",
    )
    displacement_status: coded.DisplacementStatus | None = Field(
        default=None, description="Displacement status."
    )
    separation_status: coded.SeparationStatus | None = Field(
        default=None,
        description="Unaccompanied or separated from parents and caregivers (Primero protection "
        "status); absent when the child is with them.",
    )
    care_arrangement: coded.CareArrangement | None = Field(
        default=None, description="Who the child lives with and is cared for by."
    )
    education: Education | None = Field(default=None, description="Schooling.")
    family_id: RecordId | None = Field(default=None, description="The child's family record.")

    @property
    def has_disability(self) -> bool:
        """Washington Group definition: a lot of difficulty or cannot do, in any domain."""
        return any(
            answer.difficulty in {"a_lot_of_difficulty", "cannot_do_at_all"}
            for answer in self.functioning
        )
