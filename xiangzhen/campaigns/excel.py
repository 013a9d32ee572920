"""Excel exports of campaigns, their activities and their enrollments. No database access here
beyond the rows handed in."""

from collections.abc import Iterable, Sequence
from typing import Any

from xiangzhen.campaigns.models import Activity, Campaign, Enrollment
from xiangzhen.campaigns.progress import progress_of
from xiangzhen.core.excel import header_row, local_minute, new_sheet, to_bytes


def _table(title: str, columns: Sequence[tuple[str, float]], rows: Iterable[list[Any]]) -> bytes:
    workbook, sheet = new_sheet(title)
    header_row(sheet, [c for c, _ in columns], [w for _, w in columns])
    for row in rows:
        sheet.append(row)
    return to_bytes(workbook)


def campaigns_workbook(campaigns: Iterable[Campaign]) -> bytes:
    columns = [
        ("编号", 24), ("类型", 16), ("名称", 30), ("实施地区", 24), ("开始日期", 12), ("结束日期", 12), ("状态", 10),
        ("参与组织（家）", 12), ("目标组织", 10), ("活动（场）", 10), ("目标活动", 10), ("服务人次", 10),
        ("目标人次", 10), ("投入资金（元）", 16), ("目标资金（元）", 16), ("消费帮扶（元）", 16),
        ("目标消费帮扶（元）", 16), ("四小建设（个）", 12),
    ]  # fmt: skip

    def row(c: Campaign) -> list[Any]:
        p = progress_of(c)
        return [
            c.number, c.get_kind_display(), c.name, c.region.full_name or c.region.name, c.start_date, c.end_date,
            c.get_status_display(), p.organizations, c.target_organizations, p.activities, c.target_activities,
            p.people_served, c.target_people_served, p.money, c.target_money, p.purchases, c.target_purchases,
            p.facilities,
        ]  # fmt: skip

    return _table("专项行动", columns, (row(c) for c in campaigns))


def activities_workbook(activities: Iterable[Activity], *, public: bool = False) -> bytes:
    columns = [
        ("编号", 24), ("专项行动", 26), ("社会组织", 26), ("公益品牌", 16), ("活动名称", 26), ("活动日期", 12),
        ("活动地区", 30), ("具体地点", 20), ("投入资金（元）", 14), ("捐赠物资", 20), ("物资折价（元）", 14),
        ("服务人次", 10), ("受益群体", 30),
    ]  # fmt: skip
    if not public:
        columns.append(("记录人", 14))

    def row(a: Activity) -> list[Any]:
        groups = "；".join(f"{b.group.name} {b.count}" for b in a.beneficiaries.all())
        values: list[Any] = [
            a.number, a.campaign.name, a.organization.name, a.brand.name if a.brand_id else "", a.title,  # type: ignore[union-attr]
            a.held_on, a.region.full_name or a.region.name, a.place, a.money, a.in_kind, a.in_kind_value,
            a.people_served, groups,
        ]  # fmt: skip
        if not public:
            values.append(str(a.recorded_by))
        return values

    return _table("活动", columns, (row(a) for a in activities))


def enrollments_workbook(campaign: Campaign, enrollments: Iterable[Enrollment]) -> bytes:
    columns = [("专项行动", 26), ("社会组织", 30), ("登记地", 24), ("状态", 10), ("报名时间", 20)]
    return _table(
        "报名组织",
        columns,
        (
            [
                campaign.name,
                e.organization.name,
                e.organization.region.full_name or e.organization.region.name,
                e.get_status_display(),
                local_minute(e.enrolled_at),
            ]
            for e in enrollments
        ),
    )
