"""The metrics the rollups keep: one name each, its label and unit for tables and charts.

Each app's `tallies.py` says what its records contribute to these; the dashboards read them.
A metric whose dimension is an organization's id counts organizations: a distinct count of the
dimension over the rows in range, never a sum.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str
    # What the dimension holds ("" when the metric is not split).
    dimension: str = ""


METRICS = {
    m.name: m
    for m in [
        Metric("demands_published", "发布需求", "个"),
        Metric("demands_matched", "对接成功需求", "个"),
        Metric("match_wait_days", "发布至对接累计天数", "天"),
        Metric("demands_completed", "完成需求", "个"),
        Metric("matches_completed", "完成对接", "项"),
        Metric("money_committed", "对接承诺资金", "元"),
        Metric("money_donated", "专项基金收到捐赠", "元"),
        Metric("money_disbursed", "专项基金拨付", "元", "target"),
        Metric("purchases", "消费帮扶金额", "元", "channel"),
        Metric("purchase_count", "消费帮扶笔数", "笔", "channel"),
        Metric("people_served", "服务困难群众", "人次", "beneficiary_group"),
        Metric("activities", "专项行动活动", "场", "campaign_kind"),
        Metric("volunteer_hours", "志愿服务时长", "小时"),
        Metric("pairings", "结对帮扶", "对", "status"),
        Metric("facilities", "四小建设", "个", "status"),
        Metric("facility_usage", "小屋使用", "人次/场次", "usage_kind"),
        Metric("facility_sales", "直播小屋销售额", "元"),
        Metric("org_participation", "参与社会组织", "家", "organization"),
    ]
}
