"""The trafficking victim entity, aligned with IOM's HTCDS v2.0."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Address, Consent, PartialDate, Person, Record, StandardModel
from casestd.model.types import IsoDate, LongText, ShortText, personal


class VictimPerson(Person):
    """The personal details of a (possible) victim."""

    gender: coded.Gender | None = Field(default=None, description="Gender identity (HTCDS).")
    citizenships: list[coded.Country] = Field(
        default_factory=list, description="Citizenships (ISO 3166-1 alpha-2); several allowed."
    )
    languages: list[coded.Language] = Field(
        default_factory=list, description="Languages spoken (ISO 639-3)."
    )
    marital_status: coded.MaritalStatus | None = Field(default=None, description="Marital status.")
    education_level: coded.IscedLevel | None = Field(
        default=None, description="Highest ISCED 2011 level attained."
    )


class EventLocation(StandardModel):
    """Where an event happened, to the town, never a street (HTCDS hte_City, hte_State)."""

    region: coded.Region | None = Field(
        default=None, description="Region (marz) or Yerevan, for events in Armenia."
    )
    community: ShortText | None = Field(
        default=None, description="Community (town or village) in Armenia."
    )
    place: ShortText | None = Field(
        default=None,
        description="Town, city or province outside Armenia, or a named site such as a border "
        "crossing; not an address.",
    )


class TraffickingEvent(StandardModel):
    """A step of the trafficking history: recruitment, transit or exploitation."""

    type: coded.TraffickingEventType = Field(description="Kind of event.")
    country: coded.Country = Field(description="Country where it happened (ISO 3166-1 alpha-2).")
    date: PartialDate | None = Field(default=None, description="When it happened.")
    location: EventLocation | None = Field(
        default=None, description="Where in the country it happened."
    )
    description: LongText | None = personal(
        "What happened, in words (HTCDS hte_Description).", default=None
    )


class Compensation(StandardModel):
    """The one-time compensation an identified victim is entitled to."""

    status: coded.CompensationStatus = Field(description="Where the claim stands.")
    amount_amd: Annotated[int, Field(ge=0, le=1_000_000_000)] | None = Field(
        default=None, description="Amount in Armenian dram (AMD)."
    )
    date: IsoDate | None = Field(default=None, description="Date of the last status change.")


class TraffickingVictim(Record):
    """A possible or identified victim of trafficking in human beings."""

    person: VictimPerson = Field(description="The person.")
    status: coded.TraffickingStatus = Field(description="Trafficking status.")
    deciding_body: coded.DecidingBody | None = Field(
        default=None, description="Body that decided the status."
    )
    decision_date: IsoDate | None = Field(default=None, description="Date of the status decision.")
    registration_date: IsoDate | None = Field(
        default=None,
        description="Date the reporting agency registered the person (CTDC yearOfRegistration).",
    )
    commission_referral_date: IsoDate | None = Field(
        default=None,
        description="Date the case was referred to the interagency identification commission.",
    )
    address: Address | None = Field(
        default=None,
        description="Where the person lives in Armenia (HTCDS prs_Mailing* address); the "
        "street, building and apartment are personal data.",
    )
    residence_country: coded.Country | None = Field(
        default=None,
        description="Country of residence, for a person living outside Armenia "
        "(HTCDS prs_MailingCountry).",
    )
    pre_identification_start: IsoDate | None = Field(
        default=None, description="First day of the pre-identification stage (at most 10 days)."
    )
    age_when_trafficked: Annotated[int, Field(ge=0, le=120)] | None = Field(
        default=None, description="Age in years when the trafficking began."
    )
    exploitation_types: list[coded.ExploitationType] = Field(
        default_factory=list, description="Types of exploitation."
    )
    forced_labour_industries: list[coded.IsicSection] = Field(
        default_factory=list, description="Industries of forced labour (ISIC Rev.4 sections)."
    )
    sexual_exploitation_types: list[coded.SexualExploitationType] = Field(
        default_factory=list, description="Types of sexual exploitation."
    )
    control_methods: list[coded.ControlMethod] = Field(
        default_factory=list, description="Methods of control used by the traffickers."
    )
    recruitment_method: coded.RecruitmentMethod | None = Field(
        default=None,
        description="Deprecated since 2.0.0, to be removed in 3.0.0: use recruitment_methods.",
        json_schema_extra={"deprecated": True},
    )
    recruitment_methods: list[coded.RecruitmentMethod] = Field(
        default_factory=list, description="How the person was recruited (HTCDS multi-select)."
    )
    recruitment_platforms: list[coded.OnlinePlatform] = Field(
        default_factory=list,
        description="Websites and apps used to recruit the person (HTCDS "
        "vic_RecruitmentWebsitesAndApps).",
    )
    exploitation_platforms: list[coded.OnlinePlatform] = Field(
        default_factory=list,
        description="Websites and apps used in the exploitation (HTCDS "
        "vic_ExploitationWebsitesAndApps).",
    )
    trafficker_relationship: coded.TraffickerRelationship | None = Field(
        default=None, description="Relationship of the person to the trafficker (HTCDS)."
    )
    recruiter_relationship: coded.RecruiterRelationship | None = Field(
        default=None,
        description="Relationship of the recruiter to the person (CTDC recruiterRelation*).",
    )
    vulnerabilities: list[coded.Vulnerability] = Field(
        default_factory=list, description="Vulnerabilities (HTCDS vic_Vulnerabilities)."
    )
    exploitation_start: PartialDate | None = Field(
        default=None, description="When the exploitation began (CTDC traffickMonths)."
    )
    exploitation_end: PartialDate | None = Field(
        default=None, description="When the exploitation ended, if it has."
    )
    trafficking_events: list[TraffickingEvent] = Field(
        default_factory=list, description="Recruitment, transit and exploitation events."
    )
    support_received: list[coded.SupportType] = Field(
        default_factory=list, description="Support received."
    )
    compensation: Compensation | None = Field(default=None, description="Compensation claim.")
    consents: list[Consent] = Field(default_factory=list, description="Consents given or refused.")
