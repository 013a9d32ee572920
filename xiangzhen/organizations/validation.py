"""The profile of an organization as input, and the rules it must meet.

One checker serves the registration page, the API and the Excel import, so a bad credit code or
phone number gets the same Chinese message on every path. Field names are the API field names.
"""

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from django.utils import timezone

from xiangzhen.core.errors import FieldError, ValidationFailed
from xiangzhen.core.models import Domain
from xiangzhen.organizations.credit_code import validate_social_organization_code
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import CODE_PATTERN, Level
from xiangzhen.regions.models import Region

# 手机 1[3-9]xxxxxxxxx, or a landline with its area code: 0743-1234567, 07431234567, 010-12345678-801.
PHONE_PATTERN = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
REGISTRATION_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
FIRST_RATING_YEAR = 2000


@dataclass
class OrganizationData:
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
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

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

    def merged(self, changes: dict[str, Any]) -> "OrganizationData":
        known = {k: v for k, v in changes.items() if k in self.field_names()}
        return replace(self, **known)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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


class Catalog:
    """Regions and domains looked up once per request or import, not once per row."""

    def __init__(self) -> None:
        self._regions: dict[str, Region | None] = {}
        self._domains: dict[str, Domain] | None = None

    def region(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(pk=code).first()
        return self._regions[code]

    def domains(self) -> dict[str, Domain]:
        """Domains by code and by Chinese name."""
        if self._domains is None:
            self._domains = {}
            for domain in Domain.objects.all():
                self._domains[domain.code] = domain
                self._domains[domain.name] = domain
        return self._domains


def clean_organization_data(
    data: OrganizationData, *, catalog: Catalog | None = None
) -> tuple[OrganizationData, Region, list[Domain]]:
    """Normalize `data` and check every rule; raise one ValidationFailed listing each field at fault."""
    catalog = catalog or Catalog()
    errors: list[FieldError] = []

    def fail(name: str, message: str) -> None:
        if not any(e.field == name for e in errors):
            errors.append(FieldError(name, message))

    text = {name: (getattr(data, name) or "").strip() for name in (*MAX_LENGTHS, "contact_phone", "region_code")}
    for name, message in REQUIRED.items():
        if not text[name]:
            fail(name, message)
    for name, (label, limit) in MAX_LENGTHS.items():
        if len(text[name]) > limit:
            fail(name, f"{label}不超过 {limit} 个字，当前 {len(text[name])} 个字")

    kind = (data.kind or "").strip()
    if kind not in Organization.Kind.values:
        fail("kind", "请选择社会组织类型：社会团体、基金会或社会服务机构")

    credit_code = data.credit_code or ""
    try:
        credit_code = validate_social_organization_code(credit_code, kind if kind in Organization.Kind.values else "")
    except ValidationFailed as exc:
        errors.extend(exc.errors)

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

    phone = re.sub(r"[\s（）()]", "", text["contact_phone"])
    if not phone:
        fail("contact_phone", "请填写联系电话")
    elif not PHONE_PATTERN.match(phone):
        fail(
            "contact_phone",
            f"联系电话“{text['contact_phone']}”格式不正确，"
            "应为 11 位手机号（如 13800000000）或带区号的固定电话（如 0743-7221234）",
        )

    if errors:
        raise ValidationFailed("；".join(e.message for e in errors), errors)
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
