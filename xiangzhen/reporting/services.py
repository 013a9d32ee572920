"""Every write to periodic reporting: a province's schedule, opening and closing periods, writing,
submitting and reviewing a report, and the reminders. Each public function is one business action
in one transaction; it checks scope, permission and state and writes the audit trail.

A submission freezes the figures (from `stats.figures`) into the report and its history row and
appends the submission to the transparency log in the same transaction, so a report is submitted
and logged or neither.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiangzhen.accounts.models import User
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.scope import restrict
from xiangzhen.core.states import StateMachine, Transition, check_version
from xiangzhen.notifications.services import notify
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.reporting import leaves, rules
from xiangzhen.reporting import schedule as dates
from xiangzhen.reporting.models import Report, ReportingSchedule, ReportPeriod, ReportVersion
from xiangzhen.stats.figures import figures as compute_figures
from xiangzhen.tlog.services import append_leaf

Status = Report.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("submit", "报送", frozenset({Status.DRAFT}), Status.SUBMITTED),
        Transition("resubmit", "重新报送", frozenset({Status.RETURNED}), Status.SUBMITTED),
        Transition("accept", "接收", frozenset({Status.SUBMITTED}), Status.ACCEPTED),
        Transition("return", "退回", frozenset({Status.SUBMITTED}), Status.RETURNED),
    ],
)
MAX_TEXT = 20000
TEXT_FIELDS = {"progress": "工作进展情况", "difficulties": "困难问题", "practices": "经验做法"}
SCHEDULE_FIELDS = [
    "frequency", "due_month", "due_day", "reporting_level", "to_civil_affairs", "to_rural_revitalization",
    "remind_days", "is_active",
]  # fmt: skip
REPORT_FIELDS = ["status", "progress", "difficulties", "practices", "days_late", "review_comment", "version"]


def _record(actor: Any, action: str, instance: Any, region_code: str, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"reporting.{action}", instance=instance, region_code=region_code, **kwargs)


# ---------------------------------------------------------------- schedules


def _province_code(raw: str) -> str:
    try:
        code = codes.normalize(raw)
    except ValueError as exc:
        raise ValidationFailed.on("province_code", str(exc)) from None
    if codes.level_of(code) != codes.Level.PROVINCE or not Region.objects.filter(pk=code).exists():
        raise ValidationFailed.on("province_code", f"“{raw}”不是省级区划代码")
    return code


@dataclass
class ScheduleData:
    frequency: str
    due_month: int
    due_day: int
    reporting_level: str = ReportingSchedule.Level.CITY
    to_civil_affairs: bool = True
    to_rural_revitalization: bool = True
    remind_days: str = "7,1"
    is_active: bool = True

    def clean(self) -> None:
        errors = []
        if self.frequency not in ReportingSchedule.Frequency.values:
            errors.append(ValidationFailed.on("frequency", "报送频次应为每季度、每半年或每年"))
        if not 1 <= self.due_month <= 24:
            errors.append(ValidationFailed.on("due_month", "截止月份应为报告期第 1 至 24 个月"))
        if not 1 <= self.due_day <= 31:
            errors.append(ValidationFailed.on("due_day", "截止日应为 1 至 31"))
        if self.reporting_level not in ReportingSchedule.Level.values:
            errors.append(ValidationFailed.on("reporting_level", "报送层级应为市（州）或县（区）"))
        if not (self.to_civil_affairs or self.to_rural_revitalization):
            errors.append(ValidationFailed.on("to_civil_affairs", "请至少选择一个接收报告的省级部门"))
        parts = [p.strip() for p in self.remind_days.replace("，", ",").split(",") if p.strip()]
        if not all(p.isdigit() and 0 < int(p) <= 60 for p in parts):
            errors.append(ValidationFailed.on("remind_days", "提前提醒天数应为 1 至 60 的整数，用逗号分隔，如 7,1"))
        else:
            self.remind_days = ",".join(str(d) for d in sorted({int(p) for p in parts}, reverse=True))
        if errors:
            raise ValidationFailed(errors[0].message, [e for exc in errors for e in exc.errors])


def save_schedule(
    *, actor: Any, province_code: str, data: ScheduleData, expected_version: int | None = None
) -> ReportingSchedule:
    """Create or change a province's reporting schedule. Periods already opened keep their dates."""
    code = _province_code(province_code)
    if actor is not None and not rules.can_manage(actor, code):
        raise Forbidden("只有本省民政、乡村振兴部门工作人员可以设置报送规则")
    data.clean()
    with transaction.atomic():
        schedule = ReportingSchedule.objects.select_for_update().filter(province_id=code).first()
        values = {name: getattr(data, name) for name in SCHEDULE_FIELDS}
        if schedule is None:
            schedule = ReportingSchedule.objects.create(province_id=code, updated_by=actor, **values)
            _record(actor, "schedule.create", schedule, code, after=audit.snapshot(schedule, SCHEDULE_FIELDS))
            return schedule
        check_version(schedule, expected_version, "报送规则")
        before = audit.snapshot(schedule, SCHEDULE_FIELDS)
        for name, value in values.items():
            setattr(schedule, name, value)
        schedule.version += 1
        schedule.updated_by = actor if getattr(actor, "pk", None) else None
        schedule.save()
        _record(
            actor, "schedule.update", schedule, code, before=before, after=audit.snapshot(schedule, SCHEDULE_FIELDS)
        )
        return schedule


