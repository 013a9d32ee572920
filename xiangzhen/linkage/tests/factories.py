"""Linkage records for tests and for the authorization matrix, made through the services."""

from typing import Any

from django.utils import timezone

from xiangzhen.accounts.tests.factories import staff
from xiangzhen.linkage import services
from xiangzhen.organizations.tests.factories import OrganizationFactory

SHUANGLONG = "433124110000"  # 双龙镇, 花垣县
SHIBADONG = "433124110226"  # 十八洞村
STAFF_PHONE = "13912345678"
VOLUNTEER_PHONE = "13787654321"


def station(actor: Any, region: str = SHUANGLONG, **changes: Any) -> Any:
    data = services.StationData(
        region=region, name="双龙镇社工站", opened_on=timezone.localdate(), address="双龙镇政府旁"
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return services.create_station(actor=actor, data=data)


def rural_organization(**changes: Any) -> Any:
    fields = {"name": "十八洞村老年协会", "region_id": "433124000000", "is_rural_community": True}
    return OrganizationFactory(**{**fields, "founder_type": "veteran", **changes})


def matrix_world(organization: Any, org_admin: Any) -> dict[str, Any]:
    """A 双龙镇 station (one staff member), a volunteer of the organization with one recorded (not yet
    confirmed) service at 十八洞村, and a rural community organization of 花垣县 filed for incubation
    at the station; a second one waits to be filed."""
    civil_affairs = staff("civil_affairs", "433124000000", username="hy_mz_linkage")
    the_station = station(civil_affairs)
    services.add_station_staff(
        actor=civil_affairs, station=the_station,
        data=services.StaffData(name="龙社工", role="站长", qualification="中级社会工作师", phone=STAFF_PHONE),
    )  # fmt: skip
    volunteer = services.register_volunteer(
        actor=org_admin,
        data=services.VolunteerData(
            name="石志愿", phone=VOLUNTEER_PHONE, skills="助老", areas=[SHIBADONG], organization_id=organization.pk
        ),
    )
    service = services.record_service(
        actor=org_admin, volunteer=volunteer,
        data=services.ServiceData(
            volunteer_id=volunteer.pk, served_on=timezone.localdate(), hours="3", content="陪伴老人",
            region=SHIBADONG, organization_id=organization.pk,
        ),
    )  # fmt: skip
    incubation = services.file_incubation(
        actor=civil_affairs,
        data=services.IncubationData(
            organization_id=rural_organization().pk, filed_on=timezone.localdate(), incubator_station_id=the_station.pk
        ),
    )
    waiting = rural_organization(name="十八洞村妇女互助会", founder_type="returning_migrant_worker")
    return {
        "station_id": the_station.pk,
        "linkage_volunteer_id": volunteer.pk,
        "service_id": service.pk,
        "incubation_id": incubation.pk,
        "linkage_waiting_organization_id": waiting.pk,
    }
