"""Arithmetic on 12-digit statistical division codes.

The code alone tells a region's level and its ancestors (省 2 digits, 市 4, 县 6, 乡 9, 村 12),
and a region's subtree is the contiguous range of codes sharing its prefix. Everything that
scopes by region relies on that, so it lives here, free of the database.
"""

import re

from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
CODE_PATTERN = re.compile(r"^\d{12}$")


def normalize(code: str) -> str:
    """Accept a 2/4/6/9/12-digit code and return the 12-digit form, or raise ValueError."""
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"区划代码“{code}”格式不正确，应为 12 位数字（或 2/4/6/9 位前缀）")
    return code.ljust(12, "0")


def level_of(code: str) -> Level:
    if code[2:] == "0" * 10:
        return Level.PROVINCE
    if code[4:] == "0" * 8:
        return Level.CITY
    if code[6:] == "0" * 6:
        return Level.COUNTY
    if code[9:] == "000":
        return Level.TOWNSHIP
    return Level.VILLAGE


def prefix(code: str) -> str:
    return code[: PREFIX_LENGTH[level_of(code)]]


def subtree_bounds(code: str) -> tuple[str, str]:
    """The inclusive code range holding the region and all its descendants."""
    p = prefix(code)
    return p.ljust(12, "0"), p.ljust(12, "9")


def ancestor_codes(code: str) -> list[str]:
    """Codes of every possible ancestor, province first (some may not exist, e.g. 省直辖县)."""
    own = PREFIX_LENGTH[level_of(code)]
    return [code[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < own]


def contains(ancestor: str, code: str) -> bool:
    lo, hi = subtree_bounds(ancestor)
    return lo <= code <= hi
