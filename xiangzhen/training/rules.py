"""Who may organize a training and who may enroll whom. Scope (seeing a training) is `selectors`.

Organizers: the admins of the organizing hub organization; for a department's training, the staff
of that department's region or above; platform admins everywhere.
"""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.regions import codes
from xiangzhen.training.models import Training


def is_org_admin(user: Any, organization_id: int) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user, organization_id=organization_id, role=Membership.Role.ADMIN, is_active=True
        ).exists()
    )


def is_member(user: Any, organization_id: int) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(user=user, organization_id=organization_id, is_active=True).exists()
    )


def hubs_administered(user: Any) -> "list[Organization]":
    """The approved hub organizations the user administers: those they may run trainings for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organization.objects.filter(
            is_hub=True,
            status=Organization.Status.APPROVED,
            memberships__user=user,
            memberships__role=Membership.Role.ADMIN,
            memberships__is_active=True,
        ).order_by("name")
    )


def can_organize(user: Any) -> bool:
    """Whether the user may create trainings at all (shows the “create” button)."""
    return is_platform_admin(user) or department_of(user) is not None or bool(hubs_administered(user))


def can_manage(user: Any, training: Training) -> bool:
    if is_platform_admin(user):
        return True
    if training.organizer_organization_id is not None:
        return is_org_admin(user, training.organizer_organization_id)
    department = department_of(user)
    return bool(department and codes.contains(department.region_id, training.region_id))


def may_enroll(actor: Any, attendee: Any, organization_id: int) -> bool:
    """Members enroll themselves; an organization's admins enroll its members."""
    if not is_member(attendee, organization_id):
        return False
    return actor.pk == attendee.pk or is_org_admin(actor, organization_id)


def can_keep_talent(user: Any, organization: Organization) -> bool:
    """Talent of an organization is added by its admins, or by civil affairs staff whose region holds it."""
    if is_platform_admin(user) or is_org_admin(user, organization.pk):
        return True
    department = department_of(user)
    return bool(
        department
        and department.kind == Department.Kind.CIVIL_AFFAIRS
        and codes.contains(department.region_id, organization.region_id)
    )
