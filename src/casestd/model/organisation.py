"""The organisation entity: an agency that registers, refers or serves (HTCDS ``org_*``)."""

from __future__ import annotations

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Address, ContactPoint, Record
from casestd.model.types import AgencyId, RecordId, ShortText


class Organisation(Record):
    """A ministry, police unit, NGO, shelter or other organisation that handles cases.

    Other records name an organisation by its agency id (``case.agency``,
    ``referral.to_agency``, ``service.provider_agency``); this record says what
    kind of organisation that is and where it sits.
    """

    agency_id: AgencyId = Field(
        description="The agency id other records use for this organisation (case.agency, "
        "referral.from_agency and to_agency, service.provider_agency)."
    )
    name: ShortText = Field(description="Name of the organisation (HTCDS org_Name).")
    type: coded.OrganisationType = Field(description="Kind of organisation (HTCDS org_Type).")
    address: Address | None = Field(
        default=None, description="Address in Armenia (HTCDS org_Shipping* address)."
    )
    country: coded.Country | None = Field(
        default=None,
        description="Country where the organisation is, for one outside Armenia "
        "(HTCDS org_ShippingCountry).",
    )
    district: coded.YerevanDistrict | None = Field(
        default=None, description="Yerevan district office the organisation belongs to, if any."
    )
    contacts: list[ContactPoint] = Field(
        default_factory=list, description="Phones and e-mail of the organisation (HTCDS org_Phone)."
    )
    parent_id: RecordId | None = Field(
        default=None, description="The organisation this one is part of (its parent's record)."
    )
