import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.events import selectors, services
from xiangzhen.events.models import EventRegistration
from xiangzhen.events.services import attendance
from xiangzhen.events.tests.factories import make_event
from xiangzhen.matching.tests.factories import DemandFactory, published_offer

pytestmark = pytest.mark.django_db

SHIBADONG = "433124110226"
MAANCUN = "433124110225"


def register_org(org_admin, organization, event, **kwargs):
    kwargs.setdefault("contact_name", "张三")
    return attendance.register(actor=org_admin, event=event, organization=organization, **kwargs)


def test_an_organization_and_a_village_register_and_are_checked_in(
    county_civil_affairs, org_admin, organization, village_submitter, other_county_official
):
    event = make_event(county_civil_affairs)
    mine = register_org(org_admin, organization, event, contact_phone="13912345678")
    stored = EventRegistration.objects.get(pk=mine.pk)
    assert stored.contact_phone == "13912345678" and stored.masked_phone == "139****5678"
    village = attendance.register(actor=village_submitter, event=event, village_code=SHIBADONG, contact_name="李四")
    assert village.kind == "village" and "十八洞村" in village.party_name
    with pytest.raises(Forbidden):
        attendance.register(actor=other_county_official, event=event, village_code=SHIBADONG, contact_name="王五")
    with pytest.raises(ValidationFailed, match="不能重复报名"):
        register_org(org_admin, organization, event)
    # The organizers see everyone; the organization only its own registration.
    assert set(selectors.registrations(county_civil_affairs, event)) == {mine, village}
    assert list(selectors.registrations(org_admin, event)) == [mine]
    assert list(selectors.registrations(village_submitter, event)) == [village]
    with pytest.raises(NotFound):
        selectors.get_registration(other_county_official, event, mine.pk)
    with pytest.raises(Forbidden):  # the organization cannot check itself in
        attendance.check_in(actor=org_admin, registration=mine)
    checked = attendance.check_in(actor=county_civil_affairs, registration=mine)
    assert checked.status == "checked_in" and checked.checked_in_by == county_civil_affairs
    with pytest.raises(InvalidTransition, match="不能签到"):
        attendance.check_in(actor=county_civil_affairs, registration=checked)
    cancelled = attendance.cancel_registration(actor=village_submitter, registration=village)
    assert cancelled.status == "cancelled"
    # A cancelled village may register again.
    attendance.register(actor=village_submitter, event=event, village_code=SHIBADONG, contact_name="李四")


def test_capacity_and_dates_are_enforced(county_official, org_admin, organization):
    event = make_event(county_official, capacity=2)
    register_org(org_admin, organization, event)
    attendance.register(actor=county_official, event=event, village_code=SHIBADONG, contact_name="李四")
    with pytest.raises(InvalidTransition, match="名额已满"):
        attendance.register(actor=county_official, event=event, village_code=MAANCUN, contact_name="王五")
    with pytest.raises(ValidationFailed, match="名额不能少于 2"):
        services.update_event(actor=county_official, event=event, changes={"capacity": 1})
    draft = make_event(county_official, publish=False, name="草稿活动")
    with pytest.raises(NotFound):  # a draft is not visible to the organization at all
        register_org(org_admin, organization, draft)
    with pytest.raises(InvalidTransition, match="只有已发布的活动可以报名"):
        attendance.register(actor=county_official, event=draft, village_code=SHIBADONG, contact_name="李四")


def test_registration_input_is_checked(county_official, org_admin, organization):
    event = make_event(county_official)
    with pytest.raises(ValidationFailed) as caught:
        register_org(org_admin, organization, event, contact_name=" ", contact_phone="12")
    assert {e.field for e in caught.value.errors} == {"contact_name", "contact_phone"}
    with pytest.raises(ValidationFailed, match="二者选一"):
        attendance.register(actor=org_admin, event=event, contact_name="张三")


