from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.campaigns.tests.factories import matrix_world as campaigns_world
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.core.scope import restrict
from xiangzhen.linkage import selectors, services
from xiangzhen.linkage.filters import IncubationFilters, LinkageFilters, ServiceFilters
from xiangzhen.linkage.models import VolunteerService
from xiangzhen.linkage.tests.factories import SHIBADONG, SHUANGLONG, VOLUNTEER_PHONE, rural_organization, station
from xiangzhen.matching.tests.factories import MatchFactory
from xiangzhen.offers.tests.factories import OfferFactory
from xiangzhen.stats import rollups

pytestmark = pytest.mark.django_db


def volunteer(org_admin, organization, name="石志愿"):
    return services.register_volunteer(
        actor=org_admin,
        data=services.VolunteerData(
            name=name, phone=VOLUNTEER_PHONE, areas=[SHIBADONG], organization_id=organization.pk
        ),
    )


def record(actor, who, organization, hours="2", region=SHIBADONG, days_ago=0):
    return services.record_service(
        actor=actor, volunteer=who,
        data=services.ServiceData(
            volunteer_id=who.pk, served_on=timezone.localdate() - timedelta(days=days_ago), hours=hours,
            content="陪伴老人", region=region, organization_id=organization.pk,
        ),
    )  # fmt: skip


def test_stations_are_kept_by_civil_affairs_over_the_township(
    county_civil_affairs, county_official, other_county_civil_affairs
):
    made = station(county_civil_affairs)
    assert made.region_id == SHUANGLONG
    assert AuditEntry.objects.filter(action="linkage.station.create", object_id=str(made.pk)).exists()
    with pytest.raises(Forbidden):
        station(county_official)  # rural revitalization staff do not keep stations
    with pytest.raises(Forbidden):
        station(other_county_civil_affairs)
    with pytest.raises(ValidationFailed):
        station(county_civil_affairs, region="433124000000")  # a county is not a township


def test_coverage_counts_townships_with_an_operating_station(county_civil_affairs, city_civil_affairs):
    station(county_civil_affairs)
    station(county_civil_affairs, region="433124109000", name="花垣镇社工站", status="closed")
    by_county = {c.county.code: c for c in selectors.coverage(city_civil_affairs)}
    huayuan = by_county["433124000000"]
    assert (huayuan.townships, huayuan.with_station, huayuan.without_station) == (12, 1, 11)
    assert by_county["433123000000"].with_station == 0
    assert [c.county.code for c in selectors.coverage(county_civil_affairs)] == ["433124000000"]


def test_staff_phone_is_encrypted_and_masked(county_civil_affairs):
    from django.db import connection

    made = station(county_civil_affairs)
    member = services.add_station_staff(
        actor=county_civil_affairs,
        station=made,
        data=services.StaffData(name="龙社工", role="站长", phone="13912345678"),
    )
    with connection.cursor() as cursor:
        cursor.execute("select phone from linkage_stationstaff where id = %s", [member.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    assert member.masked_phone == "139****5678"


def test_volunteer_registration_needs_the_organization_admin(org_admin, org_member, organization, other_org_admin):
    made = volunteer(org_admin, organization)
    assert made.region_id == organization.region_id and made.masked_phone == "137****4321"
    with pytest.raises(Forbidden):
        volunteer(org_member, organization)
    with pytest.raises(Forbidden):
        volunteer(other_org_admin, organization)


@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "abc", "1.25"])
def test_hours_must_be_between_0_and_24(org_admin, organization, hours):
    with pytest.raises(ValidationFailed):
        record(org_admin, volunteer(org_admin, organization), organization, hours=hours)


