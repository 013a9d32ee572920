from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "xiangzhen.consumption"
    label = "consumption"
    verbose_name = "消费帮扶"

    def ready(self) -> None:
        from xiangzhen.consumption import leaves, tallies
        from xiangzhen.consumption.models import Purchase
        from xiangzhen.stats import rollups
        from xiangzhen.tlog import registry

        registry.register(leaves.PURCHASE_BATCH, leaves.rebuild_batch, label="消费帮扶采购批次")
        rollups.register(
            Purchase, tallies.purchase_tallies, region_field="product__origin__code", prepare=tallies.for_recount
        )
