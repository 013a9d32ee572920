from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "xiangzhen.recommendations"
    label = "recommendations"
    verbose_name = "推荐"
