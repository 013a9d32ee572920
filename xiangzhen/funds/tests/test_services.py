import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.funds import leaves, ledger, services
from xiangzhen.funds.models import Disbursement, Donation, Fund, JournalEntry, JournalLine
from xiangzhen.funds.tests.conftest import donate, fund_data
from xiangzhen.funds.validation import DisbursementData, DisclosureData
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
from xiangzhen.tlog.models import LogEntry

pytestmark = pytest.mark.django_db


def pay(fund, actor, amount, **target):
    target = target or {}
    data = DisbursementData(
        amount=amount, paid_on=timezone.localdate(), payee="十八洞村村委会", purpose="课后辅导教材", **target
    )
    return services.record_disbursement(actor=actor, fund=fund, data=data)


# ---------------------------------------------------------------- workflow


def test_new_fund_is_a_numbered_draft_with_the_founder_encrypted(draft_fund):
    assert draft_fund.status == Fund.Status.DRAFT
    assert draft_fund.number.startswith("JJ-433124-")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT founder_name FROM funds_fund WHERE id = %s", [draft_fund.pk])
        stored = cursor.fetchone()[0]
    assert "龙大山" not in stored
    assert Fund.objects.get(pk=draft_fund.pk).founder_name == "龙大山"
    assert draft_fund.public_founder_name == "龙**"


def test_review_by_civil_affairs_of_the_registration_region(
    draft_fund, org_admin, county_civil_affairs, city_civil_affairs
):
    services.submit_fund(actor=org_admin, fund=draft_fund)
    with pytest.raises(Forbidden):
        services.approve_fund(actor=city_civil_affairs, fund=draft_fund)
    services.return_fund(actor=county_civil_affairs, fund=draft_fund, reason="请写明资助地区")
    assert draft_fund.status == Fund.Status.RETURNED and draft_fund.return_reason == "请写明资助地区"
    services.update_fund(actor=org_admin, fund=draft_fund, changes={"target_regions": ["433124110226"]})
    services.resubmit_fund(actor=org_admin, fund=Fund.objects.get(pk=draft_fund.pk))
    fund = services.approve_fund(actor=county_civil_affairs, fund=Fund.objects.get(pk=draft_fund.pk))
    assert fund.status == Fund.Status.ACTIVE and fund.activated_at is not None


def test_return_needs_a_reason(draft_fund, org_admin, county_civil_affairs):
    services.submit_fund(actor=org_admin, fund=draft_fund)
    with pytest.raises(ValidationFailed, match="原因"):
        services.return_fund(actor=county_civil_affairs, fund=draft_fund, reason=" ")


def test_draft_cannot_be_approved_or_closed(draft_fund, platform_admin, org_admin):
    with pytest.raises(InvalidTransition):
        services.approve_fund(actor=platform_admin, fund=draft_fund)
    with pytest.raises(InvalidTransition):
        services.close_fund(actor=org_admin, fund=draft_fund, reason="不办了")


def test_drafts_are_invisible_to_staff(draft_fund, county_civil_affairs):
    with pytest.raises(NotFound):
        services.submit_fund(actor=county_civil_affairs, fund=draft_fund)


def test_active_fund_cannot_be_edited(fund, org_admin):
    with pytest.raises(InvalidTransition):
        services.update_fund(actor=org_admin, fund=fund, changes={"name": "改名"})


def test_fund_needs_domains_and_regions(organization, org_admin):
    with pytest.raises(ValidationFailed) as caught:
        services.create_fund(
            actor=org_admin, organization=organization, data=fund_data(domains=[], target_regions=["999"])
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"domains", "target_regions"}


# ---------------------------------------------------------------- donations and the ledger


def test_donation_posts_balanced_lines_and_a_leaf(fund, org_member):
    donation = donate(fund, org_member, amount="1,234.50")
    assert donation.amount == Decimal("1234.50")
    lines = JournalLine.objects.filter(entry=donation.entry)
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines) == Decimal("1234.50")
    assert ledger.totals(fund).balance == Decimal("1234.50")
    entry = LogEntry.objects.get(kind="donation", number=donation.number)
    assert json.loads(entry.leaf)["data"]["amount"] == "1234.50"
    assert AuditEntry.objects.filter(action="funds.donation", object_id=str(donation.pk)).exists()


def test_donation_leaf_carries_no_personal_data(fund, org_admin):
    donation = donate(fund, org_admin, donor_name="石爱心", receipt_number="SJ-9", transaction_number="T1")
    leaf = LogEntry.objects.get(number=donation.number).leaf
    assert "石爱心" not in leaf and "SJ-9" not in leaf
    payload = leaves.donation_payload(donation)
    from xiangzhen.tlog.leaves import commitment_matches

    assert commitment_matches("石爱心", donation.donor_salt, payload["donor_commitment"])


def test_same_receipt_number_twice_is_refused(fund, org_admin):
    donate(fund, org_admin, receipt_number="SJ-7")
    with pytest.raises(ValidationFailed, match="已登记过"):
        donate(fund, org_admin, receipt_number="SJ-7", amount="5")
    assert Donation.objects.filter(fund=fund).count() == 1


def test_donation_amount_must_be_positive_with_two_decimals(fund, org_admin):
    for amount, message in (("0", "应大于 0"), ("-3", "应大于 0"), ("1.234", "两位小数"), ("一百", "金额")):
        with pytest.raises(ValidationFailed, match=message):
            donate(fund, org_admin, amount=amount)


def test_donations_need_an_active_fund(draft_fund, org_admin):
    with pytest.raises(InvalidTransition, match="运行中"):
        donate(draft_fund, org_admin)


