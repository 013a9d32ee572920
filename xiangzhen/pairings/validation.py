"""What a person fills in for a pairing, and the checks that give each field a clear Chinese message."""

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xiangzhen.core.validation import InputData, Problems
from xiangzhen.pairings.rules import PLACE_LEVELS
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region

MAX_MONEY = Decimal("999999999999.99")
MAX_HOURS = Decimal("999999999.9")
MAX_YEARS = 10
MAX_NOTE = 5000


@dataclass
class PairingData(InputData):
    region_code: str = ""
    start_date: Any = None
    end_date: Any = None
    committed_money: Any = "0"
    committed_projects: Any = 0
    committed_volunteer_hours: Any = "0"
    committed_purchases: Any = "0"
    note: str = ""


@dataclass(frozen=True)
class CleanPairing:
    region: Region
    start_date: datetime.date
    end_date: datetime.date
    committed_money: Decimal
    committed_projects: int
    committed_volunteer_hours: Decimal
    committed_purchases: Decimal
    note: str


def _number(value: Any, label: str, problems: Problems, name: str, places: int, limit: Decimal) -> Decimal | None:
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).replace(",", "").strip()
    text = text.rstrip("元").strip() or "0"
    try:
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.fail(name, _("%(label)s应为数字，当前为“%(value)s”") % {"label": label, "value": value})
        return None
    if number < 0:
        problems.fail(name, _("%(label)s不能为负数") % {"label": label})
        return None
    if number > limit:
        problems.fail(name, _("%(label)s超过了上限") % {"label": label})
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        problems.fail(name, _("%(label)s最多保留 %(n)s 位小数") % {"label": label, "n": places})
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _date(value: Any, label: str, problems: Problems, name: str) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        problems.fail(name, _("请填写%(label)s") % {"label": label})
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.fail(name, _("%(label)s“%(value)s”不是有效日期，应写成 2026-06-30") % {"label": label, "value": text})
        return None


def clean_place(code: Any, problems: Problems) -> Region | None:
    """The county, township or village a pairing binds to."""
    text = str(code or "").strip()
    if not text:
        problems.fail("region_code", _("请选择结对地区（县、乡镇或村）"))
        return None
    try:
        normalized = codes.normalize(text)
    except ValueError as exc:
        problems.fail("region_code", str(exc))
        return None
    region = Region.objects.filter(pk=normalized).first()
    if region is None:
        problems.fail("region_code", _("区划代码“%(code)s”不存在") % {"code": normalized})
        return None
    if region.level not in PLACE_LEVELS:
        problems.fail(
            "region_code",
            _("结对地区应为县、乡镇或村，“%(name)s”是%(level)s级")
            % {"name": region.name, "level": region.get_level_display()},
        )
        return None
    return region


def clean_pairing_data(data: PairingData, *, today: datetime.date) -> CleanPairing:
    """Every field checked at once; ValidationFailed names each field at fault."""
    problems = Problems()
    region = clean_place(data.region_code, problems)
    start = _date(data.start_date, _("开始日期"), problems, "start_date")
    end = _date(data.end_date, _("结束日期"), problems, "end_date")
    money = _number(data.committed_money, _("承诺帮扶资金"), problems, "committed_money", 2, MAX_MONEY)
    projects = _number(data.committed_projects, _("承诺帮扶项目"), problems, "committed_projects", 0, Decimal(100000))
    hours = _number(
        data.committed_volunteer_hours, _("承诺志愿服务时长"), problems, "committed_volunteer_hours", 1, MAX_HOURS
    )
    purchases = _number(data.committed_purchases, _("承诺消费帮扶"), problems, "committed_purchases", 2, MAX_MONEY)
    note = str(data.note or "").strip()
    if len(note) > MAX_NOTE:
        problems.fail("note", _("结对说明不超过 %(n)s 个字") % {"n": MAX_NOTE})
    if start and end:
        if end < start:
            problems.fail("end_date", _("结束日期 %(end)s 不能早于开始日期 %(start)s") % {"end": end, "start": start})
        elif end < today:
            problems.fail("end_date", _("结束日期 %(end)s 已经过去，结对期限应包括今天以后") % {"end": end})
        elif (end - start).days > 366 * MAX_YEARS:
            problems.fail("end_date", _("结对期限不超过 %(n)s 年，可在年度考核时续签") % {"n": MAX_YEARS})
    amounts = [money, projects, hours, purchases]
    if all(a is not None for a in amounts) and not any(amounts):
        problems.fail("committed_money", _("请至少填写一项承诺：帮扶资金、项目、志愿服务或消费帮扶"))
    problems.raise_any()
    assert region and start and end and money is not None and projects is not None
    assert hours is not None and purchases is not None
    return CleanPairing(region, start, end, money, int(projects), hours, purchases, note)
