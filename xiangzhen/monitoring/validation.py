"""Checks on the personal data of monitored households (pure functions, no database)."""

import re
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_number_problem(raw: str) -> str | None:
    """Why `raw` is not a valid resident ID number (GB 11643-1999), or None when it is."""
    number = raw.strip().upper()
    if not ID_PATTERN.match(number):
        return "身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    if born.year < 1900 or born > date.today():
        return "身份证号中的出生日期不合理"
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != number[17]:
        return "身份证号校验码不正确，请核对"
    return None


def with_check_digit(first17: str) -> str:
    """The full ID number for 17 digits (used by tests and demo data to make valid numbers)."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]
