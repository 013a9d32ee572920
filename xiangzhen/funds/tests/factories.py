"""Fund records for other apps' tests (the authorization matrix)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xiangzhen.funds import services
from xiangzhen.funds.models import Fund
from xiangzhen.funds.validation import DonationData, ProjectData


def matrix_world(organization: Any, org_admin: Any) -> dict[str, Any]:
    """An active fund of the organization with one project and one donation of 1 000 yuan."""
    fund = Fund.objects.create(
        number="JJ-433124-2026-900001",
        organization=organization,
        name="矩阵专项基金",
        founder_kind=Fund.FounderKind.ENTERPRISE,
        founder_name="湘西矩阵公司",
        purpose="矩阵",
        status=Fund.Status.ACTIVE,
        activated_at=timezone.now(),
        created_by=org_admin,
    )
    today = timezone.localdate()
    project = services.create_project(
        actor=org_admin,
        fund=fund,
        data=ProjectData(name="矩阵项目", start_date=today - timedelta(days=10), end_date=today + timedelta(days=30)),
    )
    donation = services.record_donation(
        actor=org_admin,
        fund=fund,
        data=DonationData(
            donor_kind="individual", donor_name="石矩阵", amount="1000", donated_on=today, channel="bank",
            receipt_number="MATRIX-1",
        ),
    )  # fmt: skip
    return {
        "fund_id": fund.pk,
        "project_id": project.pk,
        "fund_project_number": project.number,
        "donation_number": donation.number,
    }
