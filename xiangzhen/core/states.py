"""Explicit workflows: a table of allowed transitions and one compare-and-set to apply them."""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F

from xiangzhen.core.errors import Conflict, InvalidTransition


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
