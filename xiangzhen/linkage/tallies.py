"""What volunteer service records contribute to the statistics (`stats.rollups`).

- volunteer_hours: a confirmed service its hours on its date, in the place it was done (recorded or
  rejected ones count nothing);
- org_participation: a confirmed service organized by a social organization shows it took part there.
"""

from xiangzhen.linkage.models import VolunteerService
from xiangzhen.stats.rollups import Tally


def volunteer_service_tallies(service: VolunteerService) -> list[Tally]:
    if service.status != VolunteerService.Status.CONFIRMED:
        return []
    tallies = [Tally("volunteer_hours", service.region_id, service.served_on, service.hours)]
    if service.organization_id is not None:
        tallies.append(
            Tally("org_participation", service.region_id, service.served_on, 1, str(service.organization_id))
        )
    return tallies
