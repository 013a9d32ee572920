"""Every write to trainings: create, open, finish, cancel, enroll, attendance and completion.

Workflow: draft → open (enrollment) → finished; draft or open → cancelled (with a reason).
Capacity is held by one conditional UPDATE (`enrolled_count < capacity`), so concurrent
enrollments can never overfill a training, on SQLite and PostgreSQL alike. Completion is
confirmed after the training has finished and issues a certificate with its own number.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xiangzhen.accounts.models import Department, User
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import Domain
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version
from xiangzhen.matching.models import Match
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.stats import rollups
from xiangzhen.training import rules, selectors
from xiangzhen.training.models import Enrollment, LedProject, Talent, Training

Status = Training.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("open", "开放报名", frozenset({Status.DRAFT}), Status.OPEN),
        Transition("finish", "结束", frozenset({Status.OPEN}), Status.FINISHED),
        Transition("cancel", "取消", frozenset({Status.DRAFT, Status.OPEN}), Status.CANCELLED),
    ],
)
AUDIT_FIELDS = [
    "title", "organizer_organization", "organizer_department", "region", "trainer", "starts_on", "ends_on",
    "mode", "place", "link", "capacity", "hours", "status", "cancel_reason", "version",
]  # fmt: skip
ENROLLMENT_FIELDS = ["attendee", "organization", "attended", "attended_hours", "completed", "certificate_number"]
MAX_CAPACITY = 10000


@dataclass
class TrainingData:
    title: str
    trainer: str
    starts_on: date
    ends_on: date
    mode: str
    capacity: int
    hours: Any
    description: str = ""
    place: str = ""
    link: str = ""
    organizer_organization_id: int | None = None


def _record(actor: Any, action: str, instance: Any, training: Training, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"training.{action}", instance=instance, region_code=training.region_id, **kwargs)


def _clean(data: TrainingData) -> TrainingData:
    title, trainer = data.title.strip(), data.trainer.strip()
    if not title:
        raise ValidationFailed.on("title", "请填写课程名称")
    if len(title) > 200:
        raise ValidationFailed.on("title", "课程名称不超过 200 个字")
    if not trainer:
        raise ValidationFailed.on("trainer", "请填写授课人")
    if data.ends_on < data.starts_on:
        raise ValidationFailed.on("ends_on", "结束日期不能早于开始日期")
    if data.mode not in Training.Mode.values:
        raise ValidationFailed.on("mode", "请选择线下或线上")
    place, link = data.place.strip(), data.link.strip()
    if data.mode == Training.Mode.IN_PERSON and not place:
        raise ValidationFailed.on("place", "线下培训请填写地点")
    if data.mode == Training.Mode.ONLINE and not link.startswith(("https://", "http://")):
        raise ValidationFailed.on("link", "线上培训请填写以 http(s):// 开头的链接")
    if not 1 <= int(data.capacity) <= MAX_CAPACITY:
        raise ValidationFailed.on("capacity", f"名额应在 1 到 {MAX_CAPACITY} 之间")
    try:
        hours = Decimal(str(data.hours))
    except InvalidOperation:
        raise ValidationFailed.on("hours", "学时应为数字") from None
    if not Decimal("0.5") <= hours <= Decimal("1000"):
        raise ValidationFailed.on("hours", "学时应在 0.5 到 1000 之间")
    return TrainingData(
        title=title, trainer=trainer, starts_on=data.starts_on, ends_on=data.ends_on, mode=data.mode,
        capacity=int(data.capacity), hours=hours.quantize(Decimal("0.1")), description=data.description.strip(),
        place=place if data.mode == Training.Mode.IN_PERSON else "",
        link=link if data.mode == Training.Mode.ONLINE else "",
        organizer_organization_id=data.organizer_organization_id,
    )  # fmt: skip


def _organizer(actor: Any, organization_id: int | None) -> tuple[Organization | None, Department | None]:
    """The organizer the actor creates for: a hub organization they administer, or their department."""
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise ValidationFailed.on("organizer_organization_id", "主办组织不存在")
        if not (is_platform_admin(actor) or rules.is_org_admin(actor, organization.pk)):
            raise Forbidden("只有该组织的管理员可以以该组织名义举办培训")
        if not organization.is_hub or organization.status != Organization.Status.APPROVED:
            raise ValidationFailed.on("organizer_organization_id", "只有已通过审核的枢纽型社会组织可以举办培训")
        return organization, None
    department = department_of(actor)
    if department is None:
        raise Forbidden("请选择主办的枢纽型社会组织；只有部门工作人员可以以部门名义举办培训")
    return None, department


@transaction.atomic
def create_training(*, actor: Any, data: TrainingData) -> Training:
    """A draft training organized by a hub organization the actor administers, or by the actor's department."""
    clean = _clean(data)
    organization, department = _organizer(actor, clean.organizer_organization_id)
    region_id = organization.region_id if organization else department.region_id  # type: ignore[union-attr]
    training = Training(
        number=next_number("PX", region_id), title=clean.title, description=clean.description,
        organizer_organization=organization, organizer_department=department, region_id=region_id,
        trainer=clean.trainer, starts_on=clean.starts_on, ends_on=clean.ends_on, mode=clean.mode,
        place=clean.place, link=clean.link, capacity=clean.capacity, hours=clean.hours, created_by=actor,
    )  # fmt: skip
    training.save()
    _record(actor, "create", training, training, after=audit.snapshot(training, AUDIT_FIELDS))
    return training


