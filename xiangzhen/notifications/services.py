"""Every write of the push: subscriptions (organization admins, audited), the push of a published
demand into inboxes and mailboxes (the background task's body), and marking notifications read.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.scope import restrict
from xiangzhen.demands.models import Demand
from xiangzhen.notifications import rules, selectors
from xiangzhen.notifications.models import Notification, Subscription
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

logger = logging.getLogger(__name__)

MAX_REGIONS = 50

# ---------------------------------------------------------------- subscriptions


@dataclass
class SubscriptionData:
    """A subscription as codes: domain codes, beneficiary group codes, region codes (any level)."""

    domains: list[str] = field(default_factory=list)
    beneficiary_groups: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, subscription: Subscription) -> "SubscriptionData":
        return cls(
            domains=[d.code for d in subscription.domains.all()],
            beneficiary_groups=[g.code for g in subscription.beneficiary_groups.all()],
            regions=[r.code for r in subscription.regions.all()],
        )

    def merged(self, changes: dict[str, Any]) -> "SubscriptionData":
        """This data with the given fields replaced (None counts as an empty list)."""
        return SubscriptionData(**{name: list(changes.get(name, getattr(self, name)) or []) for name in vars(self)})


@dataclass
class _Cleaned:
    domains: list[Domain]
    groups: list[BeneficiaryGroup]
    regions: list[Region]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _clean(data: SubscriptionData) -> _Cleaned:
    domain_codes, group_codes = _unique(data.domains), _unique(data.beneficiary_groups)
    domains = list(Domain.objects.filter(code__in=domain_codes))
    if unknown := set(domain_codes) - {d.code for d in domains}:
        raise ValidationFailed.on("domains", f"领域“{'、'.join(sorted(unknown))}”不存在")
    groups = list(BeneficiaryGroup.objects.filter(code__in=group_codes))
    if unknown := set(group_codes) - {g.code for g in groups}:
        raise ValidationFailed.on("beneficiary_groups", f"受益群体“{'、'.join(sorted(unknown))}”不存在")
    try:
        region_codes = _unique(codes.normalize(code) for code in data.regions)
    except ValueError as exc:
        raise ValidationFailed.on("regions", str(exc)) from None
    if len(region_codes) > MAX_REGIONS:
        raise ValidationFailed.on("regions", f"关注区域最多 {MAX_REGIONS} 个")
    regions = list(Region.objects.filter(code__in=region_codes))
    if unknown := set(region_codes) - {r.code for r in regions}:
        raise ValidationFailed.on("regions", f"区划“{'、'.join(sorted(unknown))}”不存在")
    return _Cleaned(domains, groups, regions)


def _require_manager(actor: Any, organization: Organization) -> None:
    if not restrict(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise NotFound("社会组织不存在或无权查看")
    if not rules.can_manage_subscriptions(actor, organization):
        raise Forbidden("只有本组织管理员可以管理需求订阅")


def _write_relations(subscription: Subscription, cleaned: _Cleaned) -> None:
    subscription.domains.set(cleaned.domains)
    subscription.beneficiary_groups.set(cleaned.groups)
    subscription.regions.set(cleaned.regions)


def _record(actor: Any, action: str, subscription: Subscription, **kwargs: Any) -> None:
    audit.record(
        actor=actor,
        action=f"notifications.{action}",
        instance=subscription,
        region_code=subscription.organization.region_id,
        **kwargs,
    )


@transaction.atomic
def subscribe(*, actor: Any, organization: Organization, data: SubscriptionData) -> Subscription:
    """An organization admin subscribes the organization to new demands of some domains, groups and areas."""
    _require_manager(actor, organization)
    cleaned = _clean(data)
    subscription = Subscription.objects.create(organization=organization, created_by=actor)
    _write_relations(subscription, cleaned)
    _record(actor, "subscribe", subscription, after=audit.snapshot(subscription))
    return subscription


@transaction.atomic
def update_subscription(
    *, actor: Any, subscription: Subscription, data: SubscriptionData | None = None, is_active: bool | None = None
) -> Subscription:
    """Change what a subscription covers, or switch it on or off."""
    locked = Subscription.objects.select_for_update().select_related("organization").get(pk=subscription.pk)
    _require_manager(actor, locked.organization)
    before = audit.snapshot(locked)
    if data is not None:
        _write_relations(locked, _clean(data))
    if is_active is not None:
        locked.is_active = is_active
    locked.save()
    _record(actor, "update_subscription", locked, before=before, after=audit.snapshot(locked))
    return locked


def unsubscribe(*, actor: Any, subscription: Subscription) -> Subscription:
    """Deactivate a subscription (kept for the record; it can be switched on again)."""
    return update_subscription(actor=actor, subscription=subscription, is_active=False)


# ---------------------------------------------------------------- the push


@dataclass(frozen=True)
class PushResult:
    """What one run of the push did for one demand."""

    organizations: int = 0
    created: int = 0
    emailed: int = 0
    failed: int = 0
    retryable: int = 0  # failed e-mails that have attempts left


def _content(demand: Demand, domains: str, reason: str, organization: Organization) -> tuple[str, str]:
    region = demand.region.full_name or demand.region.name
    title = f"新需求：{demand.title}"[:200]
    lines = [
        f"{region}发布了一条新的需求项目。",
        f"编号：{demand.number}",
        f"领域：{domains}",
        f"所需资金：{demand.budget} 元",
        f"征集截止：{demand.deadline:%Y-%m-%d}",
        f"推送原因：{selectors.REASON_LABELS.get(reason, reason)}（{organization.name}）",
    ]
    return title, "\n".join(lines)


def _recipients(organization_ids: Iterable[int]) -> dict[int, int]:
    """User id → the first organization (by id) through which they are an active member."""
    pairs = (
        Membership.objects.filter(organization_id__in=sorted(organization_ids), is_active=True, user__is_active=True)
        .order_by("organization_id", "user_id")
        .values_list("user_id", "organization_id")
    )
    recipients: dict[int, int] = {}
    for user_id, organization_id in pairs:
        recipients.setdefault(user_id, organization_id)
    return recipients


@transaction.atomic
def _create_notifications(demand: Demand) -> tuple[int, int]:
    """One notification per active member of every organization the demand fits, at most once each:
    the database's unique (recipient, kind, demand) drops any that already exist."""
    targets = selectors.organizations_to_notify(demand)
    if not targets:
        return 0, 0
    kind = Notification.Kind.DEMAND_PUBLISHED
    existing = Notification.objects.filter(kind=kind, demand=demand)
    already = set(existing.values_list("recipient_id", flat=True))
    organizations = Organization.objects.in_bulk(sorted(targets))
    url = reverse("demands:public_detail", args=[demand.pk])
    domains = "、".join(demand.domains.order_by("sort_order", "code").values_list("name", flat=True)) or "—"
    new = []
    for user_id, organization_id in _recipients(targets).items():
        if user_id in already:
            continue
        title, body = _content(demand, domains, targets[organization_id], organizations[organization_id])
        new.append(
            Notification(
                recipient_id=user_id, kind=kind, demand=demand, organization_id=organization_id,
                title=title, body=body, url=url,
            )
        )  # fmt: skip
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    _forget_badges(n.recipient_id for n in new)
    created = existing.count() - len(already)
    if created:
        audit.record(
            actor=None,
            action="notifications.push",
            instance=demand,
            region_code=demand.region_id,
            note=f"推送给 {len(targets)} 个社会组织的 {created} 名成员",
        )
    return len(targets), created


