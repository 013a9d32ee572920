"""Training records for tests and for the authorization matrix."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import UserFactory, staff
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.training import services
from xiangzhen.training.models import Enrollment, Training

HUAYUAN = "433124000000"


def training_data(**overrides: Any) -> services.TrainingData:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": "社会工作实务培训",
        "trainer": "龙老师",
        "starts_on": today,
        "ends_on": today + timedelta(days=1),
        "mode": "in_person",
        "place": "花垣县民政局三楼会议室",
        "capacity": 30,
        "hours": "12",
    }
    values.update(overrides)
    return services.TrainingData(**values)


def hub_with_admin(username: str = "hub_admin", region_id: str = HUAYUAN) -> tuple[Any, Any]:
    hub = OrganizationFactory(name="花垣县社会组织孵化中心", is_hub=True, region_id=region_id)
    return hub, MembershipFactory(organization=hub, user=UserFactory(username=username)).user


def member_of(organization: Any, username: str) -> Any:
    return MembershipFactory(organization=organization, user=UserFactory(username=username), role="member").user


def open_training(actor: Any, **overrides: Any) -> Training:
    training = services.create_training(actor=actor, data=training_data(**overrides))
    return services.open_training(actor=actor, training=training)


def matrix_world(organization: Any, org_admin: Any) -> dict[str, Any]:
    """An open training of the 花垣县 civil affairs department with one member of the organization
    enrolled, and a finished one where that member completed and holds a certificate."""
    organizer = staff(Department.Kind.CIVIL_AFFAIRS, HUAYUAN, username="hy_mz_training")
    member = member_of(organization, "training_member")
    training = open_training(organizer, title="矩阵培训")
    enrollment = services.enroll(
        actor=org_admin, training=training, attendee_id=member.pk, organization_id=organization.pk
    )
    finished = open_training(organizer, title="矩阵已结业培训")
    done = services.enroll(actor=org_admin, training=finished, attendee_id=member.pk, organization_id=organization.pk)
    services.finish_training(actor=organizer, training=finished)
    done = services.record_attendance(actor=organizer, enrollment=done, attended=True, completed=True)
    assert isinstance(done, Enrollment)
    talent = services.add_talent(
        actor=org_admin,
        data=services.TalentData(
            person_id=member.pk, organization_id=organization.pk, domains=[], social_work_level="social_worker",
            social_work_certificate="SW-MATRIX-1", social_work_year=2020,
        ),
    )  # fmt: skip
    return {
        "talent_id": talent.pk,
        "talent_candidate_id": member_of(organization, "talent_candidate").pk,
        "training_id": training.pk,
        "training_enrollment_id": enrollment.pk,
        "certificate_number": done.certificate_number,
    }
