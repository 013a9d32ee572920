"""The transparency-log payload of a purchase batch (kind "purchase_batch").

The service calls the same function when it appends the leaf as the verifier's audit does later
(registered in `ConsumptionConfig.ready`), so a purchase edited in the database no longer rebuilds
its batch's leaf. No personal data goes in: the buyer is an organization (its public credit code
and name); whether a member bought is a yes/no, never who. Money, quantities and dates are strings.
"""

from typing import Any

from xiangzhen.consumption.models import Purchase, PurchaseBatch

PURCHASE_BATCH = "purchase_batch"


def batch_payload(batch: PurchaseBatch) -> dict[str, Any]:
    purchases = Purchase.objects.filter(batch=batch).select_related("product", "event", "campaign").order_by("number")
    return {
        "batch": batch.number,
        "organization": batch.organization.credit_code,
        "organization_name": batch.organization.name,
        "count": batch.purchase_count,
        "total": str(batch.total_amount),
        "purchases": [
            {
                "number": p.number,
                "product": p.product.number,
                "origin": p.product.origin_id,
                "quantity": str(p.quantity),
                "amount": str(p.amount),
                "date": p.purchased_on.isoformat(),
                "channel": p.channel,
                "event": p.event.number if p.event_id else "",  # type: ignore[union-attr]
                "campaign": p.campaign.number if p.campaign_id else "",  # type: ignore[union-attr]
                "invoice": p.invoice_number,
                "by_member": p.member_id is not None,
            }
            for p in purchases
        ],
    }


def rebuild_batch(number: str) -> dict[str, Any] | None:
    batch = PurchaseBatch.objects.select_related("organization").filter(number=number).first()
    return None if batch is None else batch_payload(batch)