def test_staff_cannot_record_money(fund, county_civil_affairs, platform_admin):
    for actor in (county_civil_affairs, platform_admin):
        with pytest.raises(Forbidden):
            donate(fund, actor)


# ---------------------------------------------------------------- disbursements


def test_disbursement_over_the_balance_is_refused_naming_the_available_amount(fund, org_admin, project):
    donate(fund, org_admin, amount="300")
    with pytest.raises(ValidationFailed) as caught:
        pay(fund, org_admin, "500", project_number=project.number)
    assert "¥300.00" in caught.value.message and "可用余额" in caught.value.message
    assert not Disbursement.objects.exists()


def test_restricted_money_is_never_spent_on_another_purpose(fund, org_admin, project, organization):
    donate(fund, org_admin, amount="1000", restricted_project=project.number, receipt_number="R1")
    match = MatchFactory(demand=DemandFactory(domains=["health"]), organization=organization, status="in_progress")
    with pytest.raises(ValidationFailed, match="限定用途"):
        pay(fund, org_admin, "10", match_number=match.number)
    paid = pay(fund, org_admin, "1000", project_number=project.number)
    assert ledger.available_by_purpose(fund)[ledger.project_purpose(project)] == Decimal("0.00")
    assert paid.amount == Decimal("1000.00")


def test_restricted_money_is_used_first_then_unrestricted(fund, org_admin, project):
    donate(fund, org_admin, amount="600", restricted_domain="education", receipt_number="R1")
    donate(fund, org_admin, amount="500", receipt_number="R2")
    disbursement = pay(fund, org_admin, "800", project_number=project.number)
    draws = {line.account.purpose: line.debit for line in disbursement.entry.lines.filter(account__kind="expense")}
    assert draws == {"domain:education": Decimal("600.00"), "": Decimal("200.00")}
    available = ledger.available_by_purpose(fund)
    assert available["domain:education"] == 0 and available[""] == Decimal("300.00")
    assert ledger.totals(fund) == ledger.Totals(Decimal("1100.00"), Decimal("800.00"), Decimal("300.00"))


def test_disbursement_to_a_confirmed_match_is_logged(fund, org_admin, organization):
    donate(fund, org_admin, amount="2000")
    match = MatchFactory(demand=DemandFactory(), organization=organization, status="confirmed")
    disbursement = pay(fund, org_admin, "1500", match_number=match.number)
    leaf = json.loads(LogEntry.objects.get(kind="disbursement", number=disbursement.number).leaf)
    assert leaf["data"]["target"] == match.number and leaf["data"]["amount"] == "1500.00"
    assert "十八洞村村委会" not in json.dumps(leaf, ensure_ascii=False)


def test_disbursement_to_an_unconfirmed_or_foreign_match_is_refused(fund, org_admin, organization):
    donate(fund, org_admin, amount="2000")
    proposed = MatchFactory(demand=DemandFactory(), organization=organization, status="proposed")
    with pytest.raises(ValidationFailed, match="县级确认"):
        pay(fund, org_admin, "10", match_number=proposed.number)
    foreign = MatchFactory(demand=DemandFactory(), status="in_progress")
    with pytest.raises(ValidationFailed, match="不属于本组织"):
        pay(fund, org_admin, "10", match_number=foreign.number)


def test_only_admins_pay_out(fund, org_admin, org_member, project):
    donate(fund, org_admin, amount="100")
    with pytest.raises(Forbidden):
        pay(fund, org_member, "10", project_number=project.number)


def test_every_entry_balances(fund, org_admin, project):
    donate(fund, org_admin, amount="100", receipt_number="A")
    donate(fund, org_admin, amount="50", restricted_project=project.number, receipt_number="B")
    pay(fund, org_admin, "120", project_number=project.number)
    assert ledger.unbalanced_entries() == []
    # An entry edited by hand is found.
    line = JournalLine.objects.filter(credit__gt=0).first()
    JournalLine.objects.filter(pk=line.pk).update(credit=line.credit + 1)
    assert ledger.unbalanced_entries() == [line.entry_id]


def test_an_unbalanced_entry_is_never_written(fund):
    with pytest.raises(ledger.UnbalancedEntry):
        services.post_entry(
            fund=fund, posted_on=timezone.localdate(), memo="x",
            lines=[ledger.Line("asset", "", debit=Decimal("1")), ledger.Line("net_assets", "", credit=Decimal("2"))],
        )  # fmt: skip
    assert not JournalEntry.objects.exists()


def test_rebuilt_payload_differs_after_an_edit(fund, org_admin):
    donation = donate(fund, org_admin, amount="100")
    logged = leaves.rebuild_donation(donation.number)
    Donation.objects.filter(pk=donation.pk).update(amount=Decimal("1000"))
    assert leaves.rebuild_donation(donation.number) != logged
    assert leaves.rebuild_donation("JZ-nothing") is None


# ---------------------------------------------------------------- disclosures


def test_disclosure_figures_come_from_the_ledger(fund, org_admin, project):
    donate(fund, org_admin, amount="900", restricted_project=project.number)
    pay(fund, org_admin, "400", project_number=project.number)
    today = timezone.localdate()
    disclosure = services.publish_disclosure(
        actor=org_admin,
        fund=fund,
        data=DisclosureData(
            period_start=today - timedelta(days=10),
            period_end=today,
            text="第一季度进展",
            project_number=project.number,
        ),
    )
    assert (disclosure.income, disclosure.expense, disclosure.balance) == (
        Decimal("900.00"), Decimal("400.00"), Decimal("500.00"),
    )  # fmt: skip


def test_disclosure_cannot_cover_the_future(fund, org_admin):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.publish_disclosure(
            actor=org_admin,
            fund=fund,
            data=DisclosureData(period_start=today, period_end=today + timedelta(days=1), text="x"),
        )
