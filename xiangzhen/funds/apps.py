from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "xiangzhen.funds"
    label = "funds"
    verbose_name = "乡村振兴专项基金"

    def ready(self) -> None:
        from xiangzhen.funds import leaves, tallies
        from xiangzhen.funds.models import Disbursement, Donation, DonationRefund
        from xiangzhen.stats import rollups
        from xiangzhen.tlog import registry

        registry.register(leaves.DONATION, leaves.rebuild_donation, "捐赠")
        registry.register(leaves.DISBURSEMENT, leaves.rebuild_disbursement, "拨付")
        registry.register(leaves.DONATION_REFUND, leaves.rebuild_refund, "捐赠退款")
        # Money counts where the fund's organization is registered: say so, and load what the tallies
        # read with the records, so a county's breakdown reads its own donations in a few queries
        # instead of every donation in the country one by one.
        fund_region = "fund__organization__region__code"
        rollups.register(
            Donation, tallies.donation_tallies, region_field=fund_region, prepare=tallies.with_fund_organization
        )
        rollups.register(
            DonationRefund, tallies.refund_tallies, region_field=fund_region, prepare=tallies.with_fund_organization
        )
        rollups.register(
            Disbursement,
            tallies.disbursement_tallies,
            region_field=tallies.DISBURSEMENT_REGION_FIELDS,
            prepare=tallies.with_targets,
        )
