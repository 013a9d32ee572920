"""Every read of events. Staff see the events of their region subtree in every status; everyone
(signed in or not) sees published and finished events anywhere."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.core.models import Attachment, AuditEntry
from xiangzhen.core.scope import restrict, scope_filter, scope_of
from xiangzhen.events import rules
from xiangzhen.events.filters import EventFilters
from xiangzhen.events.models import (
    ContestCriterion,
    ContestEntry,
    ContestJudge,
    Event,
    EventFeature,
    EventRegistration,
    EventVillage,
    JudgeScore,
)
from xiangzhen.regions.codes import subtree_bounds

if TYPE_CHECKING:
    from xiangzhen.organizations.models import Organization

PUBLIC_STATUSES = (Event.Status.PUBLISHED, Event.Status.FINISHED)


def _base() -> "QuerySet[Event]":
    # An aggregate drops Meta.ordering from the query, so the order is given again here.
    return (
        Event.objects.select_related("region", "campaign")
        .annotate(village_count=Count("participations"))
        .order_by("-starts_on", "-id")
    )


def _visible_condition(user: Any) -> Q:
    scope = scope_of(user)
    if scope.everything:  # Q() | x would be just x: platform admins see every status
        return Q()
    return scope_filter(Event, scope) | Q(status__in=PUBLIC_STATUSES)


def visible_events(user: Any) -> "QuerySet[Event]":
    """What the user may open: their scope in every status, and every published or finished event."""
    return _base().filter(_visible_condition(user))


def event_list(user: Any, filters: EventFilters | None = None) -> "QuerySet[Event]":
    queryset = visible_events(user)
    return filters.apply(queryset) if filters else queryset


def get_event(user: Any, event_id: Any) -> Event:
    try:
        return visible_events(user).select_related("created_by").get(pk=int(event_id))
    except (Event.DoesNotExist, ValueError, TypeError):
        raise NotFound("活动不存在或无权查看") from None


def public_events(filters: EventFilters | None = None) -> "QuerySet[Event]":
    queryset = _base().filter(status__in=PUBLIC_STATUSES)
    return filters.apply(queryset) if filters else queryset


def get_public_event(event_id: Any) -> Event:
    try:
        return public_events().get(pk=int(event_id))
    except (Event.DoesNotExist, ValueError, TypeError):
        raise NotFound("活动不存在或尚未发布") from None


def participations(event: Event) -> "QuerySet[EventVillage]":
    return EventVillage.objects.filter(event=event).select_related("village").order_by("booth", "village_id")


def open_fairs() -> "QuerySet[Event]":
    """Published and finished agricultural fairs: where sales may be recorded."""
    return public_events().filter(kind__in=Event.AGRICULTURAL_FAIRS).order_by("-starts_on", "-id")


def history(event: Event) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=Event._meta.label_lower, object_id=str(event.pk)).select_related(
        "actor"
    )


# ---------------------------------------------------------------- registrations and features


def _own_registrations(user: Any) -> Q:
    """The registrations a user made on behalf of their side: their organizations, their region's villages."""
    scope = scope_of(user)
    condition = Q(pk__in=[])
    if scope.organization_ids:
        condition |= Q(organization_id__in=sorted(scope.organization_ids))
    if scope.region_code:
        condition |= Q(village__code__range=subtree_bounds(scope.region_code))
    return condition


def registrations(user: Any, event: Event) -> "QuerySet[EventRegistration]":
    """Every registration for the organizers; for others, those of their own organizations and villages."""
    queryset = EventRegistration.objects.filter(event=event).select_related("organization", "village", "event")
    if not rules.can_manage(user, event):
        queryset = queryset.filter(_own_registrations(user))
    return queryset.order_by("registered_at", "id")


def registration_sheet(user: Any, event: Event) -> "QuerySet[EventRegistration]":
    """Every registration, cancelled ones too, for the organizers' export; others may not export the list."""
    if not rules.can_manage(user, event):
        raise Forbidden(_("只有组织方可以导出报名名单"))
    return registrations(user, event)


def get_registration(user: Any, event: Event, registration_id: Any) -> EventRegistration:
    try:
        return registrations(user, event).get(pk=int(registration_id))
    except (EventRegistration.DoesNotExist, ValueError, TypeError):
        raise NotFound("报名记录不存在或无权查看") from None


def is_registrant(user: Any, registration: EventRegistration) -> bool:
    return EventRegistration.objects.filter(pk=registration.pk).filter(_own_registrations(user)).exists()


def live_count(event: Event) -> int:
    return EventRegistration.objects.filter(event=event, status__in=EventRegistration.LIVE_STATUSES).count()


def registered_organization_ids(event: Event) -> set[int]:
    rows = EventRegistration.objects.filter(
        event=event, status__in=EventRegistration.LIVE_STATUSES, organization__isnull=False
    ).values_list("organization_id", flat=True)
    return set(rows)


