"""What people fill in about funds, donations, disbursements, projects and disclosures, and the
rules it must meet. One checker per input serves the page, the API, the import and the services."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from xiangzhen.core.models import Domain
from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.funds.models import Donation, Fund, FundProject
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

MAX_AMOUNT = Decimal("999999999999.99")
MAX_REGIONS = 200
CENT = Decimal("0.01")


def parse_money(value: Any, label: str, problems: Problems, name: str) -> Decimal | None:
    """A positive amount in yuan with at most two decimals; full-width digits, commas and ¥ are accepted."""
    if isinstance(value, bool):
        problems.fail(name, f"{label}应为金额（元），当前为“{value}”")
        return None
    if isinstance(value, float):
        value = repr(value)
    text = re.sub(r"[\s,，元¥￥]", "", unicodedata.normalize("NFKC", str(value if value is not None else "")))
    if not text:
        problems.fail(name, f"请填写{label}")
        return None
    try:
        amount = Decimal(text)
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.fail(name, f"{label}应为金额（元），当前为“{value}”")
        return None
    if amount <= 0:
        problems.fail(name, f"{label}应大于 0，当前为 {amount}")
        return None
    if amount > MAX_AMOUNT:
        problems.fail(name, f"{label}超过了上限")
        return None
    if amount != amount.quantize(CENT):
        problems.fail(name, f"{label}最多保留两位小数（元、角、分），当前为 {amount}")
        return None
    return amount.quantize(CENT)


def parse_date(value: Any, label: str, problems: Problems, name: str, *, required: bool = True) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        if required:
            problems.fail(name, f"请填写{label}")
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    problems.fail(name, f"{label}“{text}”不是有效日期，应写成 2026-06-30")
    return None


# ---------------------------------------------------------------- funds


@dataclass
class FundData(InputData):
    name: str
    founder_kind: str
    founder_name: str
    purpose: str
    domains: list[str] = field(default_factory=list)
    target_regions: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, fund: Fund) -> "FundData":
        return cls(
            name=fund.name,
            founder_kind=fund.founder_kind,
            founder_name=fund.founder_name,
            purpose=fund.purpose,
            domains=sorted(d.code for d in fund.domains.all()),
            target_regions=sorted(r.code for r in fund.target_regions.all()),
        )


@dataclass
class CleanFund:
    data: FundData
    domains: list[Domain]
    regions: list[Region]


def clean_fund_data(data: FundData) -> CleanFund:
    problems = Problems()
    text = clean_texts(
        data,
        problems,
        required={"name": "请填写基金名称", "founder_name": "请填写设立方名称", "purpose": "请填写基金的宗旨和用途"},
        max_lengths={"name": ("基金名称", 200), "founder_name": ("设立方名称", 200), "purpose": ("宗旨和用途", 5000)},
    )
    founder_kind = (data.founder_kind or "").strip()
    if founder_kind not in Fund.FounderKind.values:
        problems.fail("founder_kind", "请选择设立方类型：企业、个人、其他组织或其他")
    wanted = [str(k).strip() for k in data.domains if str(k).strip()]
    by_key = {d.code: d for d in Domain.objects.all()} | {d.name: d for d in Domain.objects.all()}
    domains: list[Domain] = []
    for key in wanted:
        if key not in by_key:
            problems.fail("domains", f"资助领域“{key}”不存在")
        elif by_key[key] not in domains:
            domains.append(by_key[key])
    if not wanted:
        problems.fail("domains", "请至少选择一个资助领域")
    region_codes: list[str] = []
    for raw in data.target_regions:
        raw_text = str(raw).strip()
        if not raw_text:
            continue
        try:
            code = codes.normalize(raw_text)
        except ValueError:
            problems.fail("target_regions", f"资助地区代码“{raw_text}”格式不正确，应为 12 位区划代码")
            continue
        if code not in region_codes:
            region_codes.append(code)
    if len(region_codes) > MAX_REGIONS:
        problems.fail("target_regions", f"资助地区最多 {MAX_REGIONS} 个；范围很大时请选择上级区划")
    found = {r.code: r for r in Region.objects.filter(code__in=region_codes)}
    missing = [c for c in region_codes if c not in found]
    if missing:
        problems.fail("target_regions", f"资助地区代码“{'、'.join(missing[:5])}”不存在")
    if not region_codes and not problems.has("target_regions"):
        problems.fail("target_regions", "请至少选择一个资助地区（任意层级）")
    problems.raise_any()
    regions = [found[c] for c in region_codes]
    cleaned = FundData(
        name=text["name"],
        founder_kind=founder_kind,
        founder_name=text["founder_name"],
        purpose=text["purpose"],
        domains=sorted(d.code for d in domains),
        target_regions=sorted(r.code for r in regions),
    )
    return CleanFund(cleaned, domains, regions)


# ---------------------------------------------------------------- projects


@dataclass
class ProjectData(InputData):
    name: str
    start_date: Any
    end_date: Any
    description: str = ""
    domain: str = ""
    budget: Any = "0"


@dataclass
class CleanProject:
    name: str
    description: str
    domain: Domain | None
    start_date: date
    end_date: date
    budget: Decimal


def clean_project_data(data: ProjectData) -> CleanProject:
    problems = Problems()
    text = clean_texts(
        data,
        problems,
        required={"name": "请填写项目名称"},
        max_lengths={"name": ("项目名称", 200), "description": ("项目内容", 10000)},
    )
    start = parse_date(data.start_date, "开始日期", problems, "start_date")
    end = parse_date(data.end_date, "结束日期", problems, "end_date")
    if start and end and end < start:
        problems.fail("end_date", f"结束日期 {end} 不能早于开始日期 {start}")
    domain = None
    key = str(data.domain or "").strip()
    if key:
        domain = Domain.objects.filter(code=key).first() or Domain.objects.filter(name=key).first()
        if domain is None:
            problems.fail("domain", f"领域“{key}”不存在")
    budget = Decimal("0.00")
    if str(data.budget or "").strip() not in ("", "0"):
        budget = parse_money(data.budget, "预算", problems, "budget") or budget
    problems.raise_any()
    assert start is not None and end is not None
    return CleanProject(text["name"], text["description"], domain, start, end, budget)


# ---------------------------------------------------------------- donations


@dataclass
class DonationData(InputData):
    donor_kind: str
    donor_name: str
    amount: Any
    donated_on: Any
    channel: str
    anonymous: bool = False
    restricted_project: str = ""  # a project number of the fund
    restricted_domain: str = ""  # a domain code or name
    receipt_number: str = ""
    transaction_number: str = ""


@dataclass
class CleanDonation:
    donor_kind: str
    donor_name: str
    amount: Decimal
    donated_on: date
    channel: str
    anonymous: bool
    restricted_project: FundProject | None
    restricted_domain: Domain | None
    receipt_number: str
    transaction_number: str


DONOR_KIND_NAMES = {label: value for value, label in Donation.DonorKind.choices} | {
    "企业": "enterprise",
    "组织": "organization",
}
CHANNEL_NAMES = {label: value for value, label in Donation.Channel.choices} | {
    "银行": "bank", "转账": "bank", "网络平台": "platform", "互联网募捐平台": "platform", "募捐平台": "platform",
}  # fmt: skip


def _reference(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def clean_donation_data(data: DonationData, fund: Fund, *, today: date) -> CleanDonation:
    problems = Problems()
    kind = str(data.donor_kind or "").strip()
    kind = DONOR_KIND_NAMES.get(kind, kind)
    if kind not in Donation.DonorKind.values:
        problems.fail("donor_kind", f"捐赠方类型“{data.donor_kind}”不正确，应为个人、企业、社会组织或其他")
    name = unicodedata.normalize("NFKC", str(data.donor_name or "")).strip()
    if not name:
        problems.fail("donor_name", "请填写捐赠方名称（对外可选择匿名，但本组织必须登记）")
    elif len(name) > 200:
        problems.fail("donor_name", "捐赠方名称不超过 200 个字")
    amount = parse_money(data.amount, "捐赠金额", problems, "amount")
    donated_on = parse_date(data.donated_on, "捐赠日期", problems, "donated_on")
    if donated_on and donated_on > today:
        problems.fail("donated_on", f"捐赠日期 {donated_on} 不能晚于今天")
    channel = str(data.channel or "").strip()
    channel = CHANNEL_NAMES.get(channel, channel)
    if channel not in Donation.Channel.values:
        problems.fail("channel", f"捐赠渠道“{data.channel}”不正确，应为银行转账、网络募捐平台、现金或其他")
    project = None
    project_key = str(data.restricted_project or "").strip()
    if project_key:
        project = FundProject.objects.filter(fund=fund, number=project_key).first() or (
            FundProject.objects.filter(fund=fund, name=project_key).first()
        )
        if project is None:
            problems.fail("restricted_project", f"本基金没有项目“{project_key}”")
    domain = None
    domain_key = str(data.restricted_domain or "").strip()
    if domain_key:
        domain = Domain.objects.filter(code=domain_key).first() or Domain.objects.filter(name=domain_key).first()
        if domain is None:
            problems.fail("restricted_domain", f"领域“{domain_key}”不存在")
    if project is not None and domain is not None:
        problems.fail("restricted_domain", "限定用途只能选一项：限定项目或限定领域")
    receipt = _reference(data.receipt_number)
    transaction = _reference(data.transaction_number)
    if not receipt and not transaction:
        problems.fail("receipt_number", "请填写收据编号或交易流水号（用于防止重复登记）")
    for label, value, key in (
        ("收据编号", receipt, "receipt_number"),
        ("交易流水号", transaction, "transaction_number"),
    ):
        if len(value) > 64:
            problems.fail(key, f"{label}不超过 64 个字符")
    problems.raise_any()
    assert amount is not None and donated_on is not None
    return CleanDonation(
        kind, name, amount, donated_on, channel, bool(data.anonymous), project, domain, receipt, transaction
    )


# ---------------------------------------------------------------- disbursements and disclosures


@dataclass
class DisbursementData(InputData):
    """The target is `target_kind` (one of models.DISBURSEMENT_TARGETS) and `target_number`; the
    older `match_number` / `project_number` pair is still read when no kind is given."""

    amount: Any
    paid_on: Any
    payee: str
    purpose: str
    match_number: str = ""
    project_number: str = ""
    target_kind: str = ""
    target_number: str = ""


@dataclass
class RefundData(InputData):
    amount: Any
    refunded_on: Any
    reason: str


@dataclass
class DisclosureData(InputData):
    period_start: Any
    period_end: Any
    text: str
    project_number: str = ""
    is_final: bool = False
