"""The service entity: one service planned for or delivered to a beneficiary."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Record
from casestd.model.types import AgencyId, IsoDate, RecordId


class Service(Record):
    """A service for a child, family member or victim, with its cost."""

    beneficiary_id: RecordId = Field(description="Record of the person who receives the service.")
    case_id: RecordId | None = Field(default=None, description="The case the service belongs to.")
    service_type: coded.ServiceType = Field(description="Kind of service.")
    provider_agency: AgencyId = Field(description="Agency that provides the service.")
    provider_district: coded.YerevanDistrict | None = Field(
        default=None, description="District office that provides it, if in Yerevan."
    )
    status: coded.ServiceStatus = Field(description="Status of the service.")
    start_date: IsoDate | None = Field(default=None, description="First day of the service.")
    end_date: IsoDate | None = Field(default=None, description="Last day of the service.")
    quantity: Annotated[float, Field(gt=0, le=1_000_000)] | None = Field(
        default=None, description="How much was provided, in `unit`."
    )
    unit: coded.ServiceUnit | None = Field(default=None, description="Unit of `quantity`.")
    cost_amd: Annotated[int, Field(ge=0, le=10_000_000_000)] | None = Field(
        default=None, description="Cost in Armenian dram (AMD), whole dram."
    )
    funding_source: coded.FundingSource | None = Field(default=None, description="Who pays.")
