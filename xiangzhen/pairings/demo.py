"""Demo pairings in 花垣县 through the services, called by `manage.py seed_demo`:

- the 花垣县 demo organization ↔ 十八洞村, proposed by it and confirmed by the county (its progress
  comes from the demo's activities, purchases, matches and disbursements there);
- the same organization ↔ 排碧板栗村, arranged by the county and confirmed;
- 湘西州社会工作服务协会 ↔ 双龙镇, proposed and waiting for the county.

A few more 花垣县 villages are designated key assisted villages so the key-village page shows a gap.
Idempotent: a pairing that exists (any status) is left as it is.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.organizations.models import Organization
from xiangzhen.pairings import services
from xiangzhen.pairings.models import Pairing
from xiangzhen.pairings.validation import PairingData
from xiangzhen.regions import services as regions
from xiangzhen.regions.models import Designation, Region

SHIBADONG = "433124110226"
PAIBI = "433124110221"  # 排碧板栗村, 双龙镇
SHUANGLONG = "433124110000"
KEY_VILLAGES = ["433124110221", "433124110227", "433124102200", "433124103201", "433124110215"]


def _designate(admin: Any) -> None:
    for code in KEY_VILLAGES:
        region = Region.objects.get(pk=code)
        current = set(Designation.objects.filter(region=region).values_list("kind", flat=True))
        if Designation.Kind.KEY_ASSISTED_VILLAGE not in current:
            regions.set_designations(
                actor=admin, region=region, kinds=current | {Designation.Kind.KEY_ASSISTED_VILLAGE}
            )


def _data(region_code: str, start: datetime.date, years: int, **commitments: Any) -> PairingData:
    return PairingData(
        region_code=region_code,
        start_date=start,
        end_date=start.replace(year=start.year + years) - datetime.timedelta(days=1),
        **commitments,
    )


def seed_demo_pairings(
    *, organizations: list[tuple[Organization, str]], org_admin: Any, county_official: Any, admin: Any
) -> list[Pairing]:
    from xiangzhen.accounts.models import User

    _designate(admin)
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    zhunong = next(o for o, username in organizations if username == "hy_zhunong")
    shegong = next((o, u) for o, u in organizations if u == "xx_shegong")
    made: list[Pairing] = []
    if not Pairing.objects.filter(organization=zhunong, region_id=SHIBADONG).exists():
        data = _data(
            SHIBADONG, start, 3, committed_money="50000", committed_projects=2, committed_volunteer_hours="300",
            committed_purchases="30000", note="围绕猕猴桃产业和留守儿童关爱开展结对帮扶，优先采购村合作社产品。",
        )  # fmt: skip
        pairing = services.propose_pairing(actor=org_admin, organization=zhunong, data=data)
        made.append(services.confirm_pairing(actor=county_official, pairing=pairing))
    if not Pairing.objects.filter(organization=zhunong, region_id=PAIBI).exists():
        data = _data(PAIBI, start, 2, committed_projects=1, committed_volunteer_hours="100", note="县乡村振兴局安排。")
        pairing = services.arrange_pairing(actor=county_official, organization=zhunong, data=data)
        made.append(services.confirm_pairing(actor=county_official, pairing=pairing))
    organization, username = shegong
    if not Pairing.objects.filter(organization=organization, region_id=SHUANGLONG).exists():
        data = _data(
            SHUANGLONG, today, 2, committed_volunteer_hours="500", committed_money="20000",
            note="为双龙镇空巢老人提供上门照护和助餐服务。",
        )  # fmt: skip
        made.append(
            services.propose_pairing(actor=User.objects.get(username=username), organization=organization, data=data)
        )
    return made
