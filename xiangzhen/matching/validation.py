"""Input checks for matches: each failure names its field in Chinese. No database access here."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from xiangzhen.core.errors import ValidationFailed

MAX_AMOUNT = Decimal("9999999999.99")
MAX_REASON = 500
MAX_TEXT = 2000
MAX_REPORT = 10000


def amount(value: Any, field: str, label: str) -> Decimal:
    """A non-negative yuan amount with at most two decimal places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0.00")
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed.on(field, f"{label}应为金额（元），如 12000 或 12000.50") from None
    if not number.is_finite():
        raise ValidationFailed.on(field, f"{label}应为金额（元），如 12000 或 12000.50")
    if number < 0:
        raise ValidationFailed.on(field, f"{label}不能为负数")
    if number != number.quantize(Decimal("0.01")):
        raise ValidationFailed.on(field, f"{label}最多保留两位小数")
    if number > MAX_AMOUNT:
        raise ValidationFailed.on(field, f"{label}超过上限")
    return number.quantize(Decimal("0.01"))


def count(value: Any, field: str, label: str) -> int:
    """A non-negative whole number of people."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationFailed.on(field, f"{label}应为整数") from None
    if number < 0:
        raise ValidationFailed.on(field, f"{label}不能为负数")
    if number > 10_000_000:
        raise ValidationFailed.on(field, f"{label}超过上限")
    return number


def text(value: Any, field: str, label: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise ValidationFailed.on(field, f"请填写{label}")
    if len(cleaned) > max_length:
        raise ValidationFailed.on(field, f"{label}不超过 {max_length} 个字")
    return cleaned


def score(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed.on("score", "评分应为 1 至 5 的整数") from None
    if not 1 <= number <= 5:
        raise ValidationFailed.on("score", f"评分应为 1 至 5 的整数，当前为 {number}")
    return number


def past_date(value: Any, field: str, label: str) -> date:
    """A date no later than today (activities are recorded after they happen)."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise ValidationFailed.on(field, f"{label}应为日期，格式 YYYY-MM-DD") from None
    if day > timezone.localdate():
        raise ValidationFailed.on(field, f"{label}不能晚于今天")
    return day


def any_date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed.on(field, f"{label}应为日期，格式 YYYY-MM-DD") from None
