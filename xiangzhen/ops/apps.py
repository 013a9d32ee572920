from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "xiangzhen.ops"
    label = "ops"
    verbose_name = "运行与运维"
