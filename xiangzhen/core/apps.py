from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xiangzhen.core"
    label = "core"
    verbose_name = "公共"
