"""Which apps put which kinds of records into the log, and how to rebuild their leaves.

Each app registers, in its AppConfig.ready(), one function per kind that builds the leaf payload
for a record number from the current database row (None when the record is gone). The app's
service calls the same function when it appends, so "what was logged" and "what the database says
now" come from one definition and the audit can compare them.
"""

from collections.abc import Callable
from typing import Any

Rebuild = Callable[[str], dict[str, Any] | None]

_REGISTRY: dict[str, Rebuild] = {}
_LABELS: dict[str, str] = {}


def register(kind: str, rebuild: Rebuild, label: str = "") -> None:
    """`label` is the Chinese name shown on the public pages (the kind itself if not given)."""
    existing = _REGISTRY.get(kind)
    if existing is not None and existing is not rebuild:
        raise ValueError(f"tlog kind {kind!r} is already registered")
    _REGISTRY[kind] = rebuild
    if label:
        _LABELS[kind] = label


def label(kind: str) -> str:
    return _LABELS.get(kind, kind)


def rebuild(kind: str, number: str) -> dict[str, Any] | None:
    """The payload as the current row would produce it; KeyError for an unknown kind."""
    return _REGISTRY[kind](number)


def kinds() -> list[str]:
    return sorted(_REGISTRY)


def is_registered(kind: str) -> bool:
    return kind in _REGISTRY