# ---------------------------------------------------------------- periods


def periods_due_on(schedule: ReportingSchedule, day: datetime.date) -> list[dates.Period]:
    """The periods a report may be written for on `day`: the current one, and the previous one
    while its due date has not passed (for schedules due after the period ends)."""
    current = dates.period_on(schedule.frequency, day, schedule.due_month, schedule.due_day)
    previous = dates.previous(schedule.frequency, current, schedule.due_month, schedule.due_day)
    return [p for p in (previous,) if day <= p.due_date] + [current]


def open_periods(*, actor: Any, province_code: str, on: datetime.date | None = None) -> list[ReportPeriod]:
    """Open the periods due around `on` (default today) and give every reporting region its draft.

    Idempotent: existing periods and reports stay as they are; a region added since gets its draft.
    """
    code = _province_code(province_code)
    if actor is not None and not rules.can_manage(actor, code):
        raise Forbidden("只有本省民政、乡村振兴部门工作人员可以开启报告期")
    schedule = ReportingSchedule.objects.select_related("province").filter(province_id=code, is_active=True).first()
    if schedule is None:
        raise ValidationFailed.on("province_code", "该省尚未设置启用的报送规则")
    day = on or timezone.localdate()
    lo, hi = codes.subtree_bounds(code)
    regions = list(Region.objects.filter(level=schedule.reporting_level, code__range=(lo, hi)).order_by("code"))
    opened = []
    with transaction.atomic():
        for p in periods_due_on(schedule, day):
            period, created = ReportPeriod.objects.get_or_create(
                province_id=code,
                frequency=schedule.frequency,
                year=p.year,
                index=p.index,
                defaults={
                    "label": p.label,
                    "start": p.start,
                    "end": p.end,
                    "due_date": p.due_date,
                    "reporting_level": schedule.reporting_level,
                },
            )
            if created:
                _record(actor, "period.open", period, code, after=audit.snapshot(period))
            if not period.is_closed:
                have = set(period.reports.values_list("region_id", flat=True))
                for region in regions:
                    if region.code not in have:
                        report = Report.objects.create(
                            number=next_number("BG", region.code), period=period, region=region
                        )
                        _record(actor, "create", report, region.code, after=audit.snapshot(report, REPORT_FIELDS))
            opened.append(period)
    return opened


def close_period(*, actor: Any, period: ReportPeriod) -> ReportPeriod:
    """Close a period: its drafts and returned reports can no longer be changed or submitted."""
    if not rules.can_manage(actor, period.province_id):
        raise Forbidden("只有本省民政、乡村振兴部门工作人员可以关闭报告期")
    with transaction.atomic():
        locked = ReportPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.is_closed:
            raise InvalidTransition(f"{locked.label}已于 {timezone.localtime(locked.closed_at):%Y-%m-%d} 关闭")
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.save(update_fields=["closed_at", "closed_by"])
        _record(actor, "period.close", locked, locked.province_id)
    return locked


# ---------------------------------------------------------------- reports


