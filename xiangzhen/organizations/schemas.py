from datetime import datetime
from typing import Any

from ninja import Field, Schema

from xiangzhen.organizations.models import Organization


class OrganizationIn(Schema):
    name: str = Field(..., title="名称", max_length=200)
    credit_code: str = Field(..., title="统一社会信用代码", max_length=30)
    kind: str = Field(..., title="类型", description="social_group / foundation / social_service_agency")
    region_code: str = Field(..., title="登记地", description="登记管理机关所在省、市或县的 12 位区划代码")
    registration_authority: str = Field(..., title="登记管理机关", max_length=100)
    supervising_unit: str = Field("", title="业务主管单位", max_length=100)
    domains: list[str] = Field(default_factory=list, title="服务领域", description="领域代码列表")
    rating: str = Field("", title="等级评估", description="1A…5A，未评估为空")
    rating_year: int | None = Field(None, title="评估年度")
    is_hub: bool = Field(False, title="枢纽型社会组织")
    is_rural_community: bool = Field(False, title="农村社区社会组织")
    founder_type: str = Field(
        "", title="创办人类型", description="graduate / veteran / returning_migrant_worker / other"
    )
    contact_name: str = Field(..., title="联系人", max_length=50)
    contact_phone: str = Field(..., title="联系电话", max_length=30)
    address: str = Field("", title="地址", max_length=200)
    description: str = Field("", title="简介", max_length=5000)


class OrganizationPatch(Schema):
    """Only the fields sent are changed. `version` guards against overwriting someone else's edit."""

    version: int | None = Field(None, title="版本")
    name: str | None = Field(None, max_length=200)
    credit_code: str | None = Field(None, max_length=30)
    kind: str | None = None
    region_code: str | None = None
    registration_authority: str | None = Field(None, max_length=100)
    supervising_unit: str | None = Field(None, max_length=100)
    domains: list[str] | None = None
    rating: str | None = None
    rating_year: int | None = None
    is_hub: bool | None = None
    is_rural_community: bool | None = None
    founder_type: str | None = None
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)


class ReasonIn(Schema):
    reason: str = Field(..., title="原因", max_length=500)
    version: int | None = Field(None, title="版本")


class OrganizationOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    registration_authority: str
    supervising_unit: str
    domains: list[str]
    rating: str
    rating_year: int | None
    is_hub: bool
    is_rural_community: bool
    founder_type: str
    contact_name: str
    contact_phone: str
    address: str
    description: str
    status: str
    status_label: str
    return_reason: str
    version: int
    created_at: datetime
    updated_at: datetime
    reviewed_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Organization) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_region_code(obj: Organization) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Organization) -> str:
        return obj.region.full_name or obj.region.name

    @staticmethod
    def resolve_domains(obj: Organization) -> list[str]:
        return sorted(d.code for d in obj.domains.all())


class MemberOut(Schema):
    id: int
    user_id: int
    username: str
    full_name: str
    role: str
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return obj.user.full_name


class MemberPatch(Schema):
    role: str | None = Field(None, title="角色", description="admin / member")
    is_active: bool | None = Field(None, title="有效")


class InvitationIn(Schema):
    full_name: str = Field(..., title="姓名", max_length=50)
    email: str = Field(..., title="邮箱", max_length=254)
    role: str = Field("member", title="角色", description="admin / member")


class InvitationOut(Schema):
    id: int
    full_name: str
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
