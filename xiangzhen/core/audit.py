"""The audit trail: every service calls `record` for each change it makes."""

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from xiangzhen.core.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The field values of `instance`, JSON-safe, many-to-many fields as sorted key lists."""
    data: dict[str, Any] = {}
    opts = instance._meta
    for f in opts.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        data[f.name] = _jsonable(getattr(instance, f.attname))
    if instance.pk is not None:
        for m2m in opts.many_to_many:
            if fields is not None and m2m.name not in fields:
                continue
            data[m2m.name] = sorted(str(pk) for pk in getattr(instance, m2m.name).values_list("pk", flat=True))
    return data


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry; only the fields that differ are kept when both sides are given."""
    if before is not None and after is not None:
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        region_code=region_code,
        before=before,
        after=after,
        note=note[:500],
    )
