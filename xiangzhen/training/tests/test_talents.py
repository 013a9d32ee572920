import io

import pytest
from openpyxl import load_workbook

from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.matching.tests.factories import MatchFactory
from xiangzhen.training import selectors, services
from xiangzhen.training.models import LedProject
from xiangzhen.training.tests.factories import member_of, open_training

pytestmark = pytest.mark.django_db


def _data(person, organization, **overrides):
    values = {
        "person_id": person.pk, "organization_id": organization.pk, "domains": [],
        "social_work_level": "senior", "social_work_certificate": "GJ2021001", "social_work_year": 2021,
        "other_qualifications": "心理咨询师 三级 XL-0099 2019",
    }  # fmt: skip
    values.update(overrides)
    return services.TalentData(**values)


def test_admins_and_civil_affairs_add_talent(organization, org_admin, county_civil_affairs, county_official):
    talent = services.add_talent(actor=org_admin, data=_data(member_of(organization, "t1"), organization))
    assert talent.get_social_work_level_display() == "高级社会工作师"
    services.add_talent(actor=county_civil_affairs, data=_data(member_of(organization, "t2"), organization))
    with pytest.raises(Forbidden):  # rural revitalization staff see the organization but do not keep talent
        services.add_talent(actor=county_official, data=_data(member_of(organization, "t3"), organization))
    with pytest.raises(ValidationFailed):
        services.add_talent(actor=org_admin, data=_data(talent.person, organization))


def test_talent_must_be_a_member_and_qualifications_complete(organization, org_admin, other_org_admin):
    with pytest.raises(ValidationFailed):
        services.add_talent(actor=org_admin, data=_data(other_org_admin, organization))
    with pytest.raises(ValidationFailed) as caught:
        services.add_talent(
            actor=org_admin, data=_data(member_of(organization, "t1"), organization, social_work_certificate="")
        )
    assert caught.value.errors[0].field == "social_work_certificate"
    with pytest.raises(NotFound):
        services.add_talent(actor=other_org_admin, data=_data(member_of(organization, "t2"), organization))


def test_trainings_taken_and_projects_led(organization, org_admin, county_civil_affairs, other_county_official):
    person = member_of(organization, "t1")
    talent = services.add_talent(actor=org_admin, data=_data(person, organization))
    training = open_training(county_civil_affairs)
    enrollment = services.enroll(actor=person, training=training, organization_id=organization.pk)
    services.finish_training(actor=county_civil_affairs, training=training)
    services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=True, completed=True)
    assert [e.training_id for e in selectors.trainings_taken(talent)] == [training.pk]

    match = MatchFactory(organization=organization)
    with pytest.raises(Forbidden):
        services.record_led_project(actor=county_civil_affairs, talent=talent, match_id=match.pk)
    services.record_led_project(actor=org_admin, talent=talent, match_id=match.pk, role="项目负责人")
    assert LedProject.objects.get().match == match
    with pytest.raises(ValidationFailed):  # not a match of this organization
        services.record_led_project(actor=org_admin, talent=talent, match_id=MatchFactory().pk)
    with pytest.raises(NotFound):
        selectors.get_talent(other_county_official, talent.pk)


def test_talent_pages_filters_and_export(client, organization, org_admin, county_civil_affairs, other_org_admin):
    services.add_talent(actor=org_admin, data=_data(member_of(organization, "t1"), organization))
    services.add_talent(
        actor=org_admin,
        data=_data(member_of(organization, "t2"), organization, social_work_level="", social_work_certificate=""),
    )
    client.force_login(county_civil_affairs)
    export = client.get("/training/talents/export/?level=senior")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "高级社会工作师"
    api = client.get("/api/v1/training/talents?level=senior").json()
    assert api["count"] == 1
    talent_id = api["items"][0]["id"]
    assert "GJ2021001" in client.get(f"/training/talents/{talent_id}/").content.decode()
    client.force_login(other_org_admin)
    assert client.get(f"/training/talents/{talent_id}/").status_code == 404
    assert client.get("/api/v1/training/talents").json()["count"] == 0
