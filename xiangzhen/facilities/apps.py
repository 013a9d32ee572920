from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "xiangzhen.facilities"
    label = "facilities"
    verbose_name = "四小建设"

    def ready(self) -> None:
        from xiangzhen.facilities import tallies
        from xiangzhen.facilities.models import Facility, FacilityUsage
        from xiangzhen.stats import rollups

        rollups.register(Facility, tallies.facility_tallies, region_field="village__code")
        rollups.register(
            FacilityUsage,
            tallies.usage_tallies,
            region_field="facility__village__code",
            prepare=tallies.usages_for_recount,
        )
