"""Disbursements to pairings, campaign activities and rooms; donation refunds; the money rollups."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.funds import leaves, ledger, services
from xiangzhen.funds.models import Disbursement, Donation, DonationRefund, JournalEntry
from xiangzhen.funds.tests.conftest import donate
from xiangzhen.funds.validation import DisbursementData, RefundData
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.stats import rollups
from xiangzhen.stats.models import Rollup
from xiangzhen.tlog.models import LogEntry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
MONEY_METRICS = {"money_donated", "money_disbursed"}


def money_differences() -> list[str]:
    """The recount's differences in the money metrics (pairings and activities made directly here
    count in their own apps' metrics, which their services would have tallied)."""
    return [line for line in rollups.differences(limit=1000) if line.split()[0] in MONEY_METRICS]


def pay_to(fund, actor, kind, number, amount="100"):
    data = DisbursementData(
        amount=amount, paid_on=TODAY(), payee="收款单位", purpose="矩阵", target_kind=kind, target_number=number
    )
    return services.record_disbursement(actor=actor, fund=fund, data=data)


def refund(donation, actor, amount, **changes):
    data = RefundData(amount=amount, refunded_on=TODAY(), reason="捐赠方要求退回").merged(changes)
    return services.refund_donation(actor=actor, donation=donation, data=data)


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="凤凰县另一家组织", region_id="433123000000")


@pytest.fixture
def pairing(other_organization, county_official):
    from xiangzhen.pairings.models import Pairing

    return Pairing.objects.create(
        number="JD-433124-2026-900001", organization=other_organization, region_id="433124110226",
        origin="staff", status="active", start_date=TODAY(), end_date=TODAY() + timedelta(days=365),
        proposed_by=county_official,
    )  # fmt: skip


@pytest.fixture
def campaign(province_civil_affairs):
    from xiangzhen.campaigns.models import Campaign

    return Campaign.objects.create(
        number="ZX-430000-2026-900001", kind="relief", name="扶弱济困助振兴", region_id="430000000000",
        description="矩阵", start_date=TODAY(), end_date=TODAY() + timedelta(days=90), status="published",
        created_by=province_civil_affairs,
    )  # fmt: skip


@pytest.fixture
def activity(campaign, other_organization, province_civil_affairs):
    from xiangzhen.campaigns.models import Activity

    return Activity.objects.create(
        number="HD-433123-2026-900001", campaign=campaign, organization=other_organization, title="送医下乡",
        held_on=TODAY(), region_id="433123101002", description="义诊", recorded_by=province_civil_affairs,
    )  # fmt: skip


@pytest.fixture
def clinic(organization, org_admin):
    from xiangzhen.facilities.tests.factories import room_in_use

    return room_in_use(organization, org_admin, kind="clinic_room", name="十八洞村医生小屋")


# ---------------------------------------------------------------- new targets


def test_pairing_of_any_organization_activity_and_room_can_be_paid(fund, org_admin, pairing, activity, clinic):
    donate(fund, org_admin, amount="1000")
    paid = [pay_to(fund, org_admin, kind, record.number) for kind, record in
            (("pairing", pairing), ("activity", activity), ("facility", clinic))]  # fmt: skip
    assert [d.target_kind for d in paid] == ["pairing", "activity", "facility"]
    assert [d.target for d in paid] == [pairing, activity, clinic]
    for disbursement in paid:
        leaf = json.loads(LogEntry.objects.get(kind="disbursement", number=disbursement.number).leaf)["data"]
        assert (leaf["target_kind"], leaf["target"]) == (disbursement.target_kind, disbursement.target_number)
        assert leaves.rebuild_disbursement(disbursement.number) == leaves.disbursement_payload(disbursement)
    assert ledger.totals(fund).balance == Decimal("700.00")
    assert money_differences() == []


