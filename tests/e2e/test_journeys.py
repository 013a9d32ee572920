"""Each role's first journey, in a real browser on a phone-sized screen."""

import re

import pytest

from xiangzhen.accounts.models import ApiToken
from xiangzhen.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def open_menu(page, label: str) -> None:
    # On a phone the menu is folded behind the 菜单 button.
    toggle = page.get_by_role("button", name="菜单")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name=label).click()


def test_county_official_issues_an_api_token(page, live_server, regions_loaded, county_official):
    log_in(page, live_server, county_official.username)
    assert page.get_by_text("数据范围").is_visible()
    open_menu(page, "接口令牌")
    page.get_by_label("用途").fill("县级业务系统对接")
    page.get_by_role("button", name="创建令牌").click()
    secret = page.locator("#new-secret").inner_text()
    assert secret.startswith("xz_")
    assert page.get_by_role("cell", name="县级业务系统对接").is_visible()
    token = ApiToken.objects.get(user=county_official)
    assert token.name == "县级业务系统对接" and token.revoked_at is None


def test_county_civil_affairs_approves_a_registration(page, live_server, regions_loaded, county_civil_affairs):
    from xiangzhen.organizations.models import Organization
    from xiangzhen.organizations.tests.factories import OrganizationFactory

    pending = OrganizationFactory(name="花垣县苗乡助学促进会", status=Organization.Status.SUBMITTED)
    log_in(page, live_server, county_civil_affairs.username)
    open_menu(page, "社会组织")
    page.get_by_role("link", name="花垣县苗乡助学促进会").click()
    page.get_by_role("link", name=re.compile("审核")).click()
    page.get_by_role("button", name="通过").click()
    page.wait_for_url(re.compile(rf"/organizations/{pending.pk}/$"))
    assert page.get_by_text("已通过").first.is_visible()
    pending.refresh_from_db()
    assert pending.status == Organization.Status.APPROVED
    assert pending.reviewed_by == county_civil_affairs


def test_org_admin_invites_a_member_who_joins(page, live_server, regions_loaded, org_admin, organization, mailoutbox):
    log_in(page, live_server, org_admin.username)
    open_menu(page, "社会组织")
    page.get_by_role("link", name=organization.name).click()
    page.get_by_role("link", name="成员与邀请").click()
    page.get_by_label("姓名").fill("麻秀英")
    page.get_by_label("邮箱").fill("maxiuying@example.com")
    page.get_by_role("button", name="发送邀请").click()
    assert page.get_by_role("cell", name="maxiuying@example.com").is_visible()
    secret = re.search(r"/organizations/invitations/([\w-]+)/", mailoutbox[0].body).group(1)

    page.get_by_role("button", name="退出").click()
    page.goto(f"{live_server.url}/organizations/invitations/{secret}/")
    page.get_by_label("用户名").fill("maxiuying")
    page.get_by_label(re.compile(r"^密码")).fill("Miaoxiu-2026!")
    page.get_by_label("再次输入密码").fill("Miaoxiu-2026!")
    page.get_by_role("button", name=re.compile("加入")).click()
    page.wait_for_url(re.compile(r"/$|/organizations/"))
    assert organization.memberships.filter(user__username="maxiuying", is_active=True).exists()
