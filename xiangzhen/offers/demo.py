"""Demo offers of the demo organizations, drafted, submitted and published through the services.

Called by `manage.py seed_demo`. Idempotent: an offer whose title exists is left as it is.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xiangzhen.offers import services
from xiangzhen.offers.models import Offer
from xiangzhen.offers.validation import OfferData
from xiangzhen.organizations.models import Organization

# (organization credit-code suffix is not stable across runs, so organizations are passed in)
DEMO = [
    ("乡村儿童课后陪伴计划", "志愿者与驻村社工每周三次为留守儿童提供课后辅导、阅读陪伴和心理关怀。",
     ["education"], ["left_behind_children", "children_in_difficulty"], 3, "60000"),
    ("猕猴桃与柑橘种植技术下乡", "组织农技专家开展种植技术培训和田间指导，帮助脱贫户稳定增收。",
     ["agri_tech", "industry"], ["lifted_out_of_poverty", "low_income_rural"], 4, "40000"),
]  # fmt: skip


def seed_demo_offers(*, organization: Organization, member: Any, reviewer: Any) -> list[Offer]:
    """A member of `organization` drafts and submits each offer; the reviewer publishes it."""
    result = []
    today = timezone.localdate()
    for title, description, domains, groups, capacity, amount in DEMO:
        offer = Offer.objects.filter(title=title, organization=organization).first()
        if offer is None:
            data = OfferData(
                title=title, description=description, aid_mode="self_development", capacity_demands=capacity,
                capacity_amount=amount, window_start=today, window_end=today + timedelta(days=365),
                domains=domains, beneficiary_groups=groups, service_regions=[organization.region_id[:4] + "0" * 8],
            )  # fmt: skip
            offer = services.create_offer(actor=member, organization=organization, data=data)
            offer = services.submit_offer(actor=member, offer=offer)
            offer = services.publish_offer(actor=reviewer, offer=offer)
        result.append(offer)
    return result
