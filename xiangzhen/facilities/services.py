"""Every write to the four small rooms: registering a room, moving its status, recording its usage,
adding photos. One business action per function, one transaction each; each checks scope and
permission (`rules`), writes the audit trail and moves the rollups by the difference it makes.

Workflow: planned → building → in use (an opening date is required) → closed (a reason is
required; a planned or building room may also be closed, e.g. when the plan is dropped).
"""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.attachments import attach
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version
from xiangzhen.core.validation import Problems
from xiangzhen.facilities import rules, selectors
from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.facilities.validation import FacilityData, UsageData, clean_facility_data, clean_usage_data
from xiangzhen.funds.validation import parse_date
from xiangzhen.organizations.models import Organization
from xiangzhen.stats import rollups

Status = Facility.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("start", "开始建设", frozenset({Status.PLANNED}), Status.BUILDING),
        Transition("open", "启用", frozenset({Status.BUILDING}), Status.IN_USE),
        Transition("close", "关闭", frozenset({Status.PLANNED, Status.BUILDING, Status.IN_USE}), Status.CLOSED),
    ],
)
AUDIT_FIELDS = ["number", "kind", "name", "village", "builder", "campaign", "funding", "status", "opened_on",
                "closed_on", "close_reason", "version"]  # fmt: skip


def _record(actor: Any, action: str, instance: Any, facility: Facility, **kwargs: Any) -> None:
    audit.record(
        actor=actor, action=f"facilities.{action}", instance=instance, region_code=facility.village_id, **kwargs
    )


def _require_visible(actor: Any, facility: Facility) -> Facility:
    """The room locked for this transaction, if the actor may see it; NotFound otherwise."""
    if not selectors.facilities(actor).filter(pk=facility.pk).exists():
        raise NotFound("小屋不存在或无权查看")
    return Facility.objects.select_for_update().select_related("builder").get(pk=facility.pk)


@transaction.atomic
def register_facility(*, actor: Any, builder: Organization, data: FacilityData) -> Facility:
    """A room is planned: by an admin of the builder organization, or by county, township or village people."""
    clean = clean_facility_data(data)
    if not rules.can_register(actor, builder, clean.village.code):
        raise Forbidden("只有建设组织的管理员，或小屋所在县、乡镇、村的工作人员可以登记小屋")
    if builder.status != Organization.Status.APPROVED:
        raise ValidationFailed.on("builder_id", f"“{builder.name}”尚未审核通过，不能作为建设组织")
    facility = Facility.objects.create(
        number=next_number("XW", clean.village.code),
        kind=clean.kind,
        name=clean.name,
        village=clean.village,
        builder=builder,
        campaign=clean.campaign,
        funding=clean.funding,
        address=clean.address,
        description=clean.description,
        status=Status.PLANNED,
        created_by=actor,
    )
    rollups.apply(facility, {})
    _record(actor, "register", facility, facility, after=audit.snapshot(facility, AUDIT_FIELDS))
    return facility


def _move(
    *, actor: Any, facility: Facility, action: str, expected_version: int | None, reason: str = "", **changes: Any
) -> Facility:
    locked = _require_visible(actor, facility)
    if not rules.can_move(actor, locked):
        raise Forbidden("只有建设组织的管理员或所在县的工作人员可以变更小屋状态")
    WORKFLOW.target(locked.status, action)
    check_version(locked, expected_version, "小屋")
    before_tallies = rollups.snapshot(locked)
    before = audit.snapshot(locked, AUDIT_FIELDS)
    WORKFLOW.apply(locked, action, **changes)
    rollups.apply(locked, before_tallies)
    _record(actor, action, locked, locked, before=before, after=audit.snapshot(locked, AUDIT_FIELDS), note=reason)
    return locked


@transaction.atomic
def start_building(*, actor: Any, facility: Facility, expected_version: int | None = None) -> Facility:
    return _move(actor=actor, facility=facility, action="start", expected_version=expected_version)


@transaction.atomic
def open_facility(*, actor: Any, facility: Facility, opened_on: Any, expected_version: int | None = None) -> Facility:
    """The room is in use from `opened_on` (required; not in the future)."""
    problems = Problems()
    day = parse_date(opened_on, "启用日期", problems, "opened_on")
    if day and day > timezone.localdate():
        problems.fail("opened_on", f"启用日期 {day} 不能晚于今天")
    problems.raise_any()
    return _move(actor=actor, facility=facility, action="open", expected_version=expected_version, opened_on=day)


@transaction.atomic
def close_facility(
    *, actor: Any, facility: Facility, reason: str, closed_on: date | None = None, expected_version: int | None = None
) -> Facility:
    reason = WORKFLOW.clean_reason("close", reason or "", required=True)
    return _move(
        actor=actor, facility=facility, action="close", expected_version=expected_version, reason=reason,
        closed_on=closed_on or timezone.localdate(), close_reason=reason[:MAX_REASON],
    )  # fmt: skip


TRANSITION_SERVICES: dict[str, Any] = {"start": start_building, "open": open_facility, "close": close_facility}


@transaction.atomic
def record_usage(*, actor: Any, facility: Facility, data: UsageData) -> FacilityUsage:
    """Visits, sessions, consultations (clinic rooms) or livestream sales (livestream rooms) of a room in use."""
    locked = _require_visible(actor, facility)
    if not rules.can_record_usage(actor, locked):
        raise Forbidden("只有建设组织的成员、所在村（乡镇）的填报人员或所在县的工作人员可以记录使用情况")
    if locked.status != Status.IN_USE:
        raise InvalidTransition(f"小屋当前为“{locked.get_status_display()}”，只有使用中的小屋可以记录使用情况")
    clean = clean_usage_data(data, locked, today=timezone.localdate())
    usage = FacilityUsage.objects.create(
        facility=locked,
        used_on=clean.used_on,
        kind=clean.kind,
        count=clean.count,
        amount=clean.amount,
        note=clean.note,
        recorded_by=actor,
    )
    rollups.apply(usage, {})
    _record(actor, "usage", usage, locked, after=audit.snapshot(usage, ["used_on", "kind", "count", "amount"]))
    return usage


@transaction.atomic
def add_photos(*, actor: Any, facility: Facility, uploads: list[UploadedFile]) -> int:
    """Photos of the room (shown on its public page once it is built)."""
    locked = _require_visible(actor, facility)
    if not (rules.can_record_usage(actor, locked) or rules.can_move(actor, locked)):
        raise Forbidden("只有建设组织的成员或所在地的工作人员可以上传照片")
    if not uploads:
        raise ValidationFailed.on("photos", "请选择要上传的照片")
    for upload in uploads:
        if not (upload.name or "").lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            raise ValidationFailed.on("photos", f"“{upload.name}”不是照片：只能上传 JPG、PNG、WEBP 图片")
        attach(actor=actor, owner=locked, upload=upload, field="photos")
    return len(uploads)
