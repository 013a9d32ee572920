"""The profile of an organization as input, and the rules it must meet.

One checker serves the registration page, the API and the Excel import, so a bad credit code or
phone number gets the same Chinese message on every path. Field names are the API field names.
"""

from dataclasses import dataclass, field, replace

from django.utils import timezone

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.models import Domain
from xiangzhen.core.validation import Catalog, InputData, Problems, clean_phone, clean_texts
from xiangzhen.organizations.credit_code import validate_social_organization_code
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import CODE_PATTERN, Level
from xiangzhen.regions.models import Region

REGISTRATION_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
FIRST_RATING_YEAR = 2000


@dataclass
class OrganizationData(InputData):
    """Everything a person fills in about an organization (API field names)."""

    name: str
    credit_code: str
    kind: str
    region_code: str
    registration_authority: str
    contact_name: str
    contact_phone: str
    supervising_unit: str = ""
    domains: list[str] = field(default_factory=list)  # domain codes
    rating: str = ""
    rating_year: int | None = None
    is_hub: bool = False
    is_rural_community: bool = False
    founder_type: str = ""
    address: str = ""
    description: str = ""

    @classmethod
    def of(cls, organization: Organization) -> "OrganizationData":
        """The current profile of a saved organization."""
        values = {
            name: getattr(organization, name) for name in cls.field_names() if name not in ("region_code", "domains")
        }
        return cls(
            **values,
            region_code=organization.region_id,
            domains=sorted(d.code for d in organization.domains.all()),
        )


MAX_LENGTHS = {
    "name": ("名称", 200),
    "registration_authority": ("登记管理机关", 100),
    "supervising_unit": ("业务主管单位", 100),
    "contact_name": ("联系人", 50),
    "address": ("地址", 200),
    "description": ("简介", 5000),
}
REQUIRED = {
    "name": "请填写社会组织名称",
    "registration_authority": "请填写登记管理机关，如“花垣县民政局”",
    "contact_name": "请填写联系人",
}


def clean_organization_data(
    data: OrganizationData, *, catalog: Catalog | None = None
) -> tuple[OrganizationData, Region, list[Domain]]:
    """Normalize `data` and check every rule; raise one ValidationFailed listing each field at fault."""
    catalog = catalog or Catalog()
    problems = Problems()
    fail = problems.fail
    text = clean_texts(
        data, problems, required=REQUIRED, max_lengths=MAX_LENGTHS, also=("contact_phone", "region_code")
    )

    kind = (data.kind or "").strip()
    if kind not in Organization.Kind.values:
        fail("kind", "请选择社会组织类型：社会团体、基金会或社会服务机构")

    credit_code = data.credit_code or ""
    try:
        credit_code = validate_social_organization_code(credit_code, kind if kind in Organization.Kind.values else "")
    except ValidationFailed as exc:
        problems.errors.extend(exc.errors)

    region = None
    region_code = text["region_code"]
    if not region_code:
        fail("region_code", "请选择登记地（登记管理机关所在的省、市或县）")
    elif not CODE_PATTERN.match(region_code):
        fail("region_code", f"登记地区划代码“{region_code}”应为 12 位数字")
    else:
        region = catalog.region(region_code)
        if region is None:
            fail("region_code", f"登记地区划代码“{region_code}”不存在")
        elif region.level not in REGISTRATION_LEVELS:
            fail("region_code", f"登记地应为省、市或县级区划，“{region.name}”是{Level(region.level).label}级")

    domains: list[Domain] = []
    by_key = catalog.domains()
    for key in data.domains:
        domain = by_key.get(str(key).strip())
        if domain is None:
            fail("domains", f"服务领域“{key}”不存在")
        elif domain not in domains:
            domains.append(domain)

    rating = (data.rating or "").strip().upper()
    rating_year = data.rating_year
    this_year = timezone.localdate().year
    if rating and rating not in Organization.Rating.values:
        fail("rating", f"等级评估“{rating}”不正确，应为 1A、2A、3A、4A 或 5A")
    if rating and rating_year is None:
        fail("rating_year", "填写了等级评估时，请同时填写评估年度")
    if rating_year is not None and not FIRST_RATING_YEAR <= rating_year <= this_year:
        fail("rating_year", f"评估年度应在 {FIRST_RATING_YEAR} 年至 {this_year} 年之间，当前为 {rating_year}")
    if not rating and rating_year is not None:
        rating_year = None

    founder_type = (data.founder_type or "").strip()
    if founder_type and founder_type not in Organization.FounderType.values:
        fail("founder_type", "创办人类型应为高校毕业生、退役军人、返乡创业农民工或其他")
    if founder_type and not data.is_rural_community:
        fail("founder_type", "只有农村社区社会组织需要填写创办人类型")

    phone = clean_phone(
        text["contact_phone"],
        problems,
        missing="请填写联系电话",
        expected="应为 11 位手机号（如 13800000000）或带区号的固定电话（如 0743-7221234）",
    )

    problems.raise_any()
    assert region is not None
    cleaned = replace(
        data,
        name=text["name"],
        credit_code=credit_code,
        kind=kind,
        region_code=region_code,
        registration_authority=text["registration_authority"],
        supervising_unit=text["supervising_unit"],
        contact_name=text["contact_name"],
        contact_phone=phone,
        address=text["address"],
        description=text["description"],
        domains=sorted(d.code for d in domains),
        rating=rating,
        rating_year=rating_year,
        founder_type=founder_type,
        is_hub=bool(data.is_hub),
        is_rural_community=bool(data.is_rural_community),
    )
    return cleaned, region, domains
