"""A demand as input, and the rules it must meet.

One checker serves the page, the API and the Excel import, so every path gets the same Chinese
message naming the field. Field names are the API field names.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.validation import Catalog, InputData, Problems, clean_phone, clean_texts
from xiangzhen.demands.models import Demand
from xiangzhen.regions.codes import CODE_PATTERN, Level, subtree_bounds
from xiangzhen.regions.models import Region

DEMAND_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
MAX_BUDGET = Decimal("9999999999.99")
MAX_HEAD_COUNT = 1_000_000


@dataclass
class DemandData(InputData):
    """Everything a person fills in about a demand (API field names)."""

    title: str
    description: str
    region_code: str
    deadline: date | None
    contact_name: str
    contact_phone: str
    domains: list[str] = field(default_factory=list)  # domain codes (or names)
    beneficiaries: dict[str, int] = field(default_factory=dict)  # group code (or name) → head count
    aid_mode: str = Demand.AidMode.RELIEF
    budget: Decimal = Decimal("0")
    in_kind: str = ""
    period_start: date | None = None
    period_end: date | None = None
    on_behalf_of_household: bool = False
    household_name: str = ""
    household_consent: bool = False

    @classmethod
    def of(cls, demand: Demand) -> "DemandData":
        values = {
            name: getattr(demand, name)
            for name in cls.field_names()
            if name not in ("region_code", "domains", "beneficiaries")
        }
        return cls(
            **values,
            region_code=demand.region_id,
            domains=sorted(d.code for d in demand.domains.all()),
            beneficiaries={b.group.code: b.head_count for b in demand.beneficiaries.all()},
        )


MAX_LENGTHS = {
    "title": ("标题", 100),
    "description": ("需求描述", 5000),
    "in_kind": ("所需物资或服务", 2000),
    "contact_name": ("联系人", 50),
    "household_name": ("农户姓名", 50),
}
REQUIRED = {
    "title": "请填写需求标题",
    "description": "请填写需求描述：要做什么、为谁做、现在的困难",
    "contact_name": "请填写联系人",
}


@dataclass
class Cleaned:
    data: DemandData
    region: Region
    domains: list[Domain]
    beneficiaries: list[tuple[BeneficiaryGroup, int]]


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return Decimal("0")
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


def clean_demand_data(data: DemandData, *, catalog: Catalog | None = None, check_deadline: bool = True) -> Cleaned:
    """Normalize `data` and check every rule; raise one ValidationFailed listing each field at fault."""
    catalog = catalog or Catalog()
    problems = Problems()
    fail = problems.fail
    text = clean_texts(
        data, problems, required=REQUIRED, max_lengths=MAX_LENGTHS, also=("contact_phone", "region_code")
    )

    region = None
    code = text["region_code"]
    if not code:
        fail("region_code", "请选择需求所在的县、乡镇或村")
    elif not CODE_PATTERN.match(code):
        fail("region_code", f"所在区划代码“{code}”应为 12 位数字")
    else:
        region = catalog.region(code)
        if region is None:
            fail("region_code", f"所在区划代码“{code}”不存在")
        elif region.level not in DEMAND_LEVELS:
            fail("region_code", f"需求所在区划应为县、乡镇或村，“{region.name}”是{Level(region.level).label}级")

    domains: list[Domain] = []
    for key in data.domains:
        domain = catalog.domains().get(str(key).strip())
        if domain is None:
            fail("domains", f"领域“{key}”不存在")
        elif domain not in domains:
            domains.append(domain)
    if not data.domains:
        fail("domains", "请至少选择一个领域")

    beneficiaries: list[tuple[BeneficiaryGroup, int]] = []
    for key, count in data.beneficiaries.items():
        group = catalog.groups().get(str(key).strip())
        if group is None:
            fail("beneficiaries", f"受益群体“{key}”不存在")
            continue
        if any(g == group for g, _ in beneficiaries):
            fail("beneficiaries", f"受益群体“{group.name}”重复填写")
            continue
        if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
            fail("beneficiaries", f"受益群体“{group.name}”的人数应为大于 0 的整数，当前为“{count}”")
            continue
        if count > MAX_HEAD_COUNT:
            fail("beneficiaries", f"受益群体“{group.name}”的人数不超过 {MAX_HEAD_COUNT}")
            continue
        beneficiaries.append((group, count))

    if data.aid_mode not in Demand.AidMode.values:
        fail("aid_mode", "帮扶方式应为输血（relief）或造血（self_development）")

    budget = _decimal(data.budget)
    if budget is None:
        fail("budget", f"所需资金“{data.budget}”应为数字（单位：元）")
    elif budget < 0:
        fail("budget", "所需资金不能为负数")
    elif budget > MAX_BUDGET:
        fail("budget", "所需资金超出上限")
    elif budget != budget.quantize(Decimal("0.01")):
        fail("budget", "所需资金最多保留两位小数（单位：元）")

    today = timezone.localdate()
    if data.deadline is None:
        fail("deadline", "请填写征集截止日期")
    elif check_deadline and data.deadline < today:
        fail("deadline", f"征集截止日期 {data.deadline:%Y-%m-%d} 已过，应不早于今天")
    if data.period_start and data.period_end and data.period_end < data.period_start:
        fail("period_end", "期望结束日期不能早于开始日期")

    phone = clean_phone(
        text["contact_phone"],
        problems,
        missing="请填写联系电话（代农户填报时填写村干部的电话）",
        expected="应为 11 位手机号或带区号的固定电话（如 0743-7221234）",
    )

    if data.on_behalf_of_household:
        if not text["household_name"]:
            fail("household_name", "代农户填报时请填写农户姓名")
        if not data.household_consent:
            fail("household_consent", "代农户填报须经农户本人同意，请确认农户已同意后再提交")

    problems.raise_any()
    assert region is not None and budget is not None
    cleaned = replace(
        data,
        title=text["title"],
        description=text["description"],
        region_code=code,
        in_kind=text["in_kind"],
        contact_name=text["contact_name"],
        contact_phone=phone,
        budget=budget.quantize(Decimal("0.01")),
        domains=sorted(d.code for d in domains),
        beneficiaries={g.code: n for g, n in beneficiaries},
        on_behalf_of_household=bool(data.on_behalf_of_household),
        household_name=text["household_name"] if data.on_behalf_of_household else "",
        household_consent=bool(data.household_consent) if data.on_behalf_of_household else False,
    )
    return Cleaned(cleaned, region, domains, beneficiaries)


class RegionResolver:
    """Find the region an import row names: a 12-digit code, or a name path like “双龙镇/十八洞村”.

    Names are looked up inside the importer's county (all of them loaded once); a platform admin,
    who has no county, must give a path that is unique nationwide.
    """

    def __init__(self, county_code: str | None):
        self.county_code = county_code
        self._by_name: dict[str, list[Region]] | None = None
        self._cache: dict[str, tuple[Region | None, str]] = {}

    def _candidates(self, name: str) -> list[Region]:
        if self.county_code is None:
            return list(Region.objects.filter(name=name).select_related("parent"))
        if self._by_name is None:
            self._by_name = {}
            lo, hi = subtree_bounds(self.county_code)
            for region in Region.objects.filter(code__range=(lo, hi)).select_related("parent"):
                self._by_name.setdefault(region.name, []).append(region)
        return self._by_name.get(name, [])

    def resolve(self, text: str) -> tuple[Region | None, str]:
        """(region, "") or (None, the reason in Chinese)."""
        text = text.strip()
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> tuple[Region | None, str]:
        if not text:
            return None, "请填写所在地（12 位区划代码，或“乡镇/村”名称）"
        if text.isdigit():
            if not CODE_PATTERN.match(text):
                return None, f"所在地区划代码“{text}”应为 12 位数字"
            region = Region.objects.filter(pk=text).first()
            return (region, "") if region else (None, f"所在地区划代码“{text}”不存在")
        parts = [p.strip() for p in text.replace("\\", "/").split("/") if p.strip()]
        *parents, name = parts
        found = [r for r in self._candidates(name) if _path_matches(r, parents)]
        where = "本县" if self.county_code else "平台"
        if not found:
            return None, f"所在地“{text}”在{where}区划中不存在，请核对名称或填写 12 位区划代码"
        if len(found) > 1:
            return None, f"所在地“{text}”有重名，请写成“乡镇/村”或填写 12 位区划代码"
        return found[0], ""


def _path_matches(region: Region, parents: list[str]) -> bool:
    """Whether the names before the last one are the region's ancestors, nearest last."""
    if not parents:
        return True
    ancestors = (region.full_name or "").split()
    return ancestors[-len(parents) - 1 : -1] == parents if len(ancestors) > len(parents) else False
