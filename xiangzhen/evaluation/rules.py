"""Who may do what with evaluation. Scope (which scores a user sees at all) is `core.scope` in the
selectors; these say which actions a role may take.

The province's civil affairs department keeps the indicators and computes the scores, since it
runs 社会组织等级评估 (and platform admins, for any province). An organization's own admins read its
scores; plain members do not.
"""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin, is_province_staff


def can_manage(user: Any, province_code: str) -> bool:
    """Edit the province's indicators and scheme, and compute its scores."""
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(
        department
        and department.kind == Department.Kind.CIVIL_AFFAIRS
        and is_province_staff(user)
        and department.region_id == province_code
    )


def managed_province(user: Any) -> str | None:
    """The province a staff member manages (None for platform admins, who choose, and for others)."""
    department = department_of(user)
    if department and can_manage(user, department.region_id):
        return department.region_id
    return None


def reads_scores(user: Any) -> bool:
    """Staff (within their region), platform admins, and organization people (their admins only)."""
    return bool(getattr(user, "is_authenticated", False) and user.role != "submitter")
