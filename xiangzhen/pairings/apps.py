from django.apps import AppConfig


class PairingsConfig(AppConfig):
    name = "xiangzhen.pairings"
    label = "pairings"
    verbose_name = "结对帮扶"
