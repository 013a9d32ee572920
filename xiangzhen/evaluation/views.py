"""Evaluation pages: the ranking, an organization's score, and the province's indicator editor."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.evaluation import excel, rules, selectors, services
from xiangzhen.evaluation.filters import LEVELS, ScoreFilters
from xiangzhen.evaluation.forms import ComputeForm, IndicatorForm, SchemeForm, indicator_changes
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import Level

PAGE_SIZE = 50


def _province_param(request: HttpRequest) -> str:
    """The province a page is about: ?province= if valid, else the user's own."""
    code = request.GET.get("province") or request.POST.get("province") or ""
    if code:
        try:
            return services.province_of(code).code
        except ValidationFailed as exc:
            messages.warning(request, exc.message)
    return selectors.default_province(request.user)


def _indicators_of(scores: Any) -> list[Any]:
    first = scores.first()
    return list(selectors.indicators(first.province_id, active_only=True)) if first else []


# ---------------------------------------------------------------- the ranking


@login_required
def score_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ScoreFilters)
    queryset = selectors.score_list(request.user, filters)
    province = rules.managed_province(request.user)
    return render(
        request,
        "evaluation/score_list.html",
        {
            "page": paginate(request, queryset, PAGE_SIZE),
            "query": query_without_page(request),
            "filters": filters,
            "year": filters.year_or_latest(selectors.scores(request.user)),
            "years": selectors.years(request.user),
            "kinds": Organization.Kind.choices,
            "levels": [(str(level), Level(level).label) for level in LEVELS],
            "compute_form": ComputeForm(initial={"province": province}) if province else None,
        },
    )


@login_required
def commendation(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ScoreFilters)
    queryset = selectors.commendation_candidates(request.user, filters, _top(request))
    return render(
        request,
        "evaluation/commendation.html",
        {
            "scores": queryset,
            "query": query_without_page(request),
            "filters": filters,
            "top": _top(request),
            "year": filters.year_or_latest(selectors.scores(request.user)),
            "years": selectors.years(request.user),
            "kinds": Organization.Kind.choices,
            "levels": [(str(level), Level(level).label) for level in LEVELS],
        },
    )


def _top(request: HttpRequest) -> int | None:
    try:
        top = int(request.GET.get("top", ""))
    except ValueError:
        return None
    return top if 1 <= top <= 100 else None


@login_required
def score_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = ScoreFilters.from_params(request.GET)
    scores = selectors.score_list(request.user, filters)
    return download(excel.scores_workbook(scores, _indicators_of(scores)), _("评估得分.xlsx"))


@login_required
def rating_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = ScoreFilters.from_params(request.GET)
    return download(excel.rating_workbook(selectors.rating_rows(request.user, filters)), _("等级评估用表.xlsx"))


@login_required
def commendation_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = ScoreFilters.from_params(request.GET)
    scores = selectors.commendation_candidates(request.user, filters, _top(request))
    return download(excel.commendation_workbook(scores), _("表彰候选名单.xlsx"))


@login_required
def score_detail(request: HttpRequest, organization_id: int, year: int) -> HttpResponse:
    score = selectors.get_score(request.user, organization_id, year)
    return render(
        request,
        "evaluation/score_detail.html",
        {
            "score": score,
            "parts": selectors.breakdown(score),
            "all_measures": selectors.labelled(score.measures.items()),
            "other_years": selectors.organization_scores(request.user, organization_id).exclude(pk=score.pk),
            "scheme": selectors.scheme(score.province_id),
        },
    )


@login_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的年度"))
        return redirect("evaluation:scores")
    try:
        result = services.compute_scores(
            actor=request.user, province_code=form.cleaned_data["province"], year=form.cleaned_data["year"]
        )
    except XiangzhenError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:scores")
    messages.success(
        request,
        _("已计算%(province)s %(year)s 年度得分：%(count)s 个社会组织")
        % {"province": result.province.name, "year": result.year, "count": result.count},
    )
    return redirect(f"{reverse('evaluation:scores')}?year={result.year}")


# ---------------------------------------------------------------- the indicator editor


def _editor(request: HttpRequest, province: str, **forms: Any) -> HttpResponse:
    scheme = selectors.scheme(province)
    context = {
        "province": province,
        "province_name": services.province_of(province).name,
        "provinces": selectors.provinces(),
        "indicators": selectors.indicators(province),
        "active_weight": selectors.active_weight(province),
        "can_manage": rules.can_manage(request.user, province),
        "scheme": scheme,
        "measures": selectors.measure_list(),
        "history": selectors.indicator_history(province)[:30],
        "indicator_form": forms.get("indicator_form") or IndicatorForm(),
        "scheme_form": forms.get("scheme_form")
        or SchemeForm(
            initial={
                "rating_points": scheme.rating_points,
                "rating_total": scheme.rating_total,
                "commendation_top": scheme.commendation_top,
            }
        ),
        "table_errors": forms.get("table_errors", []),
    }
    return render(request, "evaluation/indicators.html", context)


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """The province's indicators; its civil affairs staff edit the table (weights, formulas, 启用) here."""
    province = _province_param(request)
    if request.method != "POST":
        return _editor(request, province)
    changes = indicator_changes(request.POST, list(selectors.indicators(province)))
    try:
        touched = services.update_indicators(actor=request.user, province_code=province, changes=changes)
    except ValidationFailed as exc:
        return _editor(request, province, table_errors=[e.message for e in exc.errors] or [exc.message])
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存 %(n)s 项指标的修改") % {"n": len(touched)})
    return redirect(f"{reverse('evaluation:indicators')}?province={province}")


@login_required
@require_POST
def indicator_create(request: HttpRequest) -> HttpResponse:
    province = _province_param(request)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            indicator = services.create_indicator(actor=request.user, province_code=province, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('evaluation:indicators')}?province={province}")
        else:
            messages.success(request, _("已新增指标“%(name)s”（未启用）") % {"name": indicator.name})
            return redirect(f"{reverse('evaluation:indicators')}?province={province}")
    return _editor(request, province, indicator_form=form)


@login_required
@require_POST
def scheme_update(request: HttpRequest) -> HttpResponse:
    province = _province_param(request)
    form = SchemeForm(request.POST)
    if form.is_valid():
        try:
            services.update_scheme(actor=request.user, province_code=province, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('evaluation:indicators')}?province={province}")
        else:
            messages.success(request, _("已保存等级评估分值与表彰名额"))
            return redirect(f"{reverse('evaluation:indicators')}?province={province}")
    return _editor(request, province, scheme_form=form)
