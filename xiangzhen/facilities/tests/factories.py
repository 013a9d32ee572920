"""Rooms for tests and for the authorization matrix, made through the services."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xiangzhen.facilities import services
from xiangzhen.facilities.models import Facility
from xiangzhen.facilities.validation import FacilityData, UsageData

SHIBADONG = "433124110226"


def facility_data(**changes: Any) -> FacilityData:
    data = FacilityData(
        kind=Facility.Kind.READING_ROOM, name="十八洞村阅读小屋", village=SHIBADONG, builder_id=0, funding="30000",
        address="十八洞村村部二楼", description="图书 2000 册，周末开放",
    )  # fmt: skip
    return data.merged(changes)


def room_in_use(builder: Any, org_admin: Any, **changes: Any) -> Facility:
    """A room of `builder` in 十八洞村, built and opened ten days ago."""
    facility = services.register_facility(actor=org_admin, builder=builder, data=facility_data(**changes))
    facility = services.start_building(actor=org_admin, facility=facility)
    return services.open_facility(
        actor=org_admin, facility=facility, opened_on=timezone.localdate() - timedelta(days=10)
    )


def matrix_world(organization: Any, org_admin: Any) -> dict[str, Any]:
    """A reading room in use in 十八洞村 built by the 花垣县 organization, with one usage record."""
    facility = room_in_use(organization, org_admin, name="矩阵阅读小屋")
    services.record_usage(
        actor=org_admin,
        facility=facility,
        data=UsageData(used_on=timezone.localdate(), kind="visits", count=12),
    )
    return {"facility_id": facility.pk}
