"""Who may register and edit products, and who may record purchases. Scope is `core.scope`.

Products are registered by the people of the place they come from: staff of either department at
county, township or village level whose region holds the origin, and village/township submitters
of the origin. An organization's admin may register a product of a village on its behalf; that
organization's admins may then edit it as well. City and province staff oversee, they do not register.

Purchases are the buying organization's own records: its admins record purchases by the
organization or by any of its members; a plain member records only their own.
"""

from typing import Any

from xiangzhen.accounts.models import User
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.consumption.models import Product
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes

REGISTERING_LEVELS = (codes.Level.COUNTY, codes.Level.TOWNSHIP, codes.Level.VILLAGE)


def can_register_at(user: Any, origin_code: str) -> bool:
    """Whether `user`, as staff of the place, may register a product of `origin_code`."""
    if is_platform_admin(user):
        return True
    department = department_of(user)
    if department is not None:
        return codes.level_of(department.region_id) in REGISTERING_LEVELS and codes.contains(
            department.region_id, origin_code
        )
    if getattr(user, "is_authenticated", False) and user.role == User.Role.SUBMITTER and user.region_id:
        return codes.contains(user.region_id, origin_code)
    return False


def registers_for_places(user: Any) -> bool:
    """Whether the user registers products as staff of a place (shows the “register” button)."""
    if is_platform_admin(user):
        return True
    department = department_of(user)
    if department is not None:
        return codes.level_of(department.region_id) in REGISTERING_LEVELS
    return bool(getattr(user, "is_authenticated", False) and user.role == User.Role.SUBMITTER)


def can_edit_product(user: Any, product: Product) -> bool:
    if can_register_at(user, product.origin_id):
        return True
    return product.organization_id is not None and organization_rules.is_org_admin(
        user,
        product.organization,  # type: ignore[arg-type]
    )


def is_member(user: Any, organization: Organization) -> bool:
    return organization_rules.is_org_member(user, organization)


def is_admin(user: Any, organization: Organization) -> bool:
    return organization_rules.is_org_admin(user, organization)
