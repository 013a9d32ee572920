"""Excel exports of the linkage lists (phones masked)."""

from collections.abc import Iterable

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.linkage.models import IncubationRecord, SocialWorkStation, Volunteer, VolunteerService
from xiangzhen.linkage.selectors import Coverage, Growth, Total


def stations_workbook(stations: Iterable[SocialWorkStation], coverage: Iterable[Coverage]) -> bytes:
    workbook, sheet = new_sheet("社工站")
    header_row(
        sheet, ["乡镇", "名称", "地址", "运营机构", "建站日期", "状态", "工作人员数"], [30, 30, 30, 30, 12, 10, 10]
    )
    for s in stations:
        sheet.append([
            s.region.full_name or s.region.name, s.name, s.address, str(s.operator or ""), s.opened_on,
            s.get_status_display(), getattr(s, "staff_count", 0),
        ])  # fmt: skip
    cover = workbook.create_sheet("覆盖情况")
    header_row(cover, ["县", "乡镇数", "已建站", "未建站"], [30, 10, 10, 10])
    for c in coverage:
        cover.append([c.county.name, c.townships, c.with_station, c.without_station])
    return to_bytes(workbook)


def volunteers_workbook(volunteers: Iterable[Volunteer]) -> bytes:
    workbook, sheet = new_sheet("志愿者")
    header_row(sheet, ["姓名", "手机号", "技能特长", "服务区域", "登记单位", "已确认时长"], [12, 16, 30, 40, 30, 12])
    for v in volunteers:
        sheet.append([
            v.name, v.masked_phone, v.skills, "、".join(a.name for a in v.areas.all()),
            str(v.organization or v.station), float(getattr(v, "confirmed_hours", None) or 0),
        ])  # fmt: skip
    return to_bytes(workbook)


def services_workbook(services: Iterable[VolunteerService]) -> bytes:
    workbook, sheet = new_sheet("志愿服务记录")
    header_row(sheet, ["志愿者", "组织方", "服务日期", "时长", "内容", "地点", "状态", "驳回原因"],
               [12, 30, 12, 8, 40, 30, 10, 30])  # fmt: skip
    for s in services:
        sheet.append([
            s.volunteer.name, s.organizer_name, s.served_on, float(s.hours), s.content, s.region.name,
            s.get_status_display(), s.reject_reason,
        ])  # fmt: skip
    return to_bytes(workbook)


def totals_workbook(sections: list[tuple[str, list[Total]]]) -> bytes:
    workbook, sheet = new_sheet(sections[0][0])
    for index, (title, totals) in enumerate(sections):
        if index:
            sheet = workbook.create_sheet(title)
        header_row(sheet, ["名称", "已确认时长", "服务次数", "人数"], [30, 12, 10, 10])
        for t in totals:
            sheet.append([t.label, float(t.hours), t.services, t.people])
    return to_bytes(workbook)


def incubations_workbook(rows: Iterable[tuple[IncubationRecord, Growth]]) -> bytes:
    workbook, sheet = new_sheet("孵化培育")
    header_row(sheet, ["组织", "创办人类型", "孵化机构", "阶段", "备案日期", "首个发布供给", "首次确认对接", "活动数"],
               [30, 14, 30, 10, 12, 12, 12, 8])  # fmt: skip
    for r, g in rows:
        sheet.append([
            r.organization.name, r.organization.get_founder_type_display(), r.incubator_name, r.get_stage_display(),
            r.filed_on, g.first_offer_on, g.first_match_on, g.activities,
        ])  # fmt: skip
    return to_bytes(workbook)
