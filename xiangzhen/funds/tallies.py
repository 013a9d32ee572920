"""What money records contribute to the statistics (`stats.rollups`), each in its current state.

- money_donated: a donation its amount on its date, a refund minus its amount on the refund's
  date (so the figure is net of refunds), in the fund organization's region;
- money_disbursed: a disbursement its amount on its date, split by target kind, in the place the
  money went (`targets.region_of`); and the fund's organization took part there (org_participation).
"""

from typing import Any

from django.db.models import QuerySet

from xiangzhen.funds import targets
from xiangzhen.funds.models import Disbursement, Donation, DonationRefund
from xiangzhen.stats.rollups import Tally

# Where a disbursement's tallies may fall (`targets.region_of`): its target's region, or for a fund
# project the fund organization's. The organization's region stands for every target, since one
# field cannot say "for projects only": a county reads its own funds' disbursements paid elsewhere
# too (they are tallied there, not here), and never misses one paid to it.
DISBURSEMENT_REGION_FIELDS = (
    "match__demand__region__code",
    "pairing__region__code",
    "activity__region__code",
    "facility__village__code",
    "fund__organization__region__code",
)


def with_fund_organization(queryset: "QuerySet[Any]") -> "QuerySet[Any]":
    return queryset.select_related("fund__organization")


def with_targets(queryset: "QuerySet[Any]") -> "QuerySet[Any]":
    """Everything `targets.region_of` may read, in the same query."""
    return queryset.select_related("fund__organization", "match__demand", "pairing", "activity", "facility")


def donation_tallies(donation: Donation) -> list[Tally]:
    return [Tally("money_donated", donation.fund.organization.region_id, donation.donated_on, donation.amount)]


def refund_tallies(refund: DonationRefund) -> list[Tally]:
    return [Tally("money_donated", refund.fund.organization.region_id, refund.refunded_on, -refund.amount)]


def disbursement_tallies(disbursement: Disbursement) -> list[Tally]:
    region = targets.region_of(disbursement)
    organization_id = disbursement.fund.organization_id
    return [
        Tally("money_disbursed", region, disbursement.paid_on, disbursement.amount, targets.kind_of(disbursement)),
        Tally("org_participation", region, disbursement.paid_on, 1, str(organization_id)),
    ]
