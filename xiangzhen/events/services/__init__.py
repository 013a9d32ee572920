"""Every write to events: create, edit, publish, finish, cancel, and the villages of an
agricultural fair. One business action per function, one transaction each, audited.
Registrations, check-in and featured records are in `attendance`, the venture contest in `contest`.

Workflow: draft → published → finished; draft or published → cancelled (with a reason).
Organizers are the staff of the event's region or above (`rules`). A fair's villages can change
until it is finished; a village that has sales recorded at the fair stays on it, and a fair with
sales cannot be cancelled (its sales would point at an event that never happened).
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version
from xiangzhen.events import rules, selectors
from xiangzhen.events.models import Event, EventVillage
from xiangzhen.events.validation import CleanEvent, EventData, clean_event_data
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

Status = Event.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("publish", "发布", frozenset({Status.DRAFT}), Status.PUBLISHED),
        Transition("finish", "结束", frozenset({Status.PUBLISHED}), Status.FINISHED),
        Transition("cancel", "取消", frozenset({Status.DRAFT, Status.PUBLISHED}), Status.CANCELLED),
    ],
)
EDITABLE_STATUSES = (Status.DRAFT, Status.PUBLISHED)
AUDIT_FIELDS = [
    "kind", "name", "region", "venue", "organizer", "starts_on", "ends_on", "description", "campaign",
    "capacity", "agenda", "status", "cancel_reason", "version",
]  # fmt: skip


def _record(actor: Any, action: str, instance: Any, event: Event, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"events.{action}", instance=instance, region_code=event.region_id, **kwargs)


def _require_manager(actor: Any, event: Event) -> None:
    if not selectors.visible_events(actor).filter(pk=event.pk).exists():
        raise NotFound("活动不存在或无权查看")
    if not rules.can_manage(actor, event):
        raise Forbidden(f"只有“{event.region}”及上级的部门工作人员可以管理该活动")


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("region").get(pk=event.pk)


def _write(event: Event, clean: CleanEvent) -> None:
    event.kind = clean.kind
    event.name = clean.name
    event.region = clean.region
    event.venue = clean.venue
    event.organizer = clean.organizer
    event.starts_on = clean.starts_on
    event.ends_on = clean.ends_on
    event.description = clean.description
    event.campaign = clean.campaign
    event.capacity = clean.capacity
    event.agenda = clean.agenda


@transaction.atomic
def create_event(*, actor: Any, data: EventData) -> Event:
    """Staff create an event (a draft) in their own region or below."""
    clean = clean_event_data(data)
    if not rules.can_organize_in(actor, clean.region.code):
        raise Forbidden(f"只有“{clean.region}”及上级的部门工作人员可以在该地区举办活动")
    event = Event(status=Status.DRAFT, created_by=actor)
    _write(event, clean)
    event.number = next_number("HD", clean.region.code)
    event.save()
    _record(actor, "create", event, event, after=audit.snapshot(event, AUDIT_FIELDS))
    return event


@transaction.atomic
def update_event(*, actor: Any, event: Event, changes: dict[str, Any], expected_version: int | None = None) -> Event:
    """Drafts and published events; a fair with villages stays a fair, and stays where the organizer may act."""
    _require_manager(actor, event)
    locked = _lock(event)
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"当前状态为“{locked.get_status_display()}”，只有草稿和已发布的活动可以修改")
    check_version(locked, event.version if expected_version is None else expected_version, "活动")
    clean = clean_event_data(EventData.of(locked).merged(changes))
    if not rules.can_organize_in(actor, clean.region.code):
        raise ValidationFailed.on("region_code", f"您不能把活动改到“{clean.region}”举办")
    if clean.kind not in Event.AGRICULTURAL_FAIRS and locked.participations.exists():
        raise ValidationFailed.on("kind", "该活动已有参展村，只能是农博会、农贸会或展销会")
    if clean.kind != locked.kind and (locked.entries.exists() or locked.criteria.exists()):
        raise ValidationFailed.on("kind", "该大赛已有评分项或参赛项目，不能改为其他类型")
    registered = selectors.live_count(locked)
    if clean.capacity is not None and clean.capacity < registered:
        raise ValidationFailed.on("capacity", f"已有 {registered} 个单位报名，名额不能少于 {registered}")
    before = audit.snapshot(locked, AUDIT_FIELDS)
    _write(locked, clean)
    locked.version += 1
    locked.save()
    _record(actor, "update", locked, locked, before=before, after=audit.snapshot(locked, AUDIT_FIELDS))
    return locked


def _transition(
    *, actor: Any, event: Event, action: str, reason: str = "", expected_version: int | None = None, **changes: Any
) -> Event:
    _require_manager(actor, event)
    WORKFLOW.target(event.status, action)
    reason = WORKFLOW.clean_reason(action, reason, required=action == "cancel")
    check_version(event, expected_version, "活动")
    before = audit.snapshot(event, AUDIT_FIELDS)
    WORKFLOW.apply(event, action, **changes)
    _record(actor, action, event, event, before=before, after=audit.snapshot(event, AUDIT_FIELDS), note=reason)
    return event


@transaction.atomic
def publish_event(*, actor: Any, event: Event, reason: str = "", expected_version: int | None = None) -> Event:
    return _transition(
        actor=actor, event=event, action="publish", reason=reason, expected_version=expected_version,
        published_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def finish_event(*, actor: Any, event: Event, reason: str = "", expected_version: int | None = None) -> Event:
    return _transition(actor=actor, event=event, action="finish", reason=reason, expected_version=expected_version)


@transaction.atomic
def cancel_event(*, actor: Any, event: Event, reason: str, expected_version: int | None = None) -> Event:
    """A reason is required; a fair with sales recorded is finished, never cancelled."""
    _require_manager(actor, event)
    if event.sales.exists():
        raise InvalidTransition("该展销会已登记销售，不能取消；活动结束后请选择“结束”")
    return _transition(
        actor=actor, event=event, action="cancel", reason=reason, expected_version=expected_version,
        cancel_reason=(reason or "").strip()[:MAX_REASON],
    )  # fmt: skip


TRANSITION_SERVICES: dict[str, Any] = {"publish": publish_event, "finish": finish_event, "cancel": cancel_event}


# ---------------------------------------------------------------- the villages of a fair


def _require_open_fair(event: Event) -> None:
    if not event.is_agricultural_fair:
        raise InvalidTransition("只有农博会、农贸会和展销会可以登记参展村")
    if event.status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"活动当前为“{event.get_status_display()}”，不能再调整参展村")


@transaction.atomic
def add_village(*, actor: Any, event: Event, village_code: str, booth: str = "") -> EventVillage:
    """Put a village on the fair's list, with its booth."""
    _require_manager(actor, event)
    locked = _lock(event)
    _require_open_fair(locked)
    code = str(village_code or "").strip()
    village = Region.objects.filter(pk=code).first()
    if village is None:
        raise ValidationFailed.on("village_code", f"区划“{code}”不存在")
    if codes.level_of(village.code) != codes.Level.VILLAGE:
        raise ValidationFailed.on("village_code", f"“{village.name}”不是村（社区），参展的须是村")
    booth = str(booth or "").strip()
    if len(booth) > 50:
        raise ValidationFailed.on("booth", "展位不超过 50 个字")
    if EventVillage.objects.filter(event=locked, village=village).exists():
        raise ValidationFailed.on("village_code", f"“{village.name}”已在参展村名单中")
    participation = EventVillage.objects.create(event=locked, village=village, booth=booth)
    _record(actor, "add_village", locked, locked, after={"village": village.code, "booth": booth})
    return participation


@transaction.atomic
def remove_village(*, actor: Any, event: Event, village_code: str) -> None:
    """Take a village off the list; refused once sales of its products were recorded at the fair."""
    _require_manager(actor, event)
    locked = _lock(event)
    _require_open_fair(locked)
    participation = EventVillage.objects.filter(event=locked, village_id=str(village_code)).first()
    if participation is None:
        raise NotFound("该村不在参展村名单中")
    if locked.sales.filter(product__origin_id=participation.village_id).exists():
        raise InvalidTransition(f"“{participation.village.name}”在本次展销会已有销售记录，不能移出参展村名单")
    participation.delete()
    _record(actor, "remove_village", locked, locked, before={"village": participation.village_id})
