"""Demand pages: thin wrappers over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.forms import ReasonForm
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import import_page, page_filters, review_step
from xiangzhen.demands import excel, review_flags, rules, selectors, services
from xiangzhen.demands.filters import SORT_LABELS, DemandFilters
from xiangzhen.demands.forms import DemandForm
from xiangzhen.demands.models import Demand
from xiangzhen.matching import selectors as match_selectors
from xiangzhen.regions.forms import RegionPickerWidget

IMPORT_SESSION_KEY = "demands_import"
PUBLIC_STATUS_CHOICES = [(s, label) for s, label in Demand.Status.choices if s in Demand.PUBLIC_STATUSES]


def _filters(request: HttpRequest) -> DemandFilters:
    filters = page_filters(request, DemandFilters)
    return filters


def _list_context(request: HttpRequest, filters: DemandFilters, queryset: Any, public: bool) -> dict[str, Any]:
    page = paginate(request, queryset)
    page.object_list = selectors.with_priority(page.object_list)
    region_picker = RegionPickerWidget(levels=["province", "city", "county", "township", "village"]).render(
        "region", filters.region or None, {"id": "f-region"}
    )
    return {
        "page": page,
        "query": query_without_page(request),
        "filters": filters,
        "public": public,
        "statuses": PUBLIC_STATUS_CHOICES if public else Demand.Status.choices,
        "aid_modes": Demand.AidMode.choices,
        "domains": Domain.objects.all(),
        "groups": BeneficiaryGroup.objects.all(),
        "sorts": SORT_LABELS.items(),
        "region_picker": mark_safe(region_picker),  # noqa: S308 — rendered by the widget's own template
    }


@login_required
def demand_list(request: HttpRequest) -> HttpResponse:
    """The library in the user's scope; organization people take demands from the public library."""
    if not selectors.has_library_scope(request.user):
        query = request.GET.urlencode()
        return redirect(reverse("demands:public_list") + (f"?{query}" if query else ""))
    filters = _filters(request)
    context = _list_context(request, filters, selectors.demand_list(request.user, filters), public=False)
    context |= {"can_create": rules.can_create(request.user), "can_import": rules.can_import(request.user)}
    context["rate"] = match_selectors.success_rate(match_selectors.home_region(request.user))
    return render(request, "demands/demand_list.html", context)


def public_list(request: HttpRequest) -> HttpResponse:
    """Anyone: published and later demands, contacts masked."""
    filters = _filters(request)
    context = _list_context(request, filters, selectors.public_demands(filters), public=True)
    context["rate"] = match_selectors.success_rate(None)  # the whole platform, for visitors
    return render(request, "demands/demand_list.html", context)


@login_required
def demand_export(request: HttpRequest) -> HttpResponse:
    filters, _ = DemandFilters.from_params(request.GET)
    rows = selectors.export_rows(selectors.demand_list(request.user, filters))
    return download(excel.export_workbook(rows, selectors.domain_names(), selectors.group_names()), "需求项目.xlsx")


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _ = DemandFilters.from_params(request.GET)
    rows = selectors.export_rows(selectors.public_demands(filters))
    return download(excel.export_workbook(rows, selectors.domain_names(), selectors.group_names()), "公开需求项目.xlsx")


def _actions(user: Any, demand: Demand) -> list[tuple[str, str]]:
    """Workflow actions the user may take now (publish and return live on the review page)."""
    allowed = {
        "submit": rules.can_submit,
        "resubmit": rules.can_submit,
        "withdraw": rules.can_withdraw,
    }
    return [
        (a, services.WORKFLOW.transitions[a].label)
        for a in services.WORKFLOW.allowed_actions(demand.status)
        if a in allowed and allowed[a](user, demand)
    ]


