"""Demo capacity building through the services: a finished training run by the 湘西州 hub
organization, with three organizations' admins enrolled, attendance, completion and a certificate;
an open training of 花垣县民政局 taking enrollments; and the 花垣县 organization's admin in the talent
pool, leading the demo match. Called by `manage.py seed_demo`.

Idempotent: nothing happens if the finished training already exists.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.organizations.models import Organization
from xiangzhen.training import services
from xiangzhen.training.models import Talent, Training

FINISHED_TITLE = "乡镇社会组织项目管理与财务规范培训（第一期）"
OPEN_TITLE = "农村电商直播带货实务培训"


def seed_demo_training(*, organization: Organization, org_admin: Any, match: Any = None) -> list[Training]:
    existing = Training.objects.filter(title=FINISHED_TITLE).first()
    if existing is not None:
        return list(Training.objects.filter(title__in=[FINISHED_TITLE, OPEN_TITLE]))
    hub = Organization.objects.get(is_hub=True, name="湘西州社会工作服务协会")
    people = {u.username: u for u in User.objects.filter(username__in=["xx_shegong", "fh_jiaoyu", "hy_minzheng"])}
    hub_admin, other_admin = people["xx_shegong"], people["fh_jiaoyu"]
    other = Organization.objects.get(memberships__user=other_admin, memberships__role="admin")
    today = timezone.localdate()
    finished = services.create_training(
        actor=hub_admin,
        data=services.TrainingData(
            title=FINISHED_TITLE, trainer="湘西州社会工作服务协会 彭丽", mode="in_person", capacity=40, hours="12",
            starts_on=today - datetime.timedelta(days=40), ends_on=today - datetime.timedelta(days=38),
            place="吉首市人民北路 州社会组织孵化基地",
            description="项目设计、预算编制、票据管理和信息公开；结业颁发培训证书。",
            organizer_organization_id=hub.pk,
        ),
    )  # fmt: skip
    services.open_training(actor=hub_admin, training=finished)
    enrollments = [
        services.enroll(actor=org_admin, training=finished, organization_id=organization.pk),
        services.enroll(actor=other_admin, training=finished, organization_id=other.pk),
        services.enroll(actor=hub_admin, training=finished, organization_id=hub.pk),
    ]
    services.finish_training(actor=hub_admin, training=finished)
    services.record_attendance(actor=hub_admin, enrollment=enrollments[0], attended=True, completed=True)
    services.record_attendance(actor=hub_admin, enrollment=enrollments[1], attended=True, hours="6")
    services.record_attendance(actor=hub_admin, enrollment=enrollments[2], attended=False)

    upcoming = services.create_training(
        actor=people["hy_minzheng"],
        data=services.TrainingData(
            title=OPEN_TITLE, trainer="花垣县电子商务公共服务中心", mode="online", capacity=100, hours="4",
            starts_on=today + datetime.timedelta(days=14), ends_on=today + datetime.timedelta(days=14),
            link="https://live.example.cn/huayuan-dianshang", description="选品、直播脚本、售后与合规。",
        ),
    )  # fmt: skip
    services.open_training(actor=people["hy_minzheng"], training=upcoming)
    services.enroll(actor=org_admin, training=upcoming, organization_id=organization.pk)

    if not Talent.objects.filter(person=org_admin).exists():
        talent = services.add_talent(
            actor=org_admin,
            data=services.TalentData(
                person_id=org_admin.pk, organization_id=organization.pk, domains=["industry", "employment_skills"],
                social_work_level="assistant", social_work_certificate="ZGZS-DEMO-000001", social_work_year=2021,
                other_qualifications="农业经理人（演示数据）",
            ),
        )  # fmt: skip
        if match is not None:
            services.record_led_project(actor=org_admin, talent=talent, match_id=match.pk, role="项目负责人")
    return [finished, upcoming]