def _lock(actor: Any, report: Report, expected_version: int | None) -> Report:
    if not restrict(Report.objects.filter(pk=report.pk), actor).exists():
        raise NotFound("定期报告不存在或无权查看")
    locked = Report.objects.select_for_update().select_related("period", "region").get(pk=report.pk)
    check_version(locked, report.version if expected_version is None else expected_version, "定期报告")
    return locked


def _schedule(report: Report) -> ReportingSchedule | None:
    return ReportingSchedule.objects.filter(province_id=report.period.province_id).first()


def _require_writer(actor: Any, report: Report) -> None:
    if not rules.is_reporter(actor, report):
        raise Forbidden(f"只有{report.region.name}的民政、乡村振兴部门工作人员可以填写和报送本报告")
    reason = rules.edit_block_reason(report)
    if reason:
        raise InvalidTransition(reason)


def _clean_texts(texts: dict[str, str]) -> dict[str, str]:
    cleaned = {}
    for name, value in texts.items():
        if name not in TEXT_FIELDS:
            continue
        value = (value or "").strip()
        if len(value) > MAX_TEXT:
            raise ValidationFailed.on(name, f"{TEXT_FIELDS[name]}不超过 {MAX_TEXT} 字")
        cleaned[name] = value
    return cleaned


def update_report(*, actor: Any, report: Report, texts: dict[str, str], expected_version: int | None = None) -> Report:
    """Save the written parts of a draft or returned report."""
    cleaned = _clean_texts(texts)
    with transaction.atomic():
        locked = _lock(actor, report, expected_version)
        _require_writer(actor, locked)
        before = audit.snapshot(locked, REPORT_FIELDS)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save()
        _record(actor, "update", locked, locked.region_id, before=before, after=audit.snapshot(locked, REPORT_FIELDS))
    return locked


def _actor_names(actor: Any) -> tuple[str, str]:
    department = getattr(actor, "department", None)
    return (actor.full_name or actor.username)[:100], (department.name if department else "")[:100]


def _reviewers(report: Report, schedule: ReportingSchedule | None) -> "Iterable[User]":
    kinds = schedule.recipient_kinds if schedule else []
    return User.objects.filter(
        role=User.Role.DEPARTMENT_STAFF, department__region_id=report.period.province_id, department__kind__in=kinds
    )


def _reporters(region_codes: Iterable[str]) -> dict[str, list[User]]:
    people: dict[str, list[User]] = defaultdict(list)
    staff = User.objects.filter(
        role=User.Role.DEPARTMENT_STAFF, is_active=True, department__region_id__in=sorted(set(region_codes))
    ).select_related("department")
    for user in staff:
        assert user.department is not None
        people[user.department.region_id].append(user)
    return people


def _url(report: Report) -> str:
    from django.urls import reverse

    return reverse("reporting:detail", args=[report.pk])


def submit_report(*, actor: Any, report: Report, expected_version: int | None = None) -> Report:
    """Submit (or resubmit after a return): the figures are computed now and frozen, the written
    parts are required, the first submission's lateness is recorded, and the submission is logged."""
    with transaction.atomic():
        locked = _lock(actor, report, expected_version)
        _require_writer(actor, locked)
        missing = [
            ValidationFailed.on(n, f"请填写{label}") for n, label in TEXT_FIELDS.items() if not getattr(locked, n)
        ]
        if missing:
            raise ValidationFailed(missing[0].message, [e for exc in missing for e in exc.errors])
        action = "submit" if locked.status == Status.DRAFT else "resubmit"
        period = locked.period
        now = timezone.now()
        frozen = compute_figures(locked.region_id, period.start, period.end).as_json()
        changes: dict[str, Any] = {"figures": frozen, "submitted_at": now, "submitted_by": actor}
        if locked.first_submitted_at is None:
            changes["first_submitted_at"] = now
            changes["days_late"] = max(0, (timezone.localtime(now).date() - period.due_date).days)
        before = audit.snapshot(locked, REPORT_FIELDS)
        WORKFLOW.apply(locked, action, **changes)
        actor_name, department_name = _actor_names(actor)
        version = ReportVersion.objects.create(
            report=locked,
            action=action,
            actor=actor,
            actor_name=actor_name,
            department_name=department_name,
            at=now,
            progress=locked.progress,
            difficulties=locked.difficulties,
            practices=locked.practices,
            figures=frozen,
        )
        submission = locked.versions.filter(action__in=leaves.SUBMISSIONS).count()
        number = leaves.leaf_number(locked.number, submission)
        append_leaf(kind=leaves.KIND, number=number, payload=leaves.payload(locked, version, submission))
        _record(actor, action, locked, locked.region_id, before=before, after=audit.snapshot(locked, REPORT_FIELDS))
        notify(
            recipients=_reviewers(locked, _schedule(locked)),
            title=f"{locked.region.name}{period.label}社会组织参与乡村振兴工作报告已报送",
            body=f"报告编号 {locked.number}，请审核。",
            url=_url(locked),
            key=f"report:{number}:submitted",
        )
    return locked


