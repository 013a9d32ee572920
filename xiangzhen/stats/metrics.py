"""The metrics the rollups keep: one name each, its label and unit for tables and charts.

Each app's `tallies.py` says what its records contribute to these; the dashboards read them.
A metric whose dimension is an organization's id counts organizations: a distinct count of the
dimension over the rows in range, never a sum.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from xiangzhen.stats import units


@dataclass(frozen=True)
class Metric:
    name: str
    label: StrOrPromise
    unit: StrOrPromise
    # What the dimension holds ("" when the metric is not split).
    dimension: str = ""


METRICS = {
    m.name: m
    for m in [
        Metric("demands_published", _("发布需求"), units.ITEMS),
        Metric("demands_matched", _("对接成功需求"), units.ITEMS),
        Metric("match_wait_days", _("发布至对接累计天数"), units.DAYS),
        Metric("demands_completed", _("完成需求"), units.ITEMS),
        Metric("matches_completed", _("完成对接"), units.MATCHES),
        Metric("money_committed", _("对接承诺资金"), units.YUAN),
        Metric("money_donated", _("专项基金收到捐赠"), units.YUAN),
        Metric("money_disbursed", _("专项基金拨付"), units.YUAN, "target"),
        Metric("purchases", _("消费帮扶金额"), units.YUAN, "channel"),
        Metric("purchase_count", _("消费帮扶笔数"), units.TRANSACTIONS, "channel"),
        Metric("people_served", _("服务困难群众"), units.PERSON_TIMES, "beneficiary_group"),
        Metric("activities", _("专项行动活动"), units.SESSIONS, "campaign_kind"),
        Metric("volunteer_hours", _("志愿服务时长"), units.HOURS),
        Metric("pairings", _("结对帮扶"), units.PAIRS, "status"),
        Metric("facilities", _("四小建设"), units.ITEMS, "status"),
        Metric("facility_usage", _("小屋使用"), units.VISITS, "usage_kind"),
        Metric("facility_sales", _("直播小屋销售额"), units.YUAN),
        Metric("org_participation", _("参与社会组织"), units.ORGANIZATIONS, "organization"),
    ]
}
