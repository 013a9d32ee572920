from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "xiangzhen.demands"
    label = "demands"
    verbose_name = "需求项目库"

    def ready(self) -> None:
        from xiangzhen.demands import tallies
        from xiangzhen.demands.models import Demand
        from xiangzhen.stats import rollups

        rollups.register(Demand, tallies.demand_tallies, region_field="region__code", prepare=tallies.for_recount)
