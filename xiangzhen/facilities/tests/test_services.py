from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.facilities import services
from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.facilities.tests.factories import facility_data
from xiangzhen.facilities.validation import UsageData
from xiangzhen.stats import rollups
from xiangzhen.stats.models import Rollup

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def register(actor, builder, **changes):
    return services.register_facility(actor=actor, builder=builder, data=facility_data(**changes))


def use(actor, facility, **changes):
    values = {"used_on": TODAY(), "kind": "visits", "count": 5} | changes
    return services.record_usage(actor=actor, facility=facility, data=UsageData(**values))


# ---------------------------------------------------------------- registering


def test_builder_admin_registers_a_planned_numbered_room(organization, org_admin):
    facility = register(org_admin, organization)
    assert facility.status == Facility.Status.PLANNED and facility.number.startswith("XW-433124-")
    assert facility.funding == Decimal("30000.00")
    assert AuditEntry.objects.filter(action="facilities.register", object_id=str(facility.pk)).exists()
    assert rollups.differences() == []


def test_local_people_register_but_others_may_not(
    organization, org_member, county_official, village_submitter, city_civil_affairs, other_county_official,
    other_org_admin,
):  # fmt: skip
    assert register(county_official, organization).builder == organization
    assert register(village_submitter, organization, name="十八洞村宝贝小屋").pk
    for actor in (org_member, city_civil_affairs, other_county_official, other_org_admin):
        with pytest.raises(Forbidden):
            register(actor, organization)


def test_a_room_stands_in_a_village(organization, org_admin):
    with pytest.raises(ValidationFailed, match="不是村"):
        register(org_admin, organization, village="433124110000")
    with pytest.raises(ValidationFailed, match="类型"):
        register(org_admin, organization, kind="gym")
    with pytest.raises(ValidationFailed, match="专项行动"):
        register(org_admin, organization, campaign="ZX-nothing")


# ---------------------------------------------------------------- status


def test_room_moves_planned_building_in_use_closed(organization, org_admin, county_official):
    facility = register(org_admin, organization)
    with pytest.raises(InvalidTransition):
        services.open_facility(actor=org_admin, facility=facility, opened_on=TODAY())
    facility = services.start_building(actor=org_admin, facility=facility)
    with pytest.raises(ValidationFailed, match="启用日期"):
        services.open_facility(actor=org_admin, facility=facility, opened_on="")
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.open_facility(actor=org_admin, facility=facility, opened_on=TODAY() + timedelta(days=1))
    facility = services.open_facility(actor=county_official, facility=facility, opened_on=TODAY())
    assert facility.status == Facility.Status.IN_USE and facility.opened_on == TODAY()
    with pytest.raises(ValidationFailed, match="原因"):
        services.close_facility(actor=org_admin, facility=facility, reason=" ")
    facility = services.close_facility(actor=org_admin, facility=facility, reason="村部搬迁")
    assert facility.status == Facility.Status.CLOSED and facility.close_reason == "村部搬迁"
    assert facility.closed_on == TODAY()
    assert rollups.differences() == []


def test_only_the_builder_admin_and_county_staff_move_a_room(
    room, org_member, village_submitter, other_county_official, city_civil_affairs
):
    for actor in (org_member, village_submitter, city_civil_affairs):
        with pytest.raises(Forbidden):
            services.close_facility(actor=actor, facility=room, reason="x")
    with pytest.raises(NotFound):
        services.close_facility(actor=other_county_official, facility=room, reason="x")


def test_status_change_moves_the_rollup_to_the_new_status(room, org_admin):
    month = room.opened_on.replace(day=1)
    rows = Rollup.objects.filter(metric="facilities", region_code="433124000000", month=month)
    assert {r.dimension: r.value for r in rows if r.value} == {"in_use": 1}
    services.close_facility(actor=org_admin, facility=room, reason="停用")
    assert {r.dimension: r.value for r in rows.all() if r.value} == {"closed": 1}
    assert Rollup.objects.get(metric="org_participation", region_code="433124000000", month=month).value == 1


# ---------------------------------------------------------------- usage


