"""API token scope: a read token reads, only a write token writes (xiangzhen/accounts/auth.py)."""

import pytest

from xiangzhen.accounts import services
from xiangzhen.accounts.models import ApiToken
from xiangzhen.core.errors import ValidationFailed


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_tokens_are_read_only_unless_issued_for_writing(client, county_official):
    token, secret = services.create_api_token(actor=county_official, name="统计读取")
    assert token.scope == ApiToken.Scope.READ
    assert client.get("/api/v1/accounts/me", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/demands/", **bearer(secret)).status_code == 200
    refused = client.post(
        "/api/v1/accounts/tokens", {"name": "借只读令牌写入"}, content_type="application/json", **bearer(secret)
    )
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "只读" in refused.json()["detail"]
    assert not ApiToken.objects.filter(name="借只读令牌写入").exists()
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/accounts/tokens/{token.pk}/revoke", **bearer(secret))
        assert response.status_code in (403, 405), method
    revoke = client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke", **bearer(secret))
    assert revoke.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_write_token_writes(client, county_official):
    _, secret = services.create_api_token(actor=county_official, name="业务系统", scope="write")
    created = client.post(
        "/api/v1/accounts/tokens",
        {"name": "子系统", "scope": "read"},
        content_type="application/json",
        **bearer(secret),
    )
    assert created.status_code == 201, created.content
    assert created.json()["scope"] == "read"
    assert ApiToken.objects.get(name="子系统").scope == "read"


@pytest.mark.django_db
def test_scope_is_checked_and_recorded(client, county_official):
    with pytest.raises(ValidationFailed) as caught:
        services.create_api_token(actor=county_official, name="x", scope="admin")
    assert caught.value.errors[0].field == "scope"
    client.force_login(county_official)
    bad = client.post("/api/v1/accounts/tokens", {"name": "x", "scope": "admin"}, content_type="application/json")
    assert bad.status_code == 422 and "取值不在允许范围内" in bad.json()["detail"]
    from xiangzhen.core.models import AuditEntry

    services.create_api_token(actor=county_official, name="审计", scope="write")
    entry = AuditEntry.objects.filter(action="accounts.create_api_token").latest("pk")
    assert entry.after["scope"] == "write"


@pytest.mark.django_db
def test_token_page_issues_either_scope(client, county_official):
    client.force_login(county_official)
    page = client.post("/accounts/tokens/", {"name": "页面只读"})
    assert page.status_code == 200 and "只读" in page.content.decode()
    client.post("/accounts/tokens/", {"name": "页面读写", "scope": "write"})
    assert ApiToken.objects.get(name="页面只读").scope == "read"
    assert ApiToken.objects.get(name="页面读写").scope == "write"


@pytest.mark.django_db
def test_token_acts_within_its_users_scope(client, county_official, other_county_official):
    """A write token is still its user: another county's records stay missing."""
    from xiangzhen.demands.tests.factories import DemandFactory
    from xiangzhen.regions.models import Region

    village = Region.objects.filter(code__startswith="433123", level="village").values_list("code", flat=True)[0]
    fenghuang = DemandFactory(region_id=village, status="submitted")
    _, secret = services.create_api_token(actor=county_official, name="写", scope="write")
    assert client.get(f"/api/v1/demands/{fenghuang.pk}", **bearer(secret)).status_code == 404
