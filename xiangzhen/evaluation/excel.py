"""Excel exports of evaluation: the score list with its breakdown, the 等级评估 sheet and the
commendation candidate list. No database access here beyond the rows handed in."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.evaluation.models import Indicator, Score
from xiangzhen.evaluation.selectors import RatingRow
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import Level

KINDS = dict(Organization.Kind.choices)
LEVELS = dict(Level.choices)


def _organization(score: Score) -> list[object]:
    organization = score.organization
    return [
        organization.credit_code,
        organization.name,
        KINDS.get(score.kind, score.kind),
        LEVELS.get(score.level, score.level),
        str(score.region),
    ]


def _text_codes(sheet: object, rows: int) -> None:
    for row in range(2, rows + 2):
        sheet.cell(row=row, column=1).number_format = "@"  # type: ignore[attr-defined]


def scores_workbook(scores: Iterable[Score], indicators: Sequence[Indicator]) -> bytes:
    """One row per organization: its group, rank, total and the points of each indicator."""
    workbook, sheet = new_sheet(_("评估得分"))
    heads = [_("统一社会信用代码"), _("社会组织"), _("类型"), _("登记层级"), _("登记地")]
    heads += [_("年度"), _("组内排名"), _("总分")]
    heads += [f"{i.name}（{i.weight:f}）" for i in indicators]
    header_row(sheet, heads, [22, 30, 14, 10, 30, 8, 10, 10] + [16] * len(indicators))
    count = 0
    for score in scores:
        points = {item["code"]: Decimal(item["points"]) for item in score.breakdown}
        sheet.append(
            [*_organization(score), score.year, f"{score.rank}/{score.group_size}", score.total]
            + [points.get(i.code) for i in indicators]
        )
        count += 1
    _text_codes(sheet, count)
    return to_bytes(workbook)


def rating_workbook(rows: Iterable[RatingRow]) -> bytes:
    """社会组织等级评估: each organization's rural-revitalization indicator score and its weight in the rating."""
    workbook, sheet = new_sheet(_("等级评估"))
    heads = [
        _("统一社会信用代码"),
        _("社会组织"),
        _("类型"),
        _("登记层级"),
        _("登记地"),
        _("现评估等级"),
        _("评估年度"),
        _("参与乡村振兴指标得分（百分制）"),
        _("指标在等级评估中的分值"),
        _("等级评估总分"),
        _("指标权重（%）"),
        _("折算得分"),
        _("得分年度"),
    ]
    header_row(sheet, heads, [22, 30, 14, 10, 30, 10, 10, 18, 14, 12, 12, 10, 10])
    count = 0
    for row in rows:
        organization = row.score.organization
        sheet.append(
            [
                *_organization(row.score),
                organization.rating or _("未评估"),
                organization.rating_year,
                row.score.total,
                row.scheme.rating_points,
                row.scheme.rating_total,
                row.weight_share,
                row.rating_points,
                row.score.year,
            ]
        )
        count += 1
    _text_codes(sheet, count)
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    notes.append([_("折算得分"), _("参与乡村振兴指标得分 ÷ 100 × 该指标在等级评估中的分值")])
    return to_bytes(workbook)


def commendation_workbook(scores: Iterable[Score]) -> bytes:
    """The commendation candidates: the first of each kind and level, with the figures behind the score."""
    workbook, sheet = new_sheet(_("表彰候选"))
    heads = [
        _("统一社会信用代码"),
        _("社会组织"),
        _("类型"),
        _("登记层级"),
        _("登记地"),
        _("年度"),
        _("组内排名"),
        _("总分"),
        _("承接对接数"),
        _("完成对接数"),
        _("专项行动活动数"),
        _("服务人次"),
        _("志愿服务时长"),
        _("消费帮扶金额（元）"),
        _("基金拨付金额（元）"),
        _("受助评价平均分"),
    ]
    header_row(sheet, heads, [22, 30, 14, 10, 30, 8, 10, 10, 12, 12, 14, 12, 14, 16, 16, 14])
    count = 0
    for score in scores:
        m = score.measures
        served = Decimal(m.get("people_served", "0")) + Decimal(m.get("match_people_served", "0"))
        sheet.append(
            [
                *_organization(score),
                score.year,
                score.rank,
                score.total,
                Decimal(m.get("matches_taken", "0")),
                Decimal(m.get("matches_completed", "0")),
                Decimal(m.get("activities", "0")),
                served,
                Decimal(m.get("volunteer_hours", "0")),
                Decimal(m.get("purchases", "0")),
                Decimal(m.get("money_disbursed", "0")),
                Decimal(m.get("evaluation_average", "0")),
            ]
        )
        count += 1
    _text_codes(sheet, count)
    return to_bytes(workbook)
