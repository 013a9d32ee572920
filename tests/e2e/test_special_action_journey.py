"""结对帮扶助振兴 in a real browser on a phone: an organization proposes a pairing with a key village,
the county confirms it, the organization buys the village's produce and holds an activity there
with a member's volunteer hours, and the county sees the pairing's progress move."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xiangzhen.accounts.tests.factories import PASSWORD
from xiangzhen.campaigns.models import Campaign, Enrollment
from xiangzhen.consumption.models import Product
from xiangzhen.pairings.models import Pairing
from xiangzhen.regions.models import Designation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHIBADONG = "433124110226"  # 十八洞村, 双龙镇, 花垣县


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def switch_user(page, live_server, user) -> None:
    page.get_by_role("button", name="退出").click()
    log_in(page, live_server, user)


def open_menu(page, label: str) -> None:
    toggle = page.get_by_role("button", name="菜单")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name=label, exact=True).click()


def heading(page):
    return page.get_by_role("heading", level=1)


def pick_shibadong(page) -> None:
    page.get_by_role("combobox", name="搜索区划").fill("十八洞")
    page.get_by_role("listbox").get_by_role("option", name=re.compile(f"十八洞村.*{SHIBADONG}")).click()
    expect(page.get_by_role("combobox", name="选择村")).to_have_value(SHIBADONG)


def progress_row(page, label: str):
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=re.compile(f"^{label}")))


def test_a_pairing_with_a_key_village_and_its_progress(
    page, live_server, taxonomies, organization, org_admin, org_member, county_official
):
    today = timezone.localdate()
    Designation.objects.create(region_id=SHIBADONG, kind=Designation.Kind.KEY_ASSISTED_VILLAGE)
    product = Product.objects.create(
        number="CP-433124-2026-700001", name="十八洞猕猴桃", producer_name="十八洞村猕猴桃合作社",
        producer_kind=Product.ProducerKind.COOPERATIVE, origin_id=SHIBADONG, category=Product.Category.FRUIT_VEGETABLE,
        unit="箱", price=Decimal("80.00"), created_by=county_official,
    )  # fmt: skip
    campaign = Campaign.objects.create(
        number="ZX-433124-2026-700001", kind=Campaign.Kind.PAIRING, name="花垣县结对帮扶助振兴行动",
        region_id="433124000000", description="组织社会组织与重点帮扶村结对。", start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=300), status=Campaign.Status.PUBLISHED, published_at=timezone.now(),
        created_by=county_official,
    )  # fmt: skip
    Enrollment.objects.create(campaign=campaign, organization=organization, enrolled_by=org_admin)

    # The organization's admin proposes a pairing with 十八洞村, a key assisted village.
    log_in(page, live_server, org_admin)
    open_menu(page, "结对帮扶")
    page.get_by_role("link", name="申请结对").click()
    pick_shibadong(page)
    page.get_by_label(re.compile(r"^开始日期")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^结束日期")).fill((today + timedelta(days=730)).isoformat())
    page.get_by_label(re.compile(r"^承诺志愿服务")).fill("20")
    page.get_by_label(re.compile(r"^承诺消费帮扶")).fill("1000")
    page.get_by_label("结对说明").fill("采购村合作社猕猴桃，每月到村开展留守儿童关爱活动。")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text("待确认")
    pairing = Pairing.objects.get()
    assert pairing.region_id == SHIBADONG and pairing.organization == organization

    # The county's rural revitalization staff find it among the key villages and confirm it.
    switch_user(page, live_server, county_official)
    open_menu(page, "结对帮扶")
    page.get_by_role("link", name="重点村结对情况").click()
    expect(page.get_by_role("row", name=re.compile("十八洞村"))).to_contain_text("未结对")
    open_menu(page, "结对帮扶")
    page.get_by_role("link", name=pairing.number).click()
    page.get_by_role("button", name="确认结对").click()
    expect(heading(page)).to_contain_text("结对中")
    expect(progress_row(page, "消费帮扶")).to_contain_text("0.0%")

    # The organization buys five boxes of the village's kiwis…
    switch_user(page, live_server, org_admin)
    page.goto(f"{live_server.url}/consumption/purchases/new/?product={product.pk}")
    page.get_by_label(re.compile(r"^采购日期")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^发票号码")).fill("FP-2026-0001")
    page.locator("#id_lines-0-quantity").fill("5")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(re.compile(r"/consumption/batches/\d+/$"))

    # …and holds an activity in the village where a member gives three hours.
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/activities/new/")
    page.get_by_label(re.compile(r"^活动名称")).fill("十八洞村留守儿童周末陪伴")
    page.get_by_label(re.compile(r"^活动日期")).fill(today.isoformat())
    pick_shibadong(page)
    page.get_by_label(re.compile(r"^活动内容")).fill("志愿者陪伴 12 名留守儿童读书、做手工。")
    page.get_by_role("button", name="保存").click()
    expect(heading(page)).to_contain_text("十八洞村留守儿童周末陪伴")
    page.get_by_label(re.compile(r"^参与人")).select_option(label=org_member.full_name)
    page.get_by_label(re.compile(r"^志愿服务时长")).fill("3")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(org_member.full_name))).to_contain_text("3")

    # The county sees the pairing's progress move: ¥400 of ¥1000 bought, 3 of 20 hours given.
    switch_user(page, live_server, county_official)
    page.goto(f"{live_server.url}/pairings/{pairing.pk}/")
    expect(progress_row(page, "消费帮扶")).to_contain_text("40.0%")
    expect(progress_row(page, "消费帮扶")).to_contain_text("400")
    expect(progress_row(page, "志愿服务")).to_contain_text("15.0%")
    page.goto(f"{live_server.url}/pairings/key-villages/")
    expect(page.get_by_role("row", name=re.compile("十八洞村"))).to_contain_text(organization.name)
