"""Background tasks of the push (django-tasks). A deployment runs them with `manage.py db_worker`.

The request path only enqueues: `schedule_demand_push` is called inside the publishing
transaction and enqueues the push once that commits, so a rolled-back publication pushes nothing.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from xiangzhen.notifications import services


@task()
def push_demand_published(demand_id: int) -> dict[str, Any]:
    """Notify the organizations a newly published demand fits, in the inbox and by e-mail."""
    result = services.push_demand_published(demand_id)
    if result.retryable:
        _retry_later(demand_id, attempt=1)
    return vars(result)


@task()
def retry_push_emails(demand_id: int, attempt: int) -> dict[str, int]:
    """Try the e-mails of a push that failed again (each notification has a bounded number of tries)."""
    sent, failed, retryable = services.send_pending_emails(demand_id=demand_id)
    if retryable:
        _retry_later(demand_id, attempt=attempt + 1)
    return {"emailed": sent, "failed": failed, "retryable": retryable}


def _retry_later(demand_id: int, *, attempt: int) -> None:
    """Deferred when the backend can defer (the database backend); otherwise the next push or a
    manual run picks the failures up, still within their attempt limit."""
    if attempt >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS or not retry_push_emails.get_backend().supports_defer:
        return
    delay = timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_SECONDS * 2 ** (attempt - 1))
    retry_push_emails.using(run_after=timezone.now() + delay).enqueue(demand_id, attempt)


@task()
def email_notifications(notification_ids: list[int]) -> dict[str, int]:
    """E-mail reminders that were put in inboxes (each at most once, with bounded retries by the next run)."""
    sent, failed, retryable = services.send_pending_emails(notification_ids=notification_ids)
    return {"emailed": sent, "failed": failed, "retryable": retryable}


def schedule_emails(notification_ids: list[int]) -> None:
    """Enqueue the e-mails of these notifications once the current transaction commits."""
    if notification_ids:
        transaction.on_commit(lambda: email_notifications.enqueue(list(notification_ids)), robust=True)


def schedule_demand_push(demand_id: int) -> None:
    """Enqueue the push of a demand when the current transaction commits (never sends anything now).

    `robust`: if the queue cannot be reached, the publication stands and the failure is logged.
    """
    transaction.on_commit(lambda: push_demand_published.enqueue(demand_id), robust=True)
