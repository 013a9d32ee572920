"""API shapes of the linkage app. Phones leave only masked."""

from datetime import date
from decimal import Decimal

from ninja import Schema


class StationIn(Schema):
    region: str
    name: str
    opened_on: date
    address: str = ""
    operator_id: int | None = None
    status: str = "operating"


class StationOut(Schema):
    id: int
    region_id: str
    name: str
    address: str
    operator_id: int | None
    opened_on: date
    status: str


class StaffIn(Schema):
    name: str
    role: str
    qualification: str = ""
    phone: str = ""


class StaffOut(Schema):
    id: int
    station_id: int
    name: str
    role: str
    qualification: str
    masked_phone: str


class CoverageOut(Schema):
    county: str
    county_name: str
    townships: int
    with_station: int
    without_station: int


class VolunteerIn(Schema):
    name: str
    phone: str
    skills: str = ""
    areas: list[str] = []
    organization_id: int | None = None
    station_id: int | None = None
    user_id: int | None = None


class VolunteerOut(Schema):
    id: int
    name: str
    masked_phone: str
    skills: str
    region_id: str
    organization_id: int | None
    station_id: int | None


class ServiceIn(Schema):
    volunteer_id: int
    served_on: date
    hours: str
    content: str
    region: str
    organization_id: int | None = None
    station_id: int | None = None


class ServiceOut(Schema):
    id: int
    volunteer_id: int
    organization_id: int | None
    station_id: int | None
    served_on: date
    hours: Decimal
    content: str
    region_id: str
    status: str
    reject_reason: str


class RejectIn(Schema):
    reason: str


class TotalOut(Schema):
    key: str
    label: str
    hours: Decimal
    services: int
    people: int


class IncubationIn(Schema):
    organization_id: int
    filed_on: date
    incubator_organization_id: int | None = None
    incubator_station_id: int | None = None
    notes: str = ""


class MoveIn(Schema):
    stage: str
    notes: str = ""


class IncubationOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    founder_type: str
    incubator_name: str
    stage: str
    filed_on: date
    notes: str
    first_offer_on: date | None
    first_match_on: date | None
    activities: int
