"""Publishing only enqueues the push, once the transaction commits; the worker sends the e-mail
through a real SMTP server."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from xiangzhen.demands import services as demand_services
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory, demand_data
from xiangzhen.notifications.models import Notification
from xiangzhen.notifications.tests.factories import HUAYUAN, subscribe

pytestmark = pytest.mark.django_db
PUSH = "xiangzhen.notifications.tasks.push_demand_published"


def run_worker() -> None:
    # Between tasks the worker closes connections whose autocommit differs from the settings; inside
    # the test's own transaction that is the test's connection (PostgreSQL really closes it).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


def test_publishing_enqueues_the_push_and_the_worker_mails_it_over_smtp(
    smtp_server, database_tasks, county_official, organization, org_admin, django_capture_on_commit_callbacks
):
    org_admin.email = "org_admin@example.com"
    org_admin.save()
    subscribe(organization, org_admin, domains=["education"], regions=[HUAYUAN])
    demand = DemandFactory(title="十八洞村留守儿童课后辅导", status=Demand.Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        demand_services.publish_demand(actor=county_official, demand=demand)
        assert not DBTaskResult.objects.exists()  # nothing is enqueued before the commit

    assert len(callbacks) == 2  # the push, and the recount of the recommendations' text corpus
    queued = DBTaskResult.objects.get(task_path=PUSH)
    assert queued.task_path == PUSH and queued.status == "READY" and queued.args_kwargs["args"] == [demand.pk]
    assert smtp_server.messages == [] and not Notification.objects.exists()  # nothing sent on the request path

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.traceback
    [(to, subject, body)] = smtp_server.received()
    assert to == ["org_admin@example.com"]
    assert subject == "【乡振】新需求：十八洞村留守儿童课后辅导"
    assert f"/demands/public/{demand.pk}/" in body and "花垣县" in body
    notification = Notification.objects.get(recipient=org_admin)
    assert notification.emailed_at is not None and notification.read_at is None

    # Running the worker again (or the same task twice) delivers nothing more.
    from xiangzhen.notifications.tasks import push_demand_published

    push_demand_published.enqueue(demand.pk)
    run_worker()
    assert len(smtp_server.received()) == 1 and Notification.objects.count() == 1


def test_a_rolled_back_publication_enqueues_nothing(
    database_tasks, county_official, django_capture_on_commit_callbacks
):
    demand = DemandFactory(status=Demand.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                demand_services.publish_demand(actor=county_official, demand=demand)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and not DBTaskResult.objects.exists()


def test_direct_publication_enqueues_the_push_too(database_tasks, county_official, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = demand_services.create_demand(actor=county_official, data=demand_data(), publish=True)
    assert DBTaskResult.objects.get(task_path=PUSH).args_kwargs["args"] == [demand.pk]


def test_submitting_enqueues_nothing(database_tasks, village_submitter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand_services.create_demand(actor=village_submitter, data=demand_data(), submit=True)
    assert not DBTaskResult.objects.exists()


def test_with_the_immediate_backend_the_push_runs_on_commit(
    immediate_tasks, county_official, organization, org_admin, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe(organization, org_admin, regions=[HUAYUAN])
    demand = DemandFactory(status=Demand.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        demand_services.publish_demand(actor=county_official, demand=demand)
        assert not Notification.objects.exists()
    assert Notification.objects.filter(recipient=org_admin, demand=demand).exists()
