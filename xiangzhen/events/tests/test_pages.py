from datetime import date

import pytest

from xiangzhen.consumption.tests.factories import MAANCUN, SHIBADONG
from xiangzhen.events.models import Event, EventVillage

pytestmark = pytest.mark.django_db


def test_an_organizer_creates_publishes_and_fills_a_fair_through_the_pages(client, county_official, org_admin):
    client.force_login(county_official)
    assert client.get("/events/new/").status_code == 200
    form = {
        "kind": "farmers_market", "name": "双龙镇农贸会", "region": "433124110000", "venue": "双龙镇集市",
        "organizer": "双龙镇人民政府", "starts_on": str(date.today()), "ends_on": str(date.today()), "publish": "1",
    }  # fmt: skip
    response = client.post("/events/new/", form)
    event = Event.objects.get()
    assert response.status_code == 302 and event.status == Event.Status.PUBLISHED
    for village in (SHIBADONG, MAANCUN):
        client.post(f"/events/{event.pk}/villages/add/", {"village": village, "booth": "B1"})
    assert EventVillage.objects.filter(event=event).count() == 2
    client.post(f"/events/{event.pk}/villages/remove/", {"village_code": MAANCUN})
    assert list(EventVillage.objects.filter(event=event).values_list("village_id", flat=True)) == [SHIBADONG]
    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert "十八洞村" in detail and "登记展销会采购" in detail
    assert client.get(f"/events/{event.pk}/edit/").status_code == 200
    client.force_login(org_admin)
    assert client.get(f"/events/{event.pk}/edit/").status_code == 403
    assert "双龙镇农贸会" in client.get("/events/").content.decode()
    purchase_page = client.get(f"/consumption/purchases/new/?channel=fair&event={event.pk}").content.decode()
    assert f'<option value="{event.pk}" selected>' in purchase_page


def test_staff_pages_for_products(client, county_official, product):
    client.force_login(county_official)
    for url in (
        "/consumption/products/new/",
        f"/consumption/products/{product.pk}/",
        f"/consumption/products/{product.pk}/edit/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(f"/consumption/products/{product.pk}/act/", {"action": "delist", "version": product.version})
    assert response.status_code == 302
    assert client.get(f"/consumption/catalogue/{product.pk}/").status_code == 404
    assert "已下架" in client.get("/consumption/products/").content.decode()


def test_registration_check_in_and_features_through_the_pages(client, county_official, org_admin, organization):
    from xiangzhen.events.models import EventFeature, EventRegistration
    from xiangzhen.events.tests.factories import make_event
    from xiangzhen.matching.tests.factories import DemandFactory

    event = make_event(county_official, capacity=5)
    demand = DemandFactory(title="十八洞村课后辅导")
    client.force_login(county_official)
    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert "添加推介项目" in detail and demand.title in detail and "09:00 开幕" in detail
    client.post(f"/events/{event.pk}/features/add/", {"demand": demand.pk})
    assert EventFeature.objects.get().demand == demand
    client.force_login(org_admin)
    response = client.post(
        f"/events/{event.pk}/registrations/",
        {"organization": organization.pk, "contact_name": "张三", "contact_phone": "13912345678"},
    )
    assert response.status_code == 302
    page = client.get(f"/events/{event.pk}/registrations/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    public = client.get(f"/events/public/{event.pk}/").content.decode()
    assert f"/matches/take/{demand.pk}/?event={event.pk}" in public  # registered and the event runs
    registration = EventRegistration.objects.get()
    client.force_login(county_official)
    client.post(f"/events/{event.pk}/registrations/{registration.pk}/act/", {"action": "check_in"})
    registration.refresh_from_db()
    assert registration.status == "checked_in"
    take = client.get(f"/matches/take/{demand.pk}/?event={event.pk}")
    assert take.status_code in (200, 302)
