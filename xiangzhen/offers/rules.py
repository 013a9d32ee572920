"""Who may do what to an offer. Scope (whether they see it at all) is `core.scope`."""

from typing import Any

from xiangzhen.accounts.roles import is_civil_affairs_of, is_platform_admin
from xiangzhen.offers.models import Offer
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization


def can_create_for(user: Any, organization: Organization) -> bool:
    """Any active member (admin or member) of the organization drafts offers for it."""
    return organization_rules.is_org_member(user, organization)


def can_edit(user: Any, offer: Offer) -> bool:
    """Drafts and returned offers: any member; published offers (capacity and window only): admins."""
    if offer.status in (Offer.Status.DRAFT, Offer.Status.RETURNED):
        return organization_rules.is_org_member(user, offer.organization)
    if offer.status == Offer.Status.PUBLISHED:
        return organization_rules.is_org_admin(user, offer.organization)
    return False


def can_submit(user: Any, offer: Offer) -> bool:
    return organization_rules.is_org_member(user, offer.organization)


def can_review(user: Any, offer: Offer) -> bool:
    """Civil affairs staff of exactly the organization's registration region, or a platform admin."""
    return is_platform_admin(user) or is_civil_affairs_of(user, offer.organization.region_id)


def can_close(user: Any, offer: Offer) -> bool:
    return organization_rules.is_org_admin(user, offer.organization) or can_review(user, offer)


def can_import_for(user: Any, organization: Organization) -> bool:
    """An organization's admins import its offers from Excel; platform admins may for any organization."""
    return is_platform_admin(user) or organization_rules.is_org_admin(user, organization)
