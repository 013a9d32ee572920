"""Writes made through Django's admin by platform admins, audited like any other service."""

from typing import Any

from django.db import models, transaction

from xiangzhen.core import audit


def _region_code(instance: models.Model) -> str:
    field = getattr(type(instance), "scope_region_field", "")
    value: Any = instance
    for part in field.split("__") if field else []:
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) else ""


@transaction.atomic
def save_from_admin(*, actor: Any, instance: models.Model, change: bool) -> None:
    before = None
    if change and instance.pk is not None:
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        before = audit.snapshot(current) if current else None
    instance.save()
    audit.record(
        actor=actor,
        action="admin.change" if change else "admin.add",
        instance=instance,
        region_code=_region_code(instance),
        before=before,
        after=audit.snapshot(instance),
    )


@transaction.atomic
def delete_from_admin(*, actor: Any, instance: models.Model) -> None:
    audit.record(
        actor=actor, action="admin.delete", instance=instance, region_code=_region_code(instance),
        before=audit.snapshot(instance),
    )  # fmt: skip
    instance.delete()
