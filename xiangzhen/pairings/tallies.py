"""What one pairing contributes to the rollups in its current state."""

from xiangzhen.pairings.models import Pairing
from xiangzhen.stats.rollups import Tally

# Pairings that show an organization taking part: confirmed and not ended (under review is still live).
PARTICIPATING_STATUSES = (Pairing.Status.ACTIVE, Pairing.Status.UNDER_REVIEW)


def pairing_tallies(pairing: Pairing) -> list[Tally]:
    """Every pairing counts once under its status, in its place, in the month it starts; a live
    confirmed one also counts its organization as taking part there."""
    tallies = [Tally("pairings", pairing.region_id, pairing.start_date, 1, pairing.status)]
    if pairing.status in PARTICIPATING_STATUSES:
        tallies.append(
            Tally("org_participation", pairing.region_id, pairing.start_date, 1, str(pairing.organization_id))
        )
    return tallies
