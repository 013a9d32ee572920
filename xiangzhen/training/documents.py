"""Exports: the training list and its attendees as Excel, and a certificate as a Word file."""

import io
from collections.abc import Iterable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from xiangzhen.core.crypto import mask_name
from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.training.models import Enrollment, Talent, Training


def trainings_workbook(trainings: Iterable[Training]) -> bytes:
    workbook, sheet = new_sheet("培训")
    titles = [
        "编号",
        "课程名称",
        "主办方",
        "授课人",
        "开始日期",
        "结束日期",
        "方式",
        "地点或链接",
        "名额",
        "已报名",
        "学时",
        "状态",
    ]
    header_row(sheet, titles, [22, 30, 26, 14, 12, 12, 8, 30, 8, 8, 8, 10])
    for t in trainings:
        sheet.append([
            t.number, t.title, t.organizer_name, t.trainer, t.starts_on, t.ends_on, t.get_mode_display(),
            t.place or t.link, t.capacity, t.enrolled_count, float(t.hours), t.get_status_display(),
        ])  # fmt: skip
        for column in (5, 6):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    return to_bytes(workbook)


def enrollments_workbook(enrollments: Iterable[Enrollment]) -> bytes:
    workbook, sheet = new_sheet("学员")
    header_row(sheet, ["学员", "所在社会组织", "已出勤", "出勤学时", "已结业", "证书编号"], [14, 30, 8, 10, 8, 26])
    for e in enrollments:
        sheet.append([
            str(e.attendee), e.organization.name, "是" if e.attended else "否", float(e.attended_hours),
            "是" if e.completed else "否", e.certificate_number or "",
        ])  # fmt: skip
    return to_bytes(workbook)


def talents_workbook(talents: Iterable[Talent]) -> bytes:
    workbook, sheet = new_sheet("领军人才")
    titles = ["姓名", "所在社会组织", "擅长领域", "社会工作者职业资格", "证书编号", "取得年份", "其他资格"]
    header_row(sheet, titles, [14, 30, 24, 16, 22, 10, 40])
    for t in talents:
        sheet.append([
            str(t.person), t.organization.name, "、".join(d.name for d in t.domains.all()),
            t.get_social_work_level_display() if t.social_work_level else "", t.social_work_certificate,
            t.social_work_year, t.other_qualifications,
        ])  # fmt: skip
    return to_bytes(workbook)


def public_name(enrollment: Enrollment) -> str:
    return mask_name(str(enrollment.attendee))


def certificate_docx(enrollment: Enrollment, verify_url: str) -> bytes:
    """The completion certificate of one attendee, with the address where anyone can check its number."""
    training = enrollment.training
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("结业证书")
    run.bold = True
    run.font.size = Pt(26)
    body = document.add_paragraph()
    body.add_run(
        f"{enrollment.attendee}（{enrollment.organization.name}）于 {training.starts_on:%Y年%m月%d日}"
        f" 至 {training.ends_on:%Y年%m月%d日} 参加“{training.title}”培训，"
        f"完成学时 {enrollment.attended_hours}，准予结业。"
    ).font.size = Pt(14)
    document.add_paragraph(f"主办方：{training.organizer_name}")
    document.add_paragraph(f"证书编号：{enrollment.certificate_number}")
    document.add_paragraph(f"发证日期：{enrollment.certified_on:%Y年%m月%d日}" if enrollment.certified_on else "")
    document.add_paragraph(f"查验地址：{verify_url}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
