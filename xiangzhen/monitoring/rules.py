"""Who may do what with monitored households. Scope (whether a household is seen at all) is in selectors."""

from typing import Any

from django.utils import timezone

from xiangzhen.demands.rules import county_reviewer_region
from xiangzhen.monitoring.models import HouseholdAccess, MonitoredHousehold
from xiangzhen.regions import codes


def county_of_staff(user: Any) -> str | None:
    """The county a user keeps the monitoring records of: county rural revitalization staff only."""
    return county_reviewer_region(user)


def is_county_staff_for(user: Any, region_code: str) -> bool:
    """County rural revitalization staff whose county holds `region_code` (not platform admins:
    they run the platform, they do not need the people's names)."""
    county = county_of_staff(user)
    return bool(county and codes.contains(county, region_code))


def can_record(user: Any) -> bool:
    return county_of_staff(user) is not None


def can_manage(user: Any, household: MonitoredHousehold) -> bool:
    """Edit, close, add members and grant organizations access."""
    return is_county_staff_for(user, household.village_id)


def can_see_full(user: Any, household: MonitoredHousehold) -> bool:
    """Names, ID numbers and phones in full: the household's county rural revitalization staff only."""
    return is_county_staff_for(user, household.village_id)


def granting_organizations(user: Any, household: MonitoredHousehold) -> list[int]:
    """The user's organizations that hold a current access grant to `household`."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        HouseholdAccess.objects.filter(
            household=household,
            until__gte=timezone.localdate(),
            organization__memberships__user=user,
            organization__memberships__is_active=True,
        ).values_list("organization_id", flat=True)
    )


def can_assist(user: Any, household: MonitoredHousehold, organization_id: int) -> bool:
    return organization_id in granting_organizations(user, household)
