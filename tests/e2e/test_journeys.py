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
