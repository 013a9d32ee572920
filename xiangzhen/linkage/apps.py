from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "xiangzhen.linkage"
    label = "linkage"
    verbose_name = "五社联动"
