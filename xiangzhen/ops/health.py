"""Readiness checks: can this process serve requests right now?

Each check answers True or False and never raises; why one failed goes to the log, not to the
caller (the endpoints need no login, so they say which check failed and nothing more).
"""

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("xiangzhen.ops.health")

# Once every migration is applied it stays so for the life of the process (an upgrade runs
# `migrate` before it starts new code), so the plan — which reads every migration file — is
# computed until it first comes out empty.
_migrated = False


def database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_round_trip() -> bool:
    key, value = "ops:readyz", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    return bool(cache.get(key) == value)


def migrations() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def task_queue() -> bool:
    """The configured task backend can take work: for the database queue, its table answers."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk=uuid.UUID(int=0)).exists()
    return True


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database,
    "cache": cache_round_trip,
    "migrations": migrations,
    "task_queue": task_queue,
}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = False
    return results
