"""Who comes to an event and what is shown there: registrations, check-in, and featured demands and offers.

Registrations: an organization (by its admin or member) or a village (by county, township or village
staff whose scope holds it) registers while the event is published and not yet over; registered →
checked in (by the organizers) or cancelled. Capacity (None = unlimited) is counted under a row lock
on the event, so two people taking the last place cannot both get it.

Features: organizers put published demands of the event's region subtree and any published offer on
the event; the public event page lists them, and a match made from them at the event counts for it.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core import audit
from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.scope import region_in_scope
from xiangzhen.core.validation import Problems, clean_phone
from xiangzhen.demands.models import Demand
from xiangzhen.events import rules, selectors
from xiangzhen.events.models import Event, EventFeature, EventRegistration
from xiangzhen.offers.models import Offer
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

Kind = EventRegistration.Kind
RegStatus = EventRegistration.Status


def _record(actor: Any, action: str, instance: Any, event: Event, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"events.{action}", instance=instance, region_code=event.region_id, **kwargs)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("region").get(pk=event.pk)


def _require_visible(actor: Any, event: Event) -> None:
    if not selectors.visible_events(actor).filter(pk=event.pk).exists():
        raise NotFound("活动不存在或无权查看")


def _require_manager(actor: Any, event: Event) -> None:
    _require_visible(actor, event)
    if not rules.can_manage(actor, event):
        raise Forbidden(f"只有“{event.region}”及上级的部门工作人员可以管理该活动")


def can_register_village(user: Any, village_code: str) -> bool:
    """County, township or village staff (departments and submitters) whose region holds the village."""
    if is_platform_admin(user):
        return True
    role = getattr(user, "role", None)
    return role in (User.Role.DEPARTMENT_STAFF, User.Role.SUBMITTER) and region_in_scope(user, village_code)


def _clean_contact(contact_name: str, contact_phone: str) -> tuple[str, str]:
    problems = Problems()
    name = str(contact_name or "").strip()
    if not name:
        problems.fail("contact_name", "请填写联系人")
    elif len(name) > 50:
        problems.fail("contact_name", "联系人不超过 50 个字")
    phone = ""
    if str(contact_phone or "").strip():
        phone = clean_phone(str(contact_phone), problems, missing="", expected="应为手机号或带区号的固定电话")
    problems.raise_any()
    return name, phone


@transaction.atomic
def register(
    *,
    actor: Any,
    event: Event,
    contact_name: str,
    contact_phone: str = "",
    organization: Organization | None = None,
    village_code: str | None = None,
) -> EventRegistration:
    """An organization or a village registers for a published event that is not over; capacity holds."""
    _require_visible(actor, event)
    if (organization is None) == (not village_code):
        raise ValidationFailed.on("organization_id", "请选择以社会组织或村（社区）的名义报名（二者选一）")
    village = None
    if organization is not None:
        if not organization_rules.is_org_member(actor, organization):
            raise Forbidden(f"只有“{organization.name}”的成员可以为该组织报名")
        if organization.status != Organization.Status.APPROVED:
            raise ValidationFailed.on("organization_id", f"社会组织“{organization.name}”审核通过后才能报名")
    else:
        code = str(village_code).strip()
        village = Region.objects.filter(pk=code).first()
        if village is None or codes.level_of(village.code) != codes.Level.VILLAGE:
            raise ValidationFailed.on("village_code", f"“{code}”不是村（社区）的区划代码")
        if not can_register_village(actor, village.code):
            raise Forbidden(f"只有辖区包含“{village.name}”的县、乡镇、村工作人员可以为该村报名")
    name, phone = _clean_contact(contact_name, contact_phone)
    locked = _lock(event)
    if locked.status != Event.Status.PUBLISHED:
        raise InvalidTransition(f"活动当前为“{locked.get_status_display()}”，只有已发布的活动可以报名")
    if locked.ends_on < timezone.localdate():
        raise InvalidTransition(f"活动已于 {locked.ends_on:%Y-%m-%d} 结束，不能再报名")
    live = EventRegistration.objects.filter(event=locked, status__in=EventRegistration.LIVE_STATUSES)
    party = {"organization": organization} if organization is not None else {"village": village}
    if live.filter(**party).exists():
        field = "organization_id" if organization is not None else "village_code"
        raise ValidationFailed.on(field, "已报名该活动，不能重复报名")
    if locked.capacity is not None and live.count() >= locked.capacity:
        raise InvalidTransition(f"名额已满（共 {locked.capacity} 个）")
    registration = EventRegistration(
        event=locked, kind=Kind.ORGANIZATION if organization is not None else Kind.VILLAGE,
        contact_name=name, contact_phone=phone, registered_by=actor, **party,
    )  # fmt: skip
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise Conflict("刚刚已有人为其报名，请刷新后查看") from None
    _record(
        actor, "register", locked, locked,
        after={"registration": registration.pk, "kind": registration.kind, "party": registration.party_name},
    )  # fmt: skip
    return registration


def _lock_registration(actor: Any, registration: EventRegistration) -> tuple[EventRegistration, Event]:
    if not selectors.registrations(actor, registration.event).filter(pk=registration.pk).exists():
        raise NotFound("报名记录不存在或无权查看")
    event = _lock(registration.event)
    locked = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    locked.event = event
    return locked, event


@transaction.atomic
def check_in(*, actor: Any, registration: EventRegistration) -> EventRegistration:
    """The organizers check an attendee in while the event is published."""
    registration, event = _lock_registration(actor, registration)
    if not rules.can_manage(actor, event):
        raise Forbidden(f"只有“{event.region}”及上级的部门工作人员可以办理签到")
    if event.status != Event.Status.PUBLISHED:
        raise InvalidTransition(f"活动当前为“{event.get_status_display()}”，不能签到")
    if registration.status != RegStatus.REGISTERED:
        raise InvalidTransition(f"该报名当前为“{registration.get_status_display()}”，不能签到")
    registration.status = RegStatus.CHECKED_IN
    registration.checked_in_by = actor
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["status", "checked_in_by", "checked_in_at"])
    _record(actor, "check_in", event, event, after={"registration": registration.pk, "party": registration.party_name})
    return registration


@transaction.atomic
def cancel_registration(*, actor: Any, registration: EventRegistration) -> EventRegistration:
    """The registering side or the organizers cancel a registration that is not checked in."""
    registration, event = _lock_registration(actor, registration)
    if not (rules.can_manage(actor, event) or selectors.is_registrant(actor, registration)):
        raise Forbidden("只有报名方或活动组织方可以取消报名")
    if registration.status != RegStatus.REGISTERED:
        raise InvalidTransition(f"该报名当前为“{registration.get_status_display()}”，不能取消")
    registration.status = RegStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _record(actor, "cancel_registration", event, event, after={"registration": registration.pk})
    return registration


# ---------------------------------------------------------------- featured demands and offers


@transaction.atomic
def add_feature(*, actor: Any, event: Event, demand_id: int | None = None, offer_id: int | None = None) -> EventFeature:
    """Feature a published demand of the event's region subtree, or any published offer."""
    _require_manager(actor, event)
    locked = _lock(event)
    if locked.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise InvalidTransition(f"活动当前为“{locked.get_status_display()}”，不能再调整推介项目")
    if (demand_id is None) == (offer_id is None):
        raise ValidationFailed.on("demand_id", "请选择一个需求项目或一个供给项目（二者选一）")
    if demand_id is not None:
        demand = Demand.objects.filter(pk=demand_id).select_related("region").first()
        if demand is None or demand.status != Demand.Status.PUBLISHED:
            raise ValidationFailed.on("demand_id", "只能推介已发布的需求项目")
        if not codes.contains(locked.region_id, demand.region_id):
            raise ValidationFailed.on("demand_id", f"需求项目“{demand.title}”不在“{locked.region}”范围内")
        if EventFeature.objects.filter(event=locked, demand=demand).exists():
            raise ValidationFailed.on("demand_id", f"需求项目“{demand.title}”已在推介名单中")
        feature = EventFeature.objects.create(event=locked, demand=demand, added_by=actor)
        after = {"demand": demand.number}
    else:
        offer = Offer.objects.filter(pk=int(offer_id or 0)).first()
        if offer is None or offer.status != Offer.Status.PUBLISHED:
            raise ValidationFailed.on("offer_id", "只能推介已发布的供给项目")
        if EventFeature.objects.filter(event=locked, offer=offer).exists():
            raise ValidationFailed.on("offer_id", f"供给项目“{offer.title}”已在推介名单中")
        feature = EventFeature.objects.create(event=locked, offer=offer, added_by=actor)
        after = {"offer": offer.number}
    _record(actor, "add_feature", locked, locked, after=after)
    return feature


@transaction.atomic
def remove_feature(*, actor: Any, event: Event, feature_id: int) -> None:
    """Take a demand or offer off the event (matches already made at the event still count)."""
    _require_manager(actor, event)
    locked = _lock(event)
    if locked.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise InvalidTransition(f"活动当前为“{locked.get_status_display()}”，不能再调整推介项目")
    feature = EventFeature.objects.filter(event=locked, pk=feature_id).select_related("demand", "offer").first()
    if feature is None:
        raise NotFound("该推介项目不存在")
    before = (
        {"demand": feature.demand.number}
        if feature.demand
        else {"offer": feature.offer.number if feature.offer else ""}
    )
    feature.delete()
    _record(actor, "remove_feature", locked, locked, before=before)
