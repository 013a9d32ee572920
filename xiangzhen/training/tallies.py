"""What enrollments contribute to the statistics: an attendee who attended shows their organization
taking part (org_participation) in the training's region on its first day."""

from django.db.models import QuerySet

from xiangzhen.stats.rollups import Tally
from xiangzhen.training.models import Enrollment


def enrollment_tallies(enrollment: Enrollment) -> list[Tally]:
    if not enrollment.attended:
        return []
    training = enrollment.training
    return [Tally("org_participation", training.region_id, training.starts_on, 1, str(enrollment.organization_id))]


def for_recount(enrollments: "QuerySet[Enrollment]") -> "QuerySet[Enrollment]":
    """Only what `enrollment_tallies` reads, the training joined in (no query per enrollment)."""
    return enrollments.select_related("training").only(
        "id", "attended", "organization", "training__id", "training__region", "training__starts_on"
    )
