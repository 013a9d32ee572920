"""Every read of demands a user makes: the scoped library (staff and submitters), and the public
library (anyone, published and later, personal data masked)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.crypto import mask_name, mask_phone
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import Attachment, AuditEntry, BeneficiaryGroup, Domain
from xiangzhen.core.scope import get_in_scope, restrict, scope_of
from xiangzhen.demands import excel, rules
from xiangzhen.demands.filters import DemandFilters
from xiangzhen.demands.models import Demand, DemandBeneficiary
from xiangzhen.demands.priority import flags_for_regions
from xiangzhen.demands.validation import DemandData


def _base() -> "QuerySet[Demand]":
    return Demand.objects.select_related("region", "entered_by", "published_by")


def _with_relations(queryset: "QuerySet[Demand]") -> "QuerySet[Demand]":
    return queryset.prefetch_related(
        Prefetch("domains", queryset=Domain.objects.order_by("sort_order", "code")),
        Prefetch("beneficiaries", queryset=DemandBeneficiary.objects.select_related("group")),
    )


def has_library_scope(user: Any) -> bool:
    """Staff, submitters and platform admins read the scoped library; organization people the public one."""
    scope = scope_of(user)
    return scope.everything or bool(scope.region_code)


def demands(user: Any, filters: DemandFilters | None = None) -> "QuerySet[Demand]":
    """Demands in the user's region scope (any status), narrowed by `filters`."""
    qs = restrict(_base(), user)
    return filters.apply(qs) if filters else qs


def demand_list(user: Any, filters: DemandFilters | None = None) -> "QuerySet[Demand]":
    """The scoped list for pages, the API and exports: relations prefetched, so no query per row."""
    return _with_relations(demands(user, filters or DemandFilters.model_validate({})))


def public_demands(filters: DemandFilters | None = None) -> "QuerySet[Demand]":
    """Published and later demands, for anyone (organizations take them from here)."""
    filters = filters or DemandFilters.model_validate({})
    if filters.status and filters.status not in Demand.PUBLIC_STATUSES:
        return Demand.objects.none()
    qs = _base().filter(status__in=Demand.PUBLIC_STATUSES)
    return _with_relations(filters.apply(qs))


def get_demand(user: Any, demand_id: Any) -> Demand:
    """One demand in the user's scope; NotFound when missing or out of scope."""
    return get_in_scope(_with_relations(_base()), user, pk=demand_id)


def get_public_demand(demand_id: Any) -> Demand:
    try:
        return _with_relations(_base()).get(pk=int(demand_id), status__in=Demand.PUBLIC_STATUSES)
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise NotFound("需求项目不存在或尚未发布") from None


def with_priority(page: Iterable[Demand]) -> list[Demand]:
    """Fill the priority labels of a page of demands in one query."""
    items = list(page)
    flags = flags_for_regions(d.region_id for d in items)
    for demand in items:
        demand._priority_flags = flags[demand.region_id]
    return items


@dataclass
class PersonalView:
    """The contact and household as this user may see them."""

    contact_name: str
    contact_phone: str
    household_name: str
    masked: bool


def personal_view(user: Any, demand: Demand, *, reveal: bool = False) -> PersonalView:
    """In full only when the role needs it *and* the caller asked (and logged it through the service)."""
    if reveal and rules.can_see_personal(user, demand):
        return PersonalView(demand.contact_name, demand.contact_phone, demand.household_name, masked=False)
    return PersonalView(
        mask_name(demand.contact_name), mask_phone(demand.contact_phone), mask_name(demand.household_name), masked=True
    )


def history(demand: Demand) -> "QuerySet[AuditEntry]":
    """The audit trail of a demand the caller has fetched through `get_demand` (the status timeline)."""
    return AuditEntry.objects.filter(object_type=Demand._meta.label_lower, object_id=str(demand.pk)).select_related(
        "actor"
    )


def timeline(demand: Demand) -> list[dict[str, Any]]:
    """Status changes, oldest first: when, who, from → to, and the reason given."""
    from xiangzhen.demands.services import WORKFLOW

    labels = dict(Demand.Status.choices)
    events = []
    for entry in history(demand).order_by("at", "id"):
        action = entry.action.removeprefix("demands.")
        after = entry.after or {}
        before = entry.before or {}
        if action in ("create", "import"):
            label = "录入" if action == "create" else "Excel 导入"
        elif action in WORKFLOW.transitions:
            label = WORKFLOW.transitions[action].label
        else:
            continue
        events.append(
            {
                "at": entry.at,
                "actor": str(entry.actor) if entry.actor else "系统",
                "label": label,
                "from": labels.get(before.get("status", ""), ""),
                "to": labels.get(after.get("status", ""), ""),
                "note": entry.note,
            }
        )
    return events


def attachments(demand: Demand) -> "QuerySet[Attachment]":
    return attachments_of(demand)


def domain_names() -> dict[str, str]:
    return dict(Domain.objects.values_list("code", "name"))


def group_names() -> dict[str, str]:
    return dict(BeneficiaryGroup.objects.values_list("code", "name"))


def export_rows(queryset: "QuerySet[Demand]") -> list[excel.ExportRow]:
    """Rows for an Excel export of a list the caller already scoped and filtered.

    Contacts and household names are always masked: a file leaves the platform, and full views
    are only ever given one record at a time, logged.
    """
    rows = []
    for demand in with_priority(queryset):
        data = DemandData.of(demand)
        data.contact_name = mask_name(data.contact_name)
        data.contact_phone = mask_phone(data.contact_phone)
        data.household_name = mask_name(data.household_name)
        rows.append(
            excel.ExportRow(
                number=demand.number,
                status=demand.get_status_display(),
                data=data,
                region=demand.region_id,
                priority="、".join(demand.priority_flags),
                published_at=demand.published_at,
            )
        )
    return rows


def summary(user: Any) -> dict[str, int]:
    """Counts by status of the demands in the user's scope, for the home page."""
    from xiangzhen.core.selectors import status_counts

    return status_counts(restrict(Demand.objects.all(), user), Demand.Status.values)
