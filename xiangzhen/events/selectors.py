"""Every read of events. Staff see the events of their region subtree in every status; everyone
(signed in or not) sees published and finished events anywhere."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import AuditEntry
from xiangzhen.core.scope import scope_filter, scope_of
from xiangzhen.events.filters import EventFilters
from xiangzhen.events.models import Event, EventVillage

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
