"""A need from the village to its evaluation, and 点单 from the demand side, in a real browser on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xiangzhen.accounts.tests.factories import PASSWORD
from xiangzhen.demands.models import Demand
from xiangzhen.matching.models import Match, MatchEvaluation
from xiangzhen.matching.tests.factories import DemandFactory
from xiangzhen.offers.tests.factories import OfferFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHIBADONG = "433124110226"  # 十八洞村, 双龙镇, 花垣县


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def switch_user(page, live_server, user) -> None:
    """Sign the current person out (the 退出 button in the header) and the next one in."""
    page.get_by_role("button", name="退出").click()
    log_in(page, live_server, user)


def open_menu(page, label: str) -> None:
    # On a phone the menu is folded behind the 菜单 button; 需求项目 and 需求项目库 differ, hence exact.
    toggle = page.get_by_role("button", name="菜单")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name=label, exact=True).click()


def heading(page):
    return page.get_by_role("heading", level=1)


def open_match(page, number: str) -> None:
    open_menu(page, "供需对接")
    page.get_by_role("link", name=number).click()
    expect(heading(page)).to_contain_text(number)


def press(page, button: str, then_status: str) -> None:
    """A one-click action on the match page; the page comes back with the match's new status."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(heading(page)).to_contain_text(then_status)


def test_a_village_need_is_taken_delivered_and_evaluated(
    page, live_server, taxonomies, village_submitter, county_official, organization, org_admin
):
    offer = OfferFactory(
        organization=organization, created_by=org_admin, status="published", title="苗乡留守儿童课后陪伴计划"
    )
    title = "十八洞村留守儿童暑期课业辅导"

    # The village submitter proposes the need and submits it for review.
    log_in(page, live_server, village_submitter)
    open_menu(page, "需求项目")
    page.get_by_role("link", name="填报需求").click()
    page.get_by_label(re.compile(r"^标题")).fill(title)
    page.get_by_label(re.compile(r"^需求描述")).fill(
        "村里 24 名留守儿童暑假无人辅导功课，希望每周开展三次课业辅导和阅读陪伴。"
    )
    page.get_by_role("combobox", name="搜索区划").fill("十八洞")
    page.get_by_role("listbox").get_by_role("option", name=re.compile(f"十八洞村.*{SHIBADONG}")).click()
    expect(page.get_by_role("combobox", name="选择村")).to_have_value(SHIBADONG)
    page.get_by_label("教育", exact=True).check()
    page.get_by_label(re.compile(r"^所需资金")).fill("20000")
    page.get_by_label(re.compile(r"^征集截止日期")).fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_label(re.compile(r"^联系人")).fill("施成富")
    page.get_by_label(re.compile(r"^联系电话")).fill("13974312345")
    page.get_by_label("农村留守儿童", exact=True).fill("24")
    page.get_by_role("button", name="保存并提交审核").click()
    expect(heading(page)).to_contain_text("待审核")
    demand = Demand.objects.get(title=title)
    assert demand.region_id == SHIBADONG and demand.entered_by == village_submitter
    assert demand.beneficiaries.get().head_count == 24

    # The county official reviews and publishes it.
    switch_user(page, live_server, county_official)
    open_menu(page, "需求项目")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=re.compile("审核：发布")).click()
    page.get_by_role("button", name="审核发布").click()
    expect(heading(page)).to_contain_text("已发布")

    # The organization's admin finds it in the public library and takes it, naming its offer.
    switch_user(page, live_server, org_admin)
    open_menu(page, "需求项目")  # people of an organization land on the public library
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=re.compile("对接情况")).click()
    page.get_by_role("link", name="接单", exact=True).click()
    page.get_by_label(re.compile(r"^社会组织")).select_option(label=organization.name)
    page.get_by_label("关联供给项目（可选）").select_option(label=f"{offer.title}（{organization.name}）")
    page.get_by_label(re.compile(r"^承诺资金")).fill("12000")
    page.get_by_label(re.compile(r"^计划服务人数")).fill("24")
    page.get_by_label("对接说明").fill("暑期每周三次，由志愿者教师上门辅导。")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text("待接受")
    match = Match.objects.get(demand=demand)
    assert match.origin == Match.Origin.TAKE and match.offer == offer

    # The demand side (the village submitter) accepts the take.
    switch_user(page, live_server, village_submitter)
    open_match(page, match.number)
    press(page, "接受对接", "待县级确认")

    # The county confirms.
    switch_user(page, live_server, county_official)
    open_match(page, match.number)
    press(page, "确认对接", "已确认")

    # The organization starts, records an activity and completes with a report.
    switch_user(page, live_server, org_admin)
    open_match(page, match.number)
    press(page, "开始实施", "实施中")
    page.get_by_role("link", name="记录活动").click()
    # 日期 comes filled in with today: the person only says what was done.
    expect(page.get_by_label(re.compile(r"^日期"))).to_have_value(timezone.localdate().isoformat())
    page.get_by_label(re.compile(r"^活动名称")).fill("第一周课业辅导")
    page.get_by_label("活动内容").fill("语文、数学作业辅导，绘本共读。")
    page.get_by_label(re.compile(r"^服务人数")).fill("24")
    page.get_by_label(re.compile(r"^投入资金")).fill("1500")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("cell", name=re.compile("第一周课业辅导"))).to_be_visible()
    page.get_by_role("link", name="提交完成报告").click()
    page.get_by_label(re.compile(r"^完成报告")).fill("暑期共开展辅导 18 次，服务留守儿童 24 人，投入资金 12000 元。")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text("已完成")

    # The village submitter evaluates.
    switch_user(page, live_server, village_submitter)
    open_match(page, match.number)
    page.get_by_role("link", name="评价", exact=True).click()
    page.get_by_label("5 分").check()
    page.get_by_label("评价意见").fill("孩子们暑假作业按时完成，家长很满意。")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text("已评价")
    expect(page.get_by_text("孩子们暑假作业按时完成")).to_be_visible()
    page.get_by_role("link", name=re.compile(title)).click()
    expect(heading(page)).to_contain_text("已评价")

    match.refresh_from_db()
    demand.refresh_from_db()
    assert match.status == Match.Status.EVALUATED
    assert match.accepted_by == village_submitter and match.confirmed_by == county_official
    assert match.activities.get().people_served == 24
    assert match.evaluations.get().by_side == MatchEvaluation.Side.DEMAND
    assert match.evaluations.get().score == 5
    assert demand.status == Demand.Status.EVALUATED


