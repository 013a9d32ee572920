from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "xiangzhen.allocation"
    label = "allocation"
    verbose_name = "智能推荐方案"
