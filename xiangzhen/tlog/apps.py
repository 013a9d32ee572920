from django.apps import AppConfig


class TlogConfig(AppConfig):
    name = "xiangzhen.tlog"
    label = "tlog"
    verbose_name = "区块链+帮扶透明日志"
