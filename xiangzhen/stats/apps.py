from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "xiangzhen.stats"
    label = "stats"
    verbose_name = "统计"
