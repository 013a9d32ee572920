from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from xiangzhen.funds import targets
from xiangzhen.funds.models import Disbursement, Disclosure, Donation, DonationRefund, Fund, FundProject
from xiangzhen.funds.selectors import annotated_totals


class CodeName(Schema):
    code: str
    name: str


class FundIn(Schema):
    organization_id: int = Field(..., title="社会组织", description="所属社会组织编号（须为其成员）")
    name: str = Field(..., title="基金名称", max_length=200)
    founder_kind: str = Field(..., title="设立方类型", description="enterprise / individual / organization / other")
    founder_name: str = Field(..., title="设立方名称", max_length=200, description="个人设立方的姓名对外打码")
    purpose: str = Field(..., title="宗旨和用途", max_length=5000)
    domains: list[str] = Field(default_factory=list, title="资助领域", description="领域代码，至少一个")
    target_regions: list[str] = Field(default_factory=list, title="资助地区", description="区划代码（任意层级）")


class FundPatch(Schema):
    version: int | None = Field(None, title="版本")
    name: str | None = Field(None, max_length=200)
    founder_kind: str | None = None
    founder_name: str | None = Field(None, max_length=200)
    purpose: str | None = Field(None, max_length=5000)
    domains: list[str] | None = None
    target_regions: list[str] | None = None


class FundPublicOut(Schema):
    """What anyone may read: figures from the ledger; an individual founder's name masked."""

    id: int
    number: str
    name: str
    organization_name: str
    founder_kind: str
    founder_kind_label: str
    founder: str
    purpose: str
    domains: list[CodeName]
    target_regions: list[CodeName]
    status: str
    status_label: str
    activated_at: datetime | None
    total_income: Decimal
    total_expense: Decimal
    balance: Decimal

    @staticmethod
    def resolve_organization_name(obj: Fund) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_founder_kind_label(obj: Fund) -> str:
        return obj.get_founder_kind_display()

    @staticmethod
    def resolve_founder(obj: Fund) -> str:
        return obj.public_founder_name

    @staticmethod
    def resolve_domains(obj: Fund) -> list[dict[str, str]]:
        return [{"code": d.code, "name": d.name} for d in obj.domains.all()]

    @staticmethod
    def resolve_target_regions(obj: Fund) -> list[dict[str, str]]:
        return [{"code": r.code, "name": r.full_name or r.name} for r in obj.target_regions.all()]

    @staticmethod
    def resolve_status_label(obj: Fund) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_total_income(obj: Fund) -> Decimal:
        return annotated_totals(obj).income

    @staticmethod
    def resolve_total_expense(obj: Fund) -> Decimal:
        return annotated_totals(obj).expense

    @staticmethod
    def resolve_balance(obj: Fund) -> Decimal:
        return annotated_totals(obj).balance


class FundOut(FundPublicOut):
    """The full record for the organization and the staff who oversee it."""

    organization_id: int
    founder_name: str
    return_reason: str
    close_reason: str
    version: int
    created_at: datetime
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj: Fund) -> list[str]:
        from xiangzhen.funds.services import WORKFLOW

        return WORKFLOW.allowed_actions(obj.status)


class ProjectIn(Schema):
    name: str = Field(..., title="项目名称", max_length=200)
    description: str = Field("", title="项目内容", max_length=10000)
    domain: str = Field("", title="领域", description="领域代码，可不填")
    start_date: date = Field(..., title="开始日期")
    end_date: date = Field(..., title="结束日期")
    budget: Decimal = Field(Decimal("0"), title="预算（元）")


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    description: str
    domain: str | None
    start_date: date
    end_date: date
    budget: Decimal

    @staticmethod
    def resolve_domain(obj: FundProject) -> str | None:
        return obj.domain.code if obj.domain_id else None  # type: ignore[union-attr]


