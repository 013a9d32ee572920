"""/healthz and /readyz: no login, minimal answers, 503 naming the check that failed."""

import pytest
from django.core.cache import cache

from xiangzhen.ops import health


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query (a session, a user) would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_passes_every_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok", "task_queue": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_the_failing_check_and_nothing_else(client, monkeypatch):
    def broken_cache_set(*args, **kwargs):
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setattr(cache, "set", broken_cache_set)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["database"] == "ok"
    assert "secret-host" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_fails_while_migrations_are_pending(client, monkeypatch):
    class PendingExecutor:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("Graph", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            return [("demands", "9999_future")]

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "MigrationExecutor", PendingExecutor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]


@pytest.mark.django_db
def test_readyz_fails_when_the_task_table_is_unreachable(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def unreachable(*args, **kwargs):
        raise RuntimeError("relation does not exist")

    monkeypatch.setattr(DBTaskResult.objects, "filter", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["task_queue"]


def test_health_endpoints_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
