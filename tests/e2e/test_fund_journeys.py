"""A donation recorded by a foundation on a phone, and its receipt verified by the donor offline."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_match_journeys import heading, log_in
from xiangzhen.funds import services
from xiangzhen.funds.tests.conftest import fund_data
from xiangzhen.tlog import conf, verify

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_donation_is_recorded_and_its_receipt_verifies_offline(
    page,
    live_server,
    taxonomies,
    organization,
    org_admin,
    county_civil_affairs,
    tmp_path,
):
    fund = services.create_fund(actor=org_admin, organization=organization, data=fund_data())
    services.submit_fund(actor=org_admin, fund=fund)
    services.approve_fund(actor=county_civil_affairs, fund=fund)

    # The foundation records a bank donation from its fund's page.
    log_in(page, live_server, org_admin)
    page.goto(f"{live_server.url}/funds/{fund.pk}/")
    page.get_by_role("link", name="登记捐赠").click()
    page.get_by_label("捐赠方类型").select_option(label="个人")
    page.get_by_role("textbox", name=re.compile(r"^捐赠方")).fill("石爱心")
    page.get_by_label("捐赠方要求对外匿名").check()
    page.get_by_label(re.compile(r"^金额")).fill("2,000")
    page.get_by_label(re.compile(r"^捐赠日期")).fill("2026-11-20")
    page.get_by_label("渠道").select_option(label="银行转账")
    page.get_by_label(re.compile(r"^收据编号")).fill("SJ-E2E-0001")
    page.get_by_role("button", name="提交").click()
    expect(heading(page)).to_contain_text(fund.name)
    expect(page.get_by_text("石爱心")).to_be_visible()  # the organization always sees the donor

    # A visitor opens the public page: the donor is anonymous, the receipt carries a QR code and a proof.
    page.get_by_role("button", name="退出").click()
    page.goto(f"{live_server.url}/funds/public/{fund.pk}/")
    expect(page.get_by_text("石爱心")).to_have_count(0)
    page.get_by_role("link", name="核验").first.click()
    expect(heading(page)).to_contain_text("捐赠电子凭证")
    expect(page.locator("svg").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载凭证文件")).click()
    path = tmp_path / "receipt.json"
    download.value.save_as(path)

    # The donor checks it with nothing but the file and the platform's public key.
    receipt = json.loads(path.read_text())
    assert receipt["donation"]["amount"] == "2000.00"
    assert "石爱心" not in path.read_text()
    verify.verify_receipt(receipt, verify.load_key(conf.verifier_key().text()))
    receipt["leaf"] = receipt["leaf"].replace("2000.00", "20000.00")
    with pytest.raises(verify.VerificationFailed):
        verify.verify_receipt(receipt, verify.load_key(conf.verifier_key().text()))
