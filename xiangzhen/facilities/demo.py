"""Demo rooms in 花垣县 villages, built by the demo organization, with a few months of usage.
Called by `manage.py seed_demo`; everything goes through the services.

Idempotent: a room that already exists (same builder and name) is left as it is.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.facilities import services
from xiangzhen.facilities.models import Facility
from xiangzhen.facilities.validation import FacilityData, UsageData
from xiangzhen.organizations.models import Organization

# (kind, name, village, funding, opened days ago or None for still building, usage: (days ago, kind, count, amount))
ROOMS: list[tuple[str, str, str, str, int | None, list[tuple[int, str, int, str]]]] = [
    ("reading_room", "十八洞村阅读小屋", "433124110226", "38000", 80, [
        (70, "visits", 126, "0"), (65, "sessions", 4, "0"), (40, "visits", 158, "0"), (35, "sessions", 6, "0"),
        (10, "visits", 171, "0"), (5, "sessions", 5, "0"),
    ]),
    ("livestream_room", "十八洞村直播小屋", "433124110226", "52000", 60, [
        (50, "sessions", 8, "0"), (48, "sales", 236, "18430.00"), (20, "sessions", 12, "0"),
        (18, "sales", 412, "32786.50"), (3, "sales", 97, "7560.00"),
    ]),
    ("clinic_room", "龙门村医生小屋", "433124102200", "45000", 45, [
        (40, "consultations", 63, "0"), (25, "consultations", 81, "0"), (8, "consultations", 74, "0"),
    ]),
    ("children_room", "和平村宝贝小屋", "433124108226", "26000", None, []),
]  # fmt: skip


def seed_demo_facilities(*, organization: Organization, org_admin: Any) -> list[Facility]:
    today = timezone.localdate()
    rooms = []
    for kind, name, village, funding, opened_ago, usage in ROOMS:
        existing = Facility.objects.filter(builder=organization, name=name).first()
        if existing is not None:
            rooms.append(existing)
            continue
        data = FacilityData(
            kind=kind, name=name, village=village, builder_id=organization.pk, funding=funding,
            description="花垣县助农服务中心建设运营，村委会提供场地。",
        )  # fmt: skip
        facility = services.register_facility(actor=org_admin, builder=organization, data=data)
        facility = services.start_building(actor=org_admin, facility=facility)
        if opened_ago is not None:
            facility = services.open_facility(
                actor=org_admin, facility=facility, opened_on=today - datetime.timedelta(days=opened_ago)
            )
            for days_ago, usage_kind, count, amount in usage:
                services.record_usage(
                    actor=org_admin,
                    facility=facility,
                    data=UsageData(
                        used_on=today - datetime.timedelta(days=days_ago), kind=usage_kind, count=count, amount=amount
                    ),
                )
        rooms.append(facility)
    _pay_from_demo_fund(organization, org_admin, rooms[1])
    return rooms


def _pay_from_demo_fund(organization: Organization, org_admin: Any, room: Facility) -> None:
    """The demo fund pays for the livestream room's equipment (once), so a room shows on the fund's pages."""
    from xiangzhen.funds import services as funds
    from xiangzhen.funds.demo import NAME
    from xiangzhen.funds.models import Disbursement, Fund
    from xiangzhen.funds.validation import DisbursementData

    fund = Fund.objects.filter(organization=organization, name=NAME, status=Fund.Status.ACTIVE).first()
    if fund is None or Disbursement.objects.filter(fund=fund, facility=room).exists():
        return
    data = DisbursementData(
        amount="300.00", paid_on=timezone.localdate(), payee=organization.name, purpose="直播小屋补光灯和声卡",
        target_kind="facility", target_number=room.number,
    )  # fmt: skip
    funds.record_disbursement(actor=org_admin, fund=fund, data=data)
