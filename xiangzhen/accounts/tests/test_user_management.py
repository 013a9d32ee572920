import io

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.accounts import roles, selectors, services
from xiangzhen.accounts.models import ApiToken, Department, User
from xiangzhen.accounts.tests.factories import PASSWORD, DepartmentFactory, UserFactory, staff
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry

HUNAN = "430000000000"
XIANGXI = "433100000000"
HUAYUAN = "433124000000"
FENGHUANG = "433123000000"
SHIBADONG = "433124110226"
FENGHUANG_VILLAGE_PREFIX = "433123"


@pytest.fixture
def huayuan_civil_clerk(db):
    """Another 花垣县 civil affairs staffer: managed by 湘西州 and 湖南省 civil affairs."""
    return staff(Department.Kind.CIVIL_AFFAIRS, HUAYUAN, username="hy_mz_clerk", phone="13974311234")


@pytest.fixture
def fenghuang_submitter(db):
    from xiangzhen.regions.models import Region

    village = Region.objects.filter(code__startswith=FENGHUANG_VILLAGE_PREFIX, level="village").first()
    return UserFactory(role=User.Role.SUBMITTER, region=village, username="fh_village")


def usernames(queryset):
    return set(queryset.values_list("username", flat=True))


# ---------------------------------------------------------------- who manages whom


@pytest.mark.django_db
def test_management_goes_downward_and_stays_in_kind(
    platform_admin, province_civil_affairs, province_rural_revitalization, city_civil_affairs,
    county_civil_affairs, county_official, other_county_official, village_submitter, fenghuang_submitter,
    huayuan_civil_clerk, org_admin,
):  # fmt: skip
    assert usernames(selectors.managed_users(province_civil_affairs)) == {"xx_mz", "hy_mz", "hy_mz_clerk"}
    assert usernames(selectors.managed_users(city_civil_affairs)) == {"hy_mz", "hy_mz_clerk"}
    assert usernames(selectors.managed_users(province_rural_revitalization)) == {"hy_xc", "fh_xc"}
    # County rural revitalization staff manage their own county's submitters, nobody else.
    assert usernames(selectors.managed_users(county_official)) == {"sbd"}
    assert usernames(selectors.managed_users(other_county_official)) == {"fh_village"}
    everyone = usernames(selectors.managed_users(platform_admin))
    assert {"hn_mz", "xx_mz", "hy_xc", "sbd", "org_admin", "fh_village"} <= everyone
    assert "admin" not in everyone  # never oneself


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["county_civil_affairs", "village_submitter", "org_admin"])
def test_people_who_manage_nobody_are_refused(request, role):
    user = request.getfixturevalue(role)
    assert not roles.can_manage_users(user)
    with pytest.raises(Forbidden):
        selectors.managed_users(user)


@pytest.mark.django_db
def test_out_of_scope_user_looks_missing(city_civil_affairs, province_civil_affairs, county_official):
    for target in (province_civil_affairs, county_official, city_civil_affairs):
        with pytest.raises(NotFound):
            selectors.get_managed_user(city_civil_affairs, target.pk)
        with pytest.raises(NotFound):
            services.reset_password(actor=city_civil_affairs, user_id=target.pk)
    with pytest.raises(NotFound):
        selectors.get_managed_user(city_civil_affairs, 999999)


@pytest.mark.django_db
def test_filters_narrow_the_list(province_civil_affairs, city_civil_affairs, huayuan_civil_clerk):
    from xiangzhen.accounts.filters import UserFilters

    def names(**params):
        filters, problems = UserFilters.from_params(params)
        assert not problems
        return usernames(selectors.managed_users(province_civil_affairs, filters))

    assert names(q="clerk") == {"hy_mz_clerk"}
    assert names(q="1234") == {"hy_mz_clerk"}
    assert names(region=HUAYUAN) == {"hy_mz_clerk"}
    assert names(department=city_civil_affairs.department_id) == {"xx_mz"}
    services.deactivate_user(actor=province_civil_affairs, user_id=huayuan_civil_clerk.pk, reason="调离")
    assert names(is_active="false") == {"hy_mz_clerk"}


# ---------------------------------------------------------------- creating accounts


@pytest.mark.django_db
def test_city_creates_county_staff_with_a_one_time_password(city_civil_affairs, client):
    department = DepartmentFactory(kind=Department.Kind.CIVIL_AFFAIRS, region_id=FENGHUANG)
    user, password = services.create_account(
        actor=city_civil_affairs, username="fh_new", full_name="新同事", role="department_staff",
        department_id=department.pk,
    )  # fmt: skip
    assert user.must_change_password and user.check_password(password) and password not in user.password
    entry = AuditEntry.objects.get(action="accounts.create_user", object_id=str(user.pk))
    assert entry.actor == city_civil_affairs and password not in str(entry.after)
    assert entry.region_code == FENGHUANG


