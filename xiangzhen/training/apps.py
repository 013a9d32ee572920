from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "xiangzhen.training"
    label = "training"
    verbose_name = "能力建设"