class DonationIn(Schema):
    donor_kind: str = Field(..., title="捐赠方类型", description="individual / enterprise / organization / other")
    donor_name: str = Field(..., title="捐赠方", max_length=200)
    amount: Decimal = Field(..., title="金额（元）")
    donated_on: date = Field(..., title="捐赠日期")
    channel: str = Field(..., title="渠道", description="bank / platform / cash / other")
    anonymous: bool = Field(False, title="对外匿名")
    restricted_project: str = Field("", title="限定项目", description="本基金的项目编号")
    restricted_domain: str = Field("", title="限定领域", description="领域代码")
    receipt_number: str = Field("", title="收据编号", max_length=64)
    transaction_number: str = Field("", title="交易流水号", max_length=64)


class DonationPublicOut(Schema):
    """A donation as the public sees it: anonymous donors hidden, individuals masked."""

    number: str
    donor: str
    donor_kind: str
    amount: Decimal
    donated_on: date
    channel: str
    purpose: str

    @staticmethod
    def resolve_donor(obj: Donation) -> str:
        return obj.public_donor

    @staticmethod
    def resolve_purpose(obj: Donation) -> str:
        return obj.purpose_label


class DonationOut(DonationPublicOut):
    id: int
    donor_name: str
    anonymous: bool
    receipt_number: str
    transaction_number: str
    recorded_at: datetime


class DisbursementIn(Schema):
    amount: Decimal = Field(..., title="金额（元）")
    paid_on: date = Field(..., title="拨付日期")
    payee: str = Field(..., title="收款方", max_length=200)
    purpose: str = Field(..., title="用途", max_length=500)
    target_kind: str = Field("", title="拨付对象类型", description="match / project / pairing / activity / facility")
    target_number: str = Field(
        "", title="拨付对象编号", max_length=40, description="对接、项目、结对、活动或小屋的编号"
    )
    match_number: str = Field(
        "", title="供需对接编号", description="旧写法：不填 target_kind 时与 project_number 二选一"
    )
    project_number: str = Field("", title="基金项目编号", description="旧写法")


class DisbursementOut(Schema):
    number: str
    amount: Decimal
    paid_on: date
    payee: str
    purpose: str
    target_kind: str
    target_number: str

    target_label: str

    @staticmethod
    def resolve_target_kind(obj: Disbursement) -> str:
        return targets.kind_of(obj)

    @staticmethod
    def resolve_target_label(obj: Disbursement) -> str:
        return targets.label(targets.kind_of(obj))


class RefundIn(Schema):
    amount: Decimal = Field(..., title="退款金额（元）")
    refunded_on: date = Field(..., title="退款日期")
    reason: str = Field(..., title="退款原因", max_length=500)


class RefundPublicOut(Schema):
    """A refund as the public sees it: the reason (free text that may name the donor) stays inside."""

    number: str
    donation_number: str
    amount: Decimal
    refunded_on: date

    @staticmethod
    def resolve_donation_number(obj: DonationRefund) -> str:
        return obj.donation.number


class RefundOut(RefundPublicOut):
    reason: str
    recorded_at: datetime


class DisclosureIn(Schema):
    period_start: date = Field(..., title="期间开始")
    period_end: date = Field(..., title="期间结束")
    text: str = Field(..., title="公开内容", max_length=20000)
    project_number: str = Field("", title="基金项目编号", description="不填为基金整体的公开")
    is_final: bool = Field(False, title="项目结项公开")


class DisclosureOut(Schema):
    number: str
    project_number: str | None
    period_start: date
    period_end: date
    is_final: bool
    text: str
    income: Decimal
    expense: Decimal
    balance: Decimal
    published_at: datetime

    @staticmethod
    def resolve_project_number(obj: Disclosure) -> str | None:
        return obj.project.number if obj.project_id else None  # type: ignore[union-attr]


class DueOut(Schema):
    subject_number: str
    subject_name: str
    state: str
    state_label: str
    due_on: date | None
    period_start: date | None
    period_end: date | None
    final: bool

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return str(obj.due.state)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.due.label)

    @staticmethod
    def resolve_due_on(obj: Any) -> date | None:
        return obj.due.due_on

    @staticmethod
    def resolve_period_start(obj: Any) -> date | None:
        return obj.due.period_start

    @staticmethod
    def resolve_period_end(obj: Any) -> date | None:
        return obj.due.period_end

    @staticmethod
    def resolve_final(obj: Any) -> bool:
        return bool(obj.due.final)
