"""Excel exports of brands, exemplary cases and commendations (the list civil affairs staff use)."""

from collections.abc import Iterable, Sequence
from typing import Any

from xiangzhen.brands.figures import brand_results
from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase
from xiangzhen.core.excel import header_row, local_minute, new_sheet, to_bytes


def _table(title: str, columns: Sequence[tuple[str, float]], rows: Iterable[list[Any]]) -> bytes:
    workbook, sheet = new_sheet(title)
    header_row(sheet, [c for c, _ in columns], [w for _, w in columns])
    for row in rows:
        sheet.append(row)
    return to_bytes(workbook)


def brands_workbook(brands: Iterable[CharityBrand]) -> bytes:
    columns = [
        ("编号", 24), ("品牌名称", 24), ("社会组织", 28), ("创立年份", 10), ("领域", 20), ("状态", 10),
        ("活动（场）", 10), ("服务人次", 10), ("投入资金及物资（元）", 18), ("活跃年数", 10), ("参与专项行动", 12),
    ]  # fmt: skip

    def row(b: CharityBrand) -> list[Any]:
        r = brand_results(b)
        domains = "、".join(d.name for d in b.domains.all())
        return [
            b.number, b.name, b.organization.name, b.started_year, domains, b.get_status_display(), r.activities,
            r.people_served, r.money, r.years_active, r.campaigns,
        ]  # fmt: skip

    return _table("公益品牌", columns, (row(b) for b in brands))


def cases_workbook(cases: Iterable[ExemplaryCase], *, public: bool = False) -> bytes:
    columns = [
        ("编号", 24), ("标题", 30), ("所属地区", 20), ("社会组织", 28), ("公益品牌", 18), ("专项行动", 24),
        ("摘要", 40), ("活动（场）", 10), ("服务人次", 10), ("投入资金及物资（元）", 18), ("完成对接", 10),
        ("发布时间", 18),
    ]  # fmt: skip
    if not public:
        columns.append(("状态", 10))

    def row(c: ExemplaryCase) -> list[Any]:
        f = c.figures or {}
        values: list[Any] = [
            c.number, c.title, c.region.name, c.organization.name, c.brand.name if c.brand_id else "",  # type: ignore[union-attr]
            c.campaign.name if c.campaign_id else "", c.summary, f.get("activities", 0), f.get("people_served", 0),  # type: ignore[union-attr]
            f.get("money", "0"), f.get("matches_completed", 0),
            local_minute(c.published_at),
        ]  # fmt: skip
        if not public:
            values.append(c.get_status_display())
        return values

    return _table("典型案例", columns, (row(c) for c in cases))


def commendations_workbook(commendations: Iterable[Commendation]) -> bytes:
    columns = [
        ("年度", 8), ("社会组织", 30), ("登记地", 20), ("表彰名称", 30), ("表彰单位", 24), ("文号", 20),
        ("表彰日期", 12),
    ]  # fmt: skip
    return _table(
        "表彰",
        columns,
        (
            [
                c.year,
                c.organization.name,
                c.organization.region.name,
                c.title,
                c.issuing_department,
                c.document_number,
                c.awarded_on,
            ]
            for c in commendations
        ),
    )
