import io

from django.core.management import call_command

from xiangzhen.reporting.models import Report, ReportingSchedule, ReportPeriod


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_open_and_remind_from_the_command_line(db, city_civil_affairs):
    assert "湖南" in run("seed_reporting_schedules") and ReportingSchedule.objects.count() == 2
    run("seed_reporting_schedules")
    assert ReportingSchedule.objects.count() == 2
    output = run("open_report_periods", "--on", "2027-01-05")
    # 山西 Q1 2027 (11 cities) and 湖南 H1 2027 (14 cities).
    assert ReportPeriod.objects.count() == 2
    assert Report.objects.filter(period__province_id="140000000000").count() == 11
    assert "2027年第一季度" in output and "2027年上半年" in output
    assert "已发送 0 条提醒" in run("remind_reports", "--today", "2027-01-05")
    assert "已发送 1 条提醒" in run("remind_reports", "--today", "2027-06-03")  # 湘西州's one staff, 7 days out
