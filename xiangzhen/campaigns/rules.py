"""Who may do what in a special action. Whether they see it at all is `campaigns.selectors`.

- A campaign is run by the staff (civil affairs or rural revitalization) of exactly its region;
  platform admins may run any campaign but, having no region, name the region when creating one.
- An organization enrolls and withdraws through its admins; only approved organizations
  registered inside the campaign's region may enroll.
- Activities are recorded by any member of an enrolled organization and edited by the member who
  recorded them or an admin of the organization.
- Volunteer hours (participations) are recorded by a member for themselves, or by an org admin
  for any active member of that organization — never for someone outside it.
"""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.campaigns.models import Activity, Campaign, Participation
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization

CAMPAIGN_DEPARTMENTS = (Department.Kind.CIVIL_AFFAIRS, Department.Kind.RURAL_REVITALIZATION)


def can_create_in(user: Any, region_code: str) -> bool:
    """Staff of exactly that region (either department), or a platform admin."""
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(department and department.kind in CAMPAIGN_DEPARTMENTS and department.region_id == region_code)


def can_manage(user: Any, campaign: Campaign) -> bool:
    """Edit, publish and close: staff of exactly the campaign's region, or a platform admin."""
    return can_create_in(user, campaign.region_id)


def can_enroll(user: Any, organization: Organization) -> bool:
    return organization_rules.is_org_admin(user, organization)


def can_record(user: Any, organization: Organization) -> bool:
    return organization_rules.is_org_member(user, organization)


def can_edit_activity(user: Any, activity: Activity) -> bool:
    if organization_rules.is_org_admin(user, activity.organization):
        return True
    return bool(
        getattr(user, "pk", None) == activity.recorded_by_id
        and organization_rules.is_org_member(user, activity.organization)
    )


def can_record_participation(user: Any, activity: Activity, participant: Any) -> bool:
    """Members for themselves; org admins for any member of the activity's organization."""
    if not organization_rules.is_org_member(participant, activity.organization):
        return False
    if getattr(user, "pk", None) == getattr(participant, "pk", None):
        return True
    return organization_rules.is_org_admin(user, activity.organization)


def can_remove_participation(user: Any, participation: Participation) -> bool:
    activity = participation.activity
    if organization_rules.is_org_admin(user, activity.organization):
        return True
    return bool(
        getattr(user, "pk", None) == participation.user_id
        and organization_rules.is_org_member(user, activity.organization)
    )
