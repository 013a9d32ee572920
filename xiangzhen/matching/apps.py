from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "xiangzhen.matching"
    label = "matching"
    verbose_name = "供需对接"

    def ready(self) -> None:
        from xiangzhen.matching import leaves

        leaves.register()