def _review(*, actor: Any, report: Report, action: str, comment: str, expected_version: int | None) -> Report:
    comment = WORKFLOW.clean_reason(action, comment, required=action == "return")
    with transaction.atomic():
        locked = _lock(actor, report, expected_version)
        if not rules.is_reviewer(actor, locked, _schedule(locked)):
            raise Forbidden("只有接收报告的省级部门工作人员可以审核")
        before = audit.snapshot(locked, REPORT_FIELDS)
        now = timezone.now()
        WORKFLOW.apply(locked, action, reviewed_at=now, reviewed_by=actor, review_comment=comment)
        actor_name, department_name = _actor_names(actor)
        ReportVersion.objects.create(
            report=locked,
            action=action,
            actor=actor,
            actor_name=actor_name,
            department_name=department_name,
            at=now,
            comment=comment,
        )
        _record(
            actor, action, locked, locked.region_id, before=before, after=audit.snapshot(locked, REPORT_FIELDS),
            note=comment,
        )  # fmt: skip
        verdict = "已被接收" if action == "accept" else "被退回，请修改后重新报送"
        notify(
            recipients=_reporters([locked.region_id]).get(locked.region_id, []),
            title=f"{locked.period.label}工作报告{verdict}",
            body=f"{actor_name}（{department_name}）：{comment}" if comment else f"审核人：{actor_name}",
            url=_url(locked),
            key=f"report:{locked.number}:{action}:{locked.version}",
        )
    return locked


def accept_report(*, actor: Any, report: Report, comment: str = "", expected_version: int | None = None) -> Report:
    return _review(actor=actor, report=report, action="accept", comment=comment, expected_version=expected_version)


def return_report(*, actor: Any, report: Report, comment: str, expected_version: int | None = None) -> Report:
    return _review(actor=actor, report=report, action="return", comment=comment, expected_version=expected_version)


# ---------------------------------------------------------------- reminders


def reminder_key(report: Report, today: datetime.date, remind_days: list[int]) -> str | None:
    """Which reminder an unsubmitted report is due on `today`: `due<N>` for the smallest threshold
    N not below the days left (a missed daily run still sends it once), `overdue` after the due date."""
    left = (report.period.due_date - today).days
    if left < 0:
        return f"report:{report.number}:overdue"
    fitting = [n for n in remind_days if left <= n]
    return f"report:{report.number}:due{min(fitting)}" if fitting else None


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the reporting regions' staff of reports still to submit; each person gets each
    reminder once (the notification key). Returns how many notifications were made."""
    day = today or timezone.localdate()
    open_reports = list(
        Report.objects.filter(status__in=Report.EDITABLE_STATUSES, period__closed_at__isnull=True)
        .select_related("period", "region")
        .order_by("period_id", "region_id")
    )
    remind_days = {r.province_id: r.remind_day_list for r in ReportingSchedule.objects.all()}
    people = _reporters(r.region_id for r in open_reports)
    sent = 0
    with transaction.atomic():
        for report in open_reports:
            key = reminder_key(report, day, remind_days.get(report.period.province_id, []))
            if key is None:
                continue
            due = report.period.due_date
            if key.endswith("overdue"):
                title = f"{report.period.label}工作报告已逾期（截止 {due:%Y-%m-%d}）"
            else:
                title = f"{report.period.label}工作报告将于 {due:%Y-%m-%d} 截止"
            sent += notify(
                recipients=people.get(report.region_id, []),
                title=title,
                body=f"{report.region.name}报告 {report.number} 尚未报送。",
                url=_url(report),
                key=key,
            )
    return sent
