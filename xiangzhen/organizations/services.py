"""Every write to organizations: registration, profile edits, the review workflow, members and
invitations, and the Excel import. Each public function is one business action in one transaction,
checks scope and permission, and writes the audit trail.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xiangzhen.accounts import services as accounts
from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.scope import region_in_scope, restrict
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version, stamp
from xiangzhen.core.validation import Catalog
from xiangzhen.organizations import excel, rules
from xiangzhen.organizations.models import Invitation, Membership, Organization
from xiangzhen.organizations.validation import OrganizationData, clean_organization_data
from xiangzhen.regions.services import read_table

Status = Organization.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("approve", "审核通过", frozenset({Status.SUBMITTED}), Status.APPROVED),
        Transition("return", "退回修改", frozenset({Status.SUBMITTED}), Status.RETURNED),
        Transition("resubmit", "重新提交", frozenset({Status.RETURNED}), Status.SUBMITTED),
        Transition("suspend", "暂停", frozenset({Status.APPROVED}), Status.SUSPENDED),
        Transition("reinstate", "恢复", frozenset({Status.SUSPENDED}), Status.APPROVED),
    ],
)
REVIEW_ACTIONS = ("approve", "return", "suspend", "reinstate")
# Fields an organization may no longer change itself once approved: they are what was registered.
REGISTERED_FIELDS = {"credit_code": "统一社会信用代码", "kind": "类型", "region_code": "登记地"}
AUDIT_FIELDS = [
    *(f for f in OrganizationData.field_names() if f != "region_code"),
    "region",
    "status",
    "return_reason",
    "version",
]
INVITATION_DAYS = 7


def _snapshot(organization: Organization) -> dict[str, Any]:
    return audit.snapshot(organization, AUDIT_FIELDS)


def _record(actor: Any, action: str, organization: Organization, **kwargs: Any) -> None:
    audit.record(
        actor=actor,
        action=f"organizations.{action}",
        instance=organization,
        region_code=organization.region_id,
        **kwargs,
    )


def _require_visible(actor: Any, organization: Organization) -> None:
    if not restrict(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise NotFound("社会组织不存在或无权查看")


def _write_profile(organization: Organization, data: OrganizationData) -> None:
    for name in OrganizationData.field_names():
        if name not in ("region_code", "domains"):
            setattr(organization, name, getattr(data, name))
    organization.region_id = data.region_code


# ---------------------------------------------------------------- registration and profile


def _create(*, actor: Any, data: OrganizationData, admin: Any, catalog: Catalog | None = None) -> Organization:
    cleaned, _, domains = clean_organization_data(data, catalog=catalog)
    if Organization.objects.filter(credit_code=cleaned.credit_code).exists():
        raise ValidationFailed.on("credit_code", f"统一社会信用代码 {cleaned.credit_code} 已在平台登记，请勿重复登记")
    organization = Organization(status=Status.SUBMITTED)
    _write_profile(organization, cleaned)
    organization.save()
    organization.domains.set(domains)
    Membership.objects.create(organization=organization, user=admin, role=Membership.Role.ADMIN)
    _record(actor, "register", organization, after=_snapshot(organization))
    return organization


@transaction.atomic
def register_organization(
    *, data: OrganizationData, username: str, password: str, full_name: str, email: str = "", phone: str = ""
) -> Organization:
    """Public sign-up: the organization (submitted for review) and its first admin account, together."""
    catalog = Catalog()
    clean_organization_data(data, catalog=catalog)  # report profile errors before creating the account
    if not full_name.strip():
        raise ValidationFailed.on("full_name", "请填写管理员姓名")
    user = accounts.create_user(
        actor=None,
        username=username,
        password=password,
        full_name=full_name,
        role="organization",
        email=email,
        phone=phone,
    )
    return _create(actor=user, data=data, admin=user, catalog=catalog)


@transaction.atomic
def create_organization(*, actor: Any, data: OrganizationData) -> Organization:
    """A logged-in organization person registers another organization and becomes its admin."""
    if not rules.can_register(actor):
        raise Forbidden("只有社会组织人员可以登记新的社会组织；民政部门请通过 Excel 导入已登记的组织")
    organization = _create(actor=actor, data=data, admin=actor)
    actor.__dict__.pop("_xiangzhen_scope", None)  # the new organization is now in their scope
    return organization


@transaction.atomic
def update_organization(
    *, actor: Any, organization: Organization, changes: dict[str, Any], expected_version: int | None = None
) -> Organization:
    """Edit the profile. Organization admins and platform admins only; registered facts are locked once approved."""
    _require_visible(actor, organization)
    if not rules.can_edit(actor, organization):
        raise Forbidden("只有本组织的管理员或平台管理员可以修改组织资料")
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    check_version(locked, organization.version if expected_version is None else expected_version, "社会组织")
    current = OrganizationData.of(locked)
    proposed = current.merged(changes)
    if locked.status in (Status.APPROVED, Status.SUSPENDED) and not is_platform_admin(actor):
        for name, label in REGISTERED_FIELDS.items():
            if str(getattr(proposed, name) or "").strip().upper() != str(getattr(current, name)).upper():
                raise ValidationFailed.on(
                    name, f"审核通过后不能自行修改{label}；如需更正，请联系登记管理机关或平台管理员"
                )
    cleaned, _, domains = clean_organization_data(proposed)
    if Organization.objects.filter(credit_code=cleaned.credit_code).exclude(pk=locked.pk).exists():
        raise ValidationFailed.on("credit_code", f"统一社会信用代码 {cleaned.credit_code} 已被其他组织使用")
    before = _snapshot(locked)
    _write_profile(locked, cleaned)
    locked.version += 1
    locked.save()
    locked.domains.set(domains)
    _record(actor, "update", locked, before=before, after=_snapshot(locked))
    return locked


# ---------------------------------------------------------------- review workflow


def _transition(
    *,
    actor: Any,
    organization: Organization,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    expected_version: int | None = None,
    **changes: Any,
) -> Organization:
    _require_visible(actor, organization)
    if action in REVIEW_ACTIONS and not rules.can_review(actor, organization):
        raise Forbidden(f"只有“{organization.region}”的民政部门工作人员或平台管理员可以审核该社会组织")
    if action == "resubmit" and not rules.is_org_admin(actor, organization):
        raise Forbidden("只有本组织的管理员可以重新提交")
    WORKFLOW.target(organization.status, action)  # InvalidTransition before anything else is checked
    reason = WORKFLOW.clean_reason(action, reason, required=reason_required)
    check_version(organization, expected_version, "社会组织")
    before = _snapshot(organization)
    WORKFLOW.apply(organization, action, updated_at=timezone.now(), **changes)
    _record(actor, action, organization, before=before, after=_snapshot(organization), note=reason)
    return organization


@transaction.atomic
def approve_organization(
    *, actor: Any, organization: Organization, reason: str = "", expected_version: int | None = None
) -> Organization:
    return _transition(
        actor=actor, organization=organization, action="approve", reason=reason,
        expected_version=expected_version, return_reason="", **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def return_organization(
    *, actor: Any, organization: Organization, reason: str, expected_version: int | None = None
) -> Organization:
    return _transition(
        actor=actor, organization=organization, action="return", reason=reason, reason_required=True,
        expected_version=expected_version, return_reason=reason.strip()[:MAX_REASON], **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def resubmit_organization(
    *, actor: Any, organization: Organization, expected_version: int | None = None
) -> Organization:
    return _transition(
        actor=actor, organization=organization, action="resubmit", expected_version=expected_version, return_reason=""
    )


@transaction.atomic
def suspend_organization(
    *, actor: Any, organization: Organization, reason: str, expected_version: int | None = None
) -> Organization:
    return _transition(
        actor=actor, organization=organization, action="suspend", reason=reason, reason_required=True,
        expected_version=expected_version, **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def reinstate_organization(
    *, actor: Any, organization: Organization, reason: str, expected_version: int | None = None
) -> Organization:
    return _transition(
        actor=actor, organization=organization, action="reinstate", reason=reason, reason_required=True,
        expected_version=expected_version, **stamp(actor, "reviewed"),
    )  # fmt: skip


TRANSITION_SERVICES = {
    "approve": approve_organization,
    "return": return_organization,
    "suspend": suspend_organization,
    "reinstate": reinstate_organization,
}


# ---------------------------------------------------------------- members and invitations


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_member_manager(actor: Any, organization: Organization) -> None:
    _require_visible(actor, organization)
    if not rules.can_manage_members(actor, organization):
        raise Forbidden("只有本组织的管理员可以管理成员")


def _send_invitation(invitation: Invitation, link: str) -> None:
    send_mail(
        subject=f"【乡振】{invitation.organization.name}邀请您加入",
        message=(
            f"{invitation.full_name}，您好：\n\n{invitation.invited_by}邀请您以“{invitation.get_role_display()}”身份"
            f"加入社会组织“{invitation.organization.name}”。\n"
            f"请在 {INVITATION_DAYS} 天内打开以下链接，设置用户名和密码：\n"
            f"{link}\n\n如非本人操作，请忽略本邮件。"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invite_member(
    *, actor: Any, organization: Organization, full_name: str, email: str, role: str, link_base: str = ""
) -> tuple[Invitation, str]:
    """Invite someone by e-mail; the secret goes only into the link, the database keeps its SHA-256."""
    _require_member_manager(actor, organization)
    full_name, email = full_name.strip(), email.strip().lower()
    if not full_name:
        raise ValidationFailed.on("full_name", "请填写被邀请人姓名")
    if len(full_name) > 50:
        raise ValidationFailed.on("full_name", "姓名不超过 50 个字")
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed.on("email", f"邮箱“{email}”格式不正确") from None
    if role not in Membership.Role.values:
        raise ValidationFailed.on("role", "角色应为管理员（admin）或成员（member）")
    if organization.status == Status.SUSPENDED:
        raise InvalidTransition("该社会组织已暂停，不能邀请新成员")
    now = timezone.now()
    if Invitation.objects.filter(
        organization=organization, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():  # fmt: skip
        raise ValidationFailed.on("email", f"已向 {email} 发出邀请且尚未处理，请勿重复邀请（可先撤销原邀请）")
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        full_name=full_name,
        email=email,
        role=role,
        token_hash=hash_secret(secret),
        invited_by=actor,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit.record(
        actor=actor,
        action="organizations.invite",
        instance=invitation,
        region_code=organization.region_id,
        after={"organization": organization.pk, "full_name": full_name, "email": email, "role": role},
    )
    link = link_base.rstrip("/") + reverse("organizations:accept_invitation", args=[secret])
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, secret


@transaction.atomic
def revoke_invitation(*, actor: Any, invitation: Invitation) -> Invitation:
    _require_member_manager(actor, invitation.organization)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise InvalidTransition("该邀请已被接受，不能撤销；如需移除，请停用该成员")
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="organizations.revoke_invitation",
            instance=locked,
            region_code=locked.organization.region_id,
            after={"revoked_at": locked.revoked_at.isoformat()},
        )
    return locked


def invitation_problem(invitation: Invitation | None) -> str:
    """Why a link cannot be used any more, in words for the invitee; empty if it can."""
    if invitation is None:
        return "邀请链接无效，请核对链接是否完整，或联系组织管理员重新邀请"
    if invitation.accepted_at is not None:
        accepted = timezone.localtime(invitation.accepted_at)
        return f"该邀请已于 {accepted:%Y-%m-%d %H:%M} 被接受，链接不能重复使用，请直接登录"
    if invitation.revoked_at is not None:
        return "该邀请已被组织管理员撤销，如有疑问请联系组织管理员"
    if invitation.expires_at <= timezone.now():
        return f"该邀请已过期（有效期 {INVITATION_DAYS} 天），请联系组织管理员重新邀请"
    return ""


@transaction.atomic
def accept_invitation(*, secret: str, username: str, password: str) -> Membership:
    """The invitee chooses a username and password and joins the organization."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    problem = invitation_problem(invitation)
    if invitation is None:
        raise NotFound(problem)
    if problem:
        raise InvalidTransition(problem)
    user = accounts.create_user(
        actor=None,
        username=username,
        password=password,
        full_name=invitation.full_name,
        role="organization",
        email=invitation.email,
    )
    membership = Membership.objects.create(organization=invitation.organization, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(
        actor=user,
        action="organizations.accept_invitation",
        instance=membership,
        region_code=invitation.organization.region_id,
        after={"organization": invitation.organization_id, "user": user.pk, "role": membership.role},
    )
    return membership


def _locked_membership(actor: Any, membership: Membership) -> Membership:
    _require_member_manager(actor, membership.organization)
    # Lock the organization row: two admins demoting each other at once must not leave it without one.
    Organization.objects.select_for_update().filter(pk=membership.organization_id).first()
    return Membership.objects.select_related("user", "organization").get(pk=membership.pk)


def _protect_last_admin(membership: Membership, field_name: str, message: str) -> None:
    if membership.role != Membership.Role.ADMIN or not membership.is_active:
        return
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=Membership.Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationFailed.on(field_name, message)


@transaction.atomic
def change_member_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    locked = _locked_membership(actor, membership)
    if role not in Membership.Role.values:
        raise ValidationFailed.on("role", "角色应为管理员（admin）或成员（member）")
    if role == locked.role:
        return locked
    if role != Membership.Role.ADMIN:
        _protect_last_admin(
            locked, "role", f"{locked.user}是本组织唯一的管理员，不能改为成员；请先将另一名成员设为管理员"
        )
    before = audit.snapshot(locked, ["role", "is_active"])
    locked.role = role
    locked.save(update_fields=["role"])
    audit.record(
        actor=actor, action="organizations.change_member_role", instance=locked,
        region_code=locked.organization.region_id, before=before, after=audit.snapshot(locked, ["role", "is_active"]),
    )  # fmt: skip
    return locked


@transaction.atomic
def set_member_active(*, actor: Any, membership: Membership, is_active: bool) -> Membership:
    """Deactivate a member (they lose access to the organization) or reactivate them."""
    locked = _locked_membership(actor, membership)
    if locked.is_active == is_active:
        return locked
    if not is_active:
        _protect_last_admin(
            locked, "is_active", f"{locked.user}是本组织唯一的管理员，不能停用；请先将另一名成员设为管理员"
        )
    before = audit.snapshot(locked, ["role", "is_active"])
    locked.is_active = is_active
    locked.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action="organizations.activate_member" if is_active else "organizations.deactivate_member",
        instance=locked, region_code=locked.organization.region_id,
        before=before, after=audit.snapshot(locked, ["role", "is_active"]),
    )  # fmt: skip
    return locked


