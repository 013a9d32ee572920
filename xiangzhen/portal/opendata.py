"""Open data (开放共享): published demands, published offers, matches and county statistics as
CSV and JSON, with every field documented on /portal/open-data/.

Only fields listed in DATASETS are written, row by row from explicit functions, so a personal field
(contacts, phones, people's names, ID numbers, household data, who entered or reviewed a record)
can never slip in by a model change. Organizations are legal entities registered in public: their
names are published.
"""

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xiangzhen.regions.models import Region


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Any
    description: Any
    fields: list[tuple[str, Any]]  # (name, what it holds)
    rows: Callable[[], Iterator[dict[str, Any]]]
    cached: bool = False  # built once a day (see `rows_of`)


def _dt(value: Any) -> str:
    return value.isoformat() if value else ""


def _demand_rows() -> Iterator[dict[str, Any]]:
    from xiangzhen.demands.models import Demand

    queryset = (
        Demand.objects.filter(status__in=Demand.PUBLIC_STATUSES)
        .select_related("region")
        .prefetch_related("domains")
        .order_by("published_at", "id")
    )
    for d in queryset:
        yield {
            "number": d.number, "title": d.title, "region_code": d.region_id, "region_name": d.region.name,
            "domains": [x.code for x in d.domains.all()], "aid_mode": d.aid_mode, "budget": str(d.budget),
            "deadline": _dt(d.deadline), "status": d.status, "published_at": _dt(d.published_at),
        }  # fmt: skip


def _offer_rows() -> Iterator[dict[str, Any]]:
    from xiangzhen.offers.models import Offer

    queryset = (
        Offer.objects.filter(status=Offer.Status.PUBLISHED)
        .select_related("organization")
        .prefetch_related("domains", "service_regions")
        .order_by("published_at", "id")
    )
    for o in queryset:
        yield {
            "number": o.number, "title": o.title, "organization": o.organization.name,
            "domains": [x.code for x in o.domains.all()], "nationwide": o.nationwide,
            "service_regions": [r.code for r in o.service_regions.all()], "aid_mode": o.aid_mode,
            "capacity_demands": o.capacity_demands, "capacity_amount": str(o.capacity_amount),
            "window_start": _dt(o.window_start), "window_end": _dt(o.window_end), "published_at": _dt(o.published_at),
        }  # fmt: skip


MATCH_STATUSES = ("confirmed", "in_progress", "completed", "evaluated")


def _match_rows() -> Iterator[dict[str, Any]]:
    from xiangzhen.matching.models import Match

    queryset = (
        Match.objects.filter(status__in=MATCH_STATUSES)
        .select_related("demand", "demand__region", "organization")
        .order_by("confirmed_at", "id")
    )
    for m in queryset:
        yield {
            "number": m.number, "demand_number": m.demand.number, "region_code": m.demand.region_id,
            "organization": m.organization.name, "origin": m.origin, "status": m.status,
            "committed_amount": str(m.committed_amount), "confirmed_at": _dt(m.confirmed_at),
            "completed_at": _dt(m.completed_at),
        }  # fmt: skip


def _statistics_rows() -> Iterator[dict[str, Any]]:
    """The rollups summed per county, month and metric; organizations counted once each."""
    from xiangzhen.stats.metrics import METRICS
    from xiangzhen.stats.models import Rollup

    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    distinct: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    rows = Rollup.objects.values_list("metric", "region_code", "month", "dimension", "value").iterator()
    for metric, region_code, month, dimension, value in rows:
        if len(region_code) != 12 or region_code[4:6] == "00":
            continue  # a province's or city's own records belong to no county
        key = (region_code[:6].ljust(12, "0"), month.strftime("%Y-%m"), metric)
        if metric == "org_participation":
            if value:
                distinct[key].add(dimension)
        else:
            sums[key] += value
    totals: dict[tuple[str, str, str], Decimal] = dict(sums)
    totals.update({k: Decimal(len(v)) for k, v in distinct.items()})
    names = dict(Region.objects.filter(code__in={k[0] for k in totals}).values_list("code", "name"))
    # Built once a day for every visitor (`rows_of`): the labels stay in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        labels = {m.name: (str(m.label), str(m.unit)) for m in METRICS.values()}
    for (county, month_text, metric), value in sorted(totals.items()):
        label, unit = labels.get(metric, (metric, ""))
        yield {
            "county_code": county, "county_name": names.get(county, ""), "month": month_text, "metric": metric,
            "label": label, "unit": unit,
            "value": f"{value.normalize():f}",
        }  # fmt: skip


