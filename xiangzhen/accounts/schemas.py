from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    department: str | None
    scope_region_code: str | None
    organization_ids: list[int]

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_department(obj: Any) -> str | None:
        return str(obj.department) if obj.department_id else None

    @staticmethod
    def resolve_scope_region_code(obj: Any) -> str | None:
        from xiangzhen.core.scope import scope_of

        return scope_of(obj).region_code

    @staticmethod
    def resolve_organization_ids(obj: Any) -> list[int]:
        from xiangzhen.core.scope import scope_of

        return sorted(scope_of(obj).organization_ids)


class TokenIn(Schema):
    name: str = Field(..., title="用途", max_length=100)
    scope: Literal["read", "write"] = Field("read", title="权限范围", description="read：只读（默认）；write：读写")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="令牌明文，只显示这一次")


class ManagedUserOut(Schema):
    """An account as its manager sees it: phone masked, never anything about the password but
    whether it must be changed."""

    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    department_id: int | None
    department: str | None
    region_code: str | None = Field(None, description="部门所在区划或填报员负责的区划")
    region_name: str | None
    phone_masked: str
    email: str
    is_active: bool
    must_change_password: bool
    last_login: datetime | None
    date_joined: datetime

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_department(obj: Any) -> str | None:
        return str(obj.department) if obj.department_id else None

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.department.region_id if obj.department_id else obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str | None:
        region = obj.department.region if obj.department_id else obj.region
        return str(region) if region else None

    @staticmethod
    def resolve_phone_masked(obj: Any) -> str:
        from xiangzhen.core.crypto import mask_phone

        return mask_phone(obj.phone) if obj.phone else ""


class ManagedUserIn(Schema):
    username: str = Field(..., title="用户名", max_length=150)
    full_name: str = Field(..., title="姓名", max_length=50)
    role: str = Field(..., title="角色", description="department_staff / submitter（平台管理员另可 platform_admin）")
    department_id: int | None = Field(None, title="所属部门", description="部门工作人员必填")
    region_code: str | None = Field(None, title="负责区划", description="填报员必填：乡镇或村的 12 位区划代码")
    phone: str = Field("", title="手机号", max_length=20)
    email: str = Field("", title="电子邮箱", max_length=254)


class PasswordIssuedOut(Schema):
    user: ManagedUserOut
    temporary_password: str = Field(..., description="初始/临时密码，只返回这一次；用户首次登录时必须修改")


class TwoFactorResetOut(Schema):
    user: ManagedUserOut
    removed_devices: int = Field(..., description="移除的验证器个数（0 表示原本未启用）")


class UnlockOut(Schema):
    user: ManagedUserOut
    cleared_attempts: int


class AccountReasonIn(Schema):
    reason: str = Field("", title="原因", max_length=500, description="停用时必填")
