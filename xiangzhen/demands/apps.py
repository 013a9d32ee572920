from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "xiangzhen.demands"
    label = "demands"
    verbose_name = "需求项目库"
