"""Role predicates. Scope (which records) is `core.scope`; these say which actions a role may take."""

from typing import Any

from xiangzhen.accounts.models import Department, User
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role == User.Role.PLATFORM_ADMIN)


def department_of(user: Any) -> Department | None:
    if getattr(user, "is_authenticated", False) and user.role == User.Role.DEPARTMENT_STAFF:
        return user.department
    return None


def staff_level(user: Any) -> str | None:
    department = department_of(user)
    return codes.level_of(department.region_id) if department else None


def is_province_staff(user: Any) -> bool:
    return staff_level(user) == Level.PROVINCE


def can_open_designations(user: Any) -> bool:
    """Province staff and platform admins keep the designation lists."""
    return is_platform_admin(user) or is_province_staff(user)


def can_manage_designations(user: Any, region_code: str) -> bool:
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(department and is_province_staff(user) and codes.contains(department.region_id, region_code))


def can_read_audit(user: Any) -> bool:
    return is_platform_admin(user) or is_province_staff(user)


def is_civil_affairs_of(user: Any, region_code: str) -> bool:
    """Civil affairs staff of exactly this region (the registration authority of its level)."""
    department = department_of(user)
    return bool(department and department.kind == Department.Kind.CIVIL_AFFAIRS and department.region_id == region_code)
