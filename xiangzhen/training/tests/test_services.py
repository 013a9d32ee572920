from decimal import Decimal

import pytest

from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.stats import rollups
from xiangzhen.training import selectors, services
from xiangzhen.training.models import Enrollment, Training
from xiangzhen.training.tests.factories import member_of, open_training, training_data

pytestmark = pytest.mark.django_db


def test_a_hub_admin_creates_a_training_for_the_hub(hub):
    organization, admin = hub
    training = services.create_training(actor=admin, data=training_data(organizer_organization_id=organization.pk))
    assert training.status == Training.Status.DRAFT
    assert training.organizer_organization == organization and training.region_id == organization.region_id
    assert training.number.startswith("PX-433124-")


def test_a_non_hub_organization_cannot_organize(org_admin, organization):
    with pytest.raises(ValidationFailed):
        services.create_training(actor=org_admin, data=training_data(organizer_organization_id=organization.pk))


def test_an_organization_person_without_a_hub_cannot_organize_as_a_department(org_admin):
    with pytest.raises(Forbidden):
        services.create_training(actor=org_admin, data=training_data())


def test_staff_create_in_their_department(county_civil_affairs):
    training = services.create_training(actor=county_civil_affairs, data=training_data())
    assert training.organizer_department == county_civil_affairs.department


def test_online_needs_a_link_and_in_person_a_place(county_civil_affairs):
    with pytest.raises(ValidationFailed) as caught:
        services.create_training(actor=county_civil_affairs, data=training_data(mode="online", place=""))
    assert caught.value.errors[0].field == "link"
    with pytest.raises(ValidationFailed) as caught:
        services.create_training(actor=county_civil_affairs, data=training_data(place=" "))
    assert caught.value.errors[0].field == "place"


def test_only_organizers_move_the_training(county_civil_affairs, other_county_official, city_civil_affairs):
    training = services.create_training(actor=county_civil_affairs, data=training_data())
    with pytest.raises(NotFound):  # a draft outside their region does not exist for them
        services.open_training(actor=other_county_official, training=training)
    services.open_training(actor=city_civil_affairs, training=training)  # staff above may step in
    assert training.status == Training.Status.OPEN
    with pytest.raises(InvalidTransition):
        services.open_training(actor=county_civil_affairs, training=training)


def test_members_enroll_themselves_and_admins_enroll_their_members(county_civil_affairs, organization, org_admin):
    training = open_training(county_civil_affairs)
    member = member_of(organization, "xiaoming")
    services.enroll(actor=member, training=training, organization_id=organization.pk)
    colleague = member_of(organization, "xiaohong")
    services.enroll(actor=org_admin, training=training, attendee_id=colleague.pk, organization_id=organization.pk)
    training.refresh_from_db()
    assert training.enrolled_count == 2
    with pytest.raises(ValidationFailed):
        services.enroll(actor=member, training=training, organization_id=organization.pk)


def test_nobody_enrolls_someone_of_another_organization(county_civil_affairs, organization, other_org_admin):
    training = open_training(county_civil_affairs)
    member = member_of(organization, "xiaoming")
    with pytest.raises(Forbidden):
        services.enroll(
            actor=other_org_admin, training=training, attendee_id=member.pk, organization_id=organization.pk
        )
    with pytest.raises(Forbidden):  # a plain member does not enroll colleagues
        services.enroll(
            actor=member, training=training, attendee_id=other_org_admin.pk, organization_id=organization.pk
        )


def test_capacity_is_never_exceeded(county_civil_affairs, organization):
    training = open_training(county_civil_affairs, capacity=1)
    services.enroll(actor=member_of(organization, "a1"), training=training, organization_id=organization.pk)
    with pytest.raises(InvalidTransition, match="名额已满"):
        services.enroll(actor=member_of(organization, "a2"), training=training, organization_id=organization.pk)
    assert Enrollment.objects.filter(training=training).count() == 1


def test_drafts_take_no_enrollment(county_civil_affairs, organization, org_admin):
    training = services.create_training(actor=county_civil_affairs, data=training_data())
    with pytest.raises(NotFound):  # a draft is not visible to organizations
        services.enroll(actor=org_admin, training=training, organization_id=organization.pk)


def test_attendance_completion_and_certificate(county_civil_affairs, organization, org_admin):
    training = open_training(county_civil_affairs, hours="12")
    member = member_of(organization, "xiaoming")
    enrollment = services.enroll(actor=member, training=training, organization_id=organization.pk)
    with pytest.raises(Forbidden):
        services.record_attendance(actor=org_admin, enrollment=enrollment, attended=True)
    with pytest.raises(InvalidTransition, match="培训结束后"):
        services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=True, completed=True)
    enrollment = services.record_attendance(
        actor=county_civil_affairs, enrollment=enrollment, attended=True, hours="10"
    )
    assert enrollment.attended_hours == Decimal("10.0") and not enrollment.certificate_number
    services.finish_training(actor=county_civil_affairs, training=training)
    with pytest.raises(ValidationFailed):
        services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=False, completed=True)
    with pytest.raises(ValidationFailed):
        services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=True, hours="13")
    enrollment = services.record_attendance(
        actor=county_civil_affairs, enrollment=enrollment, attended=True, hours="12", completed=True
    )
    number = enrollment.certificate_number
    assert number and number.startswith("ZS-433124-") and enrollment.certified_on
    again = services.record_attendance(
        actor=county_civil_affairs, enrollment=enrollment, attended=True, hours="11", completed=True
    )
    assert again.certificate_number == number  # issued once
    with pytest.raises(InvalidTransition):
        services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=True)
    assert selectors.verify_certificate(number).pk == enrollment.pk
    assert selectors.get_certificate(member, number).pk == enrollment.pk
    assert rollups.differences() == []


def test_attendance_counts_the_organization_taking_part(county_civil_affairs, organization):
    training = open_training(county_civil_affairs)
    enrollment = services.enroll(
        actor=member_of(organization, "xiaoming"), training=training, organization_id=organization.pk
    )
    enrollment = services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=True)
    assert list(rollups.snapshot(enrollment).values()) == [1]
    assert rollups.differences() == []
    enrollment = services.record_attendance(actor=county_civil_affairs, enrollment=enrollment, attended=False)
    assert rollups.snapshot(enrollment) == {}
    assert rollups.differences() == []


def test_cancel_needs_a_reason(county_civil_affairs):
    training = open_training(county_civil_affairs)
    with pytest.raises(ValidationFailed):
        services.cancel_training(actor=county_civil_affairs, training=training, reason=" ")
    services.cancel_training(actor=county_civil_affairs, training=training, reason="讲师临时有事")
    assert Training.objects.get(pk=training.pk).status == Training.Status.CANCELLED


def test_certificates_are_hidden_out_of_scope(
    county_civil_affairs, organization, other_county_official, other_org_admin
):
    training = open_training(county_civil_affairs)
    enrollment = services.enroll(
        actor=member_of(organization, "xiaoming"), training=training, organization_id=organization.pk
    )
    services.finish_training(actor=county_civil_affairs, training=training)
    enrollment = services.record_attendance(
        actor=county_civil_affairs, enrollment=enrollment, attended=True, completed=True
    )
    for outsider in (other_county_official, other_org_admin):
        with pytest.raises(NotFound):
            selectors.get_certificate(outsider, enrollment.certificate_number)
        assert not selectors.enrollments(outsider, training).exists()
    with pytest.raises(NotFound):
        selectors.verify_certificate("ZS-000000-2026-999999")
