"""Who may do what to a match. Scope (whether they see it at all) is `core.scope`.

The demand side is the county rural revitalization staff of the demand's county and the
village/township submitters whose region contains the demand; the organization side is the
members of the matched organization (admins for taking and completing).
"""

from typing import Any

from xiangzhen.accounts.models import User
from xiangzhen.demands import rules as demand_rules
from xiangzhen.matching.models import Match
from xiangzhen.organizations import rules as organization_rules

Status = Match.Status


def is_county_of(user: Any, match: Match) -> bool:
    """County rural revitalization staff of the demand's county (or a platform admin)."""
    return demand_rules.is_county_reviewer(user, match.demand.region_id)


def is_demand_side(user: Any, match: Match) -> bool:
    return is_county_of(user, match) or demand_rules.is_submitter_for(user, match.demand.region_id)


def is_org_side(user: Any, match: Match) -> bool:
    return organization_rules.is_org_member(user, match.organization)


def is_org_admin(user: Any, match: Match) -> bool:
    return organization_rules.is_org_admin(user, match.organization)


def can_order_for(user: Any, demand_region: str) -> bool:
    """点单: village/township submitters of the place, or the county's rural revitalization staff."""
    return demand_rules.can_create_in(user, demand_region)


def can_take(user: Any) -> bool:
    """接单: organization people (the service checks they administer the organization)."""
    return bool(getattr(user, "is_authenticated", False) and user.role == User.Role.ORGANIZATION)


def can_answer(user: Any, match: Match) -> bool:
    """Accept or decline a proposal: the side that did not propose it (an accepted recommendation was
    proposed by whichever side accepted it: an organization person, like 接单, or the demand side; a
    match made at an event likewise by whichever side proposed it there)."""
    if match.origin == Match.Origin.TAKE or (
        match.origin in (Match.Origin.RECOMMENDATION, Match.Origin.EVENT)
        and match.proposed_by.role == User.Role.ORGANIZATION
    ):
        return is_demand_side(user, match)
    return is_org_side(user, match)


def can_confirm(user: Any, match: Match) -> bool:
    return is_county_of(user, match)


def can_run(user: Any, match: Match) -> bool:
    """Start, record activities and milestones: any member of the organization."""
    return is_org_side(user, match)


def can_complete(user: Any, match: Match) -> bool:
    return is_org_admin(user, match)


def demand_side_evaluator(user: Any, match: Match) -> bool:
    """The demand side's evaluation: the submitters of the place; the county when it entered the
    demand itself (no village submitter behind it)."""
    if demand_rules.is_submitter_for(user, match.demand.region_id):
        return True
    entered_by_submitter = demand_rules.is_submitter(match.demand.entered_by)
    return is_county_of(user, match) and not entered_by_submitter


def can_cancel(user: Any, match: Match) -> bool:
    """The county at any point before completion; the organization's admins and the demand side
    while the match is not yet confirmed; organization admins also while it runs."""
    if is_county_of(user, match):
        return True
    if match.status in (Status.PROPOSED, Status.ACCEPTED):
        return is_org_admin(user, match) or is_demand_side(user, match)
    return is_org_admin(user, match)


def available_actions(user: Any, match: Match) -> list[str]:
    """The actions the user may take on the match in its current state, for pages and the API."""
    actions = []
    status = match.status
    if status == Status.PROPOSED and can_answer(user, match):
        actions += ["accept", "decline"]
    if status == Status.ACCEPTED and can_confirm(user, match):
        actions.append("confirm")
    if status == Status.CONFIRMED and can_run(user, match):
        actions.append("start")
    if status == Status.IN_PROGRESS and can_run(user, match):
        actions += ["record_activity", "add_milestone"]
    if status == Status.IN_PROGRESS and can_complete(user, match):
        actions.append("complete")
    if status in (Status.COMPLETED, Status.EVALUATED) and (
        demand_side_evaluator(user, match) or is_county_of(user, match)
    ):
        actions.append("evaluate")
    if status in (Status.PROPOSED, Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS) and can_cancel(user, match):
        actions.append("cancel")
    return actions
