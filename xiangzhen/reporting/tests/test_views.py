import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory
from xiangzhen.reporting import services
from xiangzhen.reporting.models import ReportingSchedule
from xiangzhen.reporting.tests.conftest import HUNAN, write
from xiangzhen.stats import rollups


def test_city_staff_write_and_submit_on_the_page(client, report, city_civil_affairs):
    client.force_login(city_civil_affairs)
    url = reverse("reporting:edit", args=[report.pk])
    assert "工作进展情况" in client.get(url).content.decode()
    data = {"progress": "进展", "difficulties": "困难", "practices": "做法", "version": report.version, "submit": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.progress == "进展"
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "不能修改" in page and "等待省级审核" in page
    assert "报送时" in page  # the figures are said to be frozen


def test_submitting_without_texts_shows_the_fields_at_fault(client, report, city_civil_affairs):
    client.force_login(city_civil_affairs)
    url = reverse("reporting:edit", args=[report.pk])
    response = client.post(
        url, {"progress": "", "difficulties": "", "practices": "", "version": report.version, "submit": "1"}
    )
    assert response.status_code == 200
    assert "请填写困难问题" in response.content.decode()


def test_province_returns_with_a_comment_and_the_history_shows_who(
    client, report, city_civil_affairs, province_civil_affairs
):
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    client.force_login(province_civil_affairs)
    url = reverse("reporting:action", args=[report.pk, "return"])
    client.post(url, {"comment": "请补充典型案例", "version": report.version})
    report.refresh_from_db()
    assert report.status == "returned"
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "请补充典型案例" in page and province_civil_affairs.full_name in page


def test_a_city_cannot_open_another_citys_report(client, period, city_civil_affairs):
    changsha = period.reports.get(region_id="430100000000")
    client.force_login(city_civil_affairs)
    assert client.get(reverse("reporting:detail", args=[changsha.pk])).status_code == 404
    assert client.get(reverse("reporting:word", args=[changsha.pk])).status_code == 404


def test_city_list_shows_only_its_own_reports(client, period, city_civil_affairs):
    client.force_login(city_civil_affairs)
    page = client.get(reverse("reporting:list")).content.decode()
    assert "湘西" in page and "长沙市" not in page


def test_province_period_page_counts_and_names_late_cities(
    client, period, report, city_civil_affairs, province_rural_revitalization
):
    services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    client.force_login(province_rural_revitalization)
    page = client.get(reverse("reporting:period", args=[period.pk])).content.decode()
    assert "7.1%" in page  # 1 of 14 submitted
    assert "长沙市" in page


def test_the_period_table_exports_to_excel(client, period, report, city_civil_affairs, province_civil_affairs):
    services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    client.force_login(province_civil_affairs)
    response = client.get(reverse("reporting:period_export", args=[period.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("报送单位", "区划代码", "报告编号", "状态")
    xiangxi = next(r for r in rows[1:] if r and r[1] == "433100000000")
    assert xiangxi[3] == "已报送" and xiangxi[6] == "是"
    assert sum(1 for r in rows[1:] if r and r[1] and str(r[1]).startswith("43")) == 14


def test_the_report_exports_to_word_in_official_layout(client, report, city_civil_affairs):
    demand = DemandFactory(published_at=timezone.now())
    MatchFactory(demand=demand, status=Match.Status.CONFIRMED, confirmed_at=timezone.now(),
                 committed_amount=Decimal("8800.00"))  # fmt: skip
    DemandFactory(published_at=timezone.now())
    rollups.rebuild()  # the factories wrote straight to the tables
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    client.force_login(city_civil_affairs)
    response = client.get(reverse("reporting:word", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    # Word keeps lengths in twips: compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    texts = [p.text for p in document.paragraphs]
    title = next(p for p in document.paragraphs if "社会组织参与乡村振兴工作情况的报告" in p.text)
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert (
        run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    body = next(p for p in document.paragraphs if p.text == "开展结对帮扶 12 项。")
    assert body.runs[0].font.size == Pt(16) and body.paragraph_format.line_spacing == Pt(28.95)
    assert (
        body.runs[0]._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋_GB2312"
    )
    assert any("工作进展情况" in t for t in texts) and any("经验做法" in t for t in texts)
    cells = {row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows}
    assert cells["对接承诺资金（元）"] == "8800.00"
    assert cells["发布需求项目（个）"] == "2"
    assert cells["参与的社会组织（家）"] == "1"
    assert "服务困难群众（人次）" in cells and "消费帮扶金额（元）" in cells and "专项基金拨付（元）" in cells
    assert texts[-1].endswith("日") and any("湘西" in t for t in texts[-3:])
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._p.xml


def test_the_consolidated_report_gathers_accepted_reports(
    client, period, report, city_civil_affairs, province_civil_affairs
):
    report = services.submit_report(actor=city_civil_affairs, report=write(report, city_civil_affairs))
    services.accept_report(actor=province_civil_affairs, report=report)
    client.force_login(province_civil_affairs)
    response = client.get(reverse("reporting:period_consolidated", args=[period.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "汇总报告" in text and "五社联动" in text and "长沙市" in text  # 长沙市: not yet accepted
    names = [row.cells[0].text for row in document.tables[0].rows]
    assert names[0] == "报送单位" and names[-1] == "合计" and any("湘西" in n for n in names)


def test_province_staff_edit_their_schedule_on_the_page(client, schedules, province_civil_affairs):
    client.force_login(province_civil_affairs)
    url = reverse("reporting:schedule_edit")
    assert client.get(url).status_code == 200
    schedule = schedules[HUNAN]
    data = {"frequency": "half_yearly", "due_month": 6, "due_day": 5, "reporting_level": "city",
            "to_civil_affairs": "on", "to_rural_revitalization": "on", "remind_days": "10，3", "is_active": "on",
            "version": schedule.version}  # fmt: skip
    assert client.post(url, data).status_code == 302
    schedule = ReportingSchedule.objects.get(province_id=HUNAN)
    assert (schedule.due_day, schedule.remind_days) == (5, "10,3")
    assert client.get(url + "?province=140000000000").status_code == 404


def test_city_staff_cannot_open_the_schedules(client, schedules, city_civil_affairs):
    client.force_login(city_civil_affairs)
    assert client.get(reverse("reporting:schedules")).status_code == 404
    assert client.get(reverse("reporting:schedule_edit")).status_code == 404


def test_lists_take_a_fixed_number_of_queries(client, period, province_civil_affairs, django_assert_max_num_queries):
    client.force_login(province_civil_affairs)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting:period", args=[period.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/reports/").status_code == 200


def test_only_the_city_gets_the_writing_form(client, report, province_civil_affairs):
    client.force_login(province_civil_affairs)
    response = client.get(reverse("reporting:edit", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reporting:detail", args=[report.pk])


def test_platform_admin_picks_a_province_for_its_schedule(client, schedules, platform_admin):
    client.force_login(platform_admin)
    page = client.get(reverse("reporting:schedules")).content.decode()
    assert "山西省" in page and 'name="province"' in page
    assert client.get(reverse("reporting:schedule_edit") + "?province=140000000000").status_code == 200