def member_organizations(user: Any) -> "QuerySet[Organization]":
    """The organizations the user is an active member of (to register one of them)."""
    from xiangzhen.organizations.models import Organization

    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user, memberships__is_active=True).order_by("name")


def administered_by(user: Any) -> "QuerySet[Organization]":
    from xiangzhen.organizations import selectors as organization_selectors

    return organization_selectors.administered_organizations(user)


def feature_candidates(event: Event, limit: int = 200) -> tuple[list[Any], list[Any]]:
    """Published demands of the event's region subtree and published offers not yet featured."""
    from xiangzhen.demands.models import Demand
    from xiangzhen.offers.models import Offer

    taken = EventFeature.objects.filter(event=event)
    demands = (
        Demand.objects.filter(status=Demand.Status.PUBLISHED, region__code__range=subtree_bounds(event.region_id))
        .exclude(pk__in=taken.filter(demand__isnull=False).values("demand_id"))
        .select_related("region")
        .order_by("-id")[:limit]
    )
    offers = (
        Offer.objects.filter(status=Offer.Status.PUBLISHED)
        .exclude(pk__in=taken.filter(offer__isnull=False).values("offer_id"))
        .select_related("organization")
        .order_by("-id")[:limit]
    )
    return list(demands), list(offers)


def features(event: Event) -> "QuerySet[EventFeature]":
    return EventFeature.objects.filter(event=event).select_related(
        "demand", "demand__region", "offer", "offer__organization"
    )


def is_running(event: Event) -> bool:
    """Published, and today within its dates give or take a day: matches may be made "at" it."""
    today = timezone.localdate()
    return event.status == Event.Status.PUBLISHED and event.starts_on - timedelta(
        days=1
    ) <= today <= event.ends_on + timedelta(days=1)


def check_match_at_event(event_id: Any, *, demand: Any, organization: Any, offer: Any = None) -> Event:
    """The event a match is made at, if the match may count for it; ValidationFailed on `event_id` otherwise.

    The event is published and running (today within its dates ± a day), and the demand or the offer
    is featured at it, or the organization is registered for it.
    """
    event = Event.objects.filter(pk=event_id).select_related("region").first() if event_id else None
    if event is None or not event.is_public:
        raise ValidationFailed.on("event_id", "活动不存在或尚未发布")
    if not is_running(event):
        raise ValidationFailed.on(
            "event_id",
            f"活动“{event.name}”不在进行中（{event.starts_on:%Y-%m-%d} 至 {event.ends_on:%Y-%m-%d}，"
            f"当前为“{event.get_status_display()}”），不能记为活动对接",
        )
    featured = EventFeature.objects.filter(event=event)
    at_event = (
        featured.filter(demand_id=demand.pk).exists()
        or (offer is not None and featured.filter(offer_id=offer.pk).exists())
        or organization.pk in registered_organization_ids(event)
    )
    if not at_event:
        raise ValidationFailed.on(
            "event_id", f"需求或供给项目未在活动“{event.name}”推介，社会组织“{organization.name}”也未报名该活动"
        )
    return event


@dataclass
class EventResults:
    registrations: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    checked_in: int = 0
    featured_demands: int = 0
    featured_offers: int = 0
    matches: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    committed_amount: Decimal = Decimal("0.00")
    people_to_serve: int = 0
    completed: int = 0


def results(event: Event) -> EventResults:
    """What the event achieved: who came, what was featured, and the matches made at it."""
    from xiangzhen.matching.models import Match

    figures = EventResults()
    live = EventRegistration.objects.filter(event=event, status__in=EventRegistration.LIVE_STATUSES)
    kinds = dict(live.order_by().values_list("kind").annotate(n=Count("id")))
    figures.by_kind = [(str(label), int(kinds.get(value, 0))) for value, label in EventRegistration.Kind.choices]
    figures.registrations = sum(n for _, n in figures.by_kind)
    figures.checked_in = live.filter(status=EventRegistration.Status.CHECKED_IN).count()
    featured = EventFeature.objects.filter(event=event)
    figures.featured_demands = featured.filter(demand__isnull=False).count()
    figures.featured_offers = featured.filter(offer__isnull=False).count()
    matches = Match.objects.filter(event=event)
    statuses = dict(matches.order_by().values_list("status").annotate(n=Count("id")))
    figures.by_status = [
        (value, str(label), int(statuses[value])) for value, label in Match.Status.choices if value in statuses
    ]
    figures.matches = sum(n for _, _, n in figures.by_status)
    active = matches.filter(status__in=Match.ACTIVE_STATUSES).aggregate(
        amount=Sum("committed_amount"), people=Sum("people_to_serve")
    )
    figures.committed_amount = (active["amount"] or Decimal("0")).quantize(Decimal("0.01"))
    figures.people_to_serve = int(active["people"] or 0)
    figures.completed = sum(n for value, _, n in figures.by_status if value in Match.SUCCESS_STATUSES)
    return figures


