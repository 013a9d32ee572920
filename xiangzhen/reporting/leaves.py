"""The transparency-log leaf of a report submission: one function builds it, for the service that
appends it and for the log's audit that rebuilds it from the database.

Every submission is logged, so a resubmission after a return gets a leaf of its own: the first
is numbered with the report's number (`BG-433100-2026-000001`), the k-th with `.k` appended
(`BG-433100-2026-000001.2`). The payload is built from the submission's history row, which is
never changed, and holds no personal data: no names, only the region, the period, the frozen
figures and the time.
"""

from typing import Any

from django.utils import timezone

from xiangzhen.reporting.models import Report, ReportVersion

KIND = "report"
SUBMISSIONS = (ReportVersion.Action.SUBMIT, ReportVersion.Action.RESUBMIT)


def leaf_number(report_number: str, submission: int) -> str:
    return report_number if submission == 1 else f"{report_number}.{submission}"


def _split(number: str) -> tuple[str, int]:
    head, dot, tail = number.rpartition(".")
    if dot and tail.isdigit():
        return head, int(tail)
    return number, 1


def payload(report: Report, version: ReportVersion, submission: int) -> dict[str, Any]:
    period = report.period
    return {
        "report": report.number,
        "submission": submission,
        "region": report.region_id,
        "region_name": report.region.name,
        "period": period.label,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "due_date": period.due_date.isoformat(),
        "figures": version.figures,
        "submitted_at": timezone.localtime(version.at).isoformat(timespec="seconds"),
    }


def rebuild(number: str) -> dict[str, Any] | None:
    """The payload as the stored submission would produce it; None when there is no such submission."""
    report_number, submission = _split(number)
    report = Report.objects.select_related("period", "region").filter(number=report_number).first()
    if report is None or submission < 1:
        return None
    versions = list(report.versions.filter(action__in=SUBMISSIONS).order_by("at", "id")[submission - 1 : submission])
    return payload(report, versions[0], submission) if versions else None
