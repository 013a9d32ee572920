"""What a dashboard shows for a region, a period and a department view: headline figures, the
child regions (table, map, bars) for drilling down, the monthly trend and the breakdowns — each
chart a `charts.Chart` with its table, all exportable as one workbook. Shared by the staff
dashboard and the public summary (which passes `public=True`: aggregates only, no drill below county).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from xiangzhen.core.models import BeneficiaryGroup
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.stats import breakdown, presentation, units
from xiangzhen.stats.charts import Chart, Number, heading, region_map
from xiangzhen.stats.figures import Figures, figures
from xiangzhen.stats.periods import Period

VIEWS = {
    "rural_revitalization": gettext_lazy("乡村振兴部门视角"),
    "civil_affairs": gettext_lazy("民政部门视角"),
    "all": gettext_lazy("全部指标"),
}
# The headline figures each department view puts first (the rest follow).
EMPHASIS = {
    "rural_revitalization": [
        "demands_published", "demands_matched", "demands_completed", "success_rate", "average_days_to_match",
        "money_committed", "purchases", "key_counties_covered", "key_villages_covered", "pairings_active",
    ],
    "civil_affairs": [
        "organizations", "activities", "volunteer_hours", "people_served", "money_donated", "money_disbursed",
        "facilities_built", "facility_usage", "pairings_active",
    ],
    "all": [],
}  # fmt: skip
# Child-region columns per view: (metric or figure, header, unit).
CHILD_COLUMNS: dict[str, list[tuple[str, StrOrPromise, StrOrPromise]]] = {
    "rural_revitalization": [
        ("demands_published", gettext_lazy("发布需求"), units.ITEMS),
        ("demands_matched", pgettext_lazy("figure", "确认对接"), units.MATCHES),
        ("matches_completed", gettext_lazy("完成对接"), units.MATCHES),
        ("success_rate", gettext_lazy("对接成功率"), "%"),
        ("average_days_to_match", gettext_lazy("平均对接用时"), units.DAYS),
        ("money_committed", gettext_lazy("承诺资金"), units.YUAN),
        ("purchases", gettext_lazy("消费帮扶"), units.YUAN),
    ],
    "civil_affairs": [
        ("organizations", gettext_lazy("参与社会组织"), units.ORGANIZATIONS),
        ("activities", gettext_lazy("专项行动活动"), units.SESSIONS),
        ("people_served", gettext_lazy("服务困难群众"), units.PERSON_TIMES),
        ("volunteer_hours", gettext_lazy("志愿服务时长"), units.HOURS),
        ("money_donated", gettext_lazy("收到捐赠"), units.YUAN),
        ("money_disbursed", gettext_lazy("拨付"), units.YUAN),
        ("facility_usage", gettext_lazy("小屋使用"), units.VISITS),
    ],
}  # fmt: skip
CHILD_COLUMNS["all"] = CHILD_COLUMNS["rural_revitalization"] + CHILD_COLUMNS["civil_affairs"]
TREND = [
    ("demands_published", gettext_lazy("发布需求")),
    ("demands_matched", pgettext_lazy("figure", "确认对接")),
    ("matches_completed", gettext_lazy("完成对接")),
]


@dataclass
class Dashboard:
    region: Region | None
    period: Period
    view: str
    figures: Figures
    rows: list[tuple[str, str]]
    charts: list[Chart] = field(default_factory=list)
    crumbs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.region.code if self.region else ""

    @property
    def title(self) -> str:
        return (self.region.full_name or self.region.name) if self.region else _("全国")


def _link(base: str, code: str, period: Period, view: str) -> str:
    query: dict[str, str | int] = {
        "region": code,
        "period": period.kind,
        "year": period.year,
        "part": period.part,
        "view": view,
    }
    return f"{base}?{urlencode(query)}"


def _child_value(child: breakdown.ChildFigures, key: str) -> Decimal | int | None:
    if key == "success_rate":
        return child.success_rate
    if key == "average_days_to_match":
        return child.average_days_to_match
    if key == "organizations":
        return child.organizations
    return child.value(key)


def headline_rows(data: dict[str, Any], view: str) -> list[tuple[str, str]]:
    """presentation.rows, with the view's emphasis first."""
    order = EMPHASIS[view]
    labels = {key: heading(label, unit) for key, label, unit in presentation.FIGURES}
    rows = presentation.rows(data)
    first = [(labels[k], value) for k in order if k in labels for label, value in rows if label == labels[k]]
    chosen = {label for label, _ in first}
    return first + [row for row in rows if row[0] not in chosen]


