from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xiangzhen.reporting"
    label = "reporting"
    verbose_name = "定期报送"

    def ready(self) -> None:
        from xiangzhen.reporting import leaves
        from xiangzhen.tlog import registry

        registry.register(leaves.KIND, leaves.rebuild)
