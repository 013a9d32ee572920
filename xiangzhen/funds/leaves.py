"""The transparency-log payloads of donations, refunds and disbursements, one function per kind.

The service calls the same function when it appends the leaf as the verifier's audit does later
(registered in `FundsConfig.ready`), so a row edited in the database no longer rebuilds its leaf.
No personal data ever goes in: the donor is a salted commitment, the payee and the free-text
purpose (which may name a person) stay out; money and dates are strings.
"""

from typing import Any

from xiangzhen.funds import targets
from xiangzhen.funds.ledger import EXPENSE, NET_ASSETS
from xiangzhen.funds.models import Disbursement, Donation, DonationRefund, JournalLine
from xiangzhen.tlog.leaves import commitment

DONATION = "donation"
DISBURSEMENT = "disbursement"
DONATION_REFUND = "donation_refund"


def _purposes(donation_or_disbursement: Donation | Disbursement | DonationRefund, kind: str) -> list[dict[str, str]]:
    """The ledger lines of the record's entry on the purpose accounts, as logged amounts per purpose."""
    lines = JournalLine.objects.filter(entry_id=donation_or_disbursement.entry_id, account__kind=kind).order_by(
        "account__purpose"
    )
    return [
        {"purpose": purpose, "amount": str(line_amount)}
        for purpose, line_amount in (
            (line.account.purpose, line.debit + line.credit) for line in lines.select_related("account")
        )
    ]


def donation_payload(donation: Donation) -> dict[str, Any]:
    fund = donation.fund
    return {
        "fund": fund.number,
        "organization": fund.organization.credit_code,
        "amount": str(donation.amount),
        "date": donation.donated_on.isoformat(),
        "channel": donation.channel,
        "donor_kind": donation.donor_kind,
        "donor_commitment": commitment(donation.donor_name, donation.donor_salt),
        "purposes": _purposes(donation, NET_ASSETS),
    }


def disbursement_payload(disbursement: Disbursement) -> dict[str, Any]:
    fund = disbursement.fund
    return {
        "fund": fund.number,
        "organization": fund.organization.credit_code,
        "amount": str(disbursement.amount),
        "date": disbursement.paid_on.isoformat(),
        # "match" and "project" as before the other targets existed, so old leaves rebuild unchanged.
        "target_kind": targets.kind_of(disbursement),
        "target": disbursement.target_number,
        "purposes": _purposes(disbursement, EXPENSE),
    }


def refund_payload(refund: DonationRefund) -> dict[str, Any]:
    """A refund names the donation it returns money from; the reason (free text) stays out."""
    fund = refund.fund
    return {
        "fund": fund.number,
        "organization": fund.organization.credit_code,
        "donation": refund.donation.number,
        "amount": str(refund.amount),
        "date": refund.refunded_on.isoformat(),
        "purposes": _purposes(refund, NET_ASSETS),
    }


def rebuild_refund(number: str) -> dict[str, Any] | None:
    refund = DonationRefund.objects.select_related("fund__organization", "donation").filter(number=number).first()
    return None if refund is None else refund_payload(refund)


def rebuild_donation(number: str) -> dict[str, Any] | None:
    donation = Donation.objects.select_related("fund__organization").filter(number=number).first()
    return None if donation is None else donation_payload(donation)


def rebuild_disbursement(number: str) -> dict[str, Any] | None:
    disbursement = (
        Disbursement.objects.select_related("fund__organization", "match", "project", "pairing", "activity", "facility")
        .filter(number=number)
        .first()
    )
    return None if disbursement is None else disbursement_payload(disbursement)
