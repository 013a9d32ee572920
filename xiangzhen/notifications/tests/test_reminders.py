import pytest

from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.notifications import services
from xiangzhen.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reminder_reaches_each_person_once_per_key_in_the_inbox_and_by_email(smtp_server, immediate_tasks):
    alice = UserFactory(username="alice", email="alice@example.com")
    bob = UserFactory(username="bob", email="")
    gone = UserFactory(username="gone", email="gone@example.com", is_active=False)

    made = services.notify(
        recipients=[alice, bob, gone], title="信息公开即将到期", body="请在 10 日内公开。", url="/funds/", key="d:1"
    )
    again = services.notify(recipients=[alice, bob], title="信息公开即将到期", key="d:1")

    assert (made, again) == (2, 0)
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("alice", "reminder"),
        ("bob", "reminder"),
    }
    assert [(to, subject) for to, subject, _ in smtp_server.received()] == [
        (["alice@example.com"], "【乡振】信息公开即将到期")
    ]
    assert "/funds/" in smtp_server.received()[0][2]


def test_reminders_without_a_key_are_not_deduplicated(immediate_tasks):
    alice = UserFactory(username="alice2")
    assert services.notify(recipients=[alice], title="提醒") == 1
    assert services.notify(recipients=[alice], title="提醒") == 1
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_a_rolled_back_reminder_sends_nothing(smtp_server, immediate_tasks):
    from django.db import transaction

    alice = UserFactory(username="alice3", email="alice3@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=[alice], title="提醒", key="k")
        raise RuntimeError
    assert not Notification.objects.exists() and smtp_server.received() == []