def test_the_county_orders_an_offer_for_a_published_demand(
    page, live_server, taxonomies, village_submitter, county_official, organization, org_admin
):
    demand = DemandFactory(entered_by=village_submitter, title="十八洞村留守儿童阅读角")
    offer = OfferFactory(
        organization=organization,
        created_by=org_admin,
        status="published",
        title="乡村儿童阅读陪伴",
        regions=["433124000000"],
        domains=["education"],
    )

    # The county official orders the offer from the demand's 对接情况 page.
    log_in(page, live_server, county_official)
    open_menu(page, "需求项目")
    page.get_by_role("link", name=demand.title).click()
    page.get_by_role("link", name=re.compile("对接情况")).click()
    page.get_by_role("link", name="点单：选择供给项目").click()
    page.get_by_label(f"{offer.title}（{organization.name}）").check()
    page.get_by_label(re.compile(r"^承诺资金")).fill("8000")
    page.get_by_label(re.compile(r"^计划服务人数")).fill("30")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text("待接受")
    match = Match.objects.get(demand=demand)
    assert match.origin == Match.Origin.ORDER and match.offer == offer and match.proposed_by == county_official

    # The organization's admin accepts.
    switch_user(page, live_server, org_admin)
    open_match(page, match.number)
    press(page, "接受对接", "待县级确认")

    # The county confirms; the demand is matched.
    switch_user(page, live_server, county_official)
    open_match(page, match.number)
    press(page, "确认对接", "已确认")
    page.get_by_role("link", name=re.compile(demand.title)).click()
    expect(heading(page)).to_contain_text("已对接")

    match.refresh_from_db()
    demand.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    assert match.accepted_by == org_admin and match.confirmed_by == county_official
    assert demand.status == Demand.Status.MATCHED
