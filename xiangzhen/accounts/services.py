"""Writes to accounts: people, departments and API tokens."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from xiangzhen.accounts.auth import hash_token, new_token_secret
from xiangzhen.accounts.models import ApiToken, Department, User
from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.regions.codes import Level, level_of


def _scope_region(user: User) -> str:
    if user.department_id:
        return user.department.region_id  # type: ignore[union-attr]
    return user.region_id or ""


def check_password_strength(password: str, user: User | None = None, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed.on(field, "；".join(exc.messages)) from None


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str,
    full_name: str,
    role: str,
    department: Department | None = None,
    region_code: str | None = None,
    phone: str = "",
    email: str = "",
) -> User:
    """Create an account. Staff and submitters are created by platform admins; organization
    people sign up themselves or accept an invitation (see organizations.services)."""
    if actor is not None and not is_platform_admin(actor) and role != User.Role.ORGANIZATION:
        raise Forbidden("只有平台管理员可以创建部门和填报员账号")
    username = username.strip()
    if not username:
        raise ValidationFailed.on("username", "用户名不能为空")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed.on("username", f"用户名“{username}”已被使用")
    if role == User.Role.DEPARTMENT_STAFF and department is None:
        raise ValidationFailed.on("department", "部门工作人员必须选择所属部门")
    if role == User.Role.SUBMITTER and (
        not region_code or level_of(region_code) not in (Level.TOWNSHIP, Level.VILLAGE)
    ):
        raise ValidationFailed.on("region", "乡村需求填报员必须负责一个乡镇或村")
    user = User(
        username=username,
        full_name=full_name.strip(),
        role=role,
        department=department,
        region_id=region_code if role == User.Role.SUBMITTER else None,
        phone=phone.strip(),
        email=email.strip(),
        is_staff=role == User.Role.PLATFORM_ADMIN,
        is_superuser=role == User.Role.PLATFORM_ADMIN,
    )
    check_password_strength(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        action="accounts.create_user",
        instance=user,
        region_code=_scope_region(user),
        after=audit.snapshot(user, ["username", "full_name", "role", "department", "region"]),
    )
    return user


@transaction.atomic
def create_department(*, actor: Any, kind: str, region_code: str, name: str) -> Department:
    if actor is not None and not is_platform_admin(actor):
        raise Forbidden("只有平台管理员可以创建部门")
    if level_of(region_code) not in (Level.PROVINCE, Level.CITY, Level.COUNTY):
        raise ValidationFailed.on("region", "部门只能设在省、市、县三级")
    if Department.objects.filter(kind=kind, region_id=region_code).exists():
        raise ValidationFailed.on("region", "该区划已有同类部门")
    department = Department.objects.create(kind=kind, region_id=region_code, name=name)
    audit.record(
        actor=actor,
        action="accounts.create_department",
        instance=department,
        region_code=region_code,
        after=audit.snapshot(department),
    )
    return department


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for `actor`'s own integrations; the secret is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationFailed.on("name", "请填写令牌用途")
    if len(name) > 100:
        raise ValidationFailed.on("name", "令牌用途不超过 100 个字")
    secret = new_token_secret()
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:10], key_hash=hash_token(secret))
    audit.record(
        actor=actor,
        action="accounts.create_api_token",
        instance=token,
        region_code=_scope_region(actor),
        after={"name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    # Admins may revoke anyone's token; others only their own. Anything else looks missing.
    if token is None or (token.user_id != actor.pk and not is_platform_admin(actor)):
        raise NotFound("令牌不存在")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="accounts.revoke_api_token",
            instance=token,
            region_code=_scope_region(token.user),
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token
