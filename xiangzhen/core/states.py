"""Explicit workflows: a table of allowed transitions and one compare-and-set to apply them.

Also the checks every workflow service makes around a transition (the reason given, the version
the user saw, who to stamp as reviewer), so demands, offers and organizations word them alike.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from xiangzhen.core.errors import Conflict, InvalidTransition, ValidationFailed

MAX_REASON = 500


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str


class StateMachine:
    def __init__(self, status_labels: dict[str, str], transitions: list[Transition]):
        self.status_labels = status_labels
        self.transitions = {t.action: t for t in transitions}

    def allowed_actions(self, status: str) -> list[str]:
        return [a for a, t in self.transitions.items() if status in t.sources]

    def target(self, status: str, action: str) -> str:
        transition = self.transitions[action]
        if status not in transition.sources:
            raise InvalidTransition(
                f"当前状态为“{self.status_labels.get(status, status)}”，不能执行“{transition.label}”"
            )
        return transition.target

    def clean_reason(self, action: str, reason: str, *, required: bool) -> str:
        """The reason given for `action`, trimmed; ValidationFailed if it is required but empty, or too long."""
        reason = reason.strip()
        if required and not reason:
            raise ValidationFailed.on("reason", f"请填写{self.transitions[action].label}的原因")
        if len(reason) > MAX_REASON:
            raise ValidationFailed.on("reason", f"原因不超过 {MAX_REASON} 个字")
        return reason

    def apply(self, instance: models.Model, action: str, **changes: Any) -> str:
        """Move `instance` along `action`, writing `changes` too, only if nobody moved it first.

        The UPDATE matches on the status and version the caller read, so of two people acting
        at once exactly one wins and the other gets a Conflict — on SQLite and PostgreSQL alike.
        """
        status = instance.status  # type: ignore[attr-defined]
        target = self.target(status, action)
        version = instance.version  # type: ignore[attr-defined]
        updated = (
            type(instance)
            ._default_manager.filter(pk=instance.pk, status=status, version=version)
            .update(status=target, version=F("version") + 1, **changes)
        )
        if updated != 1:
            raise Conflict("该记录刚刚已被他人处理，请刷新后重试")
        instance.refresh_from_db()
        return target


def check_version(instance: models.Model, expected_version: int | None, noun: str) -> None:
    """Conflict if the caller saw another version of `instance` (a `noun` such as 需求项目) than is stored."""
    if expected_version is not None and expected_version != instance.version:  # type: ignore[attr-defined]
        raise Conflict(f"该{noun}刚刚已被他人修改，请刷新后重试")


def stamp(actor: Any, step: str) -> dict[str, Any]:
    """`<step>_at` now and `<step>_by` the actor (None when the system acts), for a transition's changes."""
    return {f"{step}_at": timezone.now(), f"{step}_by": actor if getattr(actor, "pk", None) else None}
