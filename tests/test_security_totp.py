"""Two-factor login (TOTP) for department staff: xiangzhen/accounts/twofactor.py and docs/security.md."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiangzhen.accounts import services
from xiangzhen.accounts.tests.factories import PASSWORD, staff
from xiangzhen.core.models import AuditEntry

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings):
    # django-otp waits 2**(n-1) seconds after the n-th wrong code; the tests check the counting,
    # not the clock, so the wait is off unless a test turns it back on.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` periods of 30 s later)."""
    key = device.bin_key
    return f"{totp(key, device.step, device.t0, device.digits, steps_ahead):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code that no period the device accepts now (this one and its neighbours) shows."""
    near = {code_of(device, steps_ahead=s) for s in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(10**6)) if c not in near)


def with_device(user) -> TOTPDevice:
    """`user` has added an app: enrolled through the services, like the setup page does."""
    device = services.start_two_factor(actor=user)
    # Confirm with the previous period's code, so the current one is still unused for the test.
    services.confirm_two_factor(actor=user, token=code_of(device, steps_ahead=-1))
    device.refresh_from_db()
    assert device.confirmed
    return device


def password_step(client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


@pytest.mark.django_db
def test_staff_with_a_device_need_a_valid_code_to_sign_in(client, county_official):
    device = with_device(county_official)
    response = password_step(client, county_official, next_url=reverse("accounts:tokens"))
    assert response.status_code == 302 and response["Location"] == VERIFY
    # The password alone did not sign in.
    assert client.get(reverse("accounts:tokens")).status_code == 302
    assert "_auth_user_id" not in client.session
    page = client.get(VERIFY)
    assert page.status_code == 200 and "动态验证码" in page.content.decode()
    response = client.post(VERIFY, {"token": code_of(device)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:tokens")
    assert client.get(reverse("accounts:tokens")).status_code == 200
    assert client.get("/api/v1/accounts/me").status_code == 200


@pytest.mark.django_db
def test_wrong_code_is_refused(client, county_official):
    device = with_device(county_official)
    password_step(client, county_official)
    wrong = wrong_code(device)
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "动态验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    for malformed in ["", "abcdef", "12345", "1234567"]:
        assert client.post(VERIFY, {"token": malformed}).status_code == 200
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_code_is_accepted_once(client, county_official):
    device = with_device(county_official)
    code = code_of(device)
    password_step(client, county_official)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    # Someone who saw the code (over the shoulder, a phishing page) replays it with the password.
    password_step(client, county_official)
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200 and "已使用过" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lockout(client, county_official, settings):
    device = with_device(county_official)
    password_step(client, county_official)
    wrong = wrong_code(device)
    responses = [client.post(VERIFY, {"token": wrong}) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert responses[-1].status_code == 429 and "锁定" in responses[-1].content.decode()
    # Locked: neither the right code nor the password gets in now.
    assert client.post(VERIFY, {"token": code_of(device)}).status_code in (302, 429)
    assert "_auth_user_id" not in client.session
    assert password_step(client, county_official).status_code == 429


@pytest.mark.django_db
def test_the_password_step_expires(client, county_official, monkeypatch):
    device = with_device(county_official)
    password_step(client, county_official)
    later = time.time() + 301
    monkeypatch.setattr("xiangzhen.accounts.views.time.time", lambda: later)
    response = client.post(VERIFY, {"token": code_of(device)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_without_a_device_sign_in_with_the_password_when_optional(client, county_official, settings):
    settings.XIANGZHEN_STAFF_2FA = "optional"
    response = password_step(client, county_official)
    assert response.status_code == 302 and response["Location"] != VERIFY
    assert client.get(reverse("accounts:tokens")).status_code == 200


@pytest.mark.django_db
def test_required_policy_sends_staff_to_enrollment_first(client, county_official, org_admin, settings):
    settings.XIANGZHEN_STAFF_2FA = "required"
    password_step(client, county_official)
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response["Location"] == SETUP
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]
    # The API token of the same person is not affected (documented in docs/security.md).
    _, secret = services.create_api_token(actor=county_official, name="对接")
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    # Enrollment: a QR code and the secret for typing in, then a first code confirms.
    assert client.post(SETUP, {"action": "start"}).status_code == 302
    page = client.get(SETUP).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=county_official, confirmed=False)
    assert client.post(SETUP, {"token": wrong_code(device)}).status_code == 200
    response = client.post(SETUP, {"token": code_of(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:tokens")).status_code == 200  # verified by the enrollment itself
    assert AuditEntry.objects.filter(action="accounts.enable_two_factor", actor=county_official).exists()
    # Organization people are not department staff: no second factor for them.
    other = type(client)()
    password_step(other, org_admin)
    assert other.get(reverse("accounts:tokens")).status_code == 200


@pytest.mark.django_db
def test_required_policy_typo_still_requires(settings):
    from xiangzhen.accounts import twofactor

    settings.XIANGZHEN_STAFF_2FA = "requried"
    assert twofactor.policy() == "required"


@pytest.mark.django_db
def test_an_unverified_session_is_kept_to_the_code_page(client, county_official):
    device = with_device(county_official)
    client.force_login(county_official)  # e.g. signed in by the first-login password change
    assert client.get(reverse("accounts:tokens"))["Location"] == VERIFY
    assert client.get("/api/v1/accounts/me").status_code == 403
    # Nor can it swap the app for one of its own: the setup page asks for the code first.
    assert client.get(SETUP)["Location"] == VERIFY
    assert client.post(SETUP, {"action": "start"})["Location"] == VERIFY
    assert client.post(VERIFY, {"token": code_of(device)}).status_code == 302
    assert client.get(reverse("accounts:tokens")).status_code == 200


@pytest.mark.django_db
def test_manager_resets_a_lost_device_and_it_is_audited(client, county_official, city_civil_affairs):
    managed = staff("civil_affairs", "433124000000", username="hy_mz_2fa")
    with_device(managed)
    client.force_login(city_civil_affairs)
    page = client.get(reverse("accounts:user_detail", args=[managed.pk])).content.decode()
    assert "reset_two_factor" in page
    response = client.post(reverse("accounts:user_act", args=[managed.pk]), {"action": "reset_two_factor"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=managed).exists()
    entry = AuditEntry.objects.get(action="accounts.reset_two_factor")
    assert entry.actor == city_civil_affairs and "1" in entry.note
    api = client.post(f"/api/v1/accounts/users/{managed.pk}/reset-two-factor")
    assert api.status_code == 200 and api.json()["removed_devices"] == 0
    # Someone who does not manage the account: it does not exist for them.
    client.force_login(county_official)
    assert client.post(f"/api/v1/accounts/users/{managed.pk}/reset-two-factor").status_code == 404


def test_devices_are_not_editable_in_the_admin():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)  # secrets stay out of sight; changes go through services


@pytest.mark.django_db
def test_a_staff_page_does_not_look_up_the_device(client, county_official, settings, django_assert_num_queries):
    # Whether the account has an app is on the user row the session loads anyway: the session,
    # the user and the page's own query (the tokens), no TOTP device lookup on top.
    settings.XIANGZHEN_STAFF_2FA = "optional"
    client.force_login(county_official)
    client.get(reverse("accounts:tokens"))  # the inbox badge is cached for 30 s: not counted below
    with django_assert_num_queries(3) as queries:
        assert client.get(reverse("accounts:tokens")).status_code == 200
    assert not any("otp_totp" in q["sql"] for q in queries.captured_queries)
    settings.XIANGZHEN_STAFF_2FA = "required"
    with django_assert_num_queries(2):  # the session and the user, then off to enrollment
        assert client.get(reverse("accounts:tokens"))["Location"] == SETUP


@pytest.mark.django_db
def test_a_verified_staff_page_looks_up_only_the_session_device(
    client, county_official, settings, django_assert_num_queries
):
    settings.XIANGZHEN_STAFF_2FA = "required"
    device = with_device(county_official)
    password_step(client, county_official)
    client.post(VERIFY, {"token": code_of(device)})
    client.get(reverse("accounts:tokens"))  # the inbox badge is cached for 30 s: not counted below
    # django-otp loads the session's device to know it still exists; nothing else asks again.
    with django_assert_num_queries(4) as queries:
        assert client.get(reverse("accounts:tokens")).status_code == 200
    assert sum("otp_totp" in q["sql"] for q in queries.captured_queries) == 1


@pytest.mark.django_db
def test_an_app_added_in_another_session_reaches_an_open_one(client, county_official, settings):
    settings.XIANGZHEN_STAFF_2FA = "optional"
    client.force_login(county_official)  # signed in with the password alone, no app yet
    assert client.get(reverse("accounts:tokens")).status_code == 200
    with_device(county_official)  # added from another browser
    assert client.get(reverse("accounts:tokens"))["Location"] == VERIFY
    assert client.get(SETUP)["Location"] == VERIFY  # nor may it swap the app for its own


@pytest.mark.django_db
def test_a_reset_device_sends_an_open_session_back_to_enrollment(client, city_civil_affairs, settings):
    settings.XIANGZHEN_STAFF_2FA = "required"
    managed = staff("civil_affairs", "433124000000", username="hy_mz_lost_phone")
    device = with_device(managed)
    password_step(client, managed)
    client.post(VERIFY, {"token": code_of(device)})
    assert client.get(reverse("accounts:tokens")).status_code == 200
    services.reset_two_factor(actor=city_civil_affairs, user_id=managed.pk)
    managed.refresh_from_db()
    assert not managed.two_factor_enabled
    assert client.get(reverse("accounts:tokens"))["Location"] == SETUP
