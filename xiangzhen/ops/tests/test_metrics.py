"""/metrics: the latency histogram labelled by route name, gauges read from the database, and
who may scrape it."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from xiangzhen.allocation.models import AllocationRun
from xiangzhen.ops.metrics import metric_value
from xiangzhen.tlog.tests.support import append_test_leaves

HUAYUAN = "433124000000"


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def latency_count(text: str, view: str, method: str = "GET", status: str = "2xx") -> float:
    return metric_value(text, "xiangzhen_request_duration_seconds_count", view=view, method=method, status=status) or 0


@pytest.mark.django_db
def test_requests_are_timed_by_route_name_not_path(client):
    before = latency_count(scrape(client), "tlog:checkpoint", status="4xx")
    client.get("/tlog/checkpoints/424242/")
    client.get("/tlog/checkpoints/434343/")
    text = scrape(client)
    assert latency_count(text, "tlog:checkpoint", status="4xx") == before + 2
    assert "424242" not in text  # the path never becomes a label
    client.get("/no/such/page/")
    assert latency_count(scrape(client), "unmatched", status="4xx") >= 1


@pytest.mark.django_db
def test_gauges_count_the_queue_the_log_and_allocation_runs(client, county_official):
    now = timezone.now()
    for status in ("READY", "READY", "FAILED"):
        DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="x.y",
            backend_name="default",
            run_after=now,
        )
    append_test_leaves(3)
    AllocationRun.objects.create(region_id=HUAYUAN, created_by=county_official, created_at=now, status="closed")
    text = scrape(client)
    assert metric_value(text, "xiangzhen_task_queue_depth", queue="default", status="READY") == 2
    assert metric_value(text, "xiangzhen_task_queue_depth", queue="default", status="FAILED") == 1
    assert metric_value(text, "xiangzhen_tlog_entries") == 3
    assert metric_value(text, "xiangzhen_tlog_checkpoint_tree_size") == 0
    assert metric_value(text, "xiangzhen_allocation_runs", status="closed") == 1
    assert metric_value(text, "xiangzhen_allocation_runs", status="draft") == 0
    assert metric_value(text, "xiangzhen_database_up") == 1


@pytest.mark.django_db
def test_only_this_machine_or_the_token_may_scrape(client, settings):
    # Through nginx (it always sets X-Real-IP) even from loopback: refused.
    assert client.get("/metrics", HTTP_X_REAL_IP="203.0.113.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    settings.XIANGZHEN_METRICS_TOKEN = "s3cret-metrics-token"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    scrape(client, REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")


@pytest.mark.django_db
def test_a_database_outage_leaves_the_request_metrics_scrapable(client, monkeypatch):
    from django.db import OperationalError

    from xiangzhen.ops import metrics

    def down(self):
        raise OperationalError("could not connect to server")
        yield  # pragma: no cover

    monkeypatch.setattr(metrics.DatabaseCollector, "_from_database", down)
    text = scrape(client)
    assert metric_value(text, "xiangzhen_database_up") == 0
    assert metric_value(text, "xiangzhen_tlog_entries") is None
    assert "xiangzhen_request_duration_seconds" in text
