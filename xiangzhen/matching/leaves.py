"""What the transparency log records about matches: confirmation, completion and evaluations.

Each builder makes the leaf payload from the current rows, both when the service appends and when
an auditor asks what the database says now (registered in MatchingConfig.ready). Only facts fixed
at the event go in — numbers, region and domain codes, the organization's credit code, amounts,
times, the score — never people, contacts or free text that could name them.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from xiangzhen.matching.models import Match, MatchEvaluation

CONFIRMED = "match.confirmed"
COMPLETED = "match.completed"
EVALUATED = {
    MatchEvaluation.Side.DEMAND: "match.evaluated.demand",
    MatchEvaluation.Side.COUNTY: "match.evaluated.county",
}


def _utc(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _match(number: str) -> Match | None:
    return (
        Match.objects.select_related("demand", "organization", "offer")
        .prefetch_related("demand__domains")
        .filter(number=number)
        .first()
    )


def _common(match: Match) -> dict[str, Any]:
    return {
        "match": match.number,
        "demand": match.demand.number,
        "offer": match.offer.number if match.offer else None,
        "region": match.demand.region_id,
        "organization": match.organization.credit_code,
        "domains": sorted(d.code for d in match.demand.domains.all()),
        "origin": match.origin,
    }


def confirmed(number: str) -> dict[str, Any] | None:
    match = _match(number)
    if match is None or match.confirmed_at is None:
        return None
    return {
        **_common(match),
        "committed_amount": f"{match.committed_amount:.2f}",
        "people_to_serve": match.people_to_serve,
        "confirmed_at": _utc(match.confirmed_at),
    }


def completed(number: str) -> dict[str, Any] | None:
    match = _match(number)
    if match is None or match.completed_at is None:
        return None
    work = match.activities.aggregate(spent=Sum("amount_spent"), people=Sum("people_served"), count=Count("id"))
    return {
        **_common(match),
        "committed_amount": f"{match.committed_amount:.2f}",
        "amount_spent": f"{work['spent'] or Decimal('0'):.2f}",
        "people_served": work["people"] or 0,
        "activities": work["count"],
        "completed_at": _utc(match.completed_at),
    }


def _evaluation(side: str, number: str) -> dict[str, Any] | None:
    evaluation = MatchEvaluation.objects.select_related("match").filter(match__number=number, by_side=side).first()
    if evaluation is None:
        return None
    return {
        "match": number,
        "side": side,
        "score": evaluation.score,
        "evaluated_at": _utc(evaluation.evaluated_at),
    }


def evaluated_demand(number: str) -> dict[str, Any] | None:
    return _evaluation(MatchEvaluation.Side.DEMAND, number)


def evaluated_county(number: str) -> dict[str, Any] | None:
    return _evaluation(MatchEvaluation.Side.COUNTY, number)


BUILDERS = {
    CONFIRMED: confirmed,
    COMPLETED: completed,
    EVALUATED[MatchEvaluation.Side.DEMAND]: evaluated_demand,
    EVALUATED[MatchEvaluation.Side.COUNTY]: evaluated_county,
}
LABELS = {
    CONFIRMED: "供需对接确认",
    COMPLETED: "供需对接完成",
    EVALUATED[MatchEvaluation.Side.DEMAND]: "需求方评价",
    EVALUATED[MatchEvaluation.Side.COUNTY]: "县级评价",
}


def register() -> None:
    from xiangzhen.tlog import registry

    for kind, build in BUILDERS.items():
        registry.register(kind, build, label=LABELS[kind])
