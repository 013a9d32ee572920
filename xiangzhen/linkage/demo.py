"""Demo five-society linkage through the services: the 双龙镇 social work station (operated by the
湘西州 hub organization) with two staff, volunteers of the station and of the 花垣县 organization with
confirmed service hours (and one still waiting), and the incubation record of the 花垣县 rural
community organization, incubated by the station until it registered. Called by `manage.py seed_demo`.

Fictional people; phone numbers are in the 13800000000 test range. Idempotent: nothing happens if
the station already exists.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.linkage import services
from xiangzhen.linkage.models import IncubationRecord, SocialWorkStation
from xiangzhen.organizations.models import Organization

SHUANGLONG, SHIBADONG = "433124110000", "433124110226"
STATION_NAME = "双龙镇社会工作服务站"


def seed_demo_linkage(*, organization: Organization, org_admin: Any) -> SocialWorkStation:
    existing = SocialWorkStation.objects.filter(region_id=SHUANGLONG, name=STATION_NAME).first()
    if existing is not None:
        return existing
    civil_affairs = User.objects.get(username="hy_minzheng")
    hub = Organization.objects.filter(is_hub=True, name="湘西州社会工作服务协会").first()
    today = timezone.localdate()
    station = services.create_station(
        actor=civil_affairs,
        data=services.StationData(
            region=SHUANGLONG, name=STATION_NAME, opened_on=today - datetime.timedelta(days=400),
            address="花垣县双龙镇人民政府院内", operator_id=hub.pk if hub else None,
        ),
    )  # fmt: skip
    for name, role, qualification in [
        ("麻晓燕", "站长", "社会工作师"),
        ("石志强", "驻村社工", "助理社会工作师"),
    ]:
        services.add_station_staff(
            actor=civil_affairs, station=station,
            data=services.StaffData(name=name, role=role, qualification=qualification, phone="13800000001"),
        )  # fmt: skip
    station_volunteer = services.register_volunteer(
        actor=civil_affairs,
        data=services.VolunteerData(
            name="龙小梅", phone="13800000002", skills="儿童陪伴、苗语翻译", areas=[SHIBADONG], station_id=station.pk
        ),
    )
    org_volunteer = services.register_volunteer(
        actor=org_admin,
        data=services.VolunteerData(
            name="吴建华", phone="13800000003", skills="猕猴桃种植技术", areas=[SHIBADONG],
            organization_id=organization.pk,
        ),
    )  # fmt: skip
    hours = [
        (station_volunteer, civil_affairs, 30, "3", "留守儿童周末课堂", {"station_id": station.pk}, True),
        (station_volunteer, civil_affairs, 16, "2.5", "空巢老人上门探访", {"station_id": station.pk}, True),
        (org_volunteer, org_admin, 20, "4", "猕猴桃冬季修剪指导", {"organization_id": organization.pk}, True),
        (org_volunteer, org_admin, 2, "3", "黄牛养殖防疫讲解", {"organization_id": organization.pk}, False),
    ]
    for volunteer, actor, days_ago, spent, content, organizer, confirm in hours:
        service = services.record_service(
            actor=actor, volunteer=volunteer,
            data=services.ServiceData(
                volunteer_id=volunteer.pk, served_on=today - datetime.timedelta(days=days_ago), hours=spent,
                content=content, region=SHIBADONG, **organizer,
            ),
        )  # fmt: skip
        if confirm:
            services.confirm_service(actor=actor, service=service)
    if organization.is_rural_community and not IncubationRecord.objects.filter(organization=organization).exists():
        record = services.file_incubation(
            actor=civil_affairs,
            data=services.IncubationData(
                organization_id=organization.pk, filed_on=today - datetime.timedelta(days=380),
                incubator_station_id=station.pk, notes="返乡创业人员发起，社工站提供场地和财务代管。",
            ),
        )  # fmt: skip
        record = services.move_incubation(actor=civil_affairs, record=record, stage="incubating")
        services.move_incubation(actor=civil_affairs, record=record, stage="registered", notes="已在花垣县民政局登记。")
    return station
