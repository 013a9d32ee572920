from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "xiangzhen.linkage"
    label = "linkage"
    verbose_name = "五社联动"

    def ready(self) -> None:
        from xiangzhen.linkage import tallies
        from xiangzhen.linkage.models import VolunteerService
        from xiangzhen.stats import rollups

        rollups.register(VolunteerService, tallies.volunteer_service_tallies, region_field="region__code")
