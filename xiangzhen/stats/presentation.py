"""How the figures of `stats.figures` read to a person: one list of labelled rows for pages, Word
documents and Excel sheets, and the sums across regions. Only the beneficiary groups' names are read
from the database (one query, for the people-served breakdown)."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from xiangzhen.campaigns.models import Campaign
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import Level
from xiangzhen.stats import units
from xiangzhen.stats.charts import heading

# (key in stats.figures, label, unit)
FIGURES: list[tuple[str, StrOrPromise, StrOrPromise]] = [
    ("demands_published", gettext_lazy("发布需求项目"), units.ITEMS),
    ("demands_matched", gettext_lazy("完成对接的需求项目"), units.ITEMS),
    ("demands_completed", gettext_lazy("已完成的需求项目"), units.ITEMS),
    ("completed_matches", gettext_lazy("已完成的对接"), units.MATCHES),
    ("success_rate", gettext_lazy("对接成功率"), ""),
    ("average_days_to_match", gettext_lazy("从发布到对接平均用时"), units.DAYS),
    ("organizations", gettext_lazy("参与的社会组织"), units.ORGANIZATIONS),
    ("money_committed", gettext_lazy("对接承诺资金"), units.YUAN),
    ("money_donated", gettext_lazy("专项基金收到捐赠"), units.YUAN),
    ("money_disbursed", gettext_lazy("专项基金拨付"), units.YUAN),
    ("purchases", gettext_lazy("消费帮扶金额"), units.YUAN),
    ("purchase_count", gettext_lazy("消费帮扶笔数"), units.TRANSACTIONS),
    ("people_served", gettext_lazy("服务困难群众"), units.PERSON_TIMES),
    ("activities", gettext_lazy("专项行动活动"), units.SESSIONS),
    ("volunteer_hours", gettext_lazy("志愿服务时长"), units.HOURS),
    ("pairings_active", gettext_lazy("结对帮扶（结对中）"), units.PAIRS),
    ("facilities_built", gettext_lazy("四小建设（使用中）"), units.ITEMS),
    ("facility_usage", gettext_lazy("小屋使用"), units.VISITS),
    ("key_counties_covered", gettext_lazy("覆盖的乡村振兴重点帮扶县"), units.ITEMS),
    ("key_villages_covered", gettext_lazy("覆盖的脱贫村、重点帮扶村"), units.ITEMS),
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
LEVEL_LABELS = {
    "province": gettext_lazy("省级"),
    "city": gettext_lazy("市级"),
    "county": gettext_lazy("县级"),
    "township": gettext_lazy("乡镇级"),
    "village": gettext_lazy("村级"),
}
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
    result = [(heading(label, unit), value_text(key, data.get(key), data)) for key, label, unit in FIGURES]
    kinds = data.get("organizations_by_kind") or {}
    if kinds:
        result.append((_("其中按类型"), _listing(kinds, KIND_LABELS, units.ORGANIZATIONS)))
    levels = data.get("organizations_by_level") or {}
    if levels:
        result.append((_("其中按登记层级"), _listing(levels, LEVEL_LABELS, units.ORGANIZATIONS)))
    groups = data.get("people_served_by_group") or {}
    if groups:
        names = {**group_labels(), "": _("未分群体")}
        result.append((_("服务群众按群体"), _listing(groups, names, units.PERSON_TIMES)))
    return result


def _listing(counts: dict[str, Any], names: dict[str, Any], unit: Any) -> str:
    """Each key's name, its count and the unit: "社会团体 3 家、基金会 1 家"."""
    return _("、").join(f"{names.get(key, key)} {n} {unit}" for key, n in counts.items())


def group_labels() -> dict[str, str]:
    from xiangzhen.core.models import BeneficiaryGroup

    return dict(BeneficiaryGroup.objects.values_list("code", "name"))


def headline(data: dict[str, Any] | None) -> list[str]:
    """One cell per headline figure, for table rows ("" when there are no frozen figures)."""
    if not data:
        return ["" for _ in FIGURES]
    return [value_text(key, data.get(key), data) for key, _, _ in FIGURES]


def headline_headers() -> list[str]:
    return [heading(label, unit) for _key, label, unit in FIGURES]


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
