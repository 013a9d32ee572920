"""The demo brand, a published exemplary case and a commendation, through the services.
Called from `campaigns.demo` (the brand is chosen when its activities are recorded)."""

from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.brands import services
from xiangzhen.brands.models import CharityBrand, ExemplaryCase
from xiangzhen.organizations.models import Organization

BRAND_NAME = "苗乡书香"


def seed_demo_brand(*, organization: Organization, org_admin: Any) -> CharityBrand:
    existing = CharityBrand.objects.filter(organization=organization, name=BRAND_NAME).first()
    if existing is not None:
        return existing
    return services.create_brand(
        actor=org_admin,
        organization=organization,
        data=services.BrandData(
            name=BRAND_NAME,
            description="为湘西农村留守儿童建设阅读角、开展周末课堂和亲子共读的长期公益项目。",
            started_year=2019,
            domains=["education", "culture_sports"],
        ),
    )


def seed_demo_case_and_commendation(*, organization: Organization, brand: CharityBrand, campaign: Any) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["hy_minzheng", "xx_minzheng"])}
    if ExemplaryCase.objects.filter(organization=organization).exists():
        return
    writer, reviewer = users["hy_minzheng"], users["xx_minzheng"]
    case = services.create_case(
        actor=writer,
        data=services.CaseData(
            title="“苗乡书香”：让十八洞村的孩子周末有书读",
            summary="花垣县助农服务中心以公益品牌“苗乡书香”为抓手，参与扶弱济困助振兴专项行动。",
            body=(
                "十八洞村留守儿童多，课外阅读资源少。花垣县助农服务中心自 2019 年起实施“苗乡书香”项目，"
                "在村党群服务中心建设阅读角，组织大学生志愿者开展周末课堂和亲子共读。\n\n"
                "项目坚持“小投入、常坚持”，与村两委共同排班，做到每周有活动、每月有评比。"
            ),
            organization_id=organization.pk,
            brand_id=brand.pk,
        ),
    )
    services.submit_case(actor=writer, case=case)
    services.publish_case(actor=reviewer, case=case)
    year = timezone.localdate().year
    services.record_commendation(
        actor=writer,
        data=services.CommendationData(
            organization_id=organization.pk,
            year=year,
            title="花垣县社会组织参与乡村振兴先进集体",
            issuing_department="花垣县民政局",
            document_number=f"花民发〔{year}〕12号",
            awarded_on=timezone.localdate(),
        ),
    )
