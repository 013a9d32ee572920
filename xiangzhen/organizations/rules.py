"""Who may do what to an organization. Scope (whether they see it at all) is `core.scope`."""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_civil_affairs_of, is_platform_admin
from xiangzhen.organizations.models import Membership, Organization


def is_org_admin(user: Any, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return False
    return Membership.objects.filter(
        organization=organization, user=user, role=Membership.Role.ADMIN, is_active=True
    ).exists()


def is_org_member(user: Any, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return False
    return Membership.objects.filter(organization=organization, user=user, is_active=True).exists()


def can_review(user: Any, organization: Organization) -> bool:
    """Civil affairs staff of exactly the registration region, or a platform admin."""
    return is_platform_admin(user) or is_civil_affairs_of(user, organization.region_id)


def can_edit(user: Any, organization: Organization) -> bool:
    return is_platform_admin(user) or is_org_admin(user, organization)


def can_manage_members(user: Any, organization: Organization) -> bool:
    return is_platform_admin(user) or is_org_admin(user, organization)


def can_import(user: Any) -> bool:
    """Civil affairs staff of any level (within their region) and platform admins."""
    department = department_of(user)
    return is_platform_admin(user) or bool(department and department.kind == Department.Kind.CIVIL_AFFAIRS)


def can_register(user: Any) -> bool:
    """Who may register a new organization while logged in: organization people (they become its admin)."""
    return bool(getattr(user, "is_authenticated", False) and user.role == "organization")
