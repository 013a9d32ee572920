"""Reporting pages: thin wrappers over selectors and services. Out of scope answers 404."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import department_of, is_platform_admin, is_province_staff
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.reporting import exports, rules, selectors, services, word
from xiangzhen.reporting.filters import ReportFilters
from xiangzhen.reporting.forms import ReportForm, ScheduleForm
from xiangzhen.reporting.models import Report
from xiangzhen.stats import presentation


def _word(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=word.CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _own_province(request: HttpRequest) -> str | None:
    department = department_of(request.user)
    return department.region_id if department and is_province_staff(request.user) else None


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """A city sees its reports; a province its cities' reports and its periods."""
    filters = page_filters(request, ReportFilters)
    can_open = is_platform_admin(request.user) or _own_province(request) is not None
    return render(
        request,
        "reporting/report_list.html",
        {
            "page": paginate(request, selectors.reports(request.user, filters)),
            "query": query_without_page(request),
            "filters": filters,
            "statuses": Report.Status.choices,
            "periods": selectors.periods(request.user)[:12] if can_open else [],
            "can_open": can_open,
            "own_province": _own_province(request),
        },
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    filters, _ = ReportFilters.from_params(request.GET)
    return download(exports.list_workbook(selectors.reports(request.user, filters)), "reports.xlsx")


@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    if not (is_platform_admin(request.user) or _own_province(request)):
        raise Http404("页面不存在")
    return render(
        request,
        "reporting/schedule_list.html",
        {
            "schedules": selectors.schedules(request.user),
            "own_province": _own_province(request),
            "provinces": Region.objects.filter(level=codes.Level.PROVINCE) if is_platform_admin(request.user) else [],
        },
    )


@login_required
def schedule_edit(request: HttpRequest) -> HttpResponse:
    """Create or change a province's schedule: province staff their own, platform admins any."""
    code = request.POST.get("province") or request.GET.get("province") or _own_province(request) or ""
    try:
        code = codes.normalize(code)
    except ValueError:
        raise Http404("没有这个省份") from None
    province = Region.objects.filter(pk=code, level=codes.Level.PROVINCE).first()
    if province is None or not rules.can_manage(request.user, code):
        raise Http404("没有这个省份或无权设置")
    schedule = selectors.schedule_of(code)
    form = ScheduleForm(request.POST or None, initial=ScheduleForm.initial_from(schedule))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_schedule(
                actor=request.user,
                province_code=code,
                data=form.data_object(),
                expected_version=form.cleaned_data.get("version"),
            )
            messages.success(request, f"{province.name}的报送规则已保存")
            return redirect("reporting:schedules")
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "reporting/schedule_form.html",
        {
            "form": form,
            "province": province,
            "schedule": schedule,
            "provinces": Region.objects.filter(level="province"),
        },
    )


@login_required
@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("province") or _own_province(request) or ""
    try:
        opened = services.open_periods(actor=request.user, province_code=code)
        messages.success(request, "已开启：" + "、".join(p.label for p in opened))
        return redirect("reporting:period", opened[-1].pk)
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:list")


@login_required
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    """The province's view of a period: expected, submitted, reporting and on-time rates, who is late."""
    period = selectors.get_period(request.user, period_id)
    return render(
        request,
        "reporting/period_detail.html",
        {
            "period": period,
            "summary": selectors.period_summary(period),
            "can_manage": rules.can_manage(request.user, period.province_id),
        },
    )


@login_required
def period_export(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.get_period(request.user, period_id)
    return download(exports.period_workbook(period), f"period-{period.pk}.xlsx")


@login_required
def period_consolidated(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.get_period(request.user, period_id)
    return _word(exports.consolidated_document(period), f"{period.province.name}{period.label}汇总报告.docx")


@login_required
@require_POST
def period_close(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.get_period(request.user, period_id)
    try:
        services.close_period(actor=request.user, period=period)
        messages.success(request, f"{period.label}已关闭")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:period", period.pk)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    data, frozen = selectors.shown_figures(report)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "figure_rows": presentation.rows(data),
            "frozen": frozen,
            "actions": rules.available_actions(request.user, report, selectors.schedule_of(report.period.province_id)),
            "blocked": rules.edit_block_reason(report),
            "history": selectors.history(report),
            "is_reporter": rules.is_reporter(request.user, report),
        },
    )


@login_required
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    if not rules.is_reporter(request.user, report):
        messages.error(request, f"只有{report.region.name}的民政、乡村振兴部门工作人员可以填写本报告")
        return redirect("reporting:detail", report.pk)
    initial = {"progress": report.progress, "difficulties": report.difficulties, "practices": report.practices}
    form = ReportForm(request.POST or None, initial={**initial, "version": report.version})
    if request.method == "POST" and form.is_valid():
        texts = {name: form.cleaned_data[name] for name in services.TEXT_FIELDS}
        try:
            report = services.update_report(
                actor=request.user, report=report, texts=texts, expected_version=form.cleaned_data["version"]
            )
            if "submit" in request.POST:
                action = "submit" if report.status == Report.Status.DRAFT else "resubmit"
                services.submit_report(actor=request.user, report=report)
                messages.success(request, f"报告已{services.WORKFLOW.transitions[action].label}")
            else:
                messages.success(request, "报告已保存")
            return redirect("reporting:detail", report.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "reporting/report_form.html",
        {"form": form, "report": report, "blocked": rules.edit_block_reason(report)},
    )


@login_required
def report_word(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    return _word(exports.report_document(report), f"{report.number}.docx")


@login_required
@require_POST
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    version = request.POST.get("version")
    expected = int(version) if version and version.isdigit() else None
    comment = request.POST.get("comment", "")
    try:
        if action in ("submit", "resubmit"):
            services.submit_report(actor=request.user, report=report, expected_version=expected)
        elif action == "accept":
            services.accept_report(actor=request.user, report=report, comment=comment, expected_version=expected)
        elif action == "return":
            services.return_report(actor=request.user, report=report, comment=comment, expected_version=expected)
        else:
            raise Http404("没有这个操作")
        messages.success(request, f"已{services.WORKFLOW.transitions[action].label}")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:detail", report.pk)
