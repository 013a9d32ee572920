"""Cross-level sharing for staff: a county's published demands show in city and province lists."""

import pytest
from django.urls import reverse

from xiangzhen.demands import selectors as demand_selectors
from xiangzhen.notifications.tests.factories import published_demand

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", ["county_official", "city_civil_affairs", "province_rural_revitalization", "province_civil_affairs"]
)
def test_city_and_province_staff_see_a_countys_published_demand(request, client, role):
    demand = published_demand(title="花垣县跨层级共享需求")
    user = request.getfixturevalue(role)
    assert demand in demand_selectors.demand_list(user)
    client.force_login(user)
    assert "花垣县跨层级共享需求" in client.get(reverse("demands:list")).content.decode()
    assert client.get(reverse("demands:detail", args=[demand.pk])).status_code == 200


def test_another_countys_staff_do_not(other_county_official):
    demand = published_demand()
    assert demand not in demand_selectors.demand_list(other_county_official)
