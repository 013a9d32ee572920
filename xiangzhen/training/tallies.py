"""What enrollments contribute to the statistics: an attendee who attended shows their organization
taking part (org_participation) in the training's region on its first day."""

from xiangzhen.stats.rollups import Tally
from xiangzhen.training.models import Enrollment


def enrollment_tallies(enrollment: Enrollment) -> list[Tally]:
    if not enrollment.attended:
        return []
    training = enrollment.training
    return [Tally("org_participation", training.region_id, training.starts_on, 1, str(enrollment.organization_id))]
