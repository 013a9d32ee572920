"""The one scoping rule. Every selector and every service goes through `restrict`.

A model says how it is scoped with two class attributes:
- `scope_region_field`: the lookup path to a region code, ending in `__code` for a FK to Region
  (Django trims that join, so the filter is a range on the FK column itself);
- `scope_organization_field`: the lookup path to an organization id.
Staff and submitters see the subtree of their region; organization people see their own
organizations' records; platform admins see everything; anonymous users see nothing here
(public pages use their own selectors over published records).
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from xiangzhen.core.errors import NotFound
from xiangzhen.regions.codes import subtree_bounds

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_code: str | None = None
    organization_ids: frozenset[int] = frozenset()


def scope_of(user: Any) -> Scope:
    """What part of the platform `user` may see; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_xiangzhen_scope", None)
    if cached is not None:
        return cached
    role = user.role
    if role == "platform_admin":
        scope = Scope(everything=True)
    elif role == "department_staff":
        scope = Scope(region_code=user.department.region_id)
    elif role == "submitter":
        scope = Scope(region_code=user.region_id)
    else:
        ids = user.memberships.filter(is_active=True).values_list("organization_id", flat=True)
        scope = Scope(organization_ids=frozenset(ids))
    user._xiangzhen_scope = scope
    return scope


def scope_filter(model: type[models.Model], scope: Scope) -> Q:
    """The condition a row of `model` must meet to be inside `scope`."""
    nothing = Q(pk__in=[])
    if scope.everything:
        return Q()
    condition = nothing
    region_field = getattr(model, "scope_region_field", None)
    organization_field = getattr(model, "scope_organization_field", None)
    if scope.region_code and region_field:
        condition |= Q(**{f"{region_field}__range": subtree_bounds(scope.region_code)})
    if scope.organization_ids and organization_field:
        condition |= Q(**{f"{organization_field}__in": sorted(scope.organization_ids)})
    return condition


def restrict(queryset: "models.QuerySet[M]", user: Any) -> "models.QuerySet[M]":
    return queryset.filter(scope_filter(queryset.model, scope_of(user)))


def get_in_scope(queryset: "models.QuerySet[M]", user: Any, **lookup: Any) -> M:
    """One record the user may see, or NotFound: missing and out of scope look the same."""
    try:
        return restrict(queryset, user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound("记录不存在或无权查看") from None


def region_in_scope(user: Any, region_code: str) -> bool:
    """Whether a region code lies inside the user's region scope (admins: always)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if not scope.region_code:
        return False
    lo, hi = subtree_bounds(scope.region_code)
    return lo <= region_code <= hi
