"""Excel export of the user list. No database access here: the caller passes the listed users."""

from collections.abc import Iterable

from xiangzhen.accounts.models import User
from xiangzhen.core.crypto import mask_phone
from xiangzhen.core.excel import header_row, local_minute, new_sheet, to_bytes

SHEET_TITLE = "用户"
HEADERS = ["用户名", "姓名", "角色", "所属部门", "负责区划", "手机号", "电子邮箱", "状态", "最近登录", "创建时间"]
WIDTHS = [16, 12, 16, 28, 36, 16, 24, 10, 18, 18]


def export_workbook(users: Iterable[User]) -> bytes:
    """One row per user; phone numbers masked like on screen, no password data of any kind."""
    workbook, sheet = new_sheet(SHEET_TITLE)
    header_row(sheet, HEADERS, WIDTHS)
    for user in users:
        region = user.department.region if user.department_id else user.region  # type: ignore[union-attr]
        sheet.append(
            [
                user.username,
                user.full_name,
                user.get_role_display(),
                str(user.department) if user.department_id else "",
                str(region) if region else "",
                mask_phone(user.phone) if user.phone else "",
                user.email,
                "启用" if user.is_active else "已停用",
                local_minute(user.last_login),
                local_minute(user.date_joined),
            ]
        )
    return to_bytes(workbook)
