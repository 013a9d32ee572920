from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xiangzhen.portal"
    label = "portal"
    verbose_name = "信息发布"
