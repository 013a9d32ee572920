"""One harness for the "who wins the last one" tests of every app.

On PostgreSQL the calls really run at once: each in its own thread (so its own connection), released
together from a barrier, so row locks and conditional updates are what keep the outcome right. On
SQLite, which has one writer and no row locks, they run one after the other and each must see what
the earlier ones did.
"""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

from xiangzhen.core.errors import XiangzhenError


def race(
    calls: Sequence[Callable[[], Any]], refusals: tuple[type[BaseException], ...] = (XiangzhenError,)
) -> list[Any]:
    """Each call's return value, or the refusal it raised (any other exception fails the test)."""
    results: list[Any] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any], barrier: threading.Barrier | None = None) -> None:
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            outcome = call()
        except refusals as exc:
            outcome = exc
        except BaseException as exc:
            with lock:
                failures.append(exc)
            return
        finally:
            if barrier is not None:
                connection.close()
        with lock:
            results.append(outcome)

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(len(calls))
        threads = [threading.Thread(target=run, args=(call, barrier)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        for call in calls:
            run(call)
    if failures:
        raise failures[0]
    return results
