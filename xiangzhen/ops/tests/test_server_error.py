"""A lost database answers 503 with Retry-After and says nothing was saved; other faults a plain 500."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from xiangzhen.demands import selectors
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import DemandFactory


@pytest.fixture
def client_seeing_errors() -> Client:
    return Client(raise_request_exception=False)


def _fail_with(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(selectors, "public_demands", broken)


@pytest.mark.django_db
def test_api_answers_503_problem_when_the_database_is_gone(client_seeing_errors, monkeypatch):
    _fail_with(monkeypatch, OperationalError("server closed the connection unexpectedly"))
    response = client_seeing_errors.get("/api/v1/demands/public")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/problem+json")
    assert "没有保存" in response.json()["detail"]


@pytest.mark.django_db
def test_page_answers_503_text_when_the_database_is_gone(client_seeing_errors, monkeypatch):
    _fail_with(monkeypatch, OperationalError("terminating connection due to administrator command"))
    response = client_seeing_errors.get("/demands/public/")
    assert response.status_code == 503
    assert "数据库暂时不可用" in response.content.decode()
    assert "administrator" not in response.content.decode()  # the driver's message stays in the log


@pytest.mark.django_db
def test_other_faults_stay_500_without_details(client_seeing_errors, monkeypatch):
    _fail_with(monkeypatch, RuntimeError("secret internals"))
    response = client_seeing_errors.get("/api/v1/demands/public")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "secret internals" not in response.content.decode()


@pytest.mark.django_db
def test_a_database_lost_while_the_answer_is_written_is_503_too(client_seeing_errors, monkeypatch):
    """Seen in the load test's PostgreSQL restart: pydantic read a demand's priority flags (a query)
    while writing the answer, and wrapped the driver's error in its own ValidationError."""
    DemandFactory(status=Demand.Status.PUBLISHED)

    def flags_from_a_lost_database(demand: Demand) -> list[str]:
        with connection.wrap_database_errors:  # as a query does: Django's error, errors_occurred set
            raise connection.Database.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Demand, "priority_flags", property(flags_from_a_lost_database))
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    response = client_seeing_errors.get("/api/v1/demands/public")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_a_wrapped_error_on_a_working_database_stays_500(client_seeing_errors, monkeypatch):
    DemandFactory(status=Demand.Status.PUBLISHED)

    def broken_flags(demand: Demand) -> list[str]:
        with connection.wrap_database_errors:
            raise connection.Database.ProgrammingError("a bug in a query")

    monkeypatch.setattr(Demand, "priority_flags", property(broken_flags))
    response = client_seeing_errors.get("/api/v1/demands/public")
    assert response.status_code == 500