def _require_manager(actor: Any, training: Training) -> None:
    if not selectors.visible_trainings(actor).filter(pk=training.pk).exists():
        raise NotFound("培训不存在或无权查看")
    if not rules.can_manage(actor, training):
        raise Forbidden("只有主办方可以管理该培训")


def _transition(
    *, actor: Any, training: Training, action: str, reason: str = "", expected_version: int | None = None,
    **changes: Any,
) -> Training:  # fmt: skip
    _require_manager(actor, training)
    WORKFLOW.target(training.status, action)
    reason = WORKFLOW.clean_reason(action, reason, required=action == "cancel")
    check_version(training, expected_version, "培训")
    before = audit.snapshot(training, AUDIT_FIELDS)
    WORKFLOW.apply(training, action, **changes)
    _record(actor, action, training, training, before=before, after=audit.snapshot(training, AUDIT_FIELDS), note=reason)
    return training


@transaction.atomic
def open_training(*, actor: Any, training: Training, reason: str = "", expected_version: int | None = None) -> Training:
    return _transition(actor=actor, training=training, action="open", reason=reason, expected_version=expected_version)


@transaction.atomic
def finish_training(
    *, actor: Any, training: Training, reason: str = "", expected_version: int | None = None
) -> Training:
    return _transition(
        actor=actor, training=training, action="finish", reason=reason, expected_version=expected_version
    )


@transaction.atomic
def cancel_training(*, actor: Any, training: Training, reason: str, expected_version: int | None = None) -> Training:
    """A reason is required; a cancelled training keeps its enrollments for the record."""
    return _transition(
        actor=actor, training=training, action="cancel", reason=reason, expected_version=expected_version,
        cancel_reason=(reason or "").strip()[:MAX_REASON],
    )  # fmt: skip


TRANSITION_SERVICES: dict[str, Any] = {"open": open_training, "finish": finish_training, "cancel": cancel_training}


@transaction.atomic
def enroll(*, actor: Any, training: Training, attendee_id: int | None = None, organization_id: int) -> Enrollment:
    """Enroll a member of `organization_id` (the actor, or a member of an organization the actor administers).

    The seat is taken by one conditional UPDATE: when two people take the last seat at once, one
    of them gets it and the other is told the training is full.
    """
    if not selectors.visible_trainings(actor).filter(pk=training.pk).exists():
        raise NotFound("培训不存在或无权查看")
    attendee = actor if attendee_id is None else User.objects.filter(pk=attendee_id, is_active=True).first()
    if attendee is None or not rules.may_enroll(actor, attendee, organization_id):
        raise Forbidden("只能为本人或本组织的成员报名")
    if Enrollment.objects.filter(training=training, attendee=attendee).exists():
        raise ValidationFailed.on("attendee_id", f"{attendee} 已报名该培训")
    taken = Training.objects.filter(pk=training.pk, status=Status.OPEN, enrolled_count__lt=F("capacity")).update(
        enrolled_count=F("enrolled_count") + 1
    )
    if not taken:
        current = Training.objects.get(pk=training.pk)
        if current.status != Status.OPEN:
            raise InvalidTransition(f"培训当前为“{current.get_status_display()}”，不能报名")
        raise InvalidTransition("名额已满")
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                training=training, attendee=attendee, organization_id=organization_id, enrolled_by=actor
            )
    except IntegrityError:
        raise ValidationFailed.on("attendee_id", f"{attendee} 已报名该培训") from None
    training.refresh_from_db(fields=["enrolled_count"])
    rollups.apply(enrollment, {})
    _record(actor, "enroll", enrollment, training, after=audit.snapshot(enrollment, ENROLLMENT_FIELDS))
    return enrollment


@transaction.atomic
def record_attendance(
    *, actor: Any, enrollment: Enrollment, attended: bool, hours: Any = None, completed: bool = False
) -> Enrollment:
    """The organizer marks attendance (and its hours) and, once the training is finished, completion.

    Completion issues the certificate number once; it is never taken back by a later change of hours.
    """
    _require_manager(actor, enrollment.training)
    locked = Enrollment.objects.select_for_update().select_related("training").get(pk=enrollment.pk)
    training = locked.training
    if training.status not in (Status.OPEN, Status.FINISHED):
        raise InvalidTransition(f"培训当前为“{training.get_status_display()}”，不能登记出勤")
    try:
        attended_hours = Decimal(str(training.hours if hours in (None, "") else hours)) if attended else Decimal(0)
    except InvalidOperation:
        raise ValidationFailed.on("hours", "学时应为数字") from None
    if not Decimal(0) <= attended_hours <= training.hours:
        raise ValidationFailed.on("hours", f"出勤学时应在 0 到 {training.hours} 之间")
    if completed and not attended:
        raise ValidationFailed.on("completed", "未出勤的学员不能结业")
    if completed and training.status != Status.FINISHED:
        raise InvalidTransition("培训结束后才能确认结业")
    if locked.certificate_number and not completed:
        raise InvalidTransition("已发证书的学员不能取消结业")
    before_tallies = rollups.snapshot(locked)
    before = audit.snapshot(locked, ENROLLMENT_FIELDS)
    locked.attended = attended
    locked.attended_hours = attended_hours.quantize(Decimal("0.1"))
    locked.completed = completed
    if completed and not locked.certificate_number:
        locked.certificate_number = next_number("ZS", training.region_id)
        locked.certified_on = timezone.localdate()
    locked.save()
    rollups.apply(locked, before_tallies)
    _record(actor, "attendance", locked, training, before=before, after=audit.snapshot(locked, ENROLLMENT_FIELDS))
    return locked


