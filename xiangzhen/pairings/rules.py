"""Who may do what to a pairing. Scope (whether they see it at all) is `core.scope`.

The organization's admins propose, withdraw and resubmit; the rural revitalization department of
the county the place lies in confirms, returns, reviews and ends; rural revitalization staff of a
city or county whose subtree holds the place may arrange a pairing. Platform admins may do what
staff do, never what only the organization may (propose or withdraw for it).
"""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization
from xiangzhen.pairings.models import Pairing
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level

# The levels a pairing may bind an organization to.
PLACE_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
ARRANGING_LEVELS = (Level.CITY, Level.COUNTY)


def county_of(region_code: str) -> str:
    """The code of the county a county, township or village lies in."""
    return region_code[:6] + "000000"


def is_org_admin(user: Any, organization: Organization) -> bool:
    return organization_rules.is_org_admin(user, organization)


def is_county_rural_revitalization(user: Any, region_code: str) -> bool:
    """Rural revitalization staff of exactly the county `region_code` lies in."""
    department = department_of(user)
    return bool(
        department
        and department.kind == Department.Kind.RURAL_REVITALIZATION
        and department.region_id == county_of(region_code)
    )


def can_decide(user: Any, pairing: Pairing) -> bool:
    """Confirm, return, review, renew and end: the county's rural revitalization department."""
    return is_platform_admin(user) or is_county_rural_revitalization(user, pairing.region_id)


def can_arrange_at(user: Any, region_code: str) -> bool:
    """Rural revitalization staff of a city or county whose subtree holds the place (or a platform admin)."""
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(
        department
        and department.kind == Department.Kind.RURAL_REVITALIZATION
        and codes.level_of(department.region_id) in ARRANGING_LEVELS
        and codes.contains(department.region_id, region_code)
    )


def can_arrange(user: Any) -> bool:
    """Whether the user may arrange pairings anywhere at all (the page and menu entry)."""
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(
        department
        and department.kind == Department.Kind.RURAL_REVITALIZATION
        and codes.level_of(department.region_id) in ARRANGING_LEVELS
    )


def can_change_proposal(user: Any, pairing: Pairing) -> bool:
    """Resubmit after a return: the organization's admins, or (an arranged pairing) staff who may arrange there."""
    if is_org_admin(user, pairing.organization):
        return True
    return pairing.origin == Pairing.Origin.STAFF and can_arrange_at(user, pairing.region_id)


def can_withdraw(user: Any, pairing: Pairing) -> bool:
    return is_org_admin(user, pairing.organization)


def can_see_key_villages(user: Any) -> bool:
    """The key-village page is a staff tool: department staff and platform admins."""
    return is_platform_admin(user) or department_of(user) is not None
