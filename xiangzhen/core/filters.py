"""What every list filter shares: parsing a page's query string without crashing on bad values.

Each app declares its own filter schema (fields, validators, `apply`); pages, the API and the Excel
exports all use it. The API validates strictly (ninja answers 422), but a page must still render,
so `from_params` drops each bad value and reports it instead. It lives here so all lists drop and
report the same way.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from ninja import Schema
from pydantic import ValidationError, field_validator

from xiangzhen.regions import codes


def one_of(value: str, allowed: list[str]) -> str:
    """`value` if it is empty or one of `allowed`; otherwise a Chinese message listing the choices."""
    if value and value not in allowed:
        raise ValueError(f"应为 {'、'.join(allowed)} 之一")
    return value


def region_prefix(value: str) -> str:
    """A region code or prefix as given on a list (normalized), or "" when none was given."""
    return codes.normalize(value) if value.strip() else ""


class PageFilters(Schema):
    """Base of the filter schemas; subclasses declare the fields and how they narrow a queryset.

    Wherever a filter declares them, the keyword `q` is trimmed and `region` (a region subtree) is
    normalized here, the same on every list.
    """

    # The field dropped when a check across fields (a min above a max) fails: it names no field itself.
    range_field: ClassVar[str] = ""

    @field_validator("q", check_fields=False)
    @classmethod
    def _q(cls, value: str) -> str:
        return value.strip()

    @field_validator("region", check_fields=False)
    @classmethod
    def _region(cls, value: str) -> str:
        return region_prefix(value)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> tuple[Self, dict[str, str]]:
        """Parse query parameters for a page: bad values are dropped and reported, never a crash."""
        data = {name: str(params.get(name, "")).strip() for name in cls.model_fields if params.get(name, "")}
        problems: dict[str, str] = {}
        for _ in range(len(cls.model_fields) + 1):
            try:
                return cls.model_validate(data), problems
            except ValidationError as exc:
                dropped = False
                for err in exc.errors():
                    name = str(err["loc"][0]) if err["loc"] else ""
                    if not name and cls.range_field in data:
                        name = cls.range_field
                    problems[name] = str(err["msg"]).removeprefix("Value error, ")
                    dropped = data.pop(name, None) is not None or dropped
                if not dropped:
                    break
        return cls.model_validate({}), problems
