"""Every read of brands, exemplary cases and commendations, already scoped by `core.scope`.

Brands are seen like their organization (its people; staff whose region holds its registration
region); a brand of an approved organization is public. Cases and commendations are scoped by
their region (the writer's or issuer's); published cases are public. An organization's page lists
all its commendations to whoever may see the organization.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from xiangzhen.brands.figures import with_results
from xiangzhen.brands.filters import BrandFilters, CaseFilters, CommendationFilters
from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import AuditEntry, Domain
from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.organizations.models import Organization


def _brand_base() -> "QuerySet[CharityBrand]":
    return (
        with_results(CharityBrand.objects.all())
        .select_related("organization", "organization__region")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("sort_order", "code")))
    )


def brands(user: Any, filters: BrandFilters | None = None) -> "QuerySet[CharityBrand]":
    queryset = restrict(_brand_base(), user)
    return filters.apply(queryset) if filters else queryset


def get_brand(user: Any, brand_id: Any) -> CharityBrand:
    return get_in_scope(_brand_base(), user, pk=brand_id)


def public_brands(filters: BrandFilters | None = None) -> "QuerySet[CharityBrand]":
    queryset = _brand_base().filter(organization__status=Organization.Status.APPROVED)
    return filters.apply(queryset) if filters else queryset


def get_public_brand(brand_id: Any) -> CharityBrand:
    try:
        return public_brands().get(pk=int(brand_id))
    except (CharityBrand.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("公益品牌不存在或尚未公开")) from None


def active_brands(organization_ids: list[int]) -> "QuerySet[CharityBrand]":
    """The running brands of these organizations (the caller's own), to choose when recording an activity."""
    return CharityBrand.objects.filter(
        organization_id__in=organization_ids, status=CharityBrand.Status.ACTIVE
    ).select_related("organization")


def organization_brands(organization: Organization) -> "QuerySet[CharityBrand]":
    return _brand_base().filter(organization=organization)


def brand_activities(brand: CharityBrand) -> Any:
    from xiangzhen.campaigns.models import Activity

    return Activity.objects.filter(brand=brand).select_related("campaign", "region", "organization")


# ---------------------------------------------------------------- cases


def _case_base() -> "QuerySet[ExemplaryCase]":
    return ExemplaryCase.objects.select_related(
        "organization", "brand", "campaign", "region", "created_by", "created_by__department", "reviewed_by"
    )


def cases(user: Any, filters: CaseFilters | None = None) -> "QuerySet[ExemplaryCase]":
    queryset = restrict(_case_base(), user)
    return filters.apply(queryset) if filters else queryset


def get_case(user: Any, case_id: Any) -> ExemplaryCase:
    return get_in_scope(_case_base(), user, pk=case_id)


def public_cases(filters: CaseFilters | None = None) -> "QuerySet[ExemplaryCase]":
    queryset = _case_base().filter(status=ExemplaryCase.Status.PUBLISHED)
    return filters.apply(queryset) if filters else queryset


def get_public_case(case_id: Any) -> ExemplaryCase:
    try:
        return public_cases().get(pk=int(case_id))
    except (ExemplaryCase.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("典型案例不存在或尚未发布")) from None


def review_queue(user: Any) -> "QuerySet[ExemplaryCase]":
    """Submitted cases in the user's scope that the user may review (rule in `brands.rules`)."""
    from xiangzhen.brands.rules import can_review

    submitted = cases(user).filter(status=ExemplaryCase.Status.SUBMITTED)
    return submitted.filter(pk__in=[c.pk for c in submitted if can_review(user, c)])


# ---------------------------------------------------------------- commendations


def _commendation_base() -> "QuerySet[Commendation]":
    return Commendation.objects.select_related("organization", "organization__region", "region", "recorded_by")


def commendations(user: Any, filters: CommendationFilters | None = None) -> "QuerySet[Commendation]":
    queryset = restrict(_commendation_base(), user)
    return filters.apply(queryset) if filters else queryset


def get_commendation(user: Any, commendation_id: Any) -> Commendation:
    return get_in_scope(_commendation_base(), user, pk=commendation_id)


def organization_commendations(organization: Organization) -> "QuerySet[Commendation]":
    """All commendations of an organization the caller has already fetched (scoped or public)."""
    return _commendation_base().filter(organization=organization)


def history(instance: Any) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk)).select_related(
        "actor"
    )