def _forget_badges(user_ids: Iterable[int]) -> None:
    """Drop the cached unread counts of these people once the transaction commits."""
    keys = [selectors.badge_key(user_id) for user_id in user_ids]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def send_pending_emails(*, demand_id: int | None = None, notification_ids: Iterable[int] = ()) -> tuple[int, int, int]:
    """E-mail the notifications of a demand (or the given ones) not yet e-mailed, to recipients with an address.

    Each is claimed before sending (a compare-and-set on its attempt count), so two runs never
    send the same one twice; one failure does not stop the others, and a notification is tried
    at most NOTIFICATION_EMAIL_MAX_ATTEMPTS times. Returns (sent, failed, failed with attempts left).
    """
    max_attempts = settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS
    chosen = Q(demand_id=demand_id) if demand_id is not None else Q(pk__in=sorted(notification_ids))
    pending = (
        Notification.objects.filter(
            chosen, emailed_at__isnull=True, email_attempts__lt=max_attempts, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    sent = failed = retryable = 0
    connection = get_connection()
    try:
        for notification in pending:
            attempt = notification.email_attempts + 1
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True, email_attempts=notification.email_attempts
            ).update(email_attempts=F("email_attempts") + 1)
            if not claimed:
                continue  # another run has it
            message = EmailMessage(
                subject=f"【乡振】{notification.title}",
                body=f"{notification.body}\n\n查看详情：{_absolute(notification.url)}\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notification.recipient.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception as exc:  # any SMTP or socket error: record it, go on with the next
                logger.warning("push e-mail for notification %s failed (attempt %s): %s", notification.pk, attempt, exc)
                Notification.objects.filter(pk=notification.pk).update(email_error=str(exc)[:300])
                connection.close()  # a broken connection is reopened for the next message
                failed += 1
                retryable += attempt < max_attempts
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now(), email_error="")
            sent += 1
    finally:
        connection.close()
    return sent, failed, retryable


def push_demand_published(demand_id: int) -> PushResult:
    """The background push of a newly published demand: inbox notifications for every active
    member of the organizations it fits, then one e-mail per notification not yet e-mailed.

    Safe to run twice (or concurrently): nobody gets a second notification or a second e-mail.
    A demand that is no longer published by the time this runs (withdrawn, taken) is not pushed.
    """
    demand = Demand.objects.select_related("region").filter(pk=demand_id).first()
    if demand is None or demand.status != Demand.Status.PUBLISHED:
        return PushResult()
    organizations, created = _create_notifications(demand)
    sent, failed, retryable = send_pending_emails(demand_id=demand.pk)
    return PushResult(organizations, created, sent, failed, retryable)


# ---------------------------------------------------------------- reminders


@transaction.atomic
def notify(*, recipients: Iterable[Any], title: str, body: str = "", url: str = "", key: str = "") -> int:
    """A reminder in each recipient's inbox, e-mailed by the worker after the transaction commits.

    With a key (the event it is about, e.g. a disclosure or report period), each person gets it at
    most once however often the reminder job runs. Returns how many new notifications were made.
    """
    from xiangzhen.notifications.tasks import schedule_emails

    people = {user.pk: user for user in recipients if getattr(user, "is_active", False)}
    if not people:
        return 0
    already = set()
    if key:
        already = set(
            Notification.objects.filter(key=key, recipient_id__in=people).values_list("recipient_id", flat=True)
        )
    new = [
        Notification(
            recipient_id=user_id, kind=Notification.Kind.REMINDER, title=title[:200], body=body, url=url, key=key
        )
        for user_id in sorted(people)
        if user_id not in already
    ]
    created = Notification.objects.bulk_create(new, ignore_conflicts=bool(key))
    _forget_badges(n.recipient_id for n in created)
    # Under ignore_conflicts the backends return no primary keys: read back what this call made.
    ids = (
        [n.pk for n in created]
        if not key
        else list(
            Notification.objects.filter(key=key, recipient_id__in=[n.recipient_id for n in created]).values_list(
                "pk", flat=True
            )
        )
    )
    schedule_emails(ids)
    return len(created)


# ---------------------------------------------------------------- reading


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (anyone else's looks missing)."""
    if not getattr(actor, "is_authenticated", False) or notification.recipient_id != actor.pk:
        raise NotFound("通知不存在")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        _forget_badges([actor.pk])
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark all the actor's unread notifications read; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    _forget_badges([actor.pk])
    return marked
