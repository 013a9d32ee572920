from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "xiangzhen.brands"
    label = "brands"
    verbose_name = "公益品牌与典型案例"