def test_targets_must_exist_and_be_able_to_receive_money(fund, org_admin, pairing, activity, clinic, campaign):
    from xiangzhen.campaigns.models import Campaign
    from xiangzhen.facilities import services as facilities
    from xiangzhen.pairings.models import Pairing

    donate(fund, org_admin, amount="1000")
    with pytest.raises(ValidationFailed, match="找不到结对帮扶"):
        pay_to(fund, org_admin, "pairing", "JD-nothing")
    with pytest.raises(ValidationFailed, match="类型"):
        pay_to(fund, org_admin, "village", "X")
    with pytest.raises(ValidationFailed, match="编号"):
        pay_to(fund, org_admin, "facility", "")
    Pairing.objects.filter(pk=pairing.pk).update(status="ended")
    with pytest.raises(ValidationFailed, match="结对中或年度考核中"):
        pay_to(fund, org_admin, "pairing", pairing.number)
    Campaign.objects.filter(pk=campaign.pk).update(status="draft")
    with pytest.raises(ValidationFailed, match="尚未发布"):
        pay_to(fund, org_admin, "activity", activity.number)
    facilities.close_facility(actor=org_admin, facility=clinic, reason="停用")
    with pytest.raises(ValidationFailed, match="建设中或使用中"):
        pay_to(fund, org_admin, "facility", clinic.number)
    assert not Disbursement.objects.exists()


def test_restricted_money_follows_the_target_domains(fund, org_admin, pairing, clinic, project):
    donate(fund, org_admin, amount="500", restricted_domain="health", receipt_number="H1")
    donate(fund, org_admin, amount="200", restricted_project=project.number, receipt_number="P1")
    # A pairing has no domain: only unrestricted money (none here) may pay it.
    with pytest.raises(ValidationFailed, match="限定用途"):
        pay_to(fund, org_admin, "pairing", pairing.number, "10")
    # A clinic room is health work: the health money pays it, the project's money never does.
    paid = pay_to(fund, org_admin, "facility", clinic.number, "500")
    draws = {line.account.purpose: line.debit for line in paid.entry.lines.filter(account__kind="expense")}
    assert draws == {"domain:health": Decimal("500.00")}
    with pytest.raises(ValidationFailed, match=r"可用余额仅 ¥0\.00"):
        pay_to(fund, org_admin, "facility", clinic.number, "1")


def test_old_target_fields_still_work(fund, org_admin, project):
    donate(fund, org_admin, amount="100")
    data = DisbursementData(amount="10", paid_on=TODAY(), payee="村委会", purpose="教材", project_number=project.number)
    disbursement = services.record_disbursement(actor=org_admin, fund=fund, data=data)
    leaf = json.loads(LogEntry.objects.get(number=disbursement.number).leaf)["data"]
    assert leaf["target_kind"] == "project" and leaf["target"] == project.number


def test_money_disbursed_is_counted_where_the_money_went(fund, org_admin, pairing, activity, project):
    donate(fund, org_admin, amount="1000")
    pay_to(fund, org_admin, "pairing", pairing.number, "100")
    pay_to(fund, org_admin, "activity", activity.number, "200")
    pay_to(fund, org_admin, "project", project.number, "300")
    month = TODAY().replace(day=1)
    disbursed = {
        (r.region_code, r.dimension): r.value for r in Rollup.objects.filter(metric="money_disbursed", month=month)
    }
    assert disbursed == {
        ("433124000000", "pairing"): Decimal("100.00"),
        ("433123000000", "activity"): Decimal("200.00"),
        ("433124000000", "project"): Decimal("300.00"),
    }
    participation = Rollup.objects.filter(metric="org_participation", month=month, dimension=str(fund.organization_id))
    assert {r.region_code for r in participation} == {"433124000000", "433123000000"}


# ---------------------------------------------------------------- refunds


def test_partial_then_full_refund_is_a_new_balanced_entry(fund, org_admin):
    donation = donate(fund, org_admin, amount="800")
    entries = JournalEntry.objects.count()
    first = refund(donation, org_admin, "300")
    assert first.number.startswith("TK-433124-") and JournalEntry.objects.count() == entries + 1
    assert Donation.objects.get(pk=donation.pk).amount == Decimal("800.00")  # the donation is never edited
    assert ledger.unbalanced_entries() == []
    assert ledger.totals(fund) == ledger.Totals(Decimal("500.00"), Decimal("0.00"), Decimal("500.00"))
    with pytest.raises(ValidationFailed, match=r"可退的金额 ¥500\.00"):
        refund(donation, org_admin, "600")
    refund(donation, org_admin, "500")
    assert ledger.totals(fund).balance == Decimal("0.00")
    leaf = json.loads(LogEntry.objects.get(kind="donation_refund", number=first.number).leaf)["data"]
    assert leaf["donation"] == donation.number and leaf["amount"] == "300.00" and "reason" not in leaf
    assert leaves.rebuild_refund(first.number) == leaves.refund_payload(first)
    month = TODAY().replace(day=1)
    assert Rollup.objects.get(metric="money_donated", month=month).value == Decimal("0.00")
    assert money_differences() == []


