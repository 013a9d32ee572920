"""A demo match followed from 接单 to work under way, through the services.

Called by `manage.py seed_demo`. Idempotent: nothing happens if the demand already has a match.
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.demands.models import Demand
from xiangzhen.matching import services
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer


def seed_demo_match(*, demand: Demand, offer: Offer, org_admin: Any, county_official: Any) -> Match:
    """The organization takes the demand with its offer; the county accepts and confirms; work starts."""
    existing = Match.objects.filter(demand=demand).first()
    if existing is not None:
        return existing
    commitment = services.Commitment(committed_amount=Decimal("12000"), people_to_serve=32, note="每周三次课后辅导")
    match = services.take_demand(actor=org_admin, demand=demand, offer=offer, commitment=commitment)
    match = services.accept_match(actor=county_official, match=match)
    match = services.confirm_match(actor=county_official, match=match)
    match = services.start_match(actor=org_admin, match=match)
    activity = services.ActivityData(
        date=timezone.localdate(), title="第一次课后辅导", people_served=28, amount_spent=Decimal("800"),
        description="志愿者 4 人到村，辅导数学、语文作业，开展绘本共读。",
    )  # fmt: skip
    services.record_activity(actor=org_admin, match=match, data=activity)
    return match