DATASETS = {
    d.slug: d
    for d in [
        Dataset(
            "demands", _("已发布的需求项目"),
            _("发布后（含已对接、实施中、已完成）的乡村需求；不含联系人、农户信息和填报人。"),
            [
                ("number", _("需求编号")), ("title", _("标题")),
                ("region_code", _("所在区划代码（12 位统计用区划代码）")),
                ("region_name", _("所在区划名称")), ("domains", _("领域代码（JSON 中为数组，CSV 中以 | 分隔）")),
                ("aid_mode", _("帮扶方式代码")), ("budget", _("所需资金（元）")), ("deadline", _("征集截止日期")),
                ("status", _("状态代码")), ("published_at", _("发布时间（ISO 8601）")),
            ],
            _demand_rows,
        ),
        Dataset(
            "offers", _("已发布的供给项目"), _("社会组织发布的、仍在征集中的供给；不含联系人和审核人。"),
            [
                ("number", _("供给编号")), ("title", _("项目名称")), ("organization", _("社会组织名称（登记名称）")),
                ("domains", _("服务领域代码")), ("nationwide", _("是否面向全国")),
                ("service_regions", _("服务区域代码")),
                ("aid_mode", _("帮扶方式代码")), ("capacity_demands", _("可承接需求数")),
                ("capacity_amount", _("可投入资金（元）")), ("window_start", _("开始日期")),
                ("window_end", _("结束日期")),
                ("published_at", _("发布时间")),
            ],
            _offer_rows,
        ),
        Dataset(
            "matches", _("对接结果"), _("县级确认后的对接（已确认、实施中、已完成、已评价）；不含任何个人。"),
            [
                ("number", _("对接编号")), ("demand_number", _("需求编号")), ("region_code", _("需求所在区划代码")),
                ("organization", _("社会组织名称")), ("origin", _("对接方式代码")), ("status", _("状态代码")),
                ("committed_amount", _("承诺资金（元）")), ("confirmed_at", _("县级确认时间")),
                ("completed_at", _("完成时间")),
            ],
            _match_rows,
        ),
        Dataset(
            "statistics", _("分县统计"), _("统计汇总按县、按月、按指标合计（参与社会组织为去重家数）。"),
            [
                ("county_code", _("县级区划代码")), ("county_name", _("县名称")), ("month", _("月份（YYYY-MM）")),
                ("metric", _("指标代码")), ("label", _("指标名称")), ("unit", _("单位")), ("value", _("数值")),
            ],
            _statistics_rows,
            cached=True,
        ),
    ]
}  # fmt: skip


CACHE_SECONDS = 24 * 3600


def cache_key(dataset: Dataset, day: Any = None) -> str:
    from django.utils import timezone

    return f"portal:open-data:{dataset.slug}:{(day or timezone.localdate()).isoformat()}"


def rows_of(dataset: Dataset) -> list[dict[str, Any]]:
    """The dataset's rows. The statistics sum every rollup row, so they are built once per day
    (Asia/Shanghai) and kept in the Django cache under a key naming the day; the others are read
    live (they are filtered, indexed reads)."""
    if not dataset.cached:
        return list(dataset.rows())
    from django.core.cache import cache

    rows = cache.get_or_set(cache_key(dataset), lambda: list(dataset.rows()), CACHE_SECONDS)
    return list(rows or [])


def as_json(dataset: Dataset) -> str:
    return json.dumps(
        {"dataset": dataset.slug, "title": str(dataset.title), "fields": [f for f, _ in dataset.fields],
         "rows": rows_of(dataset)},
        ensure_ascii=False,
    )  # fmt: skip


def as_csv(dataset: Dataset) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [f for f, _ in dataset.fields]
    writer.writerow(names)
    for row in rows_of(dataset):
        writer.writerow(["|".join(map(str, row[n])) if isinstance(row[n], list) else row[n] for n in names])
    return buffer.getvalue()
