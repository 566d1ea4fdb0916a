"""Parts shared by the entities: metadata, names, identifiers, addresses, contacts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from casestd.model import coded
from casestd.model.types import (
    EMAIL,
    AgencyId,
    IsoDate,
    NamePart,
    PartialDateText,
    RecordId,
    SemVer,
    ShortText,
    Timestamp,
    check_e164,
    check_email,
    personal,
)
from casestd.normalise import partial_date
from casestd.normalise.formats import identifier_formats, matches
from casestd.normalise.phone import E164


class StandardModel(BaseModel):
    """Base of every casestd model: unknown fields rejected, nothing coerced."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        defer_build=True,
        validate_default=False,
        ser_json_timedelta="iso8601",
    )


class RecordMeta(StandardModel):
    """Where a record comes from and when it was written."""

    standard_version: SemVer = Field(
        description="Version of the casestd standard the record follows."
    )
    source_system: ShortText = Field(
        description="System that wrote the record, e.g. the CMIS or a district register."
    )
    agency: AgencyId = Field(description="Agency responsible for the record.")
    district: coded.YerevanDistrict | None = Field(
        default=None, description="Yerevan district office that registered the record, if any."
    )
    created: Timestamp = Field(description="When the record was created (timezone-aware).")
    updated: Timestamp | None = Field(
        default=None, description="When the record was last changed (timezone-aware)."
    )


class Record(StandardModel):
    """Base of the six entities: a UUID and record metadata."""

    id: RecordId = Field(description="Identifier of the record (UUID), stable across systems.")
    meta: RecordMeta = Field(description="Record metadata.")


class PersonName(StandardModel):
    """A personal name as written in one script; a person may carry several."""

    given: NamePart | None = personal("Given (first) name.", default=None)
    patronymic: NamePart | None = personal(
        "Patronymic: the father's given name, often in genitive form.", default=None
    )
    family: NamePart | None = personal("Family name (surname).", default=None)
    script: coded.NameScript = Field(description="Script the name is written in (ISO 15924).")
    other_names: list[NamePart] = personal(
        "Nicknames and other names the person is known by.", default_factory=list
    )


class PartialDate(StandardModel):
    """A date that may be known only to the year or month, possibly estimated."""

    value: PartialDateText = Field(description="YYYY, YYYY-MM or YYYY-MM-DD.")
    estimated: bool = Field(default=False, description="True when the date is an estimate.")

    @property
    def earliest(self) -> dt.date:
        """The first calendar day the date can stand for."""
        return partial_date.bounds(self.value)[0]

    @property
    def latest(self) -> dt.date:
        """The last calendar day the date can stand for."""
        return partial_date.bounds(self.value)[1]


def _conditional(field: str, selector: str, patterns: dict[str, str]) -> list[dict[str, Any]]:
    """JSON Schema ``if``/``then`` pairs: ``field`` matches a pattern chosen by ``selector``."""
    return [
        {
            "if": {
                "type": "object",
                "properties": {selector: {"const": key}},
                "required": [selector],
            },
            "then": {
                "type": "object",
                "properties": {field: {"type": "string", "pattern": pattern}},
            },
        }
        for key, pattern in patterns.items()
    ]


def _identifier_schema(schema: dict[str, Any]) -> None:
    formats = {kind: spec["pattern"] for kind, spec in identifier_formats().items()}
    schema["allOf"] = _conditional("value", "type", formats)


class Identifier(StandardModel):
    """An identity document or registry number; its format is checked per type."""

    model_config = ConfigDict(json_schema_extra=_identifier_schema)

    type: coded.IdentifierType = Field(description="Kind of identifier.")
    value: Annotated[str, Field(min_length=1, max_length=64)] = personal(
        "The number as printed on the document, without spaces unless the document has them."
    )
    issuing_country: coded.Country | None = Field(
        default=None, description="Country that issued the document (ISO 3166-1 alpha-2)."
    )

    @field_validator("value")
    @classmethod
    def _format(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("type")
        if kind is not None and not matches(kind, value):
            raise PydanticCustomError(
                "identifier_format",
                "does not have the format of this identifier type",
                {"identifier_type": kind, "expected": identifier_formats()[kind]["example"]},
            )
        return value


class Address(StandardModel):
    """A postal address in Armenia."""

    region: coded.Region = Field(description="Region (marz) or Yerevan, ISO 3166-2:AM.")
    district: coded.YerevanDistrict | None = Field(
        default=None, description="Administrative district, for addresses in Yerevan."
    )
    community: ShortText | None = Field(default=None, description="Community (town or village).")
    street: ShortText | None = personal("Street.", default=None)
    building: Annotated[str, Field(min_length=1, max_length=20)] | None = personal(
        "Building number.", default=None
    )
    apartment: Annotated[str, Field(min_length=1, max_length=20)] | None = personal(
        "Apartment number.", default=None
    )
    postal_code: Annotated[str, Field(pattern=r"^[0-9]{4}$")] | None = Field(
        default=None, description="Four-digit Armenian postal code."
    )


def _contact_schema(schema: dict[str, Any]) -> None:
    schema["allOf"] = _conditional("value", "system", {"phone": E164, "email": EMAIL})


class ContactPoint(StandardModel):
    """A phone number (E.164) or another way to reach a person."""

    model_config = ConfigDict(json_schema_extra=_contact_schema)

    system: coded.ContactSystem = Field(description="Kind of contact.")
    value: Annotated[str, Field(min_length=1, max_length=254)] = personal(
        "The phone number in E.164 form (+374...), or the address for other kinds."
    )
    use: coded.ContactUse | None = Field(default=None, description="What the contact is used for.")

    @field_validator("value")
    @classmethod
    def _format(cls, value: str, info: ValidationInfo) -> str:
        system = info.data.get("system")
        if system == "phone":
            return check_e164(value)
        if system == "email":
            return check_email(value)
        return value


class Consent(StandardModel):
    """Informed consent given or refused for one purpose."""

    scope: coded.ConsentScope = Field(description="What the consent covers.")
    given: bool = Field(description="True when consent was given, false when refused.")
    date: IsoDate = Field(description="When consent was given or refused.")
    given_by: coded.ConsentGiver = Field(description="Who gave or refused it.")


class FunctioningAnswer(StandardModel):
    """One Washington Group / Child Functioning Module domain and its answer."""

    domain: coded.FunctioningDomain = Field(description="Functional domain asked about.")
    difficulty: coded.DifficultyLevel = Field(description="Degree of difficulty (1-4 scale).")


class Person(StandardModel):
    """The personal details shared by children, family members and victims."""

    names: list[PersonName] = Field(
        min_length=1, description="Names of the person, one per script."
    )
    sex: coded.Sex = Field(description="Sex of the person.")
    birth_date: PartialDate | None = Field(
        default=None, description="Date of birth, possibly partial or estimated."
    )
    identifiers: list[Identifier] = Field(
        default_factory=list, description="Identity documents and registry numbers."
    )
    contacts: list[ContactPoint] = Field(
        default_factory=list, description="Phones and other contacts."
    )


__all__ = [
    "Address",
    "Consent",
    "ContactPoint",
    "FunctioningAnswer",
    "Identifier",
    "PartialDate",
    "Person",
    "PersonName",
    "Record",
    "RecordId",
    "RecordMeta",
    "StandardModel",
]