def test_only_confirmed_hours_count(org_admin, organization, other_org_admin, county_official):
    first, second = volunteer(org_admin, organization), volunteer(org_admin, organization, "龙志愿")
    a = record(org_admin, first, organization, "3")
    b = record(org_admin, first, organization, "2.5")
    c = record(org_admin, second, organization, "4")
    record(org_admin, second, organization, "8")  # left recorded: never counts
    with pytest.raises(NotFound):
        selectors.get_service(other_org_admin, a.pk)
    services.confirm_service(actor=org_admin, service=a)
    services.confirm_service(actor=org_admin, service=b)
    services.confirm_service(actor=org_admin, service=c)
    services.reject_service(actor=org_admin, service=record(org_admin, second, organization, "6"), reason="未到场")
    with pytest.raises(InvalidTransition):
        services.confirm_service(actor=org_admin, service=a)
    with pytest.raises(ValidationFailed):
        services.reject_service(actor=org_admin, service=record(org_admin, first, organization), reason=" ")

    people = {t.label: t.hours for t in selectors.totals_by_person(county_official, LinkageFilters())}
    assert people == {"石志愿": Decimal("5.5"), "龙志愿": Decimal("4")}
    (by_org,) = selectors.totals_by_organizer(county_official, LinkageFilters())
    assert (by_org.label, by_org.hours, by_org.services, by_org.people) == (organization.name, Decimal("9.5"), 3, 2)
    (area,) = selectors.totals_by_area(county_official, LinkageFilters(region="433124"))
    assert (area.key, area.hours) == (SHUANGLONG, Decimal("9.5"))
    assert selectors.totals_by_area(county_official, LinkageFilters(region="433123")) == []
    assert selectors.totals_by_person(other_org_admin, LinkageFilters()) == []
    assert selectors.services(county_official, ServiceFilters(status="rejected")).get().reject_reason == "未到场"
    assert rollups.differences() == []


def test_only_the_organizer_confirms(org_admin, org_member, organization, county_official):
    service = record(org_admin, volunteer(org_admin, organization), organization)
    for actor in (org_member, county_official):
        with pytest.raises(Forbidden):
            services.confirm_service(actor=actor, service=service)
    assert VolunteerService.objects.get(pk=service.pk).status == "recorded"


def test_incubation_growth_reads_real_records(
    organization, org_admin, county_civil_affairs, other_county_civil_affairs
):
    the_station = station(county_civil_affairs)
    rural = rural_organization()
    with pytest.raises(Forbidden):
        services.file_incubation(
            actor=other_county_civil_affairs,
            data=services.IncubationData(
                organization_id=rural.pk, filed_on=timezone.localdate(), incubator_station_id=the_station.pk
            ),
        )
    with pytest.raises(ValidationFailed):  # not a rural community organization
        services.file_incubation(
            actor=county_civil_affairs,
            data=services.IncubationData(
                organization_id=organization.pk, filed_on=timezone.localdate(), incubator_station_id=the_station.pk
            ),
        )
    made = services.file_incubation(
        actor=county_civil_affairs,
        data=services.IncubationData(
            organization_id=rural.pk, filed_on=timezone.localdate(), incubator_station_id=the_station.pk
        ),
    )
    assert selectors.growth(rural.pk) == selectors.Growth(None, None, 0)
    OfferFactory(organization=rural, created_by=org_admin, status="published")
    OfferFactory(organization=rural, created_by=org_admin, status="draft")
    confirmed = timezone.now() - timedelta(days=3)
    MatchFactory(organization=rural, status="in_progress", confirmed_at=confirmed)
    growth = selectors.growth(rural.pk)
    assert growth.first_offer_on == timezone.localdate()
    assert growth.first_match_on == timezone.localdate(confirmed)
    assert selectors.growth(organization.pk).activities == 0
    campaigns_world(organization, org_admin)
    assert selectors.growth(organization.pk).activities == 1

    with pytest.raises(InvalidTransition):
        services.move_incubation(actor=county_civil_affairs, record=made, stage="registered")
    services.move_incubation(actor=county_civil_affairs, record=made, stage="incubating", notes="已配备导师")
    made = services.move_incubation(actor=county_civil_affairs, record=made, stage="registered")
    assert made.stage == "registered" and "已配备导师" in made.notes
    assert selectors.incubations(other_county_civil_affairs, IncubationFilters()).count() == 0
    assert selectors.incubations(county_civil_affairs, IncubationFilters(founder_type="veteran")).get() == made
    assert selectors.incubations(county_civil_affairs, IncubationFilters(founder_type="graduate")).count() == 0
    assert restrict(type(made).objects.all(), org_admin).count() == 0
