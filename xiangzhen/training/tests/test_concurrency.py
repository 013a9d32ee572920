"""Five members take the last two seats at once: exactly two get them, three are told it is full.

Real threads on PostgreSQL (each its own connection; the conditional UPDATE makes the later ones
wait for the row and re-check `enrolled_count < capacity`). On SQLite the calls run one after the
other and each must see the earlier ones.
"""

import threading

import pytest
from django.db import connection

from xiangzhen.core.errors import InvalidTransition
from xiangzhen.training import services
from xiangzhen.training.models import Enrollment, Training
from xiangzhen.training.tests.factories import member_of, open_training


def _race(calls):
    results: list[object] = []
    lock = threading.Lock()

    def run(call, barrier=None):
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            outcome: object = call()
        except InvalidTransition as exc:
            outcome = exc
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
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrollments_never_exceed_capacity(regions_loaded, organization, county_civil_affairs):
    training = open_training(county_civil_affairs, capacity=2)
    members = [member_of(organization, f"racer{i}") for i in range(5)]

    def take_seat(member):
        return lambda: services.enroll(actor=member, training=training, organization_id=organization.pk)

    results = _race([take_seat(m) for m in members])
    wins = [r for r in results if isinstance(r, Enrollment)]
    full = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(wins) == 2 and len(full) == 3
    assert all(r.message == "名额已满" for r in full)
    stored = Training.objects.get(pk=training.pk)
    assert stored.enrolled_count == 2 == Enrollment.objects.filter(training=training).count()
