"""A demo special fund in 花垣县 through the services: approved, three donations (one anonymous),
a project, and one disbursement to the demo match. Called by `manage.py seed_demo`.

Idempotent: nothing happens if the organization already has a fund of this name.
"""

import datetime
from typing import Any

from django.utils import timezone

from xiangzhen.funds import services
from xiangzhen.funds.models import Fund
from xiangzhen.funds.validation import DisbursementData, DonationData, FundData, ProjectData
from xiangzhen.matching.models import Match
from xiangzhen.organizations.models import Organization

NAME = "十八洞村留守儿童关爱专项基金"


def seed_demo_fund(*, organization: Organization, org_admin: Any, reviewer: Any, match: Match) -> Fund:
    existing = Fund.objects.filter(organization=organization, name=NAME).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    data = FundData(
        name=NAME, founder_kind=Fund.FounderKind.ENTERPRISE, founder_name="湘西某农产品有限公司",
        purpose="资助花垣县农村留守儿童课后辅导、阅读陪伴和营养午餐。",
        domains=["education"], target_regions=["433124000000"],
    )  # fmt: skip
    fund = services.create_fund(actor=org_admin, organization=organization, data=data)
    fund = services.submit_fund(actor=org_admin, fund=fund)
    fund = services.approve_fund(actor=reviewer, fund=fund)
    project = services.create_project(
        actor=org_admin,
        fund=fund,
        data=ProjectData(
            name="十八洞村课后辅导", start_date=today - datetime.timedelta(days=30),
            end_date=today + datetime.timedelta(days=300), domain="education", budget="30000",
        ),
    )  # fmt: skip
    donations = [
        ("enterprise", "湘西某农产品有限公司", "20000.00", "bank", False, project.number, "HY-2026-0001"),
        ("individual", "龙小梅", "500.00", "platform", True, "", "HY-2026-0002"),
        ("individual", "石建国", "1000.00", "bank", False, "", "HY-2026-0003"),
    ]
    for kind, donor, amount, channel, anonymous, restricted, receipt in donations:
        services.record_donation(
            actor=org_admin,
            fund=fund,
            data=DonationData(
                donor_kind=kind, donor_name=donor, amount=amount, donated_on=today - datetime.timedelta(days=20),
                channel=channel, anonymous=anonymous, restricted_project=restricted, receipt_number=receipt,
            ),
        )  # fmt: skip
    payments = [
        ("6000.00", "课后辅导教材和绘本", "", project.number),
        ("1000.00", "志愿者到村交通补贴", match.number, ""),
    ]
    for amount, purpose, match_number, project_number in payments:
        services.record_disbursement(
            actor=org_admin,
            fund=fund,
            data=DisbursementData(
                amount=amount, paid_on=today - datetime.timedelta(days=5), payee=organization.name,
                purpose=purpose, match_number=match_number, project_number=project_number,
            ),
        )  # fmt: skip
    return fund
