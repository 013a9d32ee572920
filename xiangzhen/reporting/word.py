"""Word documents in the official-document layout of GB/T 9704-2012 (党政机关公文格式).

A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the issuing authority's
mark in red over a red line; the title in 方正小标宋简体 2号 (22 pt), centred; the body in
仿宋_GB2312 3号 (16 pt) with a fixed 28.95 pt line pitch (22 lines a page), first lines indented
two characters; first-level headings in 黑体; signature and date at the end, right-aligned;
page numbers “— 1 —” in 宋体 4号, odd pages right and even pages left. The fonts are named, not
embedded: Word substitutes 宋体/仿宋 where the 方正 fonts are not installed.

Pure document building from values the caller already read and scoped; no database access.
"""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from xiangzhen.stats import presentation

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_PITCH = Pt(28.95)


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None  # first row is the header
    subsections: list["Section"] = field(default_factory=list)


@dataclass
class OfficialDocument:
    authorities: list[str]  # 发文机关, one line each of the red head and the signature
    title: str
    addressee: str  # 主送机关, e.g. "湖南省民政厅、湖南省乡村振兴局："
    sections: list[Section]
    date: datetime.date
    number: str = ""  # shown under the red head


def _font(run: Any, name: str, size: Pt, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def _paragraph(
    container: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    align: int | None = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _red_line(paragraph: Paragraph) -> None:
    """The red separator under the issuing authority's mark, as a bottom border of its paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "12"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(footer: Any, align: int) -> None:
    """“— N —” with a PAGE field, 宋体 4号."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    _font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # the page number sits 7 mm below the body
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = BODY_SIZE
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _table(document: Any, rows: list[list[str]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(value)
            _font(run, HEADING_FONT if index == 0 else BODY_FONT, Pt(12), bold=False)


def _chinese_number(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def _sections(document: Any, sections: Iterable[Section], level: int = 1) -> None:
    for number, section in enumerate(sections, start=1):
        if level == 1:
            _paragraph(document, f"{_chinese_number(number)}、{section.heading}", font=HEADING_FONT, indent=True)
        else:
            _paragraph(document, f"（{_chinese_number(number)}）{section.heading}", font="楷体_GB2312", indent=True)
        for text in section.paragraphs:
            for line in text.splitlines() or [""]:
                if line.strip():
                    _paragraph(document, line.strip(), indent=True)
        if section.table:
            _table(document, section.table)
        _sections(document, section.subsections, level + 1)


def render(doc: OfficialDocument) -> bytes:
    document = Document()
    _setup(document)
    for authority in doc.authorities:
        _paragraph(document, authority, font=TITLE_FONT, size=Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    mark = _paragraph(document, doc.number, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_line(mark)
    _paragraph(document, "")
    _paragraph(document, doc.title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "")
    _paragraph(document, doc.addressee)
    _sections(document, doc.sections)
    _paragraph(document, "")
    for authority in doc.authorities:
        _paragraph(document, authority, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, f"{doc.date.year}年{doc.date.month}月{doc.date.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def figures_table(data: dict[str, Any]) -> list[list[str]]:
    return [["指标", "数值"], *[[label, value] for label, value in presentation.rows(data)]]
