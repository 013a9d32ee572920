from django.apps import AppConfig


class ConsumptionConfig(AppConfig):
    name = "xiangzhen.consumption"
    label = "consumption"
    verbose_name = "消费帮扶"
