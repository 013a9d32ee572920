import pytest
from django.test import Client
from django.urls import reverse

from xiangzhen.accounts import services
from xiangzhen.accounts.models import ApiToken, User
from xiangzhen.accounts.tests.factories import PASSWORD
from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(county_official):
    assert county_official.password.startswith("argon2")


@pytest.mark.django_db
def test_token_authenticates_and_is_stored_hashed(client, county_official):
    token, secret = services.create_api_token(actor=county_official, name="县级业务系统")
    assert secret not in token.key_hash and len(token.key_hash) == 64
    response = client.get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == county_official.username
    assert body["scope_region_code"] == "433124000000"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_revoked_token_is_refused(client, county_official):
    token, secret = services.create_api_token(actor=county_official, name="对接")
    services.revoke_api_token(actor=county_official, token_id=token.pk)
    response = client.get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["title"] == "未登录"


@pytest.mark.django_db
def test_cannot_revoke_someone_elses_token(county_official, other_county_official):
    token, _ = services.create_api_token(actor=county_official, name="对接")
    with pytest.raises(NotFound):
        services.revoke_api_token(actor=other_county_official, token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.django_db
def test_token_creation_and_revocation_are_audited(county_official):
    token, _ = services.create_api_token(actor=county_official, name="对接")
    services.revoke_api_token(actor=county_official, token_id=token.pk)
    actions = list(AuditEntry.objects.filter(object_id=str(token.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["accounts.create_api_token", "accounts.revoke_api_token"]


@pytest.mark.django_db
def test_token_api_create_list_revoke(county_official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_official)
    # Session-authenticated writes need the CSRF token, like any form.
    assert client.post("/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json").status_code == 403
    client.get(reverse("accounts:tokens"))
    csrf = client.cookies["csrftoken"].value
    created = client.post(
        "/api/v1/accounts/tokens", {"name": "统计对接"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert created.status_code == 201
    assert created.json()["secret"].startswith("xz_")
    listed = client.get("/api/v1/accounts/tokens").json()
    assert [t["name"] for t in listed] == ["统计对接"]
    assert "secret" not in listed[0]


@pytest.mark.django_db
def test_missing_token_name_is_a_chinese_problem(client, county_official):
    client.force_login(county_official)
    response = client.post("/api/v1/accounts/tokens", {}, content_type="application/json")
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422
    assert problem["errors"] == [{"field": "name", "message": "“name”为必填项"}]


@pytest.mark.django_db
def test_lockout_after_repeated_failures(client, county_official):
    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": county_official.username, "password": "wrong-password"})
    # Even the right password is refused while locked.
    response = client.post(url, {"username": county_official.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


@pytest.mark.django_db
def test_login_page_logs_in(client, county_official):
    response = client.post(reverse("accounts:login"), {"username": county_official.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_only_admin_creates_staff(county_official, platform_admin):
    from xiangzhen.accounts.models import Department

    department = Department.objects.get(region_id="433124000000", kind="rural_revitalization")
    with pytest.raises(Forbidden):
        services.create_user(
            actor=county_official,
            username="new",
            password="Long-enough-pw-1",
            full_name="新人",
            role=User.Role.DEPARTMENT_STAFF,
            department=department,
        )
    user = services.create_user(
        actor=platform_admin,
        username="new",
        password="Long-enough-pw-1",
        full_name="新人",
        role=User.Role.DEPARTMENT_STAFF,
        department=department,
    )
    assert user.check_password("Long-enough-pw-1")


@pytest.mark.django_db
def test_weak_password_rejected_in_chinese(platform_admin):
    with pytest.raises(ValidationFailed) as exc:
        services.create_user(
            actor=platform_admin, username="x1", password="123", full_name="x", role=User.Role.ORGANIZATION
        )
    assert exc.value.errors[0].field == "password"
    assert "密码" in exc.value.message


@pytest.mark.django_db
def test_submitter_needs_township_or_village(platform_admin):
    with pytest.raises(ValidationFailed):
        services.create_user(
            actor=platform_admin,
            username="s1",
            password="Long-enough-pw-1",
            full_name="x",
            role=User.Role.SUBMITTER,
            region_code="433124000000",
        )


@pytest.mark.django_db
def test_audit_log_page_for_province_only(client, province_civil_affairs, county_official):
    client.force_login(county_official)
    assert client.get(reverse("core:audit")).status_code == 403
    client.force_login(province_civil_affairs)
    assert client.get(reverse("core:audit")).status_code == 200


@pytest.mark.django_db
def test_province_reads_only_its_provinces_audit(client, province_civil_affairs, county_official):
    from xiangzhen.accounts.tests.factories import staff

    services.create_api_token(actor=county_official, name="湖南")
    shanxi = staff("civil_affairs", "140000000000", username="sx_mz")
    services.create_api_token(actor=shanxi, name="山西")
    client.force_login(province_civil_affairs)
    entries = client.get("/api/v1/audit/entries?action=accounts.create_api_token").json()["items"]
    names = [e["after"]["name"] for e in entries]
    assert names == ["湖南"]


@pytest.mark.django_db
def test_anonymous_pages_redirect_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