def test_usage_is_recorded_by_members_and_village_people(room, org_member, village_submitter, county_official):
    use(org_member, room)
    use(village_submitter, room, kind="sessions", count=2)
    use(county_official, room, count=3)
    assert FacilityUsage.objects.filter(facility=room).count() == 3
    assert rollups.differences() == []
    month = TODAY().replace(day=1)
    visits = Rollup.objects.get(metric="facility_usage", region_code="433124000000", month=month, dimension="visits")
    assert visits.value == 8


def test_strangers_cannot_record_usage(room, other_org_admin, city_civil_affairs, other_county_official):
    with pytest.raises(Forbidden):
        use(city_civil_affairs, room)
    for actor in (other_org_admin, other_county_official):
        with pytest.raises(NotFound):
            use(actor, room)


def test_only_livestream_rooms_sell_and_only_clinics_consult(room, livestream_room, org_admin):
    with pytest.raises(ValidationFailed, match="不能记录“直播销售”"):
        use(org_admin, room, kind="sales", count=3, amount="300")
    with pytest.raises(ValidationFailed, match="不能记录“问诊人次”"):
        use(org_admin, livestream_room, kind="consultations")
    with pytest.raises(ValidationFailed, match="销售额"):
        use(org_admin, livestream_room, kind="sales", count=3)
    with pytest.raises(ValidationFailed, match="只有直播销售"):
        use(org_admin, room, count=3, amount="10")
    sale = use(org_admin, livestream_room, kind="sales", count=3, amount="1288.50")
    assert sale.amount == Decimal("1288.50")
    assert Rollup.objects.get(metric="facility_sales", month=TODAY().replace(day=1)).value == Decimal("1288.50")
    assert rollups.differences() == []


def test_usage_dates_lie_between_opening_and_today(room, org_admin):
    with pytest.raises(ValidationFailed, match="早于小屋的启用日期"):
        use(org_admin, room, used_on=room.opened_on - timedelta(days=1))
    with pytest.raises(ValidationFailed, match="晚于今天"):
        use(org_admin, room, used_on=TODAY() + timedelta(days=1))
    with pytest.raises(ValidationFailed, match="大于 0"):
        use(org_admin, room, count=0)


def test_usage_needs_a_room_in_use(organization, org_admin):
    facility = register(org_admin, organization)
    with pytest.raises(InvalidTransition, match="使用中"):
        use(org_admin, facility)


def test_photos_are_images_only(room, org_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile("room.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    assert services.add_photos(actor=org_member, facility=room, uploads=[png]) == 1
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(ValidationFailed, match="不是照片"):
        services.add_photos(actor=org_member, facility=room, uploads=[pdf])


def test_demo_rooms_are_seeded_once_through_the_services(organization, org_admin):
    from xiangzhen.facilities.demo import seed_demo_facilities

    rooms = seed_demo_facilities(organization=organization, org_admin=org_admin)
    assert [r.status for r in rooms] == ["in_use", "in_use", "in_use", "building"]
    assert seed_demo_facilities(organization=organization, org_admin=org_admin) == rooms
    assert FacilityUsage.objects.count() == 14
    assert rollups.differences() == []


def test_demo_fund_pays_the_livestream_room_once(organization, org_admin, county_civil_affairs):
    from xiangzhen.facilities.demo import seed_demo_facilities
    from xiangzhen.funds import services as funds
    from xiangzhen.funds.demo import NAME
    from xiangzhen.funds.models import Disbursement
    from xiangzhen.funds.tests.conftest import donate, fund_data

    fund = funds.create_fund(actor=org_admin, organization=organization, data=fund_data(name=NAME))
    funds.submit_fund(actor=org_admin, fund=fund)
    fund = funds.approve_fund(actor=county_civil_affairs, fund=fund)
    donate(fund, org_admin, amount="500")
    rooms = seed_demo_facilities(organization=organization, org_admin=org_admin)
    seed_demo_facilities(organization=organization, org_admin=org_admin)
    paid = Disbursement.objects.get(fund=fund)
    assert paid.facility == rooms[1] and paid.amount == Decimal("300.00")
