from typing import Any

from django.db.models import Count, QuerySet

from xiangzhen.core.scope import restrict
from xiangzhen.organizations.models import Organization


def organizations(user: Any) -> "QuerySet[Organization]":
    """Organizations the user may see."""
    return restrict(Organization.objects.select_related("region"), user)


def organization_summary(user: Any) -> dict[str, int]:
    """Counts by status of the organizations in the user's scope, for the home page."""
    rows = organizations(user).order_by().values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in Organization.Status.values} | {"total": sum(counts.values())}
