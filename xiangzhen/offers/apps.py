from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "xiangzhen.offers"
    label = "offers"
    verbose_name = "供给项目库"
