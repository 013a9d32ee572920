"""Role predicates. Scope (which records) is `core.scope`; these say which actions a role may take."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

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


# ---------------------------------------------------------------- who manages whose account
#
# There is no "manager" flag: management follows the hierarchy, and only downward. Province and
# city staff manage the staff of departments of their own kind strictly below them (not their own
# colleagues, whom the level above manages); county rural revitalization staff manage the village
# and township submitters of their county, who enter the demands they review. Platform admins
# manage everyone. Organization people are managed by their organization's admins (memberships).


@dataclass(frozen=True)
class UserManagement:
    everyone: bool = False
    staff_kind: str = ""  # manages staff of departments of this kind…
    staff_region: str = ""  # …whose region lies strictly inside this one
    submitter_region: str = ""  # manages submitters inside this county

    @property
    def anyone(self) -> bool:
        return self.everyone or bool(self.staff_region or self.submitter_region)


def user_management(user: Any) -> UserManagement:
    if is_platform_admin(user):
        return UserManagement(everyone=True)
    department = department_of(user)
    if department is None:
        return UserManagement()
    level = codes.level_of(department.region_id)
    if level in (Level.PROVINCE, Level.CITY):
        return UserManagement(staff_kind=department.kind, staff_region=department.region_id)
    if level == Level.COUNTY and department.kind == Department.Kind.RURAL_REVITALIZATION:
        return UserManagement(submitter_region=department.region_id)
    return UserManagement()


def can_manage_users(user: Any) -> bool:
    return user_management(user).anyone


def managed_condition(user: Any) -> Q:
    """The users `user` manages, as a query condition (never themselves)."""
    scope = user_management(user)
    if scope.everyone:
        return ~Q(pk=user.pk)
    condition = Q(pk__in=[])
    if scope.staff_region:
        condition |= (
            Q(role=User.Role.DEPARTMENT_STAFF, department__kind=scope.staff_kind)
            & Q(department__region__code__range=codes.subtree_bounds(scope.staff_region))
            & ~Q(department__region_id=scope.staff_region)
        )
    if scope.submitter_region:
        condition |= Q(role=User.Role.SUBMITTER, region__code__range=codes.subtree_bounds(scope.submitter_region))
    return condition & ~Q(pk=user.pk)


def may_assign(user: Any, *, role: str, department: Department | None, region_code: str | None) -> bool:
    """Whether `user` may give an account this role and place (the same rule as `managed_condition`)."""
    scope = user_management(user)
    if scope.everyone:
        return True
    if role == User.Role.DEPARTMENT_STAFF and department is not None and scope.staff_region:
        return (
            department.kind == scope.staff_kind
            and department.region_id != scope.staff_region
            and codes.contains(scope.staff_region, department.region_id)
        )
    if role == User.Role.SUBMITTER and region_code and scope.submitter_region:
        return codes.contains(scope.submitter_region, region_code)
    return False


def assignable_roles(user: Any) -> list[str]:
    scope = user_management(user)
    if scope.everyone:
        return [User.Role.DEPARTMENT_STAFF, User.Role.SUBMITTER, User.Role.PLATFORM_ADMIN]
    roles: list[str] = []
    if scope.staff_region:
        roles.append(User.Role.DEPARTMENT_STAFF)
    if scope.submitter_region:
        roles.append(User.Role.SUBMITTER)
    return roles
