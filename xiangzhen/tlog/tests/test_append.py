import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from xiangzhen.core.errors import Conflict
from xiangzhen.tlog import conf, merkle, selectors, services
from xiangzhen.tlog.models import Checkpoint, LogEntry, SubtreeHash
from xiangzhen.tlog.tests.support import TEST_KIND

pytestmark = pytest.mark.django_db


def append(n: int, start: int = 0) -> list[LogEntry]:
    return [
        services.append_leaf(kind=TEST_KIND, number=f"T-{i}", payload={"amount": f"{i}.00"})
        for i in range(start, start + n)
    ]


def test_append_assigns_gapless_indexes_and_stores_leaf_hash():
    entries = append(5)
    assert [e.index for e in entries] == [0, 1, 2, 3, 4]
    e = LogEntry.objects.get(index=3)
    assert e.leaf == '{"data":{"amount":"3.00"},"kind":"test.record","number":"T-3"}'
    assert bytes(e.leaf_hash) == conf.hasher().leaf(e.leaf.encode())


def test_stored_subtrees_give_the_same_roots_and_proofs_as_recomputing():
    append(13)
    h = conf.hasher()
    leaf_hashes = [bytes(x) for x in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert SubtreeHash.objects.count() == 13 - bin(13).count("1")
    for size in range(1, 14):
        assert selectors.root_at(size) == merkle.root_from_leaf_hashes(h, leaf_hashes[:size])
        for index in range(size):
            ranges = merkle.inclusion_ranges(index, size)
            assert selectors.range_hashes(ranges) == merkle.inclusion_proof(h, index, leaf_hashes[:size])
        for first in range(size + 1):
            ranges = merkle.consistency_ranges(first, size)
            assert selectors.range_hashes(ranges) == merkle.consistency_proof(h, first, leaf_hashes[:size])


def test_a_record_event_is_logged_once():
    append(1)
    with pytest.raises(Conflict):
        services.append_leaf(kind=TEST_KIND, number="T-0", payload={})


def test_unregistered_kind_is_refused():
    with pytest.raises(ValueError, match="not registered"):
        services.append_leaf(kind="nobody.registered", number="X-1", payload={})


def test_a_rolled_back_record_takes_its_leaf_with_it_and_leaves_no_gap():
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.append_leaf(kind=TEST_KIND, number="T-rolled", payload={})
        raise RuntimeError("the record's own write failed")
    assert services.append_leaf(kind=TEST_KIND, number="T-next", payload={}).index == 2


def test_payload_that_json_cannot_carry_exactly_is_refused():
    from decimal import Decimal

    with pytest.raises(ValueError):
        services.append_leaf(kind=TEST_KIND, number="T-dec", payload={"amount": Decimal("1.00")})


@pytest.mark.parametrize("table", ["tlog_logentry", "tlog_subtreehash", "tlog_checkpoint"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}"])
def test_the_database_refuses_to_change_or_remove_log_rows(table, statement):
    append(4)
    services.publish_checkpoint(actor=None)
    column = {"tlog_logentry": "kind", "tlog_subtreehash": "level", "tlog_checkpoint": "note"}[table]
    with (
        pytest.raises((IntegrityError, DatabaseError), match="只允许追加"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(table=table, column=column))
    assert LogEntry.objects.count() == 4
    assert Checkpoint.objects.count() == 1


def test_orm_update_and_delete_are_refused_too():
    append(1)
    with pytest.raises(DatabaseError, match="只允许追加"), transaction.atomic():
        LogEntry.objects.filter(index=0).update(number="T-forged")
    with pytest.raises(DatabaseError, match="只允许追加"), transaction.atomic():
        LogEntry.objects.filter(index=0).delete()
