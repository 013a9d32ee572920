"""Who may do what to a demand. Scope (whether they see it at all) is `core.scope`."""

from typing import Any

from xiangzhen.accounts.models import Department, User
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.demands.models import Demand
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level

Status = Demand.Status
# A submitter may change their demand only before the county has taken it up.
SUBMITTER_EDITABLE = (Status.DRAFT, Status.RETURNED)
STAFF_EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED)


def is_submitter(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role == User.Role.SUBMITTER and user.region_id)


def county_reviewer_region(user: Any) -> str | None:
    """The county code of a county rural revitalization department the user works in."""
    department = department_of(user)
    if (
        department is not None
        and department.kind == Department.Kind.RURAL_REVITALIZATION
        and codes.level_of(department.region_id) == Level.COUNTY
    ):
        return department.region_id
    return None


def is_county_reviewer(user: Any, region_code: str) -> bool:
    """County rural revitalization staff whose county contains `region_code`, or a platform admin."""
    if is_platform_admin(user):
        return True
    county = county_reviewer_region(user)
    return bool(county and codes.contains(county, region_code))


def is_submitter_for(user: Any, region_code: str) -> bool:
    return is_submitter(user) and codes.contains(user.region_id, region_code)


def can_create_in(user: Any, region_code: str) -> bool:
    return is_county_reviewer(user, region_code) or is_submitter_for(user, region_code)


def can_create(user: Any) -> bool:
    return is_platform_admin(user) or is_submitter(user) or county_reviewer_region(user) is not None


def can_edit(user: Any, demand: Demand) -> bool:
    if is_county_reviewer(user, demand.region_id):
        return demand.status in STAFF_EDITABLE
    return is_submitter_for(user, demand.region_id) and demand.status in SUBMITTER_EDITABLE


def can_submit(user: Any, demand: Demand) -> bool:
    return can_create_in(user, demand.region_id)


def can_review(user: Any, demand: Demand) -> bool:
    """Return and publish: the county's rural revitalization staff."""
    return is_county_reviewer(user, demand.region_id)


def can_withdraw(user: Any, demand: Demand) -> bool:
    if is_county_reviewer(user, demand.region_id):
        return True
    return is_submitter_for(user, demand.region_id) and demand.status != Status.PUBLISHED


def can_import(user: Any) -> bool:
    return is_platform_admin(user) or county_reviewer_region(user) is not None


def can_see_personal(user: Any, demand: Demand) -> bool:
    """Contact and household in full: the county's staff, the village/township submitters, who entered it.

    Province and city staff and the public see them masked; an organization sees them once the
    county has confirmed its match, because from then on it has to reach the people it serves.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if demand.entered_by_id == user.pk or _serves(user, demand):
        return True
    if is_county_reviewer(user, demand.region_id) or is_submitter_for(user, demand.region_id):
        return True
    department = department_of(user)
    return bool(
        department
        and codes.level_of(department.region_id) == Level.COUNTY
        and codes.contains(department.region_id, demand.region_id)
    )


def _serves(user: Any, demand: Demand) -> bool:
    """Whether the user is an active member of an organization with a confirmed match for the demand."""
    from xiangzhen.matching.models import Match

    serving = (Match.Status.CONFIRMED, Match.Status.IN_PROGRESS, Match.Status.COMPLETED, Match.Status.EVALUATED)
    return Match.objects.filter(
        demand=demand,
        status__in=serving,
        organization__memberships__user=user,
        organization__memberships__is_active=True,
    ).exists()
