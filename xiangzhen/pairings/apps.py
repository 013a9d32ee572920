from django.apps import AppConfig


class PairingsConfig(AppConfig):
    name = "xiangzhen.pairings"
    label = "pairings"
    verbose_name = "结对帮扶"

    def ready(self) -> None:
        from xiangzhen.pairings.models import Pairing
        from xiangzhen.pairings.tallies import pairing_tallies
        from xiangzhen.stats import rollups

        rollups.register(Pairing, pairing_tallies, region_field="region__code")
