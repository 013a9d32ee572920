from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "xiangzhen.facilities"
    label = "facilities"
    verbose_name = "四小建设"
