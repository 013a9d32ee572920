"""Test helpers for the log: kinds to append under, and emptying the append-only tables."""

import importlib
from typing import Any

from django.db import connection

from xiangzhen.tlog import registry

TRIGGERS = importlib.import_module("xiangzhen.tlog.migrations.0002_append_only_triggers")

# A test kind whose "rows" live in this dict: number → payload (None once "deleted").
TEST_KIND = "test.record"
ROWS: dict[str, dict[str, Any] | None] = {}


def _rebuild(number: str) -> dict[str, Any] | None:
    return ROWS.get(number)


registry.register(TEST_KIND, _rebuild)


class _Editor:
    """Just enough of a schema editor for the trigger migration's functions."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def drop_triggers() -> None:
    TRIGGERS.uninstall(None, _Editor())


def install_triggers() -> None:
    TRIGGERS.install(None, _Editor())


def clear_log() -> None:
    """Empty the log tables, as a test database flush between transactional tests must."""
    drop_triggers()
    try:
        with connection.cursor() as cursor:
            for table in TRIGGERS.TABLES:
                cursor.execute(f"DELETE FROM {table}")
    finally:
        install_triggers()


def append_test_leaves(n: int, start: int = 0) -> list[Any]:
    """n test leaves numbered T-start…, their "rows" kept in ROWS so the audit can rebuild them."""
    from xiangzhen.tlog import services

    out = []
    for i in range(start, start + n):
        ROWS[f"T-{i}"] = {"i": i}
        out.append(services.append_leaf(kind=TEST_KIND, number=f"T-{i}", payload={"i": i}))
    return out