# ---------------------------------------------------------------- the talent pool (领军人才)

# The certificate numbers are personal data (encrypted at rest): the audit trail records only that
# they were given, never their values.
TALENT_FIELDS = ["person", "organization", "domains", "social_work_level", "social_work_year"]  # fmt: skip


@dataclass
class TalentData:
    person_id: int
    organization_id: int
    domains: list[str]
    social_work_level: str = ""
    social_work_certificate: str = ""
    social_work_year: int | None = None
    other_qualifications: str = ""


@transaction.atomic
def add_talent(*, actor: Any, data: TalentData) -> Talent:
    """Put an active member of an organization into the talent pool (its admins, or civil affairs staff)."""
    organization = Organization.objects.filter(pk=data.organization_id).first()
    if organization is None or not selectors.organizations_in_scope(actor).filter(pk=organization.pk).exists():
        raise NotFound("社会组织不存在或无权查看")
    if not rules.can_keep_talent(actor, organization):
        raise Forbidden("只有该组织的管理员或辖区民政部门工作人员可以添加领军人才")
    if not Membership.objects.filter(organization=organization, user_id=data.person_id, is_active=True).exists():
        raise ValidationFailed.on("person_id", "领军人才须是该组织的在册成员")
    if Talent.objects.filter(person_id=data.person_id).exists():
        raise ValidationFailed.on("person_id", "该人员已在人才库中")
    if data.social_work_level not in Talent.Qualification.values:
        raise ValidationFailed.on("social_work_level", "请选择助理社会工作师、社会工作师或高级社会工作师")
    certificate = data.social_work_certificate.strip()
    if len(certificate) > 50:
        raise ValidationFailed.on("social_work_certificate", "证书编号不超过 50 个字符")
    if data.social_work_level and not (certificate and data.social_work_year):
        raise ValidationFailed.on("social_work_certificate", "请填写职业资格证书编号和取得年份")
    this_year = timezone.localdate().year
    if data.social_work_year is not None and not 1990 <= data.social_work_year <= this_year:
        raise ValidationFailed.on("social_work_year", f"取得年份应在 1990 到 {this_year} 之间")
    domains = list(Domain.objects.filter(code__in=data.domains))
    if len(domains) != len(set(data.domains)):
        raise ValidationFailed.on("domains", "领域代码不正确")
    talent = Talent(
        person_id=data.person_id, organization=organization, social_work_level=data.social_work_level,
        social_work_certificate=certificate if data.social_work_level else "",
        social_work_year=data.social_work_year if data.social_work_level else None,
        other_qualifications=data.other_qualifications.strip()[:2000], added_by=actor,
    )  # fmt: skip
    try:
        with transaction.atomic():
            talent.save()
    except IntegrityError:
        raise ValidationFailed.on("person_id", "该人员已在人才库中") from None
    talent.domains.set(domains)
    audit.record(
        actor=actor, action="training.add_talent", instance=talent, region_code=organization.region_id,
        after=audit.snapshot(talent, TALENT_FIELDS),
    )  # fmt: skip
    return talent


@transaction.atomic
def record_led_project(*, actor: Any, talent: Talent, match_id: int, role: str = "") -> LedProject:
    """The organization's admin names the talent as the lead of one of the organization's matches."""
    if not selectors.talents(actor).filter(pk=talent.pk).exists():
        raise NotFound("领军人才不存在或无权查看")
    if not (is_platform_admin(actor) or rules.is_org_admin(actor, talent.organization_id)):
        raise Forbidden("只有该组织的管理员可以登记领衔项目")
    match = Match.objects.filter(pk=match_id, organization_id=talent.organization_id).first()
    if match is None:
        raise ValidationFailed.on("match_id", "只能登记本组织的对接项目")
    if LedProject.objects.filter(talent=talent, match=match).exists():
        raise ValidationFailed.on("match_id", "该项目已登记")
    led = LedProject.objects.create(talent=talent, match=match, role=role.strip()[:100], recorded_by=actor)
    audit.record(
        actor=actor, action="training.led_project", instance=led, region_code=talent.organization.region_id,
        after=audit.snapshot(led),
    )  # fmt: skip
    return led
