from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "xiangzhen.evaluation"
    label = "evaluation"
    verbose_name = "评估评价"
