import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
from xiangzhen.notifications.models import Notification
from xiangzhen.regions.models import Region
from xiangzhen.reporting import leaves, services
from xiangzhen.reporting.models import Report, ReportPeriod
from xiangzhen.reporting.tests.conftest import HUNAN, XIANGXI, days_ago, write
from xiangzhen.stats import rollups
from xiangzhen.tlog import registry
from xiangzhen.tlog.models import LogEntry


def test_opening_a_period_gives_every_city_of_the_province_a_numbered_draft(period):
    cities = Region.objects.filter(level="city", code__startswith="43").count()
    assert cities == 14
    assert period.reports.count() == cities
    report = period.reports.get(region_id=XIANGXI)
    assert report.status == "draft" and report.number.startswith("BG-433100-")
    assert (period.start.month, period.due_date.day) in {(1, 10), (7, 10)}


def test_opening_again_creates_nothing_twice(period):
    services.open_periods(actor=None, province_code=HUNAN, on=period.start)
    assert ReportPeriod.objects.count() == 1
    assert period.reports.count() == 14


def test_city_staff_of_both_departments_write_and_submit(report, city_civil_affairs, city_rural_revitalization):
    write(report, city_civil_affairs)
    report.refresh_from_db()
    submitted = services.submit_report(actor=city_rural_revitalization, report=report)
    assert submitted.status == "submitted"
    assert submitted.submitted_by == city_rural_revitalization
    (version,) = submitted.versions.all()
    assert (version.action, version.actor_name, version.progress) == (
        "submit",
        "湘西州乡村振兴局 向军",
        "开展结对帮扶 12 项。",
    )


def test_submission_requires_the_three_written_parts(report, city_civil_affairs):
    with pytest.raises(ValidationFailed) as exc:
        services.submit_report(actor=city_civil_affairs, report=report)
    assert {e.field for e in exc.value.errors} == {"progress", "difficulties", "practices"}


def test_county_staff_cannot_see_or_submit_the_city_report(report, county_official, city_civil_affairs):
    report = write(report, city_civil_affairs)
    with pytest.raises(NotFound):
        services.submit_report(actor=county_official, report=report)


def test_another_city_cannot_touch_the_report(period, city_civil_affairs):
    changsha = period.reports.get(region_id="430100000000")
    with pytest.raises(NotFound):
        services.update_report(actor=city_civil_affairs, report=changsha, texts={"progress": "x"})


def test_province_staff_cannot_write_a_city_report(report, province_civil_affairs):
    with pytest.raises(Forbidden):
        services.update_report(actor=province_civil_affairs, report=report, texts={"progress": "x"})


