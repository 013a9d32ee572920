"""A matchmaking fair in a real browser on a phone, from registration to a match made at it: the county
publishes the event and features a village's demand, an organization registers and is checked in,
takes the featured demand at the event, the county confirms, and the event's results count it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xiangzhen.accounts.tests.factories import PASSWORD
from xiangzhen.events.models import Event, EventRegistration
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HUAYUAN = "433124000000"


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def switch_user(page, live_server, user) -> None:
    page.get_by_role("button", name="退出").click()
    log_in(page, live_server, user)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_match_made_at_a_matchmaking_fair_is_counted(
    page, live_server, taxonomies, village_submitter, county_official, organization, org_admin
):
    today = timezone.localdate()
    demand = DemandFactory(entered_by=village_submitter, title="十八洞村留守儿童课后辅导")

    # The county's staff create and publish the fair, then feature the village's demand at it.
    log_in(page, live_server, county_official)
    page.goto(f"{live_server.url}/events/new/")
    page.get_by_label(re.compile(r"^类型")).select_option(label="项目对接会")
    page.get_by_label(re.compile(r"^名称")).fill("花垣县乡村振兴项目对接会")
    page.get_by_label(re.compile(r"^地点")).fill("花垣县政务中心")
    page.get_by_label(re.compile(r"^主办单位")).fill("花垣县民政局")
    page.get_by_label(re.compile(r"^开始日期")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^结束日期")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^名额")).fill("20")
    # The region last, and saved at once: the picker holds the pick before it has walked the selects
    # down to it (a request per level), as a person in a hurry would find.
    page.get_by_role("combobox", name="搜索区划").fill("花垣")
    page.get_by_role("listbox").get_by_role("option", name=re.compile(f"花垣县.*{HUAYUAN}")).click()
    page.get_by_role("button", name="保存并发布").click()
    expect(heading(page)).to_contain_text("已发布")
    event = Event.objects.get()
    assert event.region_id == HUAYUAN
    page.get_by_label("推介需求项目").select_option(value=str(demand.pk))
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(demand.title))).to_be_visible()

    # The organization's admin registers for it from the public event page.
    switch_user(page, live_server, org_admin)
    page.goto(f"{live_server.url}/events/public/{event.pk}/")
    page.get_by_role("link", name="报名参加").click()
    page.get_by_label("以社会组织名义").select_option(label=organization.name)
    page.get_by_label(re.compile(r"^联系人")).fill("张三")
    page.get_by_label(re.compile(r"^联系电话")).fill("13912345678")
    page.get_by_role("button", name="提交报名").click()
    row = page.get_by_role("row", name=re.compile(organization.name))
    expect(row).to_contain_text("已报名")
    expect(row).to_contain_text("139****5678")

    # At the door, the county's staff check the organization in.
    switch_user(page, live_server, county_official)
    page.goto(f"{live_server.url}/events/{event.pk}/registrations/")
    page.get_by_role("button", name=f"为{organization.name}签到").click()
    expect(page.get_by_role("row", name=re.compile(organization.name))).to_contain_text("已签到")
    assert EventRegistration.objects.get().status == "checked_in"

    # At the fair, the organization takes the featured demand.
    switch_user(page, live_server, org_admin)
    page.goto(f"{live_server.url}/events/public/{event.pk}/")
    page.get_by_role("link", name="在本次活动中对接").click()
    expect(page.get_by_text("本次对接将记为活动对接")).to_be_visible()
    page.get_by_label(re.compile(r"^承诺资金")).fill("6000")
    page.get_by_label(re.compile(r"^计划服务人数")).fill("30")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text("待接受")
    match = Match.objects.get()
    assert match.origin == Match.Origin.EVENT and match.event == event

    # The county (the demand side of a 接单) accepts, then confirms.
    switch_user(page, live_server, county_official)
    page.goto(f"{live_server.url}/matches/{match.pk}/")
    page.get_by_role("button", name="接受对接", exact=True).click()
    expect(heading(page)).to_contain_text("待县级确认")
    page.get_by_role("button", name="确认对接", exact=True).click()
    expect(heading(page)).to_contain_text("已确认")

    # The event's results show one match made at it.
    page.goto(f"{live_server.url}/events/public/{event.pk}/")
    expect(page.get_by_test_id("event-matches")).to_contain_text("1（已确认 1）")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    expect(page.get_by_test_id("event-matches")).to_contain_text("1（已确认 1）")