@pytest.mark.django_db
def test_creating_outside_ones_reach_is_refused(city_civil_affairs, county_official):
    own = city_civil_affairs.department
    other_kind = DepartmentFactory(kind=Department.Kind.RURAL_REVITALIZATION, region_id=FENGHUANG)
    for department in (own, other_kind):
        with pytest.raises(ValidationFailed) as exc:
            services.create_account(
                actor=city_civil_affairs, username="x", full_name="x", role="department_staff",
                department_id=department.pk,
            )  # fmt: skip
        assert exc.value.errors[0].field == "department"
    with pytest.raises(ValidationFailed) as exc:
        services.create_account(actor=city_civil_affairs, username="x", full_name="x", role="submitter")
    assert exc.value.errors[0].field == "role"
    with pytest.raises(ValidationFailed) as exc:
        services.create_account(
            actor=county_official, username="x", full_name="x", role="submitter", region_code="433123109000"
        )
    assert exc.value.errors[0].field == "region"
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_county_creates_a_village_submitter(county_official):
    user, _ = services.create_account(
        actor=county_official, username="sbd2", full_name="村干部", role="submitter", region_code=SHIBADONG
    )
    assert user.region_id == SHIBADONG and user.role == "submitter"
    with pytest.raises(ValidationFailed, match="乡镇或村"):
        services.create_account(
            actor=county_official, username="sbd3", full_name="x", role="submitter", region_code=HUAYUAN
        )


