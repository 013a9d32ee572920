"""Concurrent appenders on PostgreSQL queue on the log's lock: gapless, unique indexes."""

import threading

import pytest
from django.db import connection, connections, transaction

from xiangzhen.tlog import conf, merkle, selectors, services
from xiangzhen.tlog.models import LogEntry
from xiangzhen.tlog.tests.support import TEST_KIND

WRITERS = 12
EACH = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_get_indexes_without_gap_or_duplicate():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer; the lock under test is PostgreSQL's")
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                with transaction.atomic():
                    services.append_leaf(kind=TEST_KIND, number=f"W{w}-{i}", payload={"w": w, "i": i})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    indexes = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(WRITERS * EACH))
    # And the subtree table built under concurrency gives the same root as the leaves.
    leaf_hashes = [bytes(x) for x in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert selectors.root_at(len(leaf_hashes)) == merkle.root_from_leaf_hashes(conf.hasher(), leaf_hashes)
