"""Writes to accounts: people, departments and API tokens."""

import re
import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiangzhen.accounts import roles, selectors, twofactor
from xiangzhen.accounts.auth import hash_token, new_token_secret
from xiangzhen.accounts.models import ApiToken, Department, User
from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.regions.codes import Level, level_of

ACCOUNT_FIELDS = ["username", "full_name", "role", "department", "region", "is_active", "must_change_password"]
# Readable without look-alikes (no 0/O, 1/l/I), so an initial password can be read out or copied by hand.
USERNAME_PATTERN = re.compile(r"[\w.@+-]{1,150}")
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


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
    must_change_password: bool = False,
) -> User:
    """Create an account. Staff and submitters are created by whoever manages that place
    (`roles.may_assign`); organization people sign up themselves or accept an invitation (see
    organizations.services)."""
    if (
        actor is not None
        and role != User.Role.ORGANIZATION
        and not roles.may_assign(actor, role=role, department=department, region_code=region_code)
    ):
        raise Forbidden("只有平台管理员或上级部门可以创建该部门或区划的账号")
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
        must_change_password=must_change_password,
    )
    check_password_strength(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        action="accounts.create_user",
        instance=user,
        region_code=_scope_region(user),
        after=audit.snapshot(user, ACCOUNT_FIELDS),
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
def create_api_token(*, actor: User, name: str, scope: str = ApiToken.Scope.READ) -> tuple[ApiToken, str]:
    """Issue a token for `actor`'s own integrations; the secret is returned once and never stored.
    Read-only unless `scope` is "write"."""
    if scope not in ApiToken.Scope.values:
        raise ValidationFailed.on("scope", "权限范围只能是“只读”(read) 或“读写”(write)")
    name = name.strip()
    if not name:
        raise ValidationFailed.on("name", "请填写令牌用途")
    if len(name) > 100:
        raise ValidationFailed.on("name", "令牌用途不超过 100 个字")
    secret = new_token_secret()
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:10], key_hash=hash_token(secret), scope=scope)
    audit.record(
        actor=actor,
        action="accounts.create_api_token",
        instance=token,
        region_code=_scope_region(actor),
        after={"name": name, "prefix": token.prefix, "scope": scope},
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


# ---------------------------------------------------------------- managing other people's accounts


def temporary_password() -> str:
    """Twelve random characters in three groups (about 68 bits), e.g. ``Xk7p-Qm3v-R9tz``."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def _locked_target(actor: Any, user_id: Any) -> User:
    """The managed user, locked for the change; not theirs to manage looks missing."""
    target = selectors.get_managed_user(actor, user_id)
    return User.objects.select_for_update().get(pk=target.pk)


def _record_account(
    actor: Any, action: str, user: User, *, before: dict[str, Any] | None = None, note: str = ""
) -> None:
    audit.record(
        actor=actor,
        action=f"accounts.{action}",
        instance=user,
        region_code=_scope_region(user),
        before=before,
        after=audit.snapshot(user, ACCOUNT_FIELDS),
        note=note,
    )


@transaction.atomic
def create_account(
    *,
    actor: Any,
    username: str,
    full_name: str,
    role: str,
    department_id: int | None = None,
    region_code: str | None = None,
    phone: str = "",
    email: str = "",
) -> tuple[User, str]:
    """A manager opens a staff or submitter account. The initial password is random, returned once
    to show on screen (never stored in clear, never e-mailed) and must be replaced at first login."""
    if not roles.can_manage_users(actor):
        raise Forbidden("您没有管理用户账号的权限")
    if role not in roles.assignable_roles(actor):
        raise ValidationFailed.on("role", "请选择您可以创建的角色：部门工作人员或乡村需求填报员")
    department = None
    if role == User.Role.DEPARTMENT_STAFF:
        departments = selectors.assignable_departments(actor)
        department = departments.filter(pk=department_id).first() if department_id else None
        if department is None:
            raise ValidationFailed.on("department", "请选择您管辖范围内的所属部门")
    if not USERNAME_PATTERN.fullmatch(username.strip()):
        raise ValidationFailed.on("username", "用户名只能由字母、数字和 @ . + - _ 组成，不超过 150 个字符")
    if role == User.Role.SUBMITTER and not region_code:
        raise ValidationFailed.on("region", "乡村需求填报员必须选择负责的乡镇或村")
    if role == User.Role.SUBMITTER and not roles.may_assign(actor, role=role, department=None, region_code=region_code):
        raise ValidationFailed.on("region", "负责区划不在您的管辖范围内")
    password = temporary_password()
    user = create_user(
        actor=actor,
        username=username,
        password=password,
        full_name=full_name,
        role=role,
        department=department,
        region_code=region_code if role == User.Role.SUBMITTER else None,
        phone=phone,
        email=email,
        must_change_password=True,
    )
    return user, password


@transaction.atomic
def deactivate_user(*, actor: Any, user_id: Any, reason: str) -> User:
    """Stop an account from signing in (pages, API and tokens alike). Nothing is deleted."""
    target = _locked_target(actor, user_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", "请填写停用原因")
    if not target.is_active:
        raise InvalidTransition("该账号已停用")
    before = audit.snapshot(target, ACCOUNT_FIELDS)
    target.is_active = False
    target.save(update_fields=["is_active"])
    _record_account(actor, "deactivate_user", target, before=before, note=reason[:500])
    return target


@transaction.atomic
def reactivate_user(*, actor: Any, user_id: Any, reason: str = "") -> User:
    target = _locked_target(actor, user_id)
    if target.is_active:
        raise InvalidTransition("该账号已是启用状态")
    before = audit.snapshot(target, ACCOUNT_FIELDS)
    target.is_active = True
    target.save(update_fields=["is_active"])
    _record_account(actor, "reactivate_user", target, before=before, note=(reason or "").strip()[:500])
    return target


@transaction.atomic
def reset_password(*, actor: Any, user_id: Any) -> tuple[User, str]:
    """A new random password, returned once, to be replaced at next login. The old password stops
    working at once, and with it every session (Django ties sessions to the password hash) and
    every API token of the account, since a reset usually means the account may be in other hands."""
    target = _locked_target(actor, user_id)
    password = temporary_password()
    before = audit.snapshot(target, ACCOUNT_FIELDS)
    target.set_password(password)
    target.must_change_password = True
    target.save(update_fields=["password", "must_change_password"])
    revoked = ApiToken.objects.filter(user=target, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _record_account(actor, "reset_password", target, before=before, note=f"吊销接口令牌 {revoked} 个")
    return target, password


@transaction.atomic
def unlock_user(*, actor: Any, user_id: Any) -> int:
    """Clear django-axes' failed-login records of the account, ending a lockout; returns how many."""
    target = _locked_target(actor, user_id)
    cleared = axes_reset(username=target.username)
    _record_account(actor, "unlock_user", target, note=f"清除登录失败记录 {cleared} 条")
    return int(cleared)


@transaction.atomic
def set_own_password(*, user: User, new_password: str) -> User:
    """The account's owner replaces a password someone else chose (at first login or after a reset)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.check_password(new_password):
        raise ValidationFailed.on("new_password1", "新密码不能与管理员设置的密码相同")
    check_password_strength(new_password, locked, field="new_password1")
    locked.set_password(new_password)
    locked.must_change_password = False
    locked.save(update_fields=["password", "must_change_password"])
    _record_account(locked, "set_own_password", locked)
    return locked


# ---------------------------------------------------------------- two-factor login (see accounts.twofactor)


@transaction.atomic
def start_two_factor(*, actor: User) -> TOTPDevice:
    """Begin adding an authenticator app: a new secret, not yet in force until a first code from
    the app confirms it (`confirm_two_factor`). Any earlier unfinished attempt is discarded."""
    if not twofactor.applies_to(actor):
        raise Forbidden("两步验证仅适用于部门工作人员")
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="手机验证器", confirmed=False)


@transaction.atomic
def confirm_two_factor(*, actor: User, token: str) -> TOTPDevice:
    """Put the app being added in force once it shows a valid code; it replaces an earlier one."""
    # The account row first, as `reset_two_factor` locks it: a reset racing with this cannot
    # leave `two_factor_enabled` saying the opposite of the devices.
    account = User.objects.select_for_update().get(pk=actor.pk)
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        raise InvalidTransition("请先生成二维码并用验证器应用扫描")
    if not check_totp_code(device=device, token=token):
        raise ValidationFailed.on("token", "验证码不正确或已过期，请输入验证器应用中当前显示的 6 位数字")
    replaced = TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()[0]
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    account.two_factor_enabled = actor.two_factor_enabled = True
    account.save(update_fields=["two_factor_enabled"])
    _record_account(actor, "enable_two_factor", actor, note="更换验证器" if replaced else "")
    return device


@transaction.atomic
def check_totp_code(*, device: TOTPDevice, token: str) -> bool:
    """Whether `token` is the device's current code. django-otp refuses a code already used
    (replay) and slows down guessing after failures; both write to the device row, which is
    locked here so two requests racing with the same code cannot both pass."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and len(token) == locked.digits):
        locked.throttle_increment()
        return False
    accepted = bool(locked.verify_token(token))
    device.refresh_from_db()
    return accepted


@transaction.atomic
def reset_two_factor(*, actor: Any, user_id: Any) -> int:
    """A manager removes a person's authenticator (a lost phone): they sign in with the password
    again and, under the `required` policy, must add a new one first. Returns how many devices
    were removed (none is not an error: the outcome asked for holds)."""
    target = _locked_target(actor, user_id)
    removed = int(TOTPDevice.objects.filter(user=target).delete()[0])
    target.two_factor_enabled = False
    target.save(update_fields=["two_factor_enabled"])
    _record_account(actor, "reset_two_factor", target, note=f"移除验证器 {removed} 个")
    return removed
