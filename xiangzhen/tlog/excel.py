"""The Excel export of log entries. No database access here."""

from collections.abc import Iterable

from xiangzhen.core.excel import header_row, new_sheet, to_bytes
from xiangzhen.tlog import registry
from xiangzhen.tlog.models import LogEntry

HEADERS = ["序号", "类型", "记录编号", "写入时间", "叶子哈希", "叶子内容（RFC 8785 JSON）"]
WIDTHS = [10, 16, 28, 20, 66, 100]


def export_workbook(entries: Iterable[LogEntry]) -> bytes:
    workbook, sheet = new_sheet("透明日志")
    header_row(sheet, HEADERS, WIDTHS)
    for e in entries:
        sheet.append(
            [e.index, registry.label(e.kind), e.number, e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
             bytes(e.leaf_hash).hex(), e.leaf]
        )  # fmt: skip
    return to_bytes(workbook)
