"""Five villages take the last two places of an event at once: exactly two get them.

Real threads on PostgreSQL (each its own connection; the row lock on the event makes the later ones
wait and count again). On SQLite the calls run one after the other and each must see the earlier ones.
"""

import pytest

from xiangzhen.core.errors import InvalidTransition
from xiangzhen.core.tests.races import race
from xiangzhen.events.models import EventRegistration
from xiangzhen.events.services import attendance
from xiangzhen.events.tests.factories import make_event
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity(regions_loaded, county_official):
    event = make_event(county_official, capacity=2)
    villages = [
        r.code for r in Region.objects.filter(code__startswith="433124110").order_by("code")
        if codes.level_of(r.code) == codes.Level.VILLAGE
    ][:5]  # fmt: skip
    assert len(villages) == 5

    def take_place(code):
        return lambda: attendance.register(actor=county_official, event=event, village_code=code, contact_name="村干部")

    results = race([take_place(code) for code in villages])
    wins = [r for r in results if isinstance(r, EventRegistration)]
    full = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(wins) == 2 and len(full) == 3
    assert all("名额已满" in r.message for r in full)
    assert EventRegistration.objects.filter(event=event).count() == 2
