from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory
from xiangzhen.notifications import services
from xiangzhen.notifications.services import SubscriptionData
from xiangzhen.offers.tests.factories import OfferFactory

SHIBADONG = "433124110226"  # 十八洞村, 花垣县
HUAYUAN = "433124000000"
FENGHUANG = "433123000000"
XIANGXI = "433100000000"
HUNAN = "430000000000"
GUIZHOU = "520000000000"


def published_demand(**kwargs) -> Demand:
    """A published 十八洞村 demand: education, 30 left-behind children unless overridden."""
    kwargs.setdefault("domains", ["education"])
    kwargs.setdefault("groups", {"left_behind_children": 30})
    kwargs.setdefault("status", Demand.Status.PUBLISHED)
    return DemandFactory(**kwargs)


def subscribe(organization, admin, domains=(), groups=(), regions=()):
    return services.subscribe(
        actor=admin,
        organization=organization,
        data=SubscriptionData(domains=list(domains), beneficiary_groups=list(groups), regions=list(regions)),
    )


def offer(organization, admin, domains=("education",), regions=(HUAYUAN,), **kwargs):
    kwargs.setdefault("status", "published")
    return OfferFactory(
        organization=organization, created_by=admin, domains=list(domains), regions=list(regions), **kwargs
    )
