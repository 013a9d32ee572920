"""Every write to funds: the fund and its review, projects, donations, disbursements, disclosures,
and the Excel import of donations. One business action per function, one transaction each; each
checks scope and permission, writes the audit trail, and money records append their
transparency-log leaf in the same transaction (so a rolled-back donation leaves no leaf).

Workflow: draft → submitted → (returned → submitted) → active → closed. Reviewers are the civil
affairs staff of exactly the organization's registration region (as for the organization itself).
Money moves only while the fund is active, and every movement locks the fund row first: two
disbursements at once queue on that lock, so the second sees the first and cannot overdraw.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.attachments import attach
from xiangzhen.core.crypto import mask_name
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version, stamp
from xiangzhen.core.uploads import ImportReport, all_rows_or_none
from xiangzhen.core.validation import Problems
from xiangzhen.funds import excel, leaves, ledger, rules, selectors, targets
from xiangzhen.funds.models import (
    DISBURSEMENT_TARGETS,
    Account,
    Disbursement,
    Disclosure,
    Donation,
    DonationRefund,
    Fund,
    FundProject,
    JournalEntry,
    JournalLine,
)
from xiangzhen.funds.validation import (
    CleanDonation,
    CleanFund,
    DisbursementData,
    DisclosureData,
    DonationData,
    FundData,
    ProjectData,
    RefundData,
    clean_donation_data,
    clean_fund_data,
    clean_project_data,
    parse_date,
    parse_money,
)
from xiangzhen.organizations.models import Organization
from xiangzhen.stats import rollups
from xiangzhen.tlog.services import append_leaf

Status = Fund.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("submit", "提交审核", frozenset({Status.DRAFT}), Status.SUBMITTED),
        Transition("return", "退回修改", frozenset({Status.SUBMITTED}), Status.RETURNED),
        Transition("resubmit", "重新提交", frozenset({Status.RETURNED}), Status.SUBMITTED),
        Transition("approve", "审核通过", frozenset({Status.SUBMITTED}), Status.ACTIVE),
        Transition("close", "关闭", frozenset({Status.ACTIVE}), Status.CLOSED),
    ],
)
REVIEW_ACTIONS = ("approve", "return")
ORGANIZATION_ACTIONS = ("submit", "resubmit")
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
PAYABLE_MATCH_STATUSES = targets.PAYABLE_MATCH_STATUSES
AUDIT_FIELDS = [*FundData.field_names(), "status", "return_reason", "close_reason", "version"]


def _snapshot(fund: Fund) -> dict[str, Any]:
    data = audit.snapshot(fund, AUDIT_FIELDS)
    data.pop("founder_name", None)  # personal data stays out of the audit trail
    return data


def _record(actor: Any, action: str, instance: Any, fund: Fund, **kwargs: Any) -> None:
    audit.record(
        actor=actor, action=f"funds.{action}", instance=instance, region_code=fund.organization.region_id, **kwargs
    )


def _require_visible(actor: Any, fund: Fund) -> None:
    if not selectors.funds(actor).filter(pk=fund.pk).exists():
        raise NotFound("专项基金不存在或无权查看")


def _lock(fund: Fund) -> Fund:
    """The fund row locked until the transaction ends: every money movement of a fund queues here."""
    return Fund.objects.select_for_update().select_related("organization").get(pk=fund.pk)


def _require_active(fund: Fund) -> None:
    if fund.status != Status.ACTIVE:
        raise InvalidTransition(
            f"专项基金“{fund.name}”当前为“{fund.get_status_display()}”，只有运行中的基金才能登记收支"
        )


def _write(fund: Fund, clean: CleanFund) -> None:
    for name in ("name", "founder_kind", "founder_name", "purpose"):
        setattr(fund, name, getattr(clean.data, name))


def _write_relations(fund: Fund, clean: CleanFund) -> None:
    fund.domains.set(clean.domains)
    fund.target_regions.set(clean.regions)


def post_entry(*, fund: Fund, posted_on: date, memo: str, lines: list[ledger.Line]) -> JournalEntry:
    """Write one balanced ledger entry (UnbalancedEntry, and nothing written, if it is not).
    Only this module's services call it, with the fund row locked."""
    ledger.check_balanced(lines)
    entry = JournalEntry.objects.create(fund=fund, posted_on=posted_on, memo=memo[:200])
    accounts = {
        (line.kind, line.purpose): Account.objects.get_or_create(fund=fund, kind=line.kind, purpose=line.purpose)[0]
        for line in lines
    }
    JournalLine.objects.bulk_create(
        JournalLine(entry=entry, account=accounts[(line.kind, line.purpose)], debit=line.debit, credit=line.credit)
        for line in lines
    )
    return entry


