"""Brand, case and commendation records for other apps' tests (the authorization matrix)."""

from typing import Any

from django.utils import timezone

from xiangzhen.accounts.tests.factories import staff
from xiangzhen.brands import services


def matrix_world(organization: Any, org_admin: Any) -> dict[str, Any]:
    """A brand of the 花垣县 organization; a case about it written by 花垣县 civil affairs and
    published by 湘西州; a commendation recorded by 花垣县 civil affairs."""
    writer = staff("civil_affairs", "433124000000", username="hy_mz_cases")
    reviewer = staff("rural_revitalization", "433100000000", username="xx_xc_cases")
    brand = services.create_brand(
        actor=org_admin, organization=organization,
        data=services.BrandData(name="矩阵品牌", description="矩阵", started_year=2020, domains=["education"]),
    )  # fmt: skip
    case = services.create_case(
        actor=writer,
        data=services.CaseData(title="矩阵案例", summary="矩阵", body="矩阵", organization_id=organization.pk),
    )
    services.submit_case(actor=writer, case=case)
    services.publish_case(actor=reviewer, case=case)
    commendation = services.record_commendation(
        actor=writer,
        data=services.CommendationData(
            organization_id=organization.pk, year=timezone.localdate().year, title="矩阵表彰",
            issuing_department="花垣县民政局", awarded_on=timezone.localdate(),
        ),
    )  # fmt: skip
    return {"brand_id": brand.pk, "case_id": case.pk, "commendation_id": commendation.pk}
