from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xiangzhen.notifications"
    label = "notifications"
    verbose_name = "共享推送"
