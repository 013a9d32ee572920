import csv
import io
import json

import pytest
from django.urls import reverse

from xiangzhen.portal.opendata import DATASETS

pytestmark = pytest.mark.django_db

# Values the world below stores in personal fields: none may appear in any open data file.
PERSONAL = ["石金", "13974300000", "张三丰", "430524199001011234", "matchmaker_user"]


@pytest.fixture
def published_world(org_admin, organization):
    from xiangzhen.accounts.tests.factories import UserFactory
    from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
    from xiangzhen.offers.tests.factories import OfferFactory

    demand = DemandFactory(status="published", title="村级阅读小屋", contact_name="石金", contact_phone="13974300000")
    OfferFactory(organization=organization, created_by=org_admin, status="published", title="助学供给")
    person = UserFactory(username="matchmaker_user", first_name="张三丰")
    MatchFactory(
        demand=DemandFactory(status="in_progress", contact_name="张三丰", contact_phone="430524199001011234"),
        organization=organization, status="confirmed", proposed_by=person,
    )  # fmt: skip
    return demand


@pytest.mark.parametrize("slug", list(DATASETS))
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_open_data_has_documented_fields_and_no_personal_data(client, published_world, slug, fmt):
    response = client.get(reverse("portal:open_data_file", args=[slug, fmt]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    for value in PERSONAL:
        assert value not in text, f"{slug}.{fmt} leaks {value}"
    fields = [f for f, _ in DATASETS[slug].fields]
    if fmt == "json":
        data = json.loads(text)
        assert data["fields"] == fields
        assert all(list(row) == fields for row in data["rows"])
    else:
        header = next(csv.reader(io.StringIO(text)))
        assert header == fields


def test_open_data_contents(client, published_world):
    demands = json.loads(client.get(reverse("portal:open_data_file", args=["demands", "json"])).content)["rows"]
    assert "村级阅读小屋" in [row["title"] for row in demands]
    offers = json.loads(client.get(reverse("portal:open_data_file", args=["offers", "json"])).content)["rows"]
    assert [row["title"] for row in offers] == ["助学供给"]
    matches = json.loads(client.get(reverse("portal:open_data_file", args=["matches", "json"])).content)["rows"]
    assert [row["status"] for row in matches] == ["confirmed"]
    page = client.get(reverse("portal:open_data")).content.decode()
    for dataset in DATASETS.values():
        for name, _ in dataset.fields:
            assert f"<code>{name}</code>" in page
    assert client.get("/portal/open-data/people.json").status_code == 404


def test_statistics_per_county_sum_village_rollups(client):
    import datetime
    from decimal import Decimal

    from xiangzhen.stats.models import Rollup

    month = datetime.date(2026, 3, 1)
    Rollup.objects.create(metric="demands_published", region_code="433124110226", month=month, value=Decimal(2))
    Rollup.objects.create(metric="demands_published", region_code="433124100000", month=month, value=Decimal(1))
    for org in ("1", "2", "1"):
        Rollup.objects.get_or_create(
            metric="org_participation", region_code="433124110226" if org != "2" else "433124100000",
            month=month, dimension=org, defaults={"value": Decimal(1)},
        )  # fmt: skip
    rows = json.loads(client.get(reverse("portal:open_data_file", args=["statistics", "json"])).content)["rows"]
    found = {(r["county_code"], r["month"], r["metric"]): r["value"] for r in rows}
    assert found[("433124000000", "2026-03", "demands_published")] == "3"
    assert found[("433124000000", "2026-03", "org_participation")] == "2"


def test_statistics_are_cached_per_day(client, django_assert_max_num_queries):
    import datetime
    from decimal import Decimal

    from django.core.cache import cache

    from xiangzhen.portal.opendata import DATASETS, cache_key
    from xiangzhen.stats.models import Rollup

    month = datetime.date(2026, 3, 1)
    Rollup.objects.create(metric="demands_published", region_code="433124110226", month=month, value=Decimal(2))
    url = reverse("portal:open_data_file", args=["statistics", "json"])
    first = json.loads(client.get(url).content)["rows"]
    assert cache.get(cache_key(DATASETS["statistics"])) == first
    Rollup.objects.create(metric="demands_published", region_code="433124110227", month=month, value=Decimal(5))
    with django_assert_max_num_queries(0):
        again = client.get(url)
    assert json.loads(again.content)["rows"] == first  # today's figures, until tomorrow
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert cache_key(DATASETS["statistics"], tomorrow) != cache_key(DATASETS["statistics"])
    cache.clear()
    rows = json.loads(client.get(url).content)["rows"]
    assert [r["value"] for r in rows if r["metric"] == "demands_published"] == ["7"]
