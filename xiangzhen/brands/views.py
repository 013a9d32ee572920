"""Pages for charity brands, exemplary cases and commendations: thin wrappers over selectors and services."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.brands import excel, figures, rules, selectors, services
from xiangzhen.brands.filters import BrandFilters, CaseFilters, CommendationFilters
from xiangzhen.brands.forms import BrandForm, CaseForm, CommendationForm
from xiangzhen.brands.models import CharityBrand, ExemplaryCase
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.forms import ReasonForm
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters, review_step
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.organizations.models import Organization

MAX_CHOICES = 500


def _form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[Any], str],
    done: Callable[[], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return done()
    return render(request, "brands/form.html", {"form": form, **context})


def _staff_organizations(user: Any) -> list[tuple[int, str]]:
    queryset = organization_selectors.organizations(user).filter(status=Organization.Status.APPROVED).order_by("name")
    return [(o.pk, o.name) for o in queryset[:MAX_CHOICES]]


# ---------------------------------------------------------------- brands


@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, BrandFilters)
    return render(
        request,
        "brands/brand_list.html",
        {
            "page": paginate(request, selectors.brands(request.user, filters)), "query": query_without_page(request),
            "filters": filters, "public": False, "statuses": CharityBrand.Status.choices,
            "can_create": bool(organization_selectors.administered_organizations(request.user).exists()),
        },
    )  # fmt: skip


def public_brand_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, BrandFilters)
    return render(
        request,
        "brands/brand_list.html",
        {
            "page": paginate(request, selectors.public_brands(filters)), "query": query_without_page(request),
            "filters": filters, "public": True, "statuses": CharityBrand.Status.choices,
        },
    )  # fmt: skip


@login_required
def brand_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = BrandFilters.from_params(request.GET)
    return download(excel.brands_workbook(selectors.brands(request.user, filters)), "公益品牌.xlsx")


def public_brand_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = BrandFilters.from_params(request.GET)
    return download(excel.brands_workbook(selectors.public_brands(filters)), "公益品牌（公开）.xlsx")


def _brand_context(request: HttpRequest, brand: CharityBrand) -> dict[str, Any]:
    activities = selectors.brand_activities(brand)
    return {
        "brand": brand, "results": figures.results(activities), "page": paginate(request, activities),
        "query": query_without_page(request),
        "commendations": selectors.organization_commendations(brand.organization),
        "cases": selectors.public_cases().filter(brand=brand),
    }  # fmt: skip


@login_required
def brand_detail(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.get_brand(request.user, brand_id)
    context = _brand_context(request, brand)
    context["can_manage"] = rules.can_manage_brand(request.user, brand)
    context["history"] = selectors.history(brand)[:30]
    return render(request, "brands/brand_detail.html", context)


def public_brand_detail(request: HttpRequest, brand_id: int) -> HttpResponse:
    """A brand of an approved organization: its results, activities and commendations; no contacts."""
    brand = selectors.get_public_brand(brand_id)
    return render(request, "brands/brand_detail.html", {**_brand_context(request, brand), "public": True})


@login_required
def brand_create(request: HttpRequest) -> HttpResponse:
    organizations = [(o.pk, o.name) for o in organization_selectors.administered_organizations(request.user)]
    if not organizations:
        messages.error(request, _("只有社会组织的管理员可以创建公益品牌"))
        return redirect("brands:list")
    form = BrandForm(request.POST or None, organizations=organizations)

    def save(form: BrandForm) -> str:
        organization = organization_selectors.get_organization(request.user, form.cleaned_data["organization"])
        brand = services.create_brand(actor=request.user, organization=organization, data=form.to_data())
        save.brand = brand  # type: ignore[attr-defined]
        return _("已创建公益品牌“%(name)s”") % {"name": brand.name}

    return _form_page(
        request, form, save, lambda: redirect("brands:detail", save.brand.pk),  # type: ignore[attr-defined]
        {"title": _("创建公益品牌"), "back": "brands:list"},
    )  # fmt: skip


@login_required
def brand_edit(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.get_brand(request.user, brand_id)
    if not rules.can_manage_brand(request.user, brand):
        raise PermissionDenied
    form = BrandForm(
        request.POST or None,
        initial=BrandForm.initial_for(brand),
        organizations=[(brand.organization_id, brand.organization.name)],
    )

    def save(form: BrandForm) -> str:
        services.update_brand(actor=request.user, brand=brand, changes=form.to_data().as_dict())
        return _("已保存")

    return _form_page(
        request,
        form,
        save,
        lambda: redirect("brands:detail", brand.pk),
        {"title": _("修改公益品牌"), "back": "brands:list"},
    )


@login_required
@require_POST
def brand_status(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = selectors.get_brand(request.user, brand_id)
    try:
        services.set_brand_status(actor=request.user, brand=brand, status=request.POST.get("status", ""))
        messages.success(request, _("已更新品牌状态"))
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("brands:detail", brand.pk)


@login_required
def organization_page(request: HttpRequest, organization_id: int) -> HttpResponse:
    """An organization's brands, exemplary cases and commendations (linked from its page)."""
    organization = organization_selectors.get_organization(request.user, organization_id)
    return render(
        request,
        "brands/organization.html",
        {
            "organization": organization, "brands": selectors.organization_brands(organization),
            "cases": (
                selectors.cases(request.user).filter(organization=organization)
                | selectors.public_cases().filter(organization=organization)
            ).distinct(),
            "commendations": selectors.organization_commendations(organization),
        },
    )  # fmt: skip


