from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "xiangzhen.events"
    label = "events"
    verbose_name = "活动与会展"
