"""How the figures of `stats.figures` read to a person: one list of labelled rows for pages, Word
documents and Excel sheets, and the sums across regions. Only the beneficiary groups' names are read
from the database (one query, for the people-served breakdown)."""

from decimal import Decimal
from typing import Any

from xiangzhen.campaigns.models import Campaign
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import Level

# (key in stats.figures, label, unit)
FIGURES = [
    ("demands_published", "发布需求项目", "个"),
    ("demands_matched", "完成对接的需求项目", "个"),
    ("demands_completed", "已完成的需求项目", "个"),
    ("completed_matches", "已完成的对接", "项"),
    ("success_rate", "对接成功率", ""),
    ("average_days_to_match", "从发布到对接平均用时", "天"),
    ("organizations", "参与的社会组织", "家"),
    ("money_committed", "对接承诺资金", "元"),
    ("money_donated", "专项基金收到捐赠", "元"),
    ("money_disbursed", "专项基金拨付", "元"),
    ("purchases", "消费帮扶金额", "元"),
    ("purchase_count", "消费帮扶笔数", "笔"),
    ("people_served", "服务困难群众", "人次"),
    ("activities", "专项行动活动", "场"),
    ("volunteer_hours", "志愿服务时长", "小时"),
    ("pairings_active", "结对帮扶（结对中）", "对"),
    ("facilities_built", "四小建设（使用中）", "个"),
    ("facility_usage", "小屋使用", "人次/场次"),
    ("key_counties_covered", "覆盖的乡村振兴重点帮扶县", "个"),
    ("key_villages_covered", "覆盖的脱贫村、重点帮扶村", "个"),
]
MONEY = ("money_committed", "money_donated", "money_disbursed", "purchases", "facility_sales")
# Figures that add up across regions (for the province's consolidated table).
ADDITIVE = [
    "demands_published", "demands_matched", "demands_completed", "completed_matches", "organizations",
    "money_committed", "money_donated", "money_disbursed", "purchases", "purchase_count", "people_served",
    "activities", "volunteer_hours", "pairings_active", "facilities_built", "facility_usage",
    "key_counties_covered", "key_villages_covered",
]  # fmt: skip
KIND_LABELS = dict(Organization.Kind.choices)
CAMPAIGN_LABELS = {k: str(v) for k, v in Campaign.Kind.choices}
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级", "village": "村级"}
assert set(LEVEL_LABELS) == set(Level.values)


def value_text(key: str, value: Any, data: dict[str, Any]) -> str:
    if value is None or value == "":
        return "—"
    if key == "success_rate":
        return f"{Decimal(str(value)) * 100:.1f}%"
    if key == "key_counties_covered":
        return f"{value}/{data.get('key_counties', 0)}"
    if key == "key_villages_covered":
        return f"{value}/{data.get('key_villages', 0)}"
    return str(value)


def rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label with unit, value) for each headline figure, then organizations by kind and by level."""
    result = []
    for key, label, unit in FIGURES:
        result.append((f"{label}（{unit}）" if unit else label, value_text(key, data.get(key), data)))
    kinds = data.get("organizations_by_kind") or {}
    if kinds:
        result.append(("其中按类型", "、".join(f"{KIND_LABELS.get(k, k)} {n} 家" for k, n in kinds.items())))
    levels = data.get("organizations_by_level") or {}
    if levels:
        result.append(("其中按登记层级", "、".join(f"{LEVEL_LABELS.get(k, k)} {n} 家" for k, n in levels.items())))
    groups = data.get("people_served_by_group") or {}
    if groups:
        names = group_labels()
        result.append(
            ("服务群众按群体", "、".join(f"{names.get(k, k) if k else '未分群体'} {n} 人次" for k, n in groups.items()))
        )
    return result


def group_labels() -> dict[str, str]:
    from xiangzhen.core.models import BeneficiaryGroup

    return dict(BeneficiaryGroup.objects.values_list("code", "name"))


def headline(data: dict[str, Any] | None) -> list[str]:
    """One cell per headline figure, for table rows ("" when there are no frozen figures)."""
    if not data:
        return ["" for _ in FIGURES]
    return [value_text(key, data.get(key), data) for key, _, _ in FIGURES]


def headline_headers() -> list[str]:
    return [f"{label}（{unit}）" if unit else label for _, label, unit in FIGURES]


def totals(figure_sets: list[dict[str, Any]]) -> dict[str, Any]:
    """The additive figures summed over regions, and the success rate recomputed from the sums."""
    summed: dict[str, Any] = {}
    for key in ADDITIVE:
        values = [Decimal(str(f.get(key) or 0)) for f in figure_sets]
        total = sum(values, Decimal(0))
        if key in MONEY:
            summed[key] = total.quantize(Decimal("0.01"))
        elif key == "volunteer_hours":
            summed[key] = total.quantize(Decimal("0.1"))
        else:
            summed[key] = int(total)
    for key in ("key_counties", "key_villages"):
        summed[key] = sum(int(f.get(key) or 0) for f in figure_sets)
    published, completed = summed["demands_published"], summed["completed_matches"]
    summed["success_rate"] = str((Decimal(completed) / published).quantize(Decimal("0.0001"))) if published else None
    summed["average_days_to_match"] = None
    return summed