# ---------------------------------------------------------------- exemplary cases


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, CaseFilters)
    return render(
        request,
        "brands/case_list.html",
        {
            "page": paginate(request, selectors.cases(request.user, filters)), "query": query_without_page(request),
            "filters": filters, "public": False, "statuses": ExemplaryCase.Status.choices,
            "can_create": rules.staff_department(request.user) is not None,
            "reviewing": selectors.review_queue(request.user).count(),
        },
    )  # fmt: skip


def public_case_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, CaseFilters)
    return render(
        request,
        "brands/case_list.html",
        {
            "page": paginate(request, selectors.public_cases(filters)),
            "query": query_without_page(request),
            "filters": filters,
            "public": True,
        },
    )


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = CaseFilters.from_params(request.GET)
    return download(excel.cases_workbook(selectors.cases(request.user, filters)), "典型案例.xlsx")


def public_case_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = CaseFilters.from_params(request.GET)
    return download(excel.cases_workbook(selectors.public_cases(filters), public=True), "典型案例（公开）.xlsx")


@login_required
def case_review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "brands/case_list.html",
        {
            "page": paginate(request, selectors.review_queue(request.user)),
            "query": query_without_page(request),
            "queue": True,
        },
    )


def _case_choices(user: Any, organization_id: int | None) -> dict[str, list[tuple[int, str]]]:
    from xiangzhen.campaigns import selectors as campaign_selectors

    brands = (
        selectors.brands(user).filter(organization_id=organization_id) if organization_id else selectors.brands(user)
    )
    campaigns = campaign_selectors.campaigns(user).exclude(status="draft").order_by("-start_date")
    return {
        "organizations": _staff_organizations(user),
        "brands": [(b.pk, f"{b.name}（{b.organization.name}）") for b in brands[:MAX_CHOICES]],
        "campaigns": [(c.pk, c.name) for c in campaigns[:MAX_CHOICES]],
    }


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if rules.staff_department(request.user) is None:
        raise PermissionDenied
    form = CaseForm(request.POST or None, **_case_choices(request.user, None))

    def save(form: CaseForm) -> str:
        case = services.create_case(actor=request.user, data=form.to_data())
        save.case = case  # type: ignore[attr-defined]
        return _("典型案例 %(number)s 已保存为草稿，数据已从平台记录中读取") % {"number": case.number}

    return _form_page(
        request, form, save, lambda: redirect("brands:case_detail", save.case.pk),  # type: ignore[attr-defined]
        {"title": _("撰写典型案例"), "back": "brands:case_list"},
    )  # fmt: skip


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case(request.user, case_id)
    if not rules.is_writer_department(request.user, case) or case.status not in services.EDITABLE_CASE_STATUSES:
        raise PermissionDenied
    form = CaseForm(
        request.POST or None, initial=CaseForm.initial_for(case), **_case_choices(request.user, case.organization_id)
    )

    def save(form: CaseForm) -> str:
        services.update_case(
            actor=request.user, case=case, changes=form.to_data().as_dict(),
            expected_version=form.cleaned_data.get("version") or case.version,
        )  # fmt: skip
        return _("已保存，案例数据已重新读取")

    return _form_page(
        request,
        form,
        save,
        lambda: redirect("brands:case_detail", case.pk),
        {"title": _("修改典型案例"), "back": "brands:case_list"},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case(request.user, case_id)
    user = request.user
    allowed = services.CASE_WORKFLOW.allowed_actions(case.status)
    labels = services.CASE_WORKFLOW.transitions
    writer_actions = [
        (a, labels[a].label) for a in allowed if a in services.WRITER_ACTIONS and rules.is_writer_department(user, case)
    ]
    review_actions = [
        (a, labels[a].label)
        for a in allowed
        if (a in services.REVIEW_ACTIONS and rules.can_review(user, case))
        or (a == "withdraw" and rules.can_withdraw(user, case))
    ]
    return render(
        request,
        "brands/case_detail.html",
        {
            "case": case, "figures": figures.labelled(case.figures), "writer_actions": writer_actions,
            "review_actions": review_actions,
            "can_edit": rules.is_writer_department(user, case) and case.status in services.EDITABLE_CASE_STATUSES,
            "history": selectors.history(case)[:30],
        },
    )  # fmt: skip


@login_required
@require_POST
def case_act(request: HttpRequest, case_id: int) -> HttpResponse:
    """The writer's submit / resubmit from the detail page."""
    case = selectors.get_case(request.user, case_id)
    action = request.POST.get("action", "")
    if action not in services.WRITER_ACTIONS:
        messages.error(request, _("请选择操作"))
        return redirect("brands:case_detail", case.pk)
    try:
        services.CASE_SERVICES[action](
            actor=request.user, case=case, expected_version=int(request.POST.get("version", case.version))
        )
        messages.success(request, _("已提交审核"))
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("提交的数据不正确"))
    return redirect("brands:case_detail", case.pk)