# ---------------------------------------------------------------- Excel import


@dataclass
class ImportRow:
    row_number: int
    name: str
    credit_code: str
    outcome: str  # "create", "update" or "unchanged"


@dataclass
class ImportReport:
    """What an import did, or would do (dry run): every row's outcome, or every bad row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def import_organizations(*, actor: Any, filename: str, content: bytes, dry_run: bool = False) -> ImportReport:
    """Import organizations already registered by the importer's civil affairs authority.

    Every row is checked first; if any is bad nothing is written and each error comes back with
    its row number. Rows are matched by credit code, so importing the same file again updates
    what changed and creates nothing twice. New organizations are approved: the importer is the
    registration authority.
    """
    if not rules.can_import(actor):
        raise Forbidden("只有民政部门工作人员或平台管理员可以导入社会组织")
    catalog = Catalog()
    domain_names = {d.name: d.code for d in catalog.domains().values()}
    parsed = excel.parse_rows(read_table(filename, content), domain_names)
    if not parsed:
        raise ValidationFailed.on("file", "文件中没有数据行")
    report = ImportReport()
    seen: dict[str, int] = {}
    valid: list[tuple[int, OrganizationData, list[Any]]] = []
    for row in parsed:
        errors = list(row.errors)
        cleaned = None
        try:
            cleaned, region, domains = clean_organization_data(row.data, catalog=catalog)
        except ValidationFailed as exc:
            errors.extend(e.message for e in exc.errors)
        if cleaned is not None:
            if cleaned.credit_code in seen:
                errors.append(f"统一社会信用代码 {cleaned.credit_code} 与第 {seen[cleaned.credit_code]} 行重复")
            else:
                seen[cleaned.credit_code] = row.row_number
            if not region_in_scope(actor, region.code):
                errors.append(f"登记地“{region.full_name or region.name}”不在您的管辖范围内")
        report.errors.extend((row.row_number, message) for message in errors)
        if not errors and cleaned is not None:
            valid.append((row.row_number, cleaned, domains))

    existing = {
        o.credit_code: o
        for o in Organization.objects.filter(credit_code__in=[d.credit_code for _, d, _ in valid]).prefetch_related(
            "domains"
        )
    }
    visible = set(
        restrict(Organization.objects.filter(pk__in=[o.pk for o in existing.values()]), actor).values_list(
            "pk", flat=True
        )
    )
    plan: list[tuple[OrganizationData, list[Any], Organization | None]] = []
    for row_number, data, domains in valid:
        current = existing.get(data.credit_code)
        if current is not None and current.pk not in visible:
            report.errors.append(
                (row_number, f"统一社会信用代码 {data.credit_code} 已由其他地区登记在平台上，不能导入")
            )
            continue
        if current is None:
            outcome = "create"
        elif OrganizationData.of(current) != data:
            outcome = "update"
        else:
            outcome = "unchanged"
        counter = {"create": "created", "update": "updated", "unchanged": "unchanged"}[outcome]
        setattr(report, counter, getattr(report, counter) + 1)
        report.rows.append(ImportRow(row_number, data.name, data.credit_code, outcome))
        plan.append((data, domains, current))
    if report.errors:
        report.errors.sort()
        report.created = report.updated = report.unchanged = 0
        report.rows = []
        return report
    if dry_run:
        return report

    now = timezone.now()
    for data, domains, current in plan:
        if current is None:
            organization = Organization(status=Status.APPROVED, reviewed_at=now, reviewed_by=actor)
            _write_profile(organization, data)
            organization.save()
            organization.domains.set(domains)
            _record(actor, "import", organization, after=_snapshot(organization), note=filename[:200])
        elif OrganizationData.of(current) != data:
            before = _snapshot(current)
            _write_profile(current, data)
            current.version += 1
            current.save()
            current.domains.set(domains)
            _record(actor, "import", current, before=before, after=_snapshot(current), note=filename[:200])
    return report
