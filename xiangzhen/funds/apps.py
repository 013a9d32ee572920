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
        rollups.register(Donation, tallies.donation_tallies)
        rollups.register(DonationRefund, tallies.refund_tallies)
        rollups.register(Disbursement, tallies.disbursement_tallies)
