from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "xiangzhen.training"
    label = "training"
    verbose_name = "能力建设"

    def ready(self) -> None:
        from xiangzhen.stats import rollups
        from xiangzhen.training import tallies
        from xiangzhen.training.models import Enrollment

        rollups.register(
            Enrollment, tallies.enrollment_tallies, region_field="training__region__code", prepare=tallies.for_recount
        )