def test_return_resubmit_accept_keeps_the_full_history(
    report, city_civil_affairs, city_rural_revitalization, province_civil_affairs, province_rural_revitalization
):
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    with pytest.raises(ValidationFailed):
        services.return_report(actor=province_civil_affairs, report=report, comment=" ")
    report = services.return_report(actor=province_civil_affairs, report=report, comment="请补充资金数据")
    assert (report.status, report.review_comment, report.reviewed_by) == (
        "returned",
        "请补充资金数据",
        province_civil_affairs,
    )
    report = services.update_report(
        actor=city_rural_revitalization, report=report, texts={"progress": "开展结对帮扶 12 项，投入 3 万元。"}
    )
    report = services.submit_report(actor=city_rural_revitalization, report=report)
    report = services.accept_report(actor=province_rural_revitalization, report=report)
    assert report.status == "accepted" and report.reviewed_by == province_rural_revitalization
    history = [(v.action, v.actor_name, v.comment) for v in report.versions.order_by("at", "id")]
    assert [h[0] for h in history] == ["submit", "return", "resubmit", "accept"]
    assert history[1][2] == "请补充资金数据"
    texts = [v.progress for v in report.versions.order_by("at", "id") if v.action in ("submit", "resubmit")]
    assert texts == ["开展结对帮扶 12 项。", "开展结对帮扶 12 项，投入 3 万元。"]
    assert all(v.at for v in report.versions.all())
    actions = set(AuditEntry.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert {"reporting.submit", "reporting.return", "reporting.resubmit", "reporting.accept"} <= actions


def test_accepted_and_submitted_reports_say_why_they_cannot_change(report, city_civil_affairs, province_civil_affairs):
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    with pytest.raises(InvalidTransition, match="等待省级审核"):
        services.update_report(actor=city_civil_affairs, report=report, texts={"progress": "改"})
    report = services.accept_report(actor=province_civil_affairs, report=report)
    with pytest.raises(InvalidTransition, match="已被省级接收"):
        services.submit_report(actor=city_civil_affairs, report=report)
    with pytest.raises(InvalidTransition):
        services.return_report(actor=province_civil_affairs, report=report, comment="再改")


def test_a_closed_period_stops_drafts(report, period, city_civil_affairs, province_rural_revitalization):
    services.close_period(actor=province_rural_revitalization, period=period)
    report.refresh_from_db()
    with pytest.raises(InvalidTransition, match="报告期已关闭"):
        write(report, city_civil_affairs)


def test_only_recipient_departments_review(schedules, report, city_civil_affairs, province_civil_affairs):
    schedule = schedules[HUNAN]
    services.save_schedule(
        actor=province_civil_affairs,
        province_code=HUNAN,
        data=services.ScheduleData(frequency="half_yearly", due_month=6, due_day=10, to_civil_affairs=False),
    )
    schedule.refresh_from_db()
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    with pytest.raises(Forbidden):
        services.accept_report(actor=province_civil_affairs, report=report)
    with pytest.raises(Forbidden):
        services.accept_report(actor=city_civil_affairs, report=report)


def test_figures_are_frozen_at_submission(report, city_civil_affairs):
    DemandFactory(published_at=timezone.now())
    rollups.rebuild()  # the factory wrote the demand straight to the table
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    frozen = dict(report.figures)
    assert frozen["demands_published"] == 1
    demand = DemandFactory(published_at=timezone.now())
    MatchFactory(
        demand=demand, status=Match.Status.CONFIRMED, confirmed_at=timezone.now(), committed_amount=Decimal("500")
    )
    rollups.rebuild()
    report.refresh_from_db()
    assert report.figures == frozen
    assert report.versions.get().figures == frozen


def test_lateness_is_the_first_submission_against_the_due_date(
    report, period, city_civil_affairs, province_civil_affairs
):
    ReportPeriod.objects.filter(pk=period.pk).update(due_date=days_ago(3))
    report.refresh_from_db()
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    assert report.days_late == 3 and report.is_on_time is False
    report = services.return_report(actor=province_civil_affairs, report=report, comment="补充")
    report = services.submit_report(actor=city_civil_affairs, report=report)
    assert report.days_late == 3


def test_each_submission_is_a_leaf_that_the_log_can_rebuild(report, city_civil_affairs, province_civil_affairs):
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    report = services.return_report(actor=province_civil_affairs, report=report, comment="补充")
    report = services.submit_report(actor=city_civil_affairs, report=report)
    entries = list(LogEntry.objects.filter(kind="report").order_by("index"))
    assert [e.number for e in entries] == [report.number, f"{report.number}.2"]
    first = registry.rebuild("report", report.number)
    assert first is not None and first["figures"] == report.versions.order_by("at").first().figures
    assert first["region"] == XIANGXI and "湘西" in first["region_name"]
    assert city_civil_affairs.full_name not in str(first) and city_civil_affairs.username not in str(first)
    assert registry.rebuild("report", "BG-000000-2026-000404") is None
    assert leaves.rebuild(f"{report.number}.3") is None


def test_submission_notifies_the_province_and_a_return_the_city(
    report, city_civil_affairs, city_rural_revitalization, province_civil_affairs, province_rural_revitalization
):
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    assert set(Notification.objects.filter(title__contains="已报送").values_list("recipient", flat=True)) == {
        province_civil_affairs.pk,
        province_rural_revitalization.pk,
    }
    services.return_report(actor=province_civil_affairs, report=report, comment="补充")
    assert set(Notification.objects.filter(title__contains="退回").values_list("recipient", flat=True)) == {
        city_civil_affairs.pk,
        city_rural_revitalization.pk,
    }


def test_reminders_go_once_per_key(report, period, city_civil_affairs, city_rural_revitalization):
    due = period.due_date
    assert services.send_reminders(today=due - datetime.timedelta(days=10)) == 0
    week = due - datetime.timedelta(days=7)
    assert services.send_reminders(today=week) == 2 * 1 + 0  # 湘西州's two staff; no other city has staff
    assert services.send_reminders(today=week) == 0
    assert services.send_reminders(today=week + datetime.timedelta(days=1)) == 0  # still the 7-day reminder
    assert services.send_reminders(today=due - datetime.timedelta(days=1)) == 2
    assert services.send_reminders(today=due) == 0
    assert services.send_reminders(today=due + datetime.timedelta(days=1)) == 2
    assert services.send_reminders(today=due + datetime.timedelta(days=2)) == 0
    keys = set(Notification.objects.filter(recipient=city_civil_affairs).values_list("key", flat=True))
    assert keys == {f"report:{report.number}:due7", f"report:{report.number}:due1", f"report:{report.number}:overdue"}


def test_submitted_reports_are_not_reminded(report, period, city_civil_affairs):
    services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    before = Notification.objects.filter(recipient=city_civil_affairs).count()
    services.send_reminders(today=period.due_date + datetime.timedelta(days=5))
    assert Notification.objects.filter(recipient=city_civil_affairs).count() == before


def test_schedule_is_kept_by_the_province_only(schedules, city_civil_affairs, province_rural_revitalization):
    data = services.ScheduleData(frequency="quarterly", due_month=3, due_day=20)
    with pytest.raises(Forbidden):
        services.save_schedule(actor=city_civil_affairs, province_code=HUNAN, data=data)
    with pytest.raises(Forbidden):
        services.save_schedule(actor=province_rural_revitalization, province_code="140000000000", data=data)
    schedule = services.save_schedule(actor=province_rural_revitalization, province_code=HUNAN, data=data)
    assert (schedule.frequency, schedule.version) == ("quarterly", 2)


def test_schedule_data_is_checked_field_by_field(schedules, province_civil_affairs):
    bad = services.ScheduleData(frequency="monthly", due_month=0, due_day=40, to_civil_affairs=False,
                            to_rural_revitalization=False, remind_days="7,x")  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.save_schedule(actor=province_civil_affairs, province_code=HUNAN, data=bad)
    assert {e.field for e in exc.value.errors} == {
        "frequency",
        "due_month",
        "due_day",
        "to_civil_affairs",
        "remind_days",
    }


def test_a_report_number_is_unique_per_city_and_period(period):
    assert Report.objects.filter(period=period).values("region").distinct().count() == 14


def test_period_summary_counts_rates_and_late_cities(report, period, city_civil_affairs):
    from xiangzhen.reporting.selectors import period_summary

    ReportPeriod.objects.filter(pk=period.pk).update(due_date=days_ago(2))
    period.refresh_from_db()
    report.refresh_from_db()
    services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    summary = period_summary(period)
    assert (summary.expected, summary.submitted, summary.on_time) == (14, 1, 0)
    assert summary.reporting_rate == "7.1%" and summary.on_time_rate == "0.0%"
    late = {row.report.region_id: row.days_late for row in summary.late}
    assert len(late) == 14 and late[XIANGXI] == 2  # 湘西州 submitted 2 days late; the rest still missing
    on_time = period_summary(period, today=period.due_date)
    assert [r.report.region_id for r in on_time.late] == [XIANGXI]
