"""The content of an offer as input, and the rules it must meet.

One checker serves the page, the API and the services, so a bad date or region gets the same
Chinese message on every path. Field names are the API field names.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.validation import InputData, Problems
from xiangzhen.offers.models import AidMode, Offer
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

MAX_AMOUNT = Decimal("9999999999.99")
MAX_CAPACITY = 100000
MAX_REGIONS = 200
MAX_WINDOW_DAYS = 366 * 5
# What the organization may still change once the offer is published: its capacity and its window.
PUBLISHED_EDITABLE = ("capacity_demands", "capacity_amount", "in_kind", "window_start", "window_end")
LABELS = {
    "title": "项目名称",
    "description": "项目内容",
    "domains": "服务领域",
    "beneficiary_groups": "受益群体",
    "service_regions": "服务区域",
    "nationwide": "面向全国",
    "capacity_demands": "可承接需求数",
    "capacity_amount": "可投入资金",
    "in_kind": "可提供物资",
    "window_start": "开始日期",
    "window_end": "结束日期",
    "aid_mode": "帮扶方式",
}


@dataclass
class OfferData(InputData):
    """Everything an organization fills in about an offer (API field names)."""

    title: str
    description: str
    aid_mode: str
    capacity_demands: Any
    capacity_amount: Any
    window_start: Any
    window_end: Any
    domains: list[str] = field(default_factory=list)  # domain codes
    beneficiary_groups: list[str] = field(default_factory=list)  # group codes
    service_regions: list[str] = field(default_factory=list)  # region codes, any level
    nationwide: bool = False
    in_kind: str = ""

    @classmethod
    def of(cls, offer: Offer) -> "OfferData":
        """The current content of a saved offer."""
        return cls(
            title=offer.title,
            description=offer.description,
            aid_mode=offer.aid_mode,
            capacity_demands=offer.capacity_demands,
            capacity_amount=offer.capacity_amount,
            window_start=offer.window_start,
            window_end=offer.window_end,
            domains=sorted(d.code for d in offer.domains.all()),
            beneficiary_groups=sorted(g.code for g in offer.beneficiary_groups.all()),
            service_regions=sorted(r.code for r in offer.service_regions.all()),
            nationwide=offer.nationwide,
            in_kind=offer.in_kind,
        )


@dataclass
class CleanOffer:
    data: OfferData
    domains: list[Domain]
    beneficiary_groups: list[BeneficiaryGroup]
    regions: list[Region]


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _by_code(model: Any, keys: list[str]) -> dict[str, Any]:
    keys = [str(k).strip() for k in keys]
    rows = model.objects.filter(code__in=keys) | model.objects.filter(name__in=keys)
    result: dict[str, Any] = {}
    for row in rows:
        result[row.code] = row
        result[row.name] = row
    return result


def clean_offer_data(data: OfferData) -> CleanOffer:
    """Normalize `data` and check every rule; raise one ValidationFailed listing each field at fault."""
    problems = Problems()
    fail = problems.fail

    title = (data.title or "").strip()
    description = (data.description or "").strip()
    in_kind = (data.in_kind or "").strip()
    if not title:
        fail("title", "请填写项目名称")
    elif len(title) > 200:
        fail("title", f"项目名称不超过 200 个字，当前 {len(title)} 个字")
    if not description:
        fail("description", "请填写项目内容：做什么、怎么做、为谁做")
    elif len(description) > 10000:
        fail("description", f"项目内容不超过 10000 个字，当前 {len(description)} 个字")
    if len(in_kind) > 500:
        fail("in_kind", f"可提供物资不超过 500 个字，当前 {len(in_kind)} 个字")

    aid_mode = (data.aid_mode or "").strip()
    if aid_mode not in AidMode.values:
        fail("aid_mode", "请选择帮扶方式：输血（relief）或造血（self_development）")

    capacity_demands: int | None = None
    try:
        capacity_demands = int(str(data.capacity_demands).strip())
    except (TypeError, ValueError):
        fail("capacity_demands", f"可承接需求数应为整数，当前为“{data.capacity_demands}”")
    if capacity_demands is not None and not 1 <= capacity_demands <= MAX_CAPACITY:
        fail("capacity_demands", f"可承接需求数应在 1 至 {MAX_CAPACITY} 之间，当前为 {capacity_demands}")

    amount: Decimal | None = None
    try:
        amount = Decimal(str(data.capacity_amount if data.capacity_amount not in (None, "") else "0").strip())
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        fail("capacity_amount", f"可投入资金应为金额（元），当前为“{data.capacity_amount}”")
        amount = None
    if amount is not None:
        if amount < 0:
            fail("capacity_amount", "可投入资金不能为负数")
        elif amount > MAX_AMOUNT:
            fail("capacity_amount", "可投入资金超过了上限")
        elif amount != amount.quantize(Decimal("0.01")):
            fail("capacity_amount", "可投入资金最多保留两位小数（元、角、分）")
        else:
            amount = amount.quantize(Decimal("0.01"))

    start, end = _date(data.window_start), _date(data.window_end)
    if start is None:
        fail("window_start", f"开始日期应为日期，格式 YYYY-MM-DD，当前为“{data.window_start or ''}”")
    if end is None:
        fail("window_end", f"结束日期应为日期，格式 YYYY-MM-DD，当前为“{data.window_end or ''}”")
    if start and end:
        if end < start:
            fail("window_end", f"结束日期 {end} 不能早于开始日期 {start}")
        elif (end - start).days > MAX_WINDOW_DAYS:
            fail("window_end", "服务期限不超过 5 年")

    domain_keys = [str(k).strip() for k in data.domains if str(k).strip()]
    domains_by_key = _by_code(Domain, domain_keys)
    domains: list[Domain] = []
    for key in domain_keys:
        domain = domains_by_key.get(key)
        if domain is None:
            fail("domains", f"服务领域“{key}”不存在")
        elif domain not in domains:
            domains.append(domain)
    if not domain_keys:
        fail("domains", "请至少选择一个服务领域")

    group_keys = [str(k).strip() for k in data.beneficiary_groups if str(k).strip()]
    groups_by_key = _by_code(BeneficiaryGroup, group_keys)
    groups: list[BeneficiaryGroup] = []
    for key in group_keys:
        group = groups_by_key.get(key)
        if group is None:
            fail("beneficiary_groups", f"受益群体“{key}”不存在")
        elif group not in groups:
            groups.append(group)

    nationwide = bool(data.nationwide)
    regions: list[Region] = []
    if not nationwide:
        wanted: list[str] = []
        for raw in data.service_regions:
            text = str(raw).strip()
            if not text:
                continue
            try:
                code = codes.normalize(text)
            except ValueError:
                fail("service_regions", f"服务区域代码“{text}”格式不正确，应为 12 位区划代码")
                continue
            if code not in wanted:
                wanted.append(code)
        if len(wanted) > MAX_REGIONS:
            fail("service_regions", f"服务区域最多 {MAX_REGIONS} 个；范围很大时请选择上级区划或“面向全国”")
        found = {r.code: r for r in Region.objects.filter(code__in=wanted)}
        missing = [code for code in wanted if code not in found]
        if missing:
            fail("service_regions", f"服务区域代码“{'、'.join(missing[:5])}”不存在")
        regions = [found[code] for code in wanted if code in found]
        if not wanted and not problems.has("service_regions"):
            fail("service_regions", "请选择至少一个服务区域，或勾选“面向全国”")

    problems.raise_any()
    assert capacity_demands is not None and amount is not None and start is not None and end is not None
    cleaned = OfferData(
        title=title,
        description=description,
        aid_mode=aid_mode,
        capacity_demands=capacity_demands,
        capacity_amount=amount,
        window_start=start,
        window_end=end,
        domains=sorted(d.code for d in domains),
        beneficiary_groups=sorted(g.code for g in groups),
        service_regions=sorted(r.code for r in regions),
        nationwide=nationwide,
        in_kind=in_kind,
    )
    return CleanOffer(cleaned, domains, groups, regions)


class ServiceAreaResolver:
    """Find the region an import cell names, at any level: a 2/4/6/9/12-digit code, a name, or a
    name path such as “花垣县/双龙镇” when the name alone occurs in several places. Each distinct
    text is looked up once per import."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str | None, str]] = {}

    def resolve(self, text: str) -> tuple[str | None, str]:
        """(region code, "") or (None, the reason in Chinese)."""
        text = text.strip()
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> tuple[str | None, str]:
        if text.isdigit():
            try:
                code = codes.normalize(text)
            except ValueError:
                return None, f"服务区域代码“{text}”格式不正确，应为 12 位区划代码"
            if not Region.objects.filter(pk=code).exists():
                return None, f"服务区域代码“{text}”不存在"
            return code, ""
        *parents, name = [p.strip() for p in text.replace("\\", "/").split("/") if p.strip()]
        found = [
            region.code
            for region in Region.objects.filter(name=name).only("code", "full_name")
            if _path_matches(region.full_name, parents)
        ]
        if not found:
            return None, f"服务区域“{text}”在区划中不存在，请核对名称或填写 12 位区划代码"
        if len(found) > 1:
            return None, f"服务区域“{text}”有 {len(found)} 处重名，请加上级名称（如 花垣县/双龙镇）或填写区划代码"
        return found[0], ""


def _path_matches(full_name: str, parents: list[str]) -> bool:
    """Whether each name before the last is one of the region's ancestors, in order (gaps allowed)."""
    ancestors = full_name.split()[:-1]
    position = 0
    for parent in parents:
        try:
            position = ancestors.index(parent, position) + 1
        except ValueError:
            return False
    return True
