from datetime import datetime
from typing import Any

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


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="令牌明文，只显示这一次")