@pytest.mark.django_db
def test_forced_password_change_at_first_login(client, city_civil_affairs):
    department = DepartmentFactory(kind=Department.Kind.CIVIL_AFFAIRS, region_id=FENGHUANG)
    user, password = services.create_account(
        actor=city_civil_affairs, username="fh_new", full_name="新同事", role="department_staff",
        department_id=department.pk,
    )  # fmt: skip
    response = client.post(reverse("accounts:login"), {"username": "fh_new", "password": password})
    assert response["Location"] == reverse("accounts:initial_password")
    # Not signed in yet: every other page still asks for a login.
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    weak = client.post(reverse("accounts:initial_password"), {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    same = client.post(reverse("accounts:initial_password"), {"new_password1": password, "new_password2": password})
    assert "不能与管理员设置的密码相同" in same.content.decode()
    done = client.post(
        reverse("accounts:initial_password"), {"new_password1": "Own-pass-2026!", "new_password2": "Own-pass-2026!"}
    )
    assert done.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Own-pass-2026!")
    assert AuditEntry.objects.filter(action="accounts.set_own_password", actor=user).exists()


@pytest.mark.django_db
def test_initial_password_page_needs_a_fresh_login(client):
    assert client.get(reverse("accounts:initial_password"))["Location"] == reverse("accounts:login")


# ---------------------------------------------------------------- deactivate, reset, unlock


@pytest.mark.django_db
def test_deactivate_and_reactivate_are_audited_and_never_delete(client, city_civil_affairs, huayuan_civil_clerk):
    with pytest.raises(ValidationFailed, match="停用原因"):
        services.deactivate_user(actor=city_civil_affairs, user_id=huayuan_civil_clerk.pk, reason=" ")
    services.deactivate_user(actor=city_civil_affairs, user_id=huayuan_civil_clerk.pk, reason="调离")
    signed_in = client.post(reverse("accounts:login"), {"username": "hy_mz_clerk", "password": PASSWORD})
    assert signed_in.status_code == 200  # the form again: an inactive account cannot sign in
    with pytest.raises(InvalidTransition):
        services.deactivate_user(actor=city_civil_affairs, user_id=huayuan_civil_clerk.pk, reason="again")
    services.reactivate_user(actor=city_civil_affairs, user_id=huayuan_civil_clerk.pk)
    assert User.objects.get(pk=huayuan_civil_clerk.pk).is_active
    actions = list(
        AuditEntry.objects.filter(object_id=str(huayuan_civil_clerk.pk), object_type="accounts.user")
        .order_by("id")
        .values_list("action", "note")
    )
    assert actions == [("accounts.deactivate_user", "调离"), ("accounts.reactivate_user", "")]


@pytest.mark.django_db
def test_deactivated_users_token_stops_working(client, county_official, platform_admin):
    _, secret = services.create_api_token(actor=county_official, name="对接")
    services.deactivate_user(actor=platform_admin, user_id=county_official.pk, reason="离职")
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@pytest.mark.django_db
def test_reset_password_forces_change_and_revokes_tokens(client, platform_admin, county_official):
    token, _ = services.create_api_token(actor=county_official, name="对接")
    user, password = services.reset_password(actor=platform_admin, user_id=county_official.pk)
    assert user.must_change_password and user.check_password(password) and not user.check_password(PASSWORD)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    entry = AuditEntry.objects.get(action="accounts.reset_password")
    assert "吊销接口令牌 1 个" in entry.note and password not in str(entry.after)


@pytest.mark.django_db
def test_nobody_acts_on_themselves(platform_admin):
    with pytest.raises(NotFound):
        services.deactivate_user(actor=platform_admin, user_id=platform_admin.pk, reason="x")


@pytest.mark.django_db
def test_unlock_clears_an_axes_lockout(client, settings, county_official, province_rural_revitalization):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "hy_xc", "password": "wrong"})
    assert "hy_xc" in selectors.locked_usernames(["hy_xc"])
    assert client.post(reverse("accounts:login"), {"username": "hy_xc", "password": PASSWORD}).status_code != 302
    cleared = services.unlock_user(actor=province_rural_revitalization, user_id=county_official.pk)
    assert cleared >= 1 and not AccessAttempt.objects.filter(username="hy_xc").exists()
    assert client.post(reverse("accounts:login"), {"username": "hy_xc", "password": PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(action="accounts.unlock_user", actor=province_rural_revitalization).exists()


# ---------------------------------------------------------------- pages and API


@pytest.mark.django_db
def test_user_pages_for_a_manager(client, city_civil_affairs, huayuan_civil_clerk):
    client.force_login(city_civil_affairs)
    listing = client.get(reverse("accounts:users"))
    body = listing.content.decode()
    assert listing.status_code == 200 and "hy_mz_clerk" in body and "用户管理" in body
    assert "13974311234" not in body
    export = client.get(reverse("accounts:user_export"), {"q": "clerk"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "hy_mz_clerk" and rows[1][5] == "139****1234" and len(rows) == 2
    detail = client.get(reverse("accounts:user_detail", args=[huayuan_civil_clerk.pk]))
    assert "139****1234" in detail.content.decode()
    reset = client.post(reverse("accounts:user_act", args=[huayuan_civil_clerk.pk]), {"action": "reset_password"})
    assert reset.status_code == 200 and "no-cache" in reset["Cache-Control"]
    password = reset.content.decode().split('id="temporary-password">')[1].split("<")[0]
    assert User.objects.get(pk=huayuan_civil_clerk.pk).check_password(password)
    deactivated = client.post(
        reverse("accounts:user_act", args=[huayuan_civil_clerk.pk]), {"action": "deactivate", "reason": "调离"}
    )
    assert deactivated.status_code == 302 and not User.objects.get(pk=huayuan_civil_clerk.pk).is_active


@pytest.mark.django_db
def test_create_page_shows_the_password_once(client, county_official):
    client.force_login(county_official)
    form = client.get(reverse("accounts:user_create"))
    assert 'name="region_code"' in form.content.decode() and 'name="department_id"' not in form.content.decode()
    response = client.post(
        reverse("accounts:user_create"),
        {"role": "submitter", "username": "sbd9", "full_name": "村干部", "region_code": SHIBADONG},
    )
    assert response.status_code == 200 and 'id="temporary-password"' in response.content.decode()
    assert User.objects.get(username="sbd9").must_change_password


@pytest.mark.django_db
def test_nav_shows_user_management_only_to_managers(client, county_civil_affairs, city_civil_affairs):
    client.force_login(county_civil_affairs)
    assert reverse("accounts:users") not in client.get(reverse("core:home")).content.decode()
    assert client.get(reverse("accounts:users")).status_code == 403
    client.force_login(city_civil_affairs)
    assert reverse("accounts:users") in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_api_manages_users(client, city_civil_affairs, huayuan_civil_clerk, province_civil_affairs):
    client.force_login(city_civil_affairs)
    listing = client.get("/api/v1/accounts/users", {"q": "clerk"}).json()
    assert [u["username"] for u in listing["items"]] == ["hy_mz_clerk"]
    assert listing["items"][0]["phone_masked"] == "139****1234"
    department = DepartmentFactory(kind=Department.Kind.CIVIL_AFFAIRS, region_id=FENGHUANG)
    created = client.post(
        "/api/v1/accounts/users",
        {"username": "fh_api", "full_name": "接口", "role": "department_staff", "department_id": department.pk},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["temporary_password"]
    url = f"/api/v1/accounts/users/{huayuan_civil_clerk.pk}"
    assert (
        client.post(f"{url}/deactivate", {"reason": "调离"}, content_type="application/json").json()["is_active"]
        is False
    )
    assert client.post(f"{url}/reactivate", {}, content_type="application/json").json()["is_active"] is True
    assert client.post(f"{url}/reset-password").json()["user"]["must_change_password"] is True
    assert client.post(f"{url}/unlock").json()["cleared_attempts"] == 0
    blind = f"/api/v1/accounts/users/{province_civil_affairs.pk}"
    assert client.get(blind).status_code == 404
    assert client.post(f"{blind}/reset-password").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [({"username": "有 空格"}, "username"), ({"region_code": None}, "region"), ({"username": "sbd"}, "username")],
)
def test_account_input_errors_name_the_field(county_official, village_submitter, fields, field):
    values = {"username": "sbd_new", "full_name": "村干部", "role": "submitter", "region_code": SHIBADONG, **fields}
    with pytest.raises(ValidationFailed) as exc:
        services.create_account(actor=county_official, **values)
    assert exc.value.errors[0].field == field
