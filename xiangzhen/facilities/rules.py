"""Who may do what to a room. Scope (whether they see it at all) is `core.scope`.

- Register a room: an admin of the builder organization, or staff and submitters whose region is
  the room's county, township or village (county, township and village people know their rooms).
- Move its status (start building, open, close): the builder's admins, or county staff of its county.
- Record usage and add photos: the builder's members, or the village's (or its township's) submitters
  and county staff of its county.
"""

from typing import Any

from xiangzhen.accounts.roles import department_of
from xiangzhen.facilities.models import Facility
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level

# The fields of each kind of room, for money restricted to a domain (funds.targets) and the public pages.
KIND_DOMAINS: dict[str, list[str]] = {
    Facility.Kind.CHILDREN_ROOM: ["education"],
    Facility.Kind.READING_ROOM: ["culture_sports", "education"],
    Facility.Kind.LIVESTREAM_ROOM: ["industry"],
    Facility.Kind.CLINIC_ROOM: ["health"],
}
LOCAL_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def local_region(user: Any) -> str | None:
    """The county, township or village a staff member or submitter works in (None above county)."""
    if not getattr(user, "is_authenticated", False):
        return None
    department = department_of(user)
    code = department.region_id if department is not None else (user.region_id if user.role == "submitter" else None)
    if code and codes.level_of(code) in LOCAL_LEVELS:
        return str(code)
    return None


def is_local_to(user: Any, village_code: str) -> bool:
    """Staff or a submitter of the village itself, its township or its county."""
    region = local_region(user)
    return bool(region and codes.contains(region, village_code))


def is_county_staff_of(user: Any, village_code: str) -> bool:
    department = department_of(user)
    return bool(
        department
        and codes.level_of(department.region_id) == Level.COUNTY
        and codes.contains(department.region_id, village_code)
    )


def is_village_submitter_of(user: Any, village_code: str) -> bool:
    if not getattr(user, "is_authenticated", False) or user.role != "submitter" or not user.region_id:
        return False
    return codes.level_of(user.region_id) in (Level.TOWNSHIP, Level.VILLAGE) and codes.contains(
        user.region_id, village_code
    )


def can_register(user: Any, builder: Organization, village_code: str) -> bool:
    return organization_rules.is_org_admin(user, builder) or is_local_to(user, village_code)


def can_move(user: Any, facility: Facility) -> bool:
    return organization_rules.is_org_admin(user, facility.builder) or is_county_staff_of(user, facility.village_id)


def can_record_usage(user: Any, facility: Facility) -> bool:
    return (
        organization_rules.is_org_member(user, facility.builder)
        or is_village_submitter_of(user, facility.village_id)
        or is_county_staff_of(user, facility.village_id)
    )
