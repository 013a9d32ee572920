"""The one filter definition for the user list: the page, the API and the Excel export use it alike."""

from django.db.models import Q, QuerySet
from ninja import Field
from pydantic import field_validator

from xiangzhen.accounts.models import User
from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.regions import codes


class UserFilters(PageFilters):
    q: str = Field("", max_length=100, title="关键词", description="用户名、姓名或手机号包含")
    role: str = Field("", title="角色", description="platform_admin / department_staff / submitter / organization")
    department: int | None = Field(None, title="所属部门", description="部门编号")
    region: str = Field("", title="区划", description="部门所在或填报员负责的区划（12 位或前缀），含下级")
    is_active: bool | None = Field(None, title="启用", description="true 启用 / false 已停用")

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        return one_of(value, list(User.Role.values))

    def apply(self, queryset: "QuerySet[User]") -> "QuerySet[User]":
        if self.q:
            queryset = queryset.filter(
                Q(username__icontains=self.q) | Q(full_name__icontains=self.q) | Q(phone__contains=self.q)
            )
        if self.role:
            queryset = queryset.filter(role=self.role)
        if self.department is not None:
            queryset = queryset.filter(department_id=self.department)
        if self.region:
            bounds = codes.subtree_bounds(self.region)
            queryset = queryset.filter(Q(department__region__code__range=bounds) | Q(region__code__range=bounds))
        if self.is_active is not None:
            queryset = queryset.filter(is_active=self.is_active)
        return queryset