def test_refund_refused_when_the_purpose_money_was_spent(fund, org_admin, project):
    donation = donate(fund, org_admin, amount="500", restricted_project=project.number)
    donate(fund, org_admin, amount="1000", receipt_number="U1")
    data = DisbursementData(
        amount="400", paid_on=TODAY(), payee="村委会", purpose="教材", project_number=project.number
    )
    services.record_disbursement(actor=org_admin, fund=fund, data=data)
    with pytest.raises(ValidationFailed, match=r"可用余额仅 ¥100\.00"):
        refund(donation, org_admin, "200")
    assert refund(donation, org_admin, "100").amount == Decimal("100.00")
    assert ledger.available_by_purpose(fund)[ledger.project_purpose(project)] == Decimal("0.00")


def test_refund_rules(fund, org_admin, org_member, county_civil_affairs):
    donation = donate(fund, org_admin, amount="100")
    for actor in (org_member, county_civil_affairs):
        with pytest.raises(Forbidden):
            refund(donation, actor, "10")
    with pytest.raises(ValidationFailed, match="原因"):
        refund(donation, org_admin, "10", reason=" ")
    with pytest.raises(ValidationFailed, match="早于捐赠日期"):
        refund(donation, org_admin, "10", refunded_on=donation.donated_on - timedelta(days=1))
    assert not DonationRefund.objects.exists()


def test_receipt_still_verifies_and_shows_the_refund(client, fund, org_admin):
    from xiangzhen.tlog import conf, verify

    donation = donate(fund, org_admin, amount="800")
    returned = refund(donation, org_admin, "300")
    page = client.get(f"/funds/public/receipts/{donation.number}/").content.decode()
    assert returned.number in page and "捐赠方要求退回" not in page
    document = json.loads(client.get(f"/funds/public/receipts/{donation.number}/download/").content)
    assert document["donation"]["refunds"][0]["number"] == returned.number
    assert "有效" in verify.verify_receipt(document, verify.load_key(conf.verifier_key().text()))
    public = client.get(f"/funds/public/{fund.pk}/").content.decode()
    assert returned.number in public


def test_refund_and_new_targets_through_api_and_pages(client, fund, org_admin, clinic):
    donation = donate(fund, org_admin, amount="800")
    client.force_login(org_admin)
    url = f"/api/v1/funds/{fund.pk}/donations/{donation.number}/refunds"
    body = {"amount": "50", "refunded_on": str(TODAY()), "reason": "重复转账"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["donation_number"] == donation.number
    assert client.get(f"/api/v1/funds/{fund.pk}/refunds").json()["items"][0]["reason"] == "重复转账"
    assert "reason" not in client.get(f"/api/v1/funds/public/{fund.pk}/refunds").json()["items"][0]
    assert client.get(f"/funds/{fund.pk}/donations/{donation.number}/refund/").status_code == 200
    page = client.post(
        f"/funds/{fund.pk}/disbursements/new/",
        {"target_kind": "facility", "target_number": clinic.number, "amount": "20", "paid_on": str(TODAY()),
         "payee": "十八洞村村委会", "purpose": "药品柜"},
    )  # fmt: skip
    assert page.status_code == 302
    disbursement = Disbursement.objects.get(facility=clinic)
    listed = client.get(f"/api/v1/funds/{fund.pk}/disbursements").json()["items"][0]
    assert (listed["target_kind"], listed["target_label"]) == ("facility", "四小建设")
    detail = client.get(f"/funds/{fund.pk}/").content.decode()
    assert disbursement.number in detail and clinic.name in detail
    assert client.get(f"/funds/{fund.pk}/refunds/export/").status_code == 200