def test_features_are_published_records_of_the_region(county_official, org_admin, organization, other_county_official):
    event = make_event(county_official)
    demand = DemandFactory()
    offer = published_offer(organization, org_admin)
    feature = attendance.add_feature(actor=county_official, event=event, demand_id=demand.pk)
    attendance.add_feature(actor=county_official, event=event, offer_id=offer.pk)
    assert {f.demand_id or f.offer_id for f in selectors.features(event)} == {demand.pk, offer.pk}
    with pytest.raises(ValidationFailed, match="已在推介名单中"):
        attendance.add_feature(actor=county_official, event=event, demand_id=demand.pk)
    with pytest.raises(ValidationFailed, match="只能推介已发布的需求项目"):
        attendance.add_feature(actor=county_official, event=event, demand_id=DemandFactory(status="draft").pk)
    elsewhere = DemandFactory(region_id="433123000000")  # 凤凰县: outside 花垣县
    with pytest.raises(ValidationFailed, match="不在"):
        attendance.add_feature(actor=county_official, event=event, demand_id=elsewhere.pk)
    with pytest.raises(Forbidden):
        attendance.add_feature(actor=other_county_official, event=event, offer_id=offer.pk)
    attendance.remove_feature(actor=county_official, event=event, feature_id=feature.pk)
    assert [f.offer_id for f in selectors.features(event)] == [offer.pk]


def test_an_event_runs_a_day_either_side(county_official):
    event = make_event(county_official, starts_in=1, days=0)
    assert selectors.is_running(event)
    later = make_event(county_official, starts_in=2, days=0, name="后天的活动")
    assert not selectors.is_running(later)
    past = make_event(county_official, starts_in=-3, days=1, name="前几天的活动")
    assert not selectors.is_running(past)
    assert past.ends_on < timezone.localdate() - timedelta(days=1)


def test_the_organizers_export_the_registrations_with_phones_masked(
    client, county_civil_affairs, org_admin, organization, village_submitter, other_county_official
):
    event = make_event(county_civil_affairs)
    mine = register_org(org_admin, organization, event, contact_phone="13912345678")
    attendance.register(actor=village_submitter, event=event, village_code=SHIBADONG, contact_name="李四")
    attendance.check_in(actor=county_civil_affairs, registration=mine)
    client.force_login(county_civil_affairs)
    assert f"/events/{event.pk}/registrations/export/" in client.get(f"/events/{event.pk}/").content.decode()
    for url in (f"/events/{event.pk}/registrations/export/", f"/api/v1/events/{event.pk}/registrations/export"):
        response = client.get(url)
        assert response.status_code == 200, url
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[0] == ("报名方", "类别", "区划代码", "联系人", "联系电话", "状态", "报名时间", "签到时间")
        assert [row[:6] for row in rows[1:]] == [
            (organization.name, "社会组织", None, "张三", "139****5678", "已签到"),
            ("湖南省 湘西土家族苗族自治州 花垣县 双龙镇 十八洞村", "村（社区）", SHIBADONG, "李四", None, "已报名"),
        ]
        assert rows[1][6] and rows[1][7] and rows[2][6] and rows[2][7] is None
        assert "13912345678" not in str(rows)
    # A registrant sees the event and its own row on the page, but not the organizers' list.
    client.force_login(org_admin)
    assert "registrations/export" not in client.get(f"/events/{event.pk}/registrations/").content.decode()
    assert client.get(f"/events/{event.pk}/registrations/export/").status_code == 403
    assert client.get(f"/api/v1/events/{event.pk}/registrations/export").status_code == 403
    # Outside the event's region: a published event is public but its list is not; a draft looks missing.
    client.force_login(other_county_official)
    assert client.get(f"/api/v1/events/{event.pk}/registrations/export").status_code == 403
    draft = make_event(county_civil_affairs, publish=False, name="草稿活动")
    assert client.get(f"/events/{draft.pk}/registrations/export/").status_code == 404
    assert client.get(f"/api/v1/events/{draft.pk}/registrations/export").status_code == 404
