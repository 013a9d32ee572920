"""Every read of organizations a user makes, already scoped by `core.scope`."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from xiangzhen.core.models import AuditEntry, Domain
from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.core.selectors import status_counts
from xiangzhen.organizations.filters import OrganizationFilters
from xiangzhen.organizations.models import Invitation, Membership, Organization
from xiangzhen.organizations.services import hash_secret
from xiangzhen.organizations.validation import OrganizationData


def organizations(user: Any, filters: OrganizationFilters | None = None) -> "QuerySet[Organization]":
    """Organizations the user may see, narrowed by `filters`."""
    qs = restrict(Organization.objects.select_related("region"), user)
    return filters.apply(qs) if filters else qs


def organization_list(user: Any, filters: OrganizationFilters | None = None) -> "QuerySet[Organization]":
    """The list for pages, the API and exports: domains prefetched, so no query per row."""
    return organizations(user, filters).prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by()))


def get_organization(user: Any, organization_id: Any) -> Organization:
    """One organization the user may see; NotFound when missing or out of scope."""
    return get_in_scope(
        Organization.objects.select_related("region", "reviewed_by").prefetch_related("domains"),
        user,
        pk=organization_id,
    )


def organization_summary(user: Any) -> dict[str, int]:
    """Counts by status of the organizations in the user's scope, for the home page."""
    return status_counts(organizations(user), Organization.Status.values)


def administered_organizations(user: Any) -> "QuerySet[Organization]":
    """Organizations where the user is an active admin."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN, memberships__is_active=True
    ).select_related("region")


def members(organization: Organization) -> "QuerySet[Membership]":
    """Members of an organization the caller has already fetched through `get_organization`."""
    return (
        Membership.objects.filter(organization=organization).select_related("user").order_by("-is_active", "role", "id")
    )


def get_membership(user: Any, organization: Organization, membership_id: Any) -> Membership:
    return get_in_scope(
        Membership.objects.select_related("user", "organization"), user, pk=membership_id, organization=organization
    )


def invitations(organization: Organization) -> "QuerySet[Invitation]":
    return Invitation.objects.filter(organization=organization).select_related("invited_by")


def get_invitation(organization: Organization, invitation_id: Any) -> Invitation:
    from xiangzhen.core.errors import NotFound

    try:
        return invitations(organization).select_related("organization").get(pk=int(invitation_id))
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise NotFound("邀请不存在") from None


def invitation_for_secret(secret: str) -> Invitation | None:
    """The invitation a link points at (public: the secret is the credential)."""
    return (
        Invitation.objects.select_related("organization", "invited_by").filter(token_hash=hash_secret(secret)).first()
    )


def history(organization: Organization) -> "QuerySet[AuditEntry]":
    """The audit trail of one organization the caller may see (fetched through `get_organization`)."""
    return AuditEntry.objects.filter(
        object_type=Organization._meta.label_lower, object_id=str(organization.pk)
    ).select_related("actor")


def export_rows(user: Any, filters: OrganizationFilters) -> list[OrganizationData]:
    return [OrganizationData.of(o) for o in organization_list(user, filters)]


def domain_names() -> dict[str, str]:
    """Domain code → name, in display order."""
    return dict(Domain.objects.values_list("code", "name"))
