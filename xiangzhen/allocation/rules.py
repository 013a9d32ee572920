"""Who may run and decide allocation proposals. Scope (which runs they see) is `core.scope`."""

from typing import Any

from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level

# A proposal spans a province or a city: the levels at which offers compete for demands.
RUN_LEVELS = (Level.PROVINCE, Level.CITY)


def home_region(user: Any) -> str | None:
    """The province or city of the staff member's department (None for everyone else)."""
    department = department_of(user)
    if department is not None and codes.level_of(department.region_id) in RUN_LEVELS:
        return department.region_id
    return None


def can_use(user: Any) -> bool:
    """Province and city staff, and platform admins, open the allocation pages."""
    return is_platform_admin(user) or home_region(user) is not None


def can_allocate(user: Any, region_code: str) -> bool:
    """Run a proposal for, and confirm or drop items of, a province or city: its own staff and
    the staff above it (a province's staff for its cities), or a platform admin."""
    if codes.level_of(region_code) not in RUN_LEVELS:
        return False
    if is_platform_admin(user):
        return True
    home = home_region(user)
    return bool(home and codes.contains(home, region_code))