def build(region: Region | None, period: Period, view: str, *, base_url: str, public: bool = False) -> Dashboard:
    code = region.code if region else ""
    result = figures(code, period.start, period.end)
    data = result.as_json()
    board = Dashboard(region, period, view, result, headline_rows(data, view))
    board.crumbs = [(_("全国"), _link(base_url, "", period, view))]
    if region is not None:
        ancestors = Region.objects.filter(code__in=codes.ancestor_codes(region.code)).order_by("code")
        board.crumbs += [(r.name, _link(base_url, r.code, period, view)) for r in ancestors]

    level = breakdown.level_key(code)
    drill = level != codes.Level.VILLAGE and not (public and level == codes.Level.COUNTY)
    if drill:
        board.charts += child_charts(code, period, view, base_url=base_url, public=public)
    board.charts.append(trend_chart(code, period))
    board.charts += breakdown_charts(result)
    return board


def child_charts(code: str, period: Period, view: str, *, base_url: str, public: bool) -> list[Chart]:
    kids = breakdown.by_child(code, period.start, period.end)
    columns = CHILD_COLUMNS[view]
    # Each header carries its own unit (the columns mix them).
    series: list[tuple[str, Sequence[Number]]] = [
        (heading(header, unit), [_child_value(kid, key) for kid in kids]) for key, header, unit in columns
    ]
    deepest = codes.Level.COUNTY if public else codes.Level.TOWNSHIP
    links = [
        _link(base_url, kid.code, period, view) if codes.level_of(kid.code) in _levels_up_to(deepest) else ""
        for kid in kids
    ]
    map_chart = region_map(
        id="children-map",
        title=_("下级区划"),
        parent_code=code,
        regions=[(kid.code, kid.name) for kid in kids],
        series=series,
        links=links,
    )
    bars = Chart(
        id="children-bars",
        title=_("下级区划对比"),
        kind="bar",
        categories=[kid.name for kid in kids],
        series=series[:3],
        category_header=_("区划"),
        links=links,
    )
    return [map_chart, bars]


def _levels_up_to(level: codes.Level) -> list[codes.Level]:
    order = list(codes.Level)
    return order[: order.index(level) + 1]


def trend_chart(code: str, period: Period) -> Chart:
    months = period.months()
    values = breakdown.by_month(code, months, [metric for metric, _label in TREND])
    return Chart(
        id="trend",
        title=_("按月趋势"),
        kind="line" if len(months) > 1 else "bar",
        categories=[f"{m:%Y-%m}" for m in months],
        series=[(str(label), values[metric]) for metric, label in TREND],
        category_header=_("月份"),
    )


def breakdown_charts(result: Figures) -> list[Chart]:
    kinds = dict(Organization.Kind.choices)
    groups = dict(BeneficiaryGroup.objects.values_list("code", "name"))
    charts = [
        Chart(
            id="org-kinds",
            title=_("参与社会组织（按类型）"),
            kind="pie",
            categories=[str(kinds.get(k, k)) for k in result.organizations_by_kind],
            series=[(_("组织数"), list(result.organizations_by_kind.values()))],
            unit=units.ORGANIZATIONS,
            category_header=_("类型"),
        ),
        Chart(
            id="org-levels",
            title=_("参与社会组织（按登记层级）"),
            kind="bar",
            categories=[str(presentation.LEVEL_LABELS.get(k, k)) for k in result.organizations_by_level],
            series=[(_("组织数"), list(result.organizations_by_level.values()))],
            unit=units.ORGANIZATIONS,
            category_header=_("登记层级"),
        ),
        Chart(
            id="people-served",
            title=_("服务困难群众（按受益群体）"),
            kind="bar",
            categories=[groups.get(k, k) if k else _("未分群体") for k in result.people_served_by_group],
            series=[(_("人次"), list(result.people_served_by_group.values()))],
            unit=units.PERSON_TIMES,
            category_header=_("受益群体"),
        ),
        Chart(
            id="campaigns",
            title=_("专项行动活动（按行动）"),
            kind="bar",
            categories=[presentation.CAMPAIGN_LABELS.get(k, k) for k in result.activities_by_campaign_kind],
            series=[(_("活动场次"), list(result.activities_by_campaign_kind.values()))],
            unit=units.SESSIONS,
            category_header=_("专项行动"),
        ),
        Chart(
            id="money",
            title=_("资金与消费帮扶"),
            kind="bar",
            categories=[_("对接承诺资金"), _("收到捐赠"), _("专项基金拨付"), _("消费帮扶"), _("直播小屋销售")],
            series=[
                (
                    _("金额"),
                    [
                        result.money_committed,
                        result.money_donated,
                        result.money_disbursed,
                        result.purchases,
                        result.facility_sales,
                    ],
                )
            ],
            unit=units.YUAN,
            category_header=_("项目"),
        ),
    ]
    return charts


def dashboard_url(code: str, period: Period, view: str, *, public: bool = False) -> str:
    return _link(reverse("stats:public" if public else "stats:figures"), code, period, view)
