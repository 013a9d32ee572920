"""Who may manage an organization's subscriptions. Scope (whether they see them at all) is `core.scope`."""

from typing import Any

from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.organizations.models import Organization
from xiangzhen.organizations.rules import is_org_admin


def can_manage_subscriptions(user: Any, organization: Organization) -> bool:
    """The organization's own admins (and platform admins, who may act for anyone)."""
    return is_platform_admin(user) or is_org_admin(user, organization)
