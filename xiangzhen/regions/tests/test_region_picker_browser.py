"""The region picker in a real browser (Debian's Chromium via Playwright), on the designations page."""

import pytest
from playwright.sync_api import expect

from conftest import HUAYUAN, SHIBADONG

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_in_page(page, live_server, regions_loaded, settings, tmp_path):
    from django.test import Client

    from xiangzhen.accounts.models import Department
    from xiangzhen.accounts.tests.factories import staff

    settings.VAR_DIR = tmp_path
    client = Client()
    client.force_login(staff(Department.Kind.RURAL_REVITALIZATION, "430000000000", username="hn_xc"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    yield page, live_server.url


def test_search_pick_cascade_and_submit(signed_in_page):
    from xiangzhen.regions.models import Designation

    page, base = signed_in_page
    page.goto(f"{base}/regions/designations/")
    picker = page.locator(".region-picker").first
    code_input = picker.locator('input[name="set-region"]')
    assert code_input.get_attribute("type") == "hidden"  # the plain input was taken over
    search = picker.locator('input[type="search"]')
    search.fill("sbd")
    option = picker.locator(".region-picker-suggestions li", has_text="十八洞村")
    option.click()
    # the value is the pick at once; then the cascade shows the path: province, city, county,
    # township, village (built with a request per level, so waited for)
    assert code_input.input_value() == SHIBADONG
    selects = picker.locator("select")
    expect(selects).to_have_count(5)
    expect(selects.nth(2)).to_have_value(HUAYUAN)
    expect(picker.locator(".region-picker-status")).to_contain_text("十八洞村")

    # clearing the township select leaves the county chosen, a level this field accepts
    selects.nth(3).select_option("")
    page.wait_for_function("() => document.querySelector('input[name=\"set-region\"]').value === '433124000000'")
    page.locator('input[value="national_key_county"]').check()
    page.get_by_role("button", name="保存认定").click()
    page.wait_for_url("**set-region=433124000000")
    assert Designation.objects.filter(region_id=HUAYUAN, kind="national_key_county").exists()

    # the form re-opens pre-filled: the picker rebuilds the cascade from the ancestors
    picker = page.locator(".region-picker").first
    page.wait_for_function("() => document.querySelectorAll('.region-picker select').length >= 3")
    assert picker.locator("select").nth(2).input_value() == HUAYUAN


def test_without_javascript_the_code_input_still_works(signed_in_page):
    page, base = signed_in_page
    page.route("**/region-picker.js", lambda route: route.abort())
    page.goto(f"{base}/regions/designations/")
    code_input = page.locator('input[name="set-region"]')
    assert code_input.get_attribute("type") == "text"
    code_input.fill(SHIBADONG)
    page.locator('input[value="key_assisted_village"]').check()
    page.get_by_role("button", name="保存认定").click()
    page.wait_for_url(f"**set-region={SHIBADONG}")
