"""Who may do what to a fund. Scope (whether they see it at all) is `core.scope`.

Only the organization's own people move money (members record donations, projects and
disclosures; admins pay out); civil affairs staff of the organization's registration region review.
Not even a platform admin records money for an organization.
"""

from typing import Any

from xiangzhen.accounts.roles import is_civil_affairs_of, is_platform_admin
from xiangzhen.funds.models import Fund
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization


def can_create_for(user: Any, organization: Organization) -> bool:
    return organization_rules.is_org_member(user, organization)


def is_member(user: Any, fund: Fund) -> bool:
    return organization_rules.is_org_member(user, fund.organization)


def is_admin(user: Any, fund: Fund) -> bool:
    return organization_rules.is_org_admin(user, fund.organization)


def can_review(user: Any, fund: Fund) -> bool:
    """Civil affairs staff of exactly the organization's registration region, or a platform admin."""
    return is_platform_admin(user) or is_civil_affairs_of(user, fund.organization.region_id)


def can_close(user: Any, fund: Fund) -> bool:
    return is_admin(user, fund) or can_review(user, fund)
