from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "xiangzhen.consumption"
    label = "consumption"
    verbose_name = "消费帮扶"

    def ready(self) -> None:
        from xiangzhen.consumption import leaves
        from xiangzhen.consumption.models import Purchase
        from xiangzhen.consumption.tallies import purchase_tallies
        from xiangzhen.stats import rollups
        from xiangzhen.tlog import registry

        registry.register(leaves.PURCHASE_BATCH, leaves.rebuild_batch, label="消费帮扶采购批次")
        rollups.register(Purchase, purchase_tallies)