# ---------------------------------------------------------------- the venture contest


def get_contest(user: Any, event_id: Any) -> Event:
    event = get_event(user, event_id)
    if not event.is_contest:
        raise NotFound("公益创投大赛不存在")
    return event


def get_public_contest(event_id: Any) -> Event:
    event = get_public_event(event_id)
    if not event.is_contest:
        raise NotFound("公益创投大赛不存在")
    return event


def criteria(event: Event) -> "QuerySet[ContestCriterion]":
    return ContestCriterion.objects.filter(event=event).order_by("id")


def judges(event: Event) -> "QuerySet[ContestJudge]":
    return ContestJudge.objects.filter(event=event).select_related("user").order_by("id")


def is_judge(user: Any, event: Event) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False)) and ContestJudge.objects.filter(event=event, user=user).exists()
    )


def can_see_ranking(user: Any, event: Event) -> bool:
    """Before publication only the organizers and the judges see the running ranking."""
    return rules.can_manage(user, event) or is_judge(user, event)


def entries(user: Any, event: Event) -> "QuerySet[ContestEntry]":
    """All entries for organizers and judges, and for everyone once the results are published;
    otherwise an organization's own entries."""
    queryset = ContestEntry.objects.filter(event=event).select_related("organization", "target_region", "offer")
    if event.results_published_at or can_see_ranking(user, event):
        return queryset.order_by("id")
    scope = scope_of(user)
    return queryset.filter(organization_id__in=sorted(scope.organization_ids)).order_by("id")


def entry_attachments(user: Any, entries: list[ContestEntry]) -> dict[int, list[Attachment]]:
    """The files of each entry the user may download, in one query: `core.attachments.downloadable`
    lets the entrant and the staff over the contest's region have them, not every judge or visitor."""
    ids = restrict(ContestEntry.objects.filter(pk__in=[e.pk for e in entries]), user).values_list("pk", flat=True)
    found: dict[int, list[Attachment]] = defaultdict(list)
    label = ContestEntry._meta.label_lower
    for attachment in Attachment.objects.filter(owner_type=label, owner_id__in=[str(pk) for pk in ids]).order_by("id"):
        found[int(attachment.owner_id)].append(attachment)
    return dict(found)


def get_entry(user: Any, event: Event, entry_id: Any) -> ContestEntry:
    try:
        return entries(user, event).get(pk=int(entry_id))
    except (ContestEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound("参赛项目不存在或无权查看") from None


def judge_scores(user: Any, entry: ContestEntry) -> dict[int, Decimal]:
    """The user's own scores of an entry, by criterion id."""
    rows = JudgeScore.objects.filter(judge=user, entry=entry).values_list("criterion_id", "score")
    return dict(rows)


@dataclass
class RankedEntry:
    entry: ContestEntry
    total: Decimal | None
    judges: int
    rank: int | None = None


def _weighted_totals(event: Event) -> dict[int, tuple[Decimal, int]]:
    """Entry id → (weighted total averaged over the judges who scored it, number of those judges).

    A judge's total is Σ score ÷ max × weight over the criteria (an unscored criterion adds 0)."""
    weights = {c.pk: (c.weight, c.max_score) for c in criteria(event)}
    per_judge: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = JudgeScore.objects.filter(entry__event=event).values_list("entry_id", "judge_id", "criterion_id", "score")
    for entry_id, judge_id, criterion_id, score in rows:
        weight, max_score = weights[criterion_id]
        per_judge[entry_id][judge_id] += score / max_score * weight
    return {
        entry_id: ((sum(totals.values(), Decimal(0)) / len(totals)).quantize(Decimal("0.01")), len(totals))
        for entry_id, totals in per_judge.items()
    }


def ranking(event: Event) -> list[RankedEntry]:
    """Entries by weighted total, best first (unscored last); frozen figures once results are published."""
    all_entries = list(ContestEntry.objects.filter(event=event).select_related("organization", "offer"))
    if event.results_published_at:
        rows = JudgeScore.objects.filter(entry__event=event).order_by().values("entry_id")
        judged = {row["entry_id"]: row["n"] for row in rows.annotate(n=Count("judge", distinct=True))}
        ranked = [RankedEntry(e, e.total, judged.get(e.pk, 0), e.rank) for e in all_entries]
        return sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.entry.pk))
    totals = _weighted_totals(event)
    ranked = [RankedEntry(e, *totals.get(e.pk, (None, 0))) for e in all_entries]
    ranked.sort(key=lambda r: (r.total is None, -(r.total or 0), r.entry.submitted_at, r.entry.pk))
    for position, row in enumerate(ranked, start=1):
        row.rank = position if row.total is not None else None
    return ranked
