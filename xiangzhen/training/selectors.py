"""Every read of trainings and enrollments.

Organizers' scope (the training's region subtree, the organizing organization) sees every status;
everyone signed in sees open and finished trainings, so members can find and join them.
Enrollments are seen by the training's organizers and by the attendee's own organization.
"""

from typing import Any

from django.db.models import Q, QuerySet

from xiangzhen.core.errors import NotFound
from xiangzhen.core.scope import restrict, scope_filter, scope_of
from xiangzhen.organizations.models import Organization
from xiangzhen.training import rules
from xiangzhen.training.filters import TalentFilters, TrainingFilters
from xiangzhen.training.models import Enrollment, LedProject, Talent, Training

PUBLIC_STATUSES = (Training.Status.OPEN, Training.Status.FINISHED)


def _base() -> "QuerySet[Training]":
    return Training.objects.select_related("region", "organizer_organization", "organizer_department")


def visible_trainings(user: Any) -> "QuerySet[Training]":
    if not getattr(user, "is_authenticated", False):
        return Training.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return _base()
    return _base().filter(scope_filter(Training, scope) | Q(status__in=PUBLIC_STATUSES))


def training_list(user: Any, filters: TrainingFilters | None = None) -> "QuerySet[Training]":
    queryset = visible_trainings(user)
    return filters.apply(queryset) if filters else queryset


def get_training(user: Any, training_id: Any) -> Training:
    try:
        return visible_trainings(user).get(pk=int(training_id))
    except (Training.DoesNotExist, ValueError, TypeError):
        raise NotFound("培训不存在或无权查看") from None


def enrollments(user: Any, training: Training) -> "QuerySet[Enrollment]":
    """The training's attendees the user may see: all of them for its organizers, else their organizations'."""
    queryset = Enrollment.objects.filter(training=training).select_related("attendee", "organization")
    if rules.can_manage(user, training):
        return queryset.order_by("organization_id", "id")
    return restrict(queryset, user).order_by("organization_id", "id")


def get_enrollment(user: Any, training: Training, enrollment_id: Any) -> Enrollment:
    try:
        return enrollments(user, training).get(pk=int(enrollment_id))
    except (Enrollment.DoesNotExist, ValueError, TypeError):
        raise NotFound("报名记录不存在或无权查看") from None


def my_enrollments(user: Any) -> "QuerySet[Enrollment]":
    return Enrollment.objects.filter(attendee_id=getattr(user, "pk", None)).select_related("training", "organization")


def get_certificate(user: Any, certificate_number: str) -> Enrollment:
    """A certificate the user may open: their own, or one their scope covers."""
    queryset = Enrollment.objects.filter(completed=True, certificate_number=certificate_number).select_related(
        "training", "attendee", "organization"
    )
    own = queryset.filter(attendee_id=getattr(user, "pk", None))
    found = own.first() or restrict(queryset, user).first()
    if found is None:
        raise NotFound("证书不存在或无权查看")
    return found


def verify_certificate(certificate_number: str) -> Enrollment:
    """Public verification by number (no login); the page shows only a masked name, course and date."""
    try:
        return Enrollment.objects.select_related("training", "attendee").get(
            completed=True, certificate_number=certificate_number.strip()
        )
    except Enrollment.DoesNotExist:
        raise NotFound("未找到该证书编号") from None


def organizations_in_scope(user: Any) -> "QuerySet[Organization]":
    return restrict(Organization.objects.all(), user)


def talents(user: Any, filters: TalentFilters | None = None) -> "QuerySet[Talent]":
    """The talent pool the user may see: their organizations' people, or the organizations in their region."""
    queryset = restrict(Talent.objects.select_related("person", "organization").prefetch_related("domains"), user)
    return filters.apply(queryset) if filters else queryset


def get_talent(user: Any, talent_id: Any) -> Talent:
    try:
        return talents(user).get(pk=int(talent_id))
    except (Talent.DoesNotExist, ValueError, TypeError):
        raise NotFound("领军人才不存在或无权查看") from None


def trainings_taken(talent: Talent) -> "QuerySet[Enrollment]":
    return Enrollment.objects.filter(attendee_id=talent.person_id, completed=True).select_related("training")


def led_projects(talent: Talent) -> "QuerySet[LedProject]":
    return LedProject.objects.filter(talent=talent).select_related("match")
