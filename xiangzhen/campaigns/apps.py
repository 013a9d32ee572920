from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xiangzhen.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from xiangzhen.campaigns.models import Activity
        from xiangzhen.campaigns.tallies import activity_tallies
        from xiangzhen.stats import rollups

        rollups.register(Activity, activity_tallies)
