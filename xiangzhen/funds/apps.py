from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "xiangzhen.funds"
    label = "funds"
    verbose_name = "乡村振兴专项基金"

    def ready(self) -> None:
        from xiangzhen.funds import leaves
        from xiangzhen.tlog import registry

        registry.register(leaves.DONATION, leaves.rebuild_donation)
        registry.register(leaves.DISBURSEMENT, leaves.rebuild_disbursement)
