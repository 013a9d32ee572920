"""Demo organizations in 湘西州, created through the services as real people would create them.

Called by `manage.py seed_demo`. Idempotent: an organization whose credit code exists is left as
it is, and an admin account that exists is reused.
"""

from dataclasses import dataclass
from typing import Any

from xiangzhen.accounts import services as accounts
from xiangzhen.accounts.models import User
from xiangzhen.organizations import services
from xiangzhen.organizations.credit_code import CATEGORY_BY_KIND, make_credit_code
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.organizations.validation import OrganizationData

HUAYUAN, FENGHUANG, BAOJING, XIANGXI, HUNAN = (
    "433124000000",
    "433123000000",
    "433125000000",
    "433100000000",
    "430000000000",
)


@dataclass(frozen=True)
class DemoOrganization:
    username: str
    admin_name: str
    outcome: str  # "approved", "submitted" or "returned"
    data: OrganizationData
    note: str = ""


def _code(kind: str, region_code: str, body: str) -> str:
    return make_credit_code(f"5{CATEGORY_BY_KIND[kind]}{region_code[:6]}", body)


DEMO = [
    DemoOrganization(
        "hy_zhunong",
        "石秀英",
        "approved",
        OrganizationData(
            name="花垣县十八洞助农服务中心",
            credit_code=_code("social_service_agency", HUAYUAN, "MJY00001"),
            kind="social_service_agency",
            region_code=HUAYUAN,
            registration_authority="花垣县民政局",
            supervising_unit="花垣县农业农村局",
            domains=["industry", "agri_tech", "employment_skills"],
            rating="4A",
            rating_year=2024,
            is_rural_community=True,
            founder_type="returning_migrant_worker",
            contact_name="石秀英",
            contact_phone="13907431001",
            address="花垣县双龙镇十八洞村",
            description="帮助十八洞村及周边村发展猕猴桃、黄牛养殖，组织电商直播带货和技能培训。",
        ),
    ),
    DemoOrganization(
        "xx_shegong",
        "彭丽",
        "approved",
        OrganizationData(
            name="湘西州社会工作服务协会",
            credit_code=_code("social_group", XIANGXI, "MJY00002"),
            kind="social_group",
            region_code=XIANGXI,
            registration_authority="湘西土家族苗族自治州民政局",
            domains=["governance", "livelihood_security", "elderly_care"],
            rating="5A",
            rating_year=2023,
            is_hub=True,
            contact_name="彭丽",
            contact_phone="0743-8221234",
            address="吉首市人民北路",
            description="全州社工站的枢纽型组织，培训乡镇社工，统筹五社联动。",
        ),
    ),
    DemoOrganization(
        "fh_jiaoyu",
        "吴晓梅",
        "approved",
        OrganizationData(
            name="凤凰县苗乡留守儿童关爱协会",
            credit_code=_code("social_group", FENGHUANG, "MJY00003"),
            kind="social_group",
            region_code=FENGHUANG,
            registration_authority="凤凰县民政局",
            supervising_unit="凤凰县教育和体育局",
            domains=["education", "culture_sports"],
            rating="3A",
            rating_year=2022,
            is_rural_community=True,
            founder_type="graduate",
            contact_name="吴晓梅",
            contact_phone="13807432003",
            address="凤凰县沱江镇",
            description="在山江、腊尔山一带建设宝贝小屋和阅读小屋，开展留守儿童课后陪伴。",
        ),
    ),
    DemoOrganization(
        "hn_jijinhui",
        "李建国",
        "approved",
        OrganizationData(
            name="湖南省乡村振兴公益基金会",
            credit_code=_code("foundation", HUNAN, "MJY00004"),
            kind="foundation",
            region_code=HUNAN,
            registration_authority="湖南省民政厅",
            supervising_unit="湖南省乡村振兴局",
            domains=["industry", "health", "living_environment"],
            rating="4A",
            rating_year=2024,
            contact_name="李建国",
            contact_phone="0731-84561234",
            address="长沙市芙蓉区",
            description="设立乡村振兴专项基金，资助重点帮扶县的产业和医生小屋项目。",
        ),
    ),
    DemoOrganization(
        "bj_yanglao",
        "向红梅",
        "submitted",
        OrganizationData(
            name="保靖县夕阳红居家养老服务中心",
            credit_code=_code("social_service_agency", BAOJING, "MJY00005"),
            kind="social_service_agency",
            region_code=BAOJING,
            registration_authority="保靖县民政局",
            domains=["elderly_care", "health"],
            is_rural_community=True,
            founder_type="veteran",
            contact_name="向红梅",
            contact_phone="13974302005",
            address="保靖县迁陵镇",
            description="为空巢、失能老人提供上门照护和助餐服务。",
        ),
    ),
    DemoOrganization(
        "hy_wenhua",
        "龙金花",
        "returned",
        OrganizationData(
            name="花垣县苗绣文化传承促进会",
            credit_code=_code("social_group", HUAYUAN, "MJY00006"),
            kind="social_group",
            region_code=HUAYUAN,
            registration_authority="花垣县民政局",
            domains=["culture_sports", "civic_culture"],
            contact_name="龙金花",
            contact_phone="13762106006",
            address="花垣县花垣镇",
            description="组织苗绣培训，帮助留守妇女居家就业。",
        ),
        note="请补充业务主管单位和详细地址后重新提交",
    ),
]


def _admin(spec: DemoOrganization, password: str) -> User:
    existing = User.objects.filter(username=spec.username).first()
    if existing is not None:
        return existing
    return accounts.create_user(
        actor=None, username=spec.username, password=password, full_name=spec.admin_name, role="organization"
    )


def seed_demo_organizations(*, actor: Any, password: str) -> list[tuple[Organization, str]]:
    """Create the demo organizations and their admin accounts; return each with its admin's username.

    `actor` reviews them (a platform admin): approves most, leaves one submitted, returns one.
    """
    result: list[tuple[Organization, str]] = []
    for spec in DEMO:
        organization = Organization.objects.filter(credit_code=spec.data.credit_code).first()
        if organization is None:
            admin = _admin(spec, password)
            organization = services.create_organization(actor=admin, data=spec.data)
            if spec.outcome == "approved":
                organization = services.approve_organization(actor=actor, organization=organization)
            elif spec.outcome == "returned":
                organization = services.return_organization(actor=actor, organization=organization, reason=spec.note)
        username = (
            Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
            .values_list("user__username", flat=True)
            .first()
        )
        result.append((organization, username or spec.username))
    return result
