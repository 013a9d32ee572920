from typing import Any

from django.db.models import Count, QuerySet

from xiangzhen.core.models import AuditEntry
from xiangzhen.core.scope import scope_of
from xiangzhen.regions.codes import subtree_bounds


def audit_entries(user: Any, *, object_type: str = "", action: str = "", q: str = "") -> "QuerySet[AuditEntry]":
    """The audit trail a user may read: all of it for admins, their province's for province staff."""
    from xiangzhen.accounts.roles import can_read_audit

    qs = AuditEntry.objects.select_related("actor")
    if not can_read_audit(user):
        return qs.none()
    scope = scope_of(user)
    if not scope.everything:
        qs = qs.filter(region_code__range=subtree_bounds(scope.region_code or ""))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    if q:
        qs = qs.filter(object_repr__icontains=q)
    return qs


def status_counts(queryset: "QuerySet[Any]", statuses: list[str]) -> dict[str, int]:
    """How many rows of `queryset` are in each status, plus "total": one grouped query."""
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in statuses} | {"total": sum(counts.values())}
