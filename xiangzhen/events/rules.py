"""Who may organize events. Scope (whether they see an event at all) is `core.scope` plus publication.

Organizers are the staff (either department) of the event's region or of a region above it, and
platform admins: a county fair is run by the county, and the city and province may step in.
"""

from typing import Any

from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.events.models import Event
from xiangzhen.regions import codes


def can_organize_in(user: Any, region_code: str) -> bool:
    if is_platform_admin(user):
        return True
    department = department_of(user)
    return bool(department and codes.contains(department.region_id, region_code))


def can_organize(user: Any) -> bool:
    """Whether the user organizes events anywhere (shows the “create” button)."""
    return is_platform_admin(user) or department_of(user) is not None


def can_manage(user: Any, event: Event) -> bool:
    return can_organize_in(user, event.region_id)
