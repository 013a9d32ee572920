"""Excel export of articles (staff list and public list)."""

from collections.abc import Iterable

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.portal.models import Article


def articles_workbook(articles: Iterable[Article], *, public: bool = False) -> bytes:
    columns = [("编号", 24), ("类别", 12), ("标题", 36), ("所属地区", 20), ("发布部门", 24), ("摘要", 40)]
    if not public:
        columns += [("状态", 10), ("退回原因", 30)]
    columns += [("发布时间", 20)]
    workbook, sheet = new_sheet("文章")
    header_row(sheet, [c for c, _ in columns], [w for _, w in columns])
    for a in articles:
        row = [a.number, a.get_kind_display(), a.title, a.region.name, a.department.name, a.summary]
        if not public:
            row += [a.get_status_display(), a.return_reason]
        row += [a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else ""]
        sheet.append(row)
    return to_bytes(workbook)
