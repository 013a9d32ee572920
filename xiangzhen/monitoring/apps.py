from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "xiangzhen.monitoring"
    label = "monitoring"
    verbose_name = "防止返贫监测"

    def ready(self) -> None:
        from xiangzhen.monitoring import tallies
        from xiangzhen.monitoring.models import AssistanceRecord
        from xiangzhen.stats import rollups

        rollups.register(
            AssistanceRecord,
            tallies.assistance_record_tallies,
            region_field="household__village__code",
            prepare=tallies.for_recount,
        )
