"""Reads of accounts. User management reads are limited to the users the reader manages
(`roles.managed_condition`), a narrower rule than the region scope of records: seeing a county's
demands does not make its staff one's to manage."""

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from xiangzhen.accounts import roles
from xiangzhen.accounts.filters import UserFilters
from xiangzhen.accounts.models import ApiToken, Department, User
from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.core.models import AuditEntry
from xiangzhen.regions.codes import subtree_bounds


def api_tokens(user: Any) -> "QuerySet[ApiToken]":
    """A user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user)


def managed_users(actor: Any, filters: UserFilters | None = None) -> "QuerySet[User]":
    """The users `actor` manages, narrowed by `filters`; Forbidden for someone who manages nobody."""
    if not roles.can_manage_users(actor):
        raise Forbidden("您没有管理用户账号的权限")
    queryset = (
        User.objects.filter(roles.managed_condition(actor))
        .select_related("department", "region")
        .order_by("-is_active", "username")
    )
    return filters.apply(queryset) if filters else queryset


def get_managed_user(actor: Any, user_id: Any) -> User:
    """One user `actor` manages; NotFound when missing or not theirs to manage (the two look alike)."""
    try:
        return (
            User.objects.filter(roles.managed_condition(actor)).select_related("department", "region").get(pk=user_id)
        )
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound("用户不存在或无权管理") from None


def assignable_departments(actor: Any) -> "QuerySet[Department]":
    """The departments `actor` may put a new staff account in."""
    scope = roles.user_management(actor)
    queryset = Department.objects.select_related("region")
    if scope.everyone:
        return queryset
    if not scope.staff_region:
        return queryset.none()
    return queryset.filter(
        Q(kind=scope.staff_kind, region__code__range=subtree_bounds(scope.staff_region))
        & ~Q(region_id=scope.staff_region)
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these usernames django-axes currently locks out (failures at the limit, not expired)."""
    limit = settings.AXES_FAILURE_LIMIT
    attempts = AccessAttempt.objects.filter(username__in=usernames, failures_since_start__gte=limit)
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if cooloff:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - timedelta(hours=float(cooloff)))
    return set(attempts.values_list("username", flat=True))


def account_history(user: User) -> "QuerySet[AuditEntry]":
    """The audit trail of one account the caller has fetched through `get_managed_user`."""
    return AuditEntry.objects.filter(object_type=User._meta.label_lower, object_id=str(user.pk)).select_related("actor")
