"""Five members take the last two seats at once: exactly two get them, three are told it is full.

Real threads on PostgreSQL (each its own connection; the conditional UPDATE makes the later ones
wait for the row and re-check `enrolled_count < capacity`). On SQLite the calls run one after the
other and each must see the earlier ones.
"""

import pytest

from xiangzhen.core.errors import InvalidTransition
from xiangzhen.core.tests.races import race
from xiangzhen.training import services
from xiangzhen.training.models import Enrollment, Training
from xiangzhen.training.tests.factories import member_of, open_training


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrollments_never_exceed_capacity(regions_loaded, organization, county_civil_affairs):
    training = open_training(county_civil_affairs, capacity=2)
    members = [member_of(organization, f"racer{i}") for i in range(5)]

    def take_seat(member):
        return lambda: services.enroll(actor=member, training=training, organization_id=organization.pk)

    results = race([take_seat(m) for m in members])
    wins = [r for r in results if isinstance(r, Enrollment)]
    full = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(wins) == 2 and len(full) == 3
    assert all(r.message == "名额已满" for r in full)
    stored = Training.objects.get(pk=training.pk)
    assert stored.enrolled_count == 2 == Enrollment.objects.filter(training=training).count()
