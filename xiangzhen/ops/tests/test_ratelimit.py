"""Rate limits per client address on the cache: the login form and the public reads."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from xiangzhen.ops import ratelimit
from xiangzhen.ops.net import client_ip


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_parse_limit():
    assert ratelimit.parse_limit("120/60") == (120, 60)
    assert ratelimit.parse_limit("30") == (30, 60)
    assert ratelimit.parse_limit("") is None
    with pytest.raises(ValueError):
        ratelimit.parse_limit("0/60")


def test_a_window_counts_per_client_and_resets():
    rule = ratelimit.Rule("t", 2, 60, ("/",), frozenset({"GET"}))
    assert [ratelimit.hit(rule, "a", now=120.0) for _ in range(3)] == [0, 0, 60]
    assert ratelimit.hit(rule, "b", now=130.0) == 0  # another address has its own count
    assert ratelimit.hit(rule, "a", now=180.0) == 0  # the next window starts afresh


@pytest.mark.django_db
def test_login_attempts_from_one_address_are_capped(client, settings):
    settings.XIANGZHEN_LOGIN_RATE_LIMIT = "3/300"
    url = reverse("accounts:login")
    for i in range(3):
        assert client.post(url, {"username": f"nobody{i}", "password": "x"}).status_code != 429
    refused = client.post(url, {"username": "nobody9", "password": "x"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "请求过于频繁" in refused.content.decode()
    # Another address (as nginx names it) still gets the form.
    assert client.post(url, {"username": "x", "password": "x"}, HTTP_X_REAL_IP="198.51.100.7").status_code != 429
    assert client.get(url).status_code == 200  # only attempts count


@pytest.mark.django_db
def test_public_api_reads_get_a_problem_document_when_over_the_limit(client, settings):
    settings.XIANGZHEN_PUBLIC_RATE_LIMIT = "2/60"
    for _ in range(2):
        assert client.get("/api/v1/tlog/checkpoints").status_code == 200
    refused = client.get("/api/v1/tlog/checkpoints")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["status"] == 429
    assert client.get("/healthz").status_code == 200  # other paths are not limited


def test_only_a_trusted_proxy_may_name_the_client(rf, settings):
    settings.XIANGZHEN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_REAL_IP="203.0.113.5")) == "192.0.2.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="not-an-ip")) == "127.0.0.1"
