"""Publish a signed checkpoint of the transparency log; run from a timer (e.g. hourly)."""

from typing import Any

from django.core.management.base import BaseCommand

from xiangzhen.tlog import services


class Command(BaseCommand):
    help = "发布透明日志的签名检查点（树大小未变则不重复签名）"

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = services.publish_checkpoint(actor=None)
        self.stdout.write(checkpoint.note)
