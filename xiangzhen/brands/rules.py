"""Who may do what to brands, exemplary cases and commendations. Scope is `brands.selectors`.

- A charity brand belongs to an organization: its admins create, edit and retire it.
- An exemplary case is written by staff (civil affairs or rural revitalization) about an
  organization in their region; the case's region is the writer's department region. The writer's
  department edits and submits it. It is reviewed one level up: by staff (either department) of
  the parent region of the case's region — the city for a county's case, the province for a
  city's. A province's own case has no level above, so the other department of the same province
  reviews it. Platform admins may review any case. Nobody reviews their own case.
  A published case may be withdrawn by the writer's department or by its reviewers.
- A commendation is recorded by staff (either department) for an organization in their region,
  under their department's region; staff of exactly that region correct it.
"""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.regions import codes

STAFF_DEPARTMENTS = (Department.Kind.CIVIL_AFFAIRS, Department.Kind.RURAL_REVITALIZATION)


def staff_department(user: Any) -> Department | None:
    department = department_of(user)
    return department if department is not None and department.kind in STAFF_DEPARTMENTS else None


def can_manage_brand(user: Any, brand: CharityBrand) -> bool:
    return organization_rules.is_org_admin(user, brand.organization)


def is_writer_department(user: Any, case: ExemplaryCase) -> bool:
    department = staff_department(user)
    writer = department_of(case.created_by)
    return bool(department and writer and department.pk == writer.pk)


def reviewer_region(case: ExemplaryCase) -> str | None:
    """The region whose staff review the case (None: a province's case, reviewed beside it)."""
    ancestors = codes.ancestor_codes(case.region_id)
    return ancestors[-1] if ancestors else None


def can_review(user: Any, case: ExemplaryCase) -> bool:
    if is_platform_admin(user):
        return True
    department = staff_department(user)
    if department is None or getattr(user, "pk", None) == case.created_by_id:
        return False
    parent = reviewer_region(case)
    if parent is not None:
        return department.region_id == parent
    writer = department_of(case.created_by)
    return department.region_id == case.region_id and (writer is None or writer.kind != department.kind)


def can_withdraw(user: Any, case: ExemplaryCase) -> bool:
    return is_platform_admin(user) or is_writer_department(user, case) or can_review(user, case)


def can_edit_commendation(user: Any, commendation: Commendation) -> bool:
    department = staff_department(user)
    return is_platform_admin(user) or bool(department and department.region_id == commendation.region_id)