@login_required
def demand_detail(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = selectors.get_demand(request.user, demand_id)
    reveal = request.GET.get("reveal") == "1"
    if reveal:
        try:
            services.reveal_personal(actor=request.user, demand=demand)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            reveal = False
    can_review = rules.can_review(request.user, demand)
    return render(
        request,
        "demands/demand_detail.html",
        {
            "demand": demand,
            "personal": selectors.personal_view(request.user, demand, reveal=reveal),
            "can_reveal": rules.can_see_personal(request.user, demand),
            "timeline": selectors.timeline(demand),
            "attachments": selectors.attachments(demand),
            "actions": _actions(request.user, demand),
            "can_edit": rules.can_edit(request.user, demand),
            "can_review": can_review and demand.status == Demand.Status.SUBMITTED,
            "flags": review_flags.flags_for(demand) if can_review and demand.status == Demand.Status.SUBMITTED else [],
            "public": False,
        },
    )


def public_detail(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = selectors.get_public_demand(demand_id)
    return render(
        request,
        "demands/demand_detail.html",
        {
            "demand": demand,
            "personal": selectors.personal_view(request.user, demand),
            "attachments": selectors.attachments(demand),
            "timeline": [],
            "public": True,
        },
    )


def _save_buttons(user: Any) -> dict[str, bool]:
    return {"can_publish": rules.county_reviewer_region(user) is not None or is_platform_admin(user)}


@login_required
def demand_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_create(request.user):
        raise PermissionDenied
    initial: dict[str, Any] = {"aid_mode": Demand.AidMode.RELIEF, "budget": 0}
    region_id = getattr(request.user, "region_id", None) or getattr(
        getattr(request.user, "department", None), "region_id", None
    )
    if region_id:
        initial["region_code"] = region_id
    form = DemandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.create_demand(
                actor=request.user,
                data=form.to_data(),
                submit="submit" in request.POST,
                publish="publish" in request.POST,
                uploads=form.cleaned_data.get("uploads") or [],
            )
            done = {"draft": "已保存为草稿", "submitted": "已提交，等待县乡村振兴部门审核", "published": "已发布"}
            messages.success(request, f"{demand.number}：{done.get(demand.status, '已保存')}")
            return redirect("demands:detail", demand.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(request, "demands/demand_form.html", {"form": form, "demand": None, **_save_buttons(request.user)})


@login_required
def demand_edit(request: HttpRequest, demand_id: int) -> HttpResponse:
    demand = selectors.get_demand(request.user, demand_id)
    if not rules.can_edit(request.user, demand):
        raise PermissionDenied
    form = DemandForm(request.POST or None, request.FILES or None, initial=DemandForm.initial_for(demand))
    if request.method == "POST" and form.is_valid():
        changes = form.to_data().as_dict()
        try:
            version = int(request.POST.get("version", demand.version))
            updated = services.update_demand(
                actor=request.user,
                demand=demand,
                changes=changes,
                expected_version=version,
                uploads=form.cleaned_data.get("uploads") or [],
            )
            if "submit" in request.POST and updated.status in (Demand.Status.DRAFT, Demand.Status.RETURNED):
                action = services.submit_demand if updated.status == Demand.Status.DRAFT else services.resubmit_demand
                action(actor=request.user, demand=updated)
                messages.success(request, "已保存并提交审核")
            else:
                messages.success(request, "已保存")
            return redirect("demands:detail", demand.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "提交的数据不正确"))
    return render(
        request,
        "demands/demand_form.html",
        {"form": form, "demand": demand, "attachments": selectors.attachments(demand), "can_publish": False},
    )


@login_required
@require_POST
def demand_action(request: HttpRequest, demand_id: int, action: str) -> HttpResponse:
    """Submit, resubmit or withdraw from the detail page."""
    demand = selectors.get_demand(request.user, demand_id)
    service: Any = {
        "submit": services.submit_demand,
        "resubmit": services.resubmit_demand,
        "withdraw": services.withdraw_demand,
    }.get(action)
    if service is None:
        raise Http404
    try:
        version = int(request.POST.get("version", demand.version))
        kwargs: dict[str, Any] = {"reason": request.POST.get("reason", "")} if action == "withdraw" else {}
        service(actor=request.user, demand=demand, expected_version=version, **kwargs)
        messages.success(request, f"已{services.WORKFLOW.transitions[action].label}：{demand.number}")
    except (XiangzhenError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "提交的数据不正确"))
    return redirect("demands:detail", demand.pk)


@login_required
def demand_review(request: HttpRequest, demand_id: int) -> HttpResponse:
    """Publish or return, with the review flags in view."""
    demand = selectors.get_demand(request.user, demand_id)
    if not rules.can_review(request.user, demand):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, initial={"version": demand.version})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        service: Any = {"publish": services.publish_demand, "return": services.return_demand}.get(action)
        if service is None:
            form.add_error(None, "请选择审核操作")
        else:
            done = review_step(
                request,
                form,
                service,
                demand=demand,
                success=f"已{services.WORKFLOW.transitions[action].label}：{demand.number}",
                detail=redirect("demands:detail", demand.pk),
            )
            if done is not None:
                return done
    actions = [
        (a, services.WORKFLOW.transitions[a].label)
        for a in services.WORKFLOW.allowed_actions(demand.status)
        if a in services.REVIEW_ACTIONS
    ]
    return render(
        request,
        "demands/review.html",
        {
            "demand": demand,
            "form": form,
            "actions": actions,
            "flags": review_flags.flags_for(demand),
            "personal": selectors.personal_view(request.user, demand),
            "attachments": selectors.attachments(demand),
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    content = excel.template_workbook(selectors.domain_names(), selectors.group_names(), "双龙镇/十八洞村")
    return download(content, "需求项目导入模板.xlsx")


@login_required
def demand_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (all rows or none)."""
    if not rules.can_import(request.user):
        raise PermissionDenied
    publish = request.POST.get("publish") == "1"
    return import_page(
        request,
        session_key=IMPORT_SESSION_KEY,
        run_import=lambda filename, content, dry_run: services.import_demands(
            actor=request.user, filename=filename, content=content, dry_run=dry_run, publish=publish and not dry_run
        ),
        done_message=lambda report: f"导入完成：新增 {report.created} 条，已存在跳过 {report.existing} 条",
        here="demands:import",
        done="demands:list",
        template="demands/import.html",
        context={"can_publish": rules.county_reviewer_region(request.user) is not None},
    )
