"""The pairing list and the key-village coverage as Excel workbooks (and the coverage as API data)."""

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.pairings import progress
from xiangzhen.pairings.models import Pairing
from xiangzhen.pairings.selectors import KeyVillageReport

CHUNK = 200


def _chunks(rows: Iterable[Pairing]) -> Iterable[list[Pairing]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _percent(figure: progress.Figure) -> str:
    return "—" if figure.percent is None else f"{figure.percent}%"


def pairings_workbook(pairings: Iterable[Pairing]) -> bytes:
    """One row per pairing with each commitment, what was achieved and the percentage."""
    workbook, sheet = new_sheet(_("结对帮扶"))
    head = [
        _("编号"),
        _("社会组织"),
        _("结对地区"),
        _("区划代码"),
        _("状态"),
        _("开始日期"),
        _("结束日期"),
    ]
    for key in progress.KEYS:
        label = progress.Figure(key, progress.ZERO, progress.ZERO)
        names = {"label": label.label, "unit": label.unit}
        head += [
            _("%(label)s承诺（%(unit)s）") % names,
            _("%(label)s完成（%(unit)s）") % names,
            _("%(label)s完成率") % names,
        ]
    header_row(sheet, head, [24, 28, 36, 16, 12, 12, 12] + [14] * (3 * len(progress.KEYS)))
    for chunk in _chunks(pairings):
        measured = progress.progress_by_pairing(chunk)
        for pairing in chunk:
            row: list[Any] = [
                pairing.number, pairing.organization.name,
                pairing.region.full_name or pairing.region.name, pairing.region_id, pairing.get_status_display(),
                pairing.start_date, pairing.end_date,
            ]  # fmt: skip
            for figure in measured[pairing.pk].figures:
                row += [figure.commitment, figure.achieved, _percent(figure)]
            sheet.append(row)
            sheet.cell(row=sheet.max_row, column=4).number_format = "@"
    return to_bytes(workbook)


def report_dict(report: KeyVillageReport) -> dict[str, Any]:
    """The coverage as plain data (the API's answer)."""
    return {
        "region_code": report.region.code,
        "region_name": report.region.full_name or report.region.name,
        "total": report.total,
        "paired": report.paired,
        "gap": report.gap,
        "villages": [
            {
                "code": v.region.code,
                "name": v.region.name,
                "full_name": v.region.full_name,
                "designations": v.kind_labels,
                "paired": v.paired,
                "covers": [
                    {
                        "pairing_id": c.pairing.pk,
                        "number": c.pairing.number,
                        "organization_name": c.pairing.organization.name,
                        "level": c.level,
                        "level_label": c.level_label,
                    }
                    for c in v.covers
                ],
            }
            for v in report.villages
        ],
        "counties": [
            {"code": c.county.code, "name": c.county.name, "total": c.total, "paired": c.paired, "gap": c.gap}
            for c in report.counties
        ],
    }


def key_villages_workbook(report: KeyVillageReport) -> bytes:
    """A county: one row per key village, the gap first. A city or province: one row per county."""
    workbook, sheet = new_sheet(_("重点村结对情况"))
    if report.is_county:
        header_row(
            sheet,
            [_("村"), _("区划代码"), _("认定类型"), _("是否已结对"), _("结对情况")],
            [36, 16, 20, 12, 60],
        )
        for village in report.villages:
            covers = "；".join(
                f"{c.pairing.organization.name}（{c.level_label}，{c.pairing.number}）" for c in village.covers
            )
            sheet.append(
                [
                    village.region.full_name or village.region.name,
                    village.region.code,
                    "、".join(village.kind_labels),
                    _("已结对") if village.paired else _("未结对"),
                    covers,
                ]
            )
            sheet.cell(row=sheet.max_row, column=2).number_format = "@"
    else:
        header_row(sheet, [_("县"), _("区划代码"), _("重点村"), _("已结对"), _("未结对")], [28, 16, 10, 10, 10])
        for county in report.counties:
            sheet.append([county.county.name, county.county.code, county.total, county.paired, county.gap])
            sheet.cell(row=sheet.max_row, column=2).number_format = "@"
    return to_bytes(workbook)