@login_required
def case_review(request: HttpRequest, case_id: int) -> HttpResponse:
    """Publish, return (with a reason) or withdraw (with a reason)."""
    case = selectors.get_case(request.user, case_id)
    labels = services.CASE_WORKFLOW.transitions
    actions = [
        (a, labels[a].label)
        for a in services.CASE_WORKFLOW.allowed_actions(case.status)
        if (a in services.REVIEW_ACTIONS and rules.can_review(request.user, case))
        or (a == "withdraw" and rules.can_withdraw(request.user, case))
    ]
    if not actions:
        raise PermissionDenied
    form = ReasonForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        if action not in dict(actions):
            form.add_error(None, _("请选择操作"))
        else:
            done = review_step(
                request, form, services.CASE_SERVICES[action], case=case,
                success=_("已%(label)s：%(number)s") % {"label": labels[action].label, "number": case.number},
                detail=redirect("brands:case_detail", case.pk),
            )  # fmt: skip
            if done is not None:
                return done
    return render(
        request,
        "brands/case_review.html",
        {"case": case, "form": form, "actions": actions, "figures": figures.labelled(case.figures)},
    )


def public_case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_public_case(case_id)
    return render(
        request, "brands/case_detail.html", {"case": case, "figures": figures.labelled(case.figures), "public": True}
    )


# ---------------------------------------------------------------- commendations


@login_required
def commendation_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, CommendationFilters)
    return render(
        request,
        "brands/commendation_list.html",
        {
            "page": paginate(request, selectors.commendations(request.user, filters)),
            "query": query_without_page(request),
            "filters": filters, "can_create": rules.staff_department(request.user) is not None,
        },
    )  # fmt: skip


@login_required
def commendation_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = CommendationFilters.from_params(request.GET)
    return download(excel.commendations_workbook(selectors.commendations(request.user, filters)), "表彰名单.xlsx")


@login_required
def commendation_create(request: HttpRequest) -> HttpResponse:
    if rules.staff_department(request.user) is None:
        raise PermissionDenied
    form = CommendationForm(request.POST or None, organizations=_staff_organizations(request.user))

    def save(form: CommendationForm) -> str:
        commendation = services.record_commendation(actor=request.user, data=form.to_data())
        return _("已登记表彰：%(title)s") % {"title": commendation.title}

    return _form_page(
        request,
        form,
        save,
        lambda: redirect("brands:commendation_list"),
        {"title": _("登记表彰"), "back": "brands:commendation_list"},
    )


@login_required
def commendation_edit(request: HttpRequest, commendation_id: int) -> HttpResponse:
    commendation = selectors.get_commendation(request.user, commendation_id)
    if not rules.can_edit_commendation(request.user, commendation):
        raise PermissionDenied
    form = CommendationForm(
        request.POST or None, initial=CommendationForm.initial_for(commendation),
        organizations=[(commendation.organization_id, commendation.organization.name)],
    )  # fmt: skip

    def save(form: CommendationForm) -> str:
        services.update_commendation(actor=request.user, commendation=commendation, changes=form.to_data().as_dict())
        return _("已保存")

    return _form_page(
        request,
        form,
        save,
        lambda: redirect("brands:commendation_list"),
        {"title": _("修改表彰记录"), "back": "brands:commendation_list"},
    )
