"""Daily: remind organizations of disclosures that are due or overdue (and, when overdue, the
civil affairs staff who oversee them). Safe to run as often as wanted: each person gets each
reminder once (the notification key names the fund or project and the period's due date)."""

from typing import Any

from django.core.management.base import BaseCommand

from xiangzhen.funds.services import send_disclosure_reminders


class Command(BaseCommand):
    help = "提醒到期和逾期的专项基金信息公开"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_disclosure_reminders()
        self.stdout.write(f"sent {sent} disclosure reminders")
