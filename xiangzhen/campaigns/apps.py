from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xiangzhen.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from xiangzhen.campaigns import tallies
        from xiangzhen.campaigns.models import Activity
        from xiangzhen.stats import rollups

        rollups.register(Activity, tallies.activity_tallies, region_field="region__code", prepare=tallies.for_recount)
