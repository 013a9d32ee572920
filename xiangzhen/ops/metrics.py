"""Prometheus metrics: request latency observed by the middleware, and gauges read from the
database when /metrics is scraped (task queue depth, the transparency log, allocation runs).

Label values are bounded: a request is labelled with its URL pattern's name (`demands:detail`),
its method and its status class, never with its path. Under gunicorn each worker is its own
process: set PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied when the service starts) and the
histogram is shared through files there (docs/operations.md).
"""

import logging
import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max
from django.http import HttpRequest
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# Seconds; a page should answer in well under a second, an Excel export may take several.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

logger = logging.getLogger("xiangzhen.ops.metrics")

REQUEST_LATENCY = Histogram(
    "xiangzhen_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it, by URL pattern name.",
    ["view", "method", "status"],
    buckets=BUCKETS,
)


def route_label(request: HttpRequest) -> str:
    """The URL pattern's name, "static" for static files, "unmatched" for anything unresolved."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith(str(settings.STATIC_URL)):
        return "static"
    return "unmatched"


def observe_request(request: HttpRequest, status_code: int, seconds: float) -> None:
    method = request.method if request.method in HTTP_METHODS else "OTHER"
    REQUEST_LATENCY.labels(route_label(request), method, f"{status_code // 100}xx").observe(seconds)


class DatabaseCollector(Collector):
    """Gauges counted in the database at scrape time (a few indexed aggregate queries).

    If the database does not answer, the gauges are left out and `xiangzhen_database_up` is 0:
    the request metrics are most wanted exactly then, so the scrape itself must not fail.
    """

    def collect(self) -> Iterator[Metric]:
        try:
            families = list(self._from_database())
        except DatabaseError:
            logger.exception("metrics: the database did not answer")
            families = []
        yield GaugeMetricFamily(
            "xiangzhen_database_up", "Whether the database answered this scrape.", value=1 if families else 0
        )
        yield from families

    def _from_database(self) -> Iterator[Metric]:
        from django_tasks_db.models import DBTaskResult

        from xiangzhen.allocation.models import AllocationRun
        from xiangzhen.tlog.models import Checkpoint, LogEntry

        tasks = GaugeMetricFamily(
            "xiangzhen_task_queue_depth",
            "Background tasks in the database queue by queue and status.",
            labels=["queue", "status"],
        )
        for row in DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id")).order_by():
            tasks.add_metric([row["queue_name"], row["status"]], row["n"])
        yield tasks

        top = LogEntry.objects.aggregate(top=Max("index"))["top"]
        yield GaugeMetricFamily(
            "xiangzhen_tlog_entries",
            "Leaves in the transparency log (its tree size).",
            value=0 if top is None else top + 1,
        )
        signed = Checkpoint.objects.aggregate(size=Max("tree_size"))["size"]
        yield GaugeMetricFamily(
            "xiangzhen_tlog_checkpoint_tree_size",
            "Tree size of the latest signed checkpoint; below xiangzhen_tlog_entries until the next one.",
            value=signed or 0,
        )

        runs = GaugeMetricFamily("xiangzhen_allocation_runs", "Allocation runs by status.", labels=["status"])
        counts = dict(AllocationRun.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in AllocationRun.Status.values:
            runs.add_metric([status], counts.get(status, 0))
        yield runs


class _ProcessRegistry(Collector):
    """This process's own metrics (the default registry), when there is one process."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def render() -> tuple[bytes, str]:
    """The exposition text for one scrape, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST

    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRegistry())
    registry.register(DatabaseCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def metric_value(text: str, name: str, **labels: Any) -> float | None:
    """One sample's value from exposition text (for tests and the readiness of dashboards)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == str(v) for k, v in labels.items()):
                return float(sample.value)
    return None
