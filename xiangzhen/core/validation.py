"""Pieces the input checkers of several apps share, so the same mistake gets the same Chinese message.

Each app keeps its own `clean_*_data` with its own rules; what they have in common — the input
dataclass helpers, collecting one error per field, the required-field and length tables, the
phone number check and the once-per-import lookups of regions, domains and beneficiary groups —
lives here.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import Field, asdict, fields, replace
from typing import Any, ClassVar, Self

from xiangzhen.core.errors import FieldError, ValidationFailed
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.regions.models import Region

# 手机 1[3-9]xxxxxxxxx, or a landline with its area code: 0743-1234567, 07431234567, 010-12345678-801.
PHONE_PATTERN = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")


class InputData:
    """Mixin for the dataclasses that carry what a person fills in (API field names)."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def merged(self, changes: dict[str, Any]) -> Self:
        """A copy with `changes` applied; keys that are not fields are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if k in self.field_names()})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Problems:
    """The field errors found while checking one input: the first message for a field wins."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, name: str, message: str) -> None:
        if not self.has(name):
            self.errors.append(FieldError(name, message))

    def has(self, name: str) -> bool:
        return any(e.field == name for e in self.errors)

    def raise_any(self) -> None:
        """Raise one ValidationFailed listing every error, if there is any."""
        if self.errors:
            raise ValidationFailed("；".join(e.message for e in self.errors), self.errors)


def clean_texts(
    data: Any,
    problems: Problems,
    *,
    required: Mapping[str, str],
    max_lengths: Mapping[str, tuple[str, int]],
    also: Iterable[str] = (),
) -> dict[str, str]:
    """The trimmed text of the `max_lengths` fields and `also`, after checking the required ones
    (message from `required`) and then every length (`max_lengths` gives label and limit)."""
    text = {name: str(getattr(data, name) or "").strip() for name in (*max_lengths, *also)}
    for name, message in required.items():
        if not text[name]:
            problems.fail(name, message)
    for name, (label, limit) in max_lengths.items():
        if len(text[name]) > limit:
            problems.fail(name, f"{label}不超过 {limit} 个字，当前 {len(text[name])} 个字")
    return text


def clean_phone(raw: str, problems: Problems, *, missing: str, expected: str) -> str:
    """A contact phone without spaces and brackets; `missing` and “…格式不正确，`expected`” on failure."""
    phone = re.sub(r"[\s（）()]", "", raw)
    if not phone:
        problems.fail("contact_phone", missing)
    elif not PHONE_PATTERN.match(phone):
        problems.fail("contact_phone", f"联系电话“{raw}”格式不正确，{expected}")
    return phone


class Catalog:
    """Regions, domains and beneficiary groups looked up once per request or import, not once per row."""

    def __init__(self) -> None:
        self._regions: dict[str, Region | None] = {}
        self._domains: dict[str, Domain] | None = None
        self._groups: dict[str, BeneficiaryGroup] | None = None

    def region(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(pk=code).first()
        return self._regions[code]

    def domains(self) -> dict[str, Domain]:
        """Domains by code and by Chinese name."""
        if self._domains is None:
            self._domains = {}
            for domain in Domain.objects.all():
                self._domains[domain.code] = self._domains[domain.name] = domain
        return self._domains

    def groups(self) -> dict[str, BeneficiaryGroup]:
        """Beneficiary groups by code and by Chinese name."""
        if self._groups is None:
            self._groups = {}
            for group in BeneficiaryGroup.objects.all():
                self._groups[group.code] = self._groups[group.name] = group
        return self._groups
