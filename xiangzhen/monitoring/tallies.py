"""What monitoring records contribute to the statistics: an assistance record shows its organization
taking part in the household's village on the day it helped (org_participation). Nothing about the
household itself is counted here."""

from django.db.models import QuerySet

from xiangzhen.monitoring.models import AssistanceRecord
from xiangzhen.stats.rollups import Tally


def assistance_record_tallies(record: AssistanceRecord) -> list[Tally]:
    return [Tally("org_participation", record.household.village_id, record.given_on, 1, str(record.organization_id))]


def for_recount(records: "QuerySet[AssistanceRecord]") -> "QuerySet[AssistanceRecord]":
    """Only what `assistance_record_tallies` reads, the household's village joined in: no query per
    record, and none of the household's personal fields loaded (so none decrypted)."""
    return records.select_related("household").only(
        "id", "given_on", "organization", "household__id", "household__village"
    )