# ---------------------------------------------------------------- the fund and its review


@transaction.atomic
def create_fund(*, actor: Any, organization: Organization, data: FundData) -> Fund:
    """A member of `organization` drafts a fund; it gets its JJ number at once and stays private until approved."""
    if not rules.can_create_for(actor, organization):
        raise Forbidden("只有本组织的成员可以为该组织设立专项基金")
    clean = clean_fund_data(data)
    fund = Fund(organization=organization, status=Status.DRAFT, created_by=actor)
    _write(fund, clean)
    fund.number = next_number("JJ", organization.region_id)
    fund.save()
    _write_relations(fund, clean)
    _record(actor, "create", fund, fund, after=_snapshot(fund))
    return fund


@transaction.atomic
def update_fund(*, actor: Any, fund: Fund, changes: dict[str, Any], expected_version: int | None = None) -> Fund:
    """Drafts and returned funds only: what was approved stays what is shown."""
    _require_visible(actor, fund)
    locked = _lock(fund)
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"当前状态为“{locked.get_status_display()}”，只有草稿和已退回的基金可以修改")
    if not rules.is_member(actor, locked):
        raise Forbidden("只有本组织的成员可以修改专项基金")
    check_version(locked, fund.version if expected_version is None else expected_version, "专项基金")
    clean = clean_fund_data(FundData.of(locked).merged(changes))
    before = _snapshot(locked)
    _write(locked, clean)
    locked.version += 1
    locked.save()
    _write_relations(locked, clean)
    _record(actor, "update", locked, locked, before=before, after=_snapshot(locked))
    return locked


def _transition(
    *, actor: Any, fund: Fund, action: str, reason: str = "", reason_required: bool = False,
    expected_version: int | None = None, **changes: Any,
) -> Fund:  # fmt: skip
    _require_visible(actor, fund)
    if action in REVIEW_ACTIONS and not rules.can_review(actor, fund):
        raise Forbidden(f"只有“{fund.organization.region}”的民政部门工作人员或平台管理员可以审核该专项基金")
    if action in ORGANIZATION_ACTIONS and not rules.is_member(actor, fund):
        raise Forbidden("只有本组织的成员可以提交专项基金")
    if action == "close" and not rules.can_close(actor, fund):
        raise Forbidden("只有本组织的管理员或审核该组织的民政部门工作人员可以关闭专项基金")
    WORKFLOW.target(fund.status, action)
    if action in ("submit", "resubmit", "approve") and fund.organization.status != Organization.Status.APPROVED:
        raise InvalidTransition(
            f"“{fund.organization.name}”当前为“{fund.organization.get_status_display()}”，只有审核通过的社会组织才能设立专项基金"
        )
    reason = WORKFLOW.clean_reason(action, reason, required=reason_required)
    check_version(fund, expected_version, "专项基金")
    before = _snapshot(fund)
    WORKFLOW.apply(fund, action, updated_at=timezone.now(), **changes)
    _record(actor, action, fund, fund, before=before, after=_snapshot(fund), note=reason)
    return fund


@transaction.atomic
def submit_fund(*, actor: Any, fund: Fund, reason: str = "", expected_version: int | None = None) -> Fund:
    return _transition(actor=actor, fund=fund, action="submit", reason=reason, expected_version=expected_version)


@transaction.atomic
def resubmit_fund(*, actor: Any, fund: Fund, reason: str = "", expected_version: int | None = None) -> Fund:
    return _transition(actor=actor, fund=fund, action="resubmit", reason=reason, expected_version=expected_version)


