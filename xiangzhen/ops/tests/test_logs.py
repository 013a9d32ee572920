"""Structured logs: JSON lines with the request id; one access line per request, holding the route
name, status, duration and user id — and no personal data, whatever the request carried."""

import json
import logging

import pytest
from django.urls import reverse

from xiangzhen.accounts.tests.factories import PASSWORD
from xiangzhen.monitoring.tests.factories import HEAD_ID, HEAD_NAME, HEAD_PHONE, MEMBER_ID, MEMBER_NAME, make_household
from xiangzhen.ops import logs

FORMATTER = logs.JsonFormatter()


def access_lines(caplog) -> list[dict]:
    return [json.loads(FORMATTER.format(r)) for r in caplog.records if r.name == "xiangzhen.request"]


def test_json_formatter_writes_one_object_per_line_with_the_request_id():
    record = logging.makeLogRecord(
        {"name": "xiangzhen.demands", "levelname": "WARNING", "msg": "需求 %s 已过期", "args": ("XQ-1",), "route": "x"}
    )
    token = logs.request_id.set("abc123def456")
    try:
        line = FORMATTER.format(record)
    finally:
        logs.request_id.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "需求 XQ-1 已过期"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "xiangzhen.demands"
    assert entry["request_id"] == "abc123def456"
    assert entry["route"] == "x"
    assert entry["time"].endswith("+00:00")


def test_exceptions_stay_on_one_line():
    try:
        raise ValueError("坏了\n第二行")
    except ValueError:
        import sys

        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    line = FORMATTER.format(record)
    assert "\n" not in line
    assert "ValueError" in json.loads(line)["exception"]


@pytest.mark.django_db
def test_each_request_is_logged_once_with_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="xiangzhen.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-req-0123456789")
    assert response["X-Request-ID"] == "nginx-req-0123456789"
    (line,) = access_lines(caplog)
    assert line["request_id"] == "nginx-req-0123456789"
    assert line["route"] == "ops:healthz"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None


def test_a_forged_request_id_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="xiangzhen.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\nline')
    assert response["X-Request-ID"] != 'x" injected\nline'
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_request_touching_personal_data_logs_none_of_it(client, caplog, county_official):
    household = make_household(county_official)
    caplog.set_level(logging.DEBUG)
    login = client.post(reverse("accounts:login"), {"username": county_official.username, "password": PASSWORD})
    assert login.status_code in (200, 302)
    client.force_login(county_official)
    detail = client.get(reverse("monitoring:detail", args=[household.pk]), {"reveal": "1", "q": HEAD_ID})
    assert HEAD_ID in detail.content.decode()  # the page did show it in full
    client.get(reverse("monitoring:list"), {"q": HEAD_NAME})

    lines = [json.loads(FORMATTER.format(r)) for r in caplog.records]
    text = json.dumps(lines, ensure_ascii=False)
    secrets = [HEAD_ID, HEAD_NAME, HEAD_PHONE, MEMBER_ID, MEMBER_NAME, county_official.username, PASSWORD]
    secrets.append(county_official.full_name)
    for secret in secrets:
        assert secret not in text, secret
    access = [line for line in lines if line["logger"] == "xiangzhen.request"]
    assert [line["route"] for line in access] == ["accounts:login", "monitoring:detail", "monitoring:list"]
    assert [line["user_id"] for line in access][1:] == [county_official.pk, county_official.pk]