@transaction.atomic
def approve_fund(*, actor: Any, fund: Fund, reason: str = "", expected_version: int | None = None) -> Fund:
    return _transition(
        actor=actor, fund=fund, action="approve", reason=reason, expected_version=expected_version,
        return_reason="", activated_at=timezone.now(), **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def return_fund(*, actor: Any, fund: Fund, reason: str, expected_version: int | None = None) -> Fund:
    reason = (reason or "").strip()
    return _transition(
        actor=actor, fund=fund, action="return", reason=reason, reason_required=True,
        expected_version=expected_version, return_reason=reason[:MAX_REASON], **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def close_fund(*, actor: Any, fund: Fund, reason: str = "", expected_version: int | None = None) -> Fund:
    """The organization winds the fund up (a reason is always required: the public reads it)."""
    reason = (reason or "").strip()
    return _transition(
        actor=actor, fund=fund, action="close", reason=reason, reason_required=True,
        expected_version=expected_version, close_reason=reason[:MAX_REASON], closed_at=timezone.now(),
    )  # fmt: skip


TRANSITION_SERVICES: dict[str, Any] = {
    "submit": submit_fund,
    "resubmit": resubmit_fund,
    "approve": approve_fund,
    "return": return_fund,
    "close": close_fund,
}


# ---------------------------------------------------------------- projects


@transaction.atomic
def create_project(*, actor: Any, fund: Fund, data: ProjectData) -> FundProject:
    """A project the fund will finance; each project is disclosed on its own."""
    _require_visible(actor, fund)
    locked = _lock(fund)
    if not rules.is_member(actor, locked):
        raise Forbidden("只有本组织的成员可以为专项基金创建项目")
    if locked.status in (Status.CLOSED,):
        raise InvalidTransition("已关闭的专项基金不能再创建项目")
    clean = clean_project_data(data)
    project = FundProject.objects.create(
        number=next_number("JX", locked.organization.region_id),
        fund=locked,
        name=clean.name,
        description=clean.description,
        domain=clean.domain,
        start_date=clean.start_date,
        end_date=clean.end_date,
        budget=clean.budget,
        created_by=actor,
    )
    _record(actor, "project", project, locked, after=audit.snapshot(project))
    return project


# ---------------------------------------------------------------- donations


def _restriction(clean: CleanDonation) -> str:
    if clean.restricted_project is not None:
        return ledger.project_purpose(clean.restricted_project)
    if clean.restricted_domain is not None:
        return ledger.domain_purpose(clean.restricted_domain.code)
    return ledger.UNRESTRICTED


def _duplicate(fund: Fund, clean: CleanDonation) -> Donation | None:
    """The donation already recorded under the same receipt or transaction number, if any."""
    for field_name in ("receipt_number", "transaction_number"):
        value = getattr(clean, field_name)
        if value:
            found = Donation.objects.filter(fund=fund, **{field_name: value}).first()
            if found is not None:
                return found
    return None


def _write_donation(actor: Any, fund: Fund, clean: CleanDonation, note: str = "") -> Donation:
    """Post, write the row, log the leaf, audit. The fund row is locked by the caller."""
    purpose = _restriction(clean)
    entry = post_entry(
        fund=fund, posted_on=clean.donated_on, memo=f"捐赠收入 {clean.receipt_number or clean.transaction_number}",
        lines=ledger.donation_lines(clean.amount, purpose),
    )  # fmt: skip
    donation = Donation(
        number=next_number("JZ", fund.organization.region_id),
        fund=fund,
        donor_kind=clean.donor_kind,
        donor_name=clean.donor_name,
        donor_salt=secrets.token_hex(16),
        anonymous=clean.anonymous,
        amount=clean.amount,
        donated_on=clean.donated_on,
        channel=clean.channel,
        restricted_project=clean.restricted_project,
        restricted_domain=clean.restricted_domain,
        receipt_number=clean.receipt_number,
        transaction_number=clean.transaction_number,
        entry=entry,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError:
        raise ValidationFailed.on("receipt_number", "该收据编号或交易流水号刚刚已登记过，请勿重复登记") from None
    rollups.apply(donation, {})
    append_leaf(kind=leaves.DONATION, number=donation.number, payload=leaves.donation_payload(donation))
    after = audit.snapshot(
        donation, ["number", "amount", "donated_on", "channel", "receipt_number", "transaction_number"]
    )
    _record(actor, "donation", donation, fund, after=after, note=note)
    return donation


@transaction.atomic
def record_donation(*, actor: Any, fund: Fund, data: DonationData) -> Donation:
    """A member records money received. The same receipt or transaction number twice is refused."""
    _require_visible(actor, fund)
    locked = _lock(fund)
    if not rules.is_member(actor, locked):
        raise Forbidden("只有本组织的成员可以登记捐赠")
    _require_active(locked)
    clean = clean_donation_data(data, locked, today=timezone.localdate())
    existing = _duplicate(locked, clean)
    if existing is not None:
        raise ValidationFailed.on(
            "receipt_number", f"收据编号或交易流水号已登记过（{existing.number}，¥{existing.amount}），请勿重复登记"
        )
    return _write_donation(actor, locked, clean)


# ---------------------------------------------------------------- disbursements


@transaction.atomic
def record_disbursement(
    *, actor: Any, fund: Fund, data: DisbursementData, uploads: list[UploadedFile] | None = None
) -> Disbursement:
    """An admin pays out of the fund. Refused when the money available for the purpose —
    unrestricted plus restricted to this purpose — is less than the amount."""
    _require_visible(actor, fund)
    locked = _lock(fund)
    if not rules.is_admin(actor, locked):
        raise Forbidden("只有本组织的管理员可以登记拨付")
    _require_active(locked)
    problems = Problems()
    amount = parse_money(data.amount, "拨付金额", problems, "amount")
    paid_on = parse_date(data.paid_on, "拨付日期", problems, "paid_on")
    payee = str(data.payee or "").strip()
    purpose_text = str(data.purpose or "").strip()
    if not payee:
        problems.fail("payee", "请填写收款方")
    elif len(payee) > 200:
        problems.fail("payee", "收款方不超过 200 个字")
    if not purpose_text:
        problems.fail("purpose", "请填写用途")
    elif len(purpose_text) > 500:
        problems.fail("purpose", "用途不超过 500 个字")
    if paid_on and paid_on > timezone.localdate():
        problems.fail("paid_on", f"拨付日期 {paid_on} 不能晚于今天")
    problems.raise_any()
    assert amount is not None and paid_on is not None
    target = targets.resolve(actor, locked, data)
    compatible = target.compatible
    available = ledger.available_by_purpose(locked)
    plan = ledger.draw_plan(available, compatible, amount)
    if plan is None:
        usable = sum(
            (max(available.get(p, ledger.ZERO), ledger.ZERO) for p in [*compatible, ledger.UNRESTRICTED]), ledger.ZERO
        )
        parts = "，".join(
            f"{ledger.purpose_label(p)} ¥{max(available.get(p, ledger.ZERO), ledger.ZERO)}"
            for p in [*compatible, ledger.UNRESTRICTED]
        )
        raise ValidationFailed.on(
            "amount",
            f"可用余额不足：本次拨付 ¥{amount}，该用途可用余额仅 ¥{usable}（{parts}）；限定用途的捐赠不能用于其他用途",
        )
    entry = post_entry(
        fund=locked, posted_on=paid_on, memo=f"拨付 {target.number}", lines=ledger.disbursement_lines(plan)
    )
    disbursement = Disbursement.objects.create(
        number=next_number("BF", locked.organization.region_id),
        fund=locked,
        **{target.kind: target.record},
        amount=amount,
        paid_on=paid_on,
        payee=payee,
        purpose=purpose_text,
        entry=entry,
        recorded_by=actor,
    )
    rollups.apply(disbursement, {})
    append_leaf(kind=leaves.DISBURSEMENT, number=disbursement.number, payload=leaves.disbursement_payload(disbursement))
    after = audit.snapshot(disbursement, ["number", "amount", "paid_on", "payee", "purpose", *DISBURSEMENT_TARGETS])
    after["draws"] = {ledger.purpose_label(p): str(a) for p, a in plan}
    _record(actor, "disbursement", disbursement, locked, after=after)
    for upload in uploads or []:
        attach(actor=actor, owner=disbursement, upload=upload)
    return disbursement


# ---------------------------------------------------------------- refunds


@transaction.atomic
def refund_donation(*, actor: Any, donation: Donation, data: RefundData) -> DonationRefund:
    """An admin gives back all or part of a recorded donation, with a reason.

    A new balanced entry (Dr net assets of the donation's restriction / Cr asset); the donation and
    its entry stay as they were. Refused when the money still available for that purpose — or what
    is left of the donation after earlier refunds — is smaller than the refund.
    """
    fund = donation.fund
    _require_visible(actor, fund)
    locked = _lock(fund)
    if not rules.is_admin(actor, locked):
        raise Forbidden("只有本组织的管理员可以登记退款")
    _require_active(locked)
    problems = Problems()
    amount = parse_money(data.amount, "退款金额", problems, "amount")
    refunded_on = parse_date(data.refunded_on, "退款日期", problems, "refunded_on")
    reason = str(data.reason or "").strip()
    if not reason:
        problems.fail("reason", "请填写退款原因")
    elif len(reason) > MAX_REASON:
        problems.fail("reason", f"退款原因不超过 {MAX_REASON} 个字")
    if refunded_on and refunded_on > timezone.localdate():
        problems.fail("refunded_on", f"退款日期 {refunded_on} 不能晚于今天")
    if refunded_on and refunded_on < donation.donated_on:
        problems.fail("refunded_on", f"退款日期 {refunded_on} 不能早于捐赠日期 {donation.donated_on}")
    problems.raise_any()
    assert amount is not None and refunded_on is not None
    already = sum((r.amount for r in donation.refunds.all()), ledger.ZERO)
    if amount > donation.amount - already:
        raise ValidationFailed.on(
            "amount",
            f"退款金额 ¥{amount} 超过了该笔捐赠可退的金额 ¥{donation.amount - already}"
            f"（捐赠 ¥{donation.amount}，已退 ¥{already}）",
        )
    purpose = ledger.UNRESTRICTED
    if donation.restricted_project_id:
        purpose = ledger.project_purpose(donation.restricted_project)  # type: ignore[arg-type]
    elif donation.restricted_domain_id:
        purpose = ledger.domain_purpose(donation.restricted_domain.code)  # type: ignore[union-attr]
    available = max(ledger.available_by_purpose(locked).get(purpose, ledger.ZERO), ledger.ZERO)
    if available < amount:
        raise ValidationFailed.on(
            "amount",
            f"可用余额不足：本次退款 ¥{amount}，{ledger.purpose_label(purpose)}可用余额仅 ¥{available}"
            "（已拨付的款项不能退回）",
        )
    entry = post_entry(
        fund=locked,
        posted_on=refunded_on,
        memo=f"捐赠退款 {donation.number}",
        lines=ledger.refund_lines(amount, purpose),
    )
    refund = DonationRefund.objects.create(
        number=next_number("TK", locked.organization.region_id),
        donation=donation,
        fund=locked,
        amount=amount,
        refunded_on=refunded_on,
        reason=reason,
        entry=entry,
        recorded_by=actor,
    )
    rollups.apply(refund, {})
    append_leaf(kind=leaves.DONATION_REFUND, number=refund.number, payload=leaves.refund_payload(refund))
    after = audit.snapshot(refund, ["number", "amount", "refunded_on", "donation"])
    _record(actor, "refund", refund, locked, after=after, note=reason)
    return refund


# ---------------------------------------------------------------- disclosures


@transaction.atomic
def publish_disclosure(*, actor: Any, fund: Fund, data: DisclosureData) -> Disclosure:
    """A member publishes a disclosure for the fund or one project; its figures come from the ledger."""
    _require_visible(actor, fund)
    locked = _lock(fund)
    if not rules.is_member(actor, locked):
        raise Forbidden("只有本组织的成员可以发布信息公开")
    if locked.activated_at is None:
        raise InvalidTransition("专项基金审核通过后才能发布信息公开")
    problems = Problems()
    start = parse_date(data.period_start, "期间开始", problems, "period_start")
    end = parse_date(data.period_end, "期间结束", problems, "period_end")
    text = str(data.text or "").strip()
    if not text:
        problems.fail("text", "请填写公开内容：项目进展、资金使用和受益情况")
    elif len(text) > 20000:
        problems.fail("text", "公开内容不超过 20000 个字")
    if start and end and end < start:
        problems.fail("period_end", f"期间结束 {end} 不能早于期间开始 {start}")
    if end and end > timezone.localdate():
        problems.fail("period_end", f"期间结束 {end} 不能晚于今天：只能公开已经发生的收支")
    project = None
    project_number = str(data.project_number or "").strip()
    if project_number:
        project = FundProject.objects.filter(fund=locked, number=project_number).first()
        if project is None:
            problems.fail("project_number", f"本基金没有编号为“{project_number}”的项目")
    problems.raise_any()
    assert start is not None and end is not None
    figures = ledger.project_totals(project, start, end) if project else ledger.totals(locked, start, end)
    disclosure = Disclosure.objects.create(
        number=next_number("GK", locked.organization.region_id),
        fund=locked,
        project=project,
        period_start=start,
        period_end=end,
        is_final=bool(data.is_final) and project is not None,
        text=text,
        income=figures.income,
        expense=figures.expense,
        balance=figures.balance,
        published_at=timezone.now(),
        published_by=actor,
    )
    _record(
        actor,
        "disclose",
        disclosure,
        locked,
        after=audit.snapshot(disclosure, ["number", "period_start", "period_end", "income", "expense", "balance"]),
    )
    return disclosure


# ---------------------------------------------------------------- Excel import of donations


@dataclass
class ImportRow:
    row_number: int
    donor: str
    amount: str
    reference: str
    outcome: str  # "create" or "exists"


@transaction.atomic
def import_donations(
    *, actor: Any, fund: Fund, filename: str, content: bytes, default_channel: str = "bank", dry_run: bool = False
) -> ImportReport[ImportRow]:
    """Bank statements or fundraising-platform exports into the fund, all rows or none.

    A row whose receipt or transaction number is already recorded for the fund is skipped, so
    importing the same statement twice records nothing twice; the same number twice in one file
    is an error naming both rows.
    """
    _require_visible(actor, fund)
    locked = _lock(fund)
    if not rules.is_member(actor, locked):
        raise Forbidden("只有本组织的成员可以导入捐赠")
    _require_active(locked)
    parsed = excel.parse_donations(filename, content, default_channel)
    if not parsed:
        raise ValidationFailed.on("file", "文件中没有数据行")
    report: ImportReport[ImportRow] = ImportReport()
    today = timezone.localdate()
    seen: dict[str, int] = {}
    plan: list[tuple[int, CleanDonation]] = []
    for row in parsed:
        errors = list(row.errors)
        try:
            clean = clean_donation_data(row.data, locked, today=today)
        except ValidationFailed as exc:
            errors.extend(e.message for e in exc.errors)
        else:
            for label, value in (("收据编号", clean.receipt_number), ("交易流水号", clean.transaction_number)):
                key = f"{label}:{value}"
                if value and key in seen:
                    errors.append(f"{label}“{value}”与第 {seen[key]} 行重复")
                elif value:
                    seen[key] = row.row_number
            if not errors:
                plan.append((row.row_number, clean))
        report.errors.extend((row.row_number, message) for message in errors)
    if report.errors:
        report.errors.sort()
        return report
    with all_rows_or_none(report, "donation import") as progress:
        for progress.row_number, clean in plan:
            row_number = progress.row_number
            existing = _duplicate(locked, clean)
            reference = clean.receipt_number or clean.transaction_number
            outcome = "exists" if existing is not None else "create"
            report.rows.append(
                ImportRow(row_number, mask_name(clean.donor_name), str(clean.amount), reference, outcome)
            )
            if existing is not None:
                report.existing += 1
                continue
            report.created += 1
            if not dry_run:
                donation = _write_donation(actor, locked, clean, note=f"导入 {filename[:100]} 第 {row_number} 行")
                report.numbers.append(donation.number)
    return report


# ---------------------------------------------------------------- disclosure reminders


def send_disclosure_reminders(today: date | None = None) -> int:
    """Remind every active member of an organization whose fund or project disclosure is due or
    overdue; when overdue, the civil affairs staff of its registration region too. At most once per
    person, subject and period (the notification key), however often the daily job runs."""
    from xiangzhen.accounts.models import Department, User
    from xiangzhen.notifications.services import notify

    sent = 0
    for item in selectors.funds_needing_disclosure(today=today):
        fund, due = item.fund, item.due
        recipients = list(
            User.objects.filter(
                is_active=True, memberships__organization=fund.organization, memberships__is_active=True
            ).distinct()
        )
        if due.state == "overdue":
            recipients += list(
                User.objects.filter(
                    is_active=True,
                    department__kind=Department.Kind.CIVIL_AFFAIRS,
                    department__region_id=fund.organization.region_id,
                )
            )
        label = "已逾期" if due.state == "overdue" else "即将到期"
        with transaction.atomic():
            sent += notify(
                recipients=recipients,
                title=f"信息公开{label}：{item.subject_name}",
                body=(
                    f"{fund.organization.name} 的“{item.subject_name}”（{item.subject_number}）应于 {due.due_on} 前"
                    f"公开 {due.period_start} 至 {due.period_end} 的{'结项' if due.final else '阶段'}情况。"
                ),
                url=reverse("funds:detail", args=[fund.pk]),
                key=f"disclosure:{item.subject_number}:{due.due_on}",
            )
    return sent
