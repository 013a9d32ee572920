"""Pairing pages: thin wrappers over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.pairings import excel, progress, rules, selectors, services
from xiangzhen.pairings.filters import PairingFilters
from xiangzhen.pairings.forms import ConcludeReviewForm, PairingForm, StartReviewForm
from xiangzhen.pairings.models import Pairing

# The steps posted from the detail page, and who may see each button.
COUNTY_STEPS = ("confirm", "return", "end")


def _admin_organizations(user: Any) -> list[tuple[int, str]]:
    """The organizations whose admin the user is (who may propose for them)."""
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return []
    return [
        (o.pk, o.name)
        for o in organization_selectors.organizations(user).order_by("name")
        if organization_rules.is_org_admin(user, o)
    ]


# ---------------------------------------------------------------- lists


@login_required
def pairing_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, PairingFilters)
    page = paginate(request, selectors.pairing_list(request.user, filters))
    measured = progress.progress_by_pairing(page.object_list)
    rows = [(p, measured[p.pk]) for p in page.object_list]
    return render(
        request,
        "pairings/pairing_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query_without_page(request),
            "filters": filters,
            "statuses": Pairing.Status.choices,
            "can_propose": bool(_admin_organizations(request.user)),
            "can_arrange": rules.can_arrange(request.user),
            "can_see_key_villages": rules.can_see_key_villages(request.user),
        },
    )


@login_required
def pairing_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = PairingFilters.from_params(request.GET)
    return download(excel.pairings_workbook(selectors.pairing_list(request.user, filters)), "结对帮扶.xlsx")


# ---------------------------------------------------------------- proposing and arranging


def _form_page(request: HttpRequest, form: PairingForm, title: str, pairing: Pairing | None = None) -> HttpResponse:
    return render(request, "pairings/pairing_form.html", {"form": form, "title": title, "pairing": pairing})


@login_required
def pairing_propose(request: HttpRequest) -> HttpResponse:
    organizations = _admin_organizations(request.user)
    if not organizations:
        messages.error(request, _("只有社会组织的管理员可以申请结对"))
        return redirect("pairings:list")
    initial = {"region_code": request.GET.get("region", "")}
    form = PairingForm(request.POST or None, mode="propose", organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_selectors.get_organization(request.user, form.cleaned_data["organization"])
            pairing = services.propose_pairing(actor=request.user, organization=organization, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("已提交结对申请 %(number)s，等待县级乡村振兴部门确认") % {"number": pairing.number}
            )
            return redirect("pairings:detail", pairing.pk)
    return _form_page(request, form, _("申请结对"))


@login_required
def pairing_arrange(request: HttpRequest) -> HttpResponse:
    if not rules.can_arrange(request.user):
        raise PermissionDenied
    initial = {"region_code": request.GET.get("region", "")}
    form = PairingForm(request.POST or None, mode="arrange", initial=initial)
    if request.method == "POST" and form.is_valid():
        organization = selectors.organization_by_credit_code(form.cleaned_data["credit_code"])
        if organization is None:
            form.add_error("credit_code", _("找不到该统一社会信用代码的社会组织"))
        else:
            try:
                pairing = services.arrange_pairing(actor=request.user, organization=organization, data=form.to_data())
            except ValidationFailed as exc:
                form.add_service_error(exc)
            except XiangzhenError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已安排结对 %(number)s") % {"number": pairing.number})
                return redirect("pairings:detail", pairing.pk)
    return _form_page(request, form, _("安排结对"))


@login_required
def pairing_edit(request: HttpRequest, pairing_id: int) -> HttpResponse:
    """Change a returned pairing and send it back to the county."""
    pairing = selectors.get_pairing(request.user, pairing_id)
    if pairing.status != Pairing.Status.RETURNED or not rules.can_change_proposal(request.user, pairing):
        raise PermissionDenied
    form = PairingForm(request.POST or None, mode="resubmit", initial=PairingForm.initial_for(pairing))
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", pairing.version))
            services.resubmit_pairing(
                actor=request.user, pairing=pairing, data=form.to_data(), expected_version=version
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", _("提交的数据不正确")))
        else:
            messages.success(request, _("已重新提交，等待县级乡村振兴部门确认"))
            return redirect("pairings:detail", pairing.pk)
    return _form_page(request, form, _("修改后重新提交"), pairing)


# ---------------------------------------------------------------- one pairing


@login_required
def pairing_detail(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = selectors.get_pairing(request.user, pairing_id)
    user = request.user
    allowed = services.WORKFLOW.allowed_actions(pairing.status)
    labels = services.WORKFLOW.transitions
    deciding = rules.can_decide(user, pairing)
    steps = [(a, labels[a].label) for a in allowed if a in COUNTY_STEPS and deciding]
    if "withdraw" in allowed and rules.can_withdraw(user, pairing):
        steps.append(("withdraw", labels["withdraw"].label))
    return render(
        request,
        "pairings/pairing_detail.html",
        {
            "pairing": pairing,
            "progress": progress.pairing_progress(pairing),
            "reviews": selectors.reviews(pairing),
            "history": selectors.history(pairing)[:50],
            "steps": steps,
            "can_review": deciding and pairing.status in (Pairing.Status.ACTIVE, Pairing.Status.UNDER_REVIEW),
            "can_edit": pairing.status == Pairing.Status.RETURNED and rules.can_change_proposal(user, pairing),
        },
    )


@login_required
@require_POST
def pairing_act(request: HttpRequest, pairing_id: int) -> HttpResponse:
    """Confirm, return, withdraw or end from the detail page, with the reason and the version seen."""
    pairing = selectors.get_pairing(request.user, pairing_id)
    action = request.POST.get("action", "")
    if action not in (*COUNTY_STEPS, "withdraw"):
        messages.error(request, _("请选择操作"))
        return redirect("pairings:detail", pairing.pk)
    try:
        version = int(request.POST.get("version", pairing.version))
        services.TRANSITION_SERVICES[action](
            actor=request.user, pairing=pairing, reason=request.POST.get("reason", ""), expected_version=version
        )
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("提交的数据不正确"))
    else:
        label = services.WORKFLOW.transitions[action].label
        messages.success(request, _("已%(label)s：%(number)s") % {"label": label, "number": pairing.number})
    return redirect("pairings:detail", pairing.pk)


@login_required
def pairing_review(request: HttpRequest, pairing_id: int) -> HttpResponse:
    """The annual review: open it for a year, see that year's figures, conclude (renew or end)."""
    pairing = selectors.get_pairing(request.user, pairing_id)
    if not rules.can_decide(request.user, pairing) or pairing.status not in (
        Pairing.Status.ACTIVE,
        Pairing.Status.UNDER_REVIEW,
    ):
        raise PermissionDenied
    start_form = StartReviewForm(
        request.POST if "start" in request.POST else None,
        initial={"year": timezone.localdate().year, "version": pairing.version},
    )
    conclude_form = ConcludeReviewForm(
        request.POST if "conclude" in request.POST else None, initial={"version": pairing.version}
    )
    if request.method == "POST" and "start" in request.POST and start_form.is_valid():
        try:
            services.start_review(
                actor=request.user, pairing=pairing, year=start_form.cleaned_data["year"],
                expected_version=start_form.cleaned_data["version"],
            )  # fmt: skip
        except XiangzhenError as exc:
            start_form.add_error(None, exc.message)
        else:
            return redirect("pairings:review", pairing.pk)
    if request.method == "POST" and "conclude" in request.POST and conclude_form.is_valid():
        values = conclude_form.cleaned_data
        try:
            review = services.conclude_review(
                actor=request.user, pairing=pairing, assessment=values["assessment"], outcome=values["outcome"],
                new_end_date=values["new_end_date"], expected_version=values["version"],
            )  # fmt: skip
        except ValidationFailed as exc:
            conclude_form.add_service_error(exc)
        except XiangzhenError as exc:
            conclude_form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(year)s 年度考核已完成：%(outcome)s")
                % {"year": review.year, "outcome": review.get_outcome_display()},
            )
            return redirect("pairings:detail", pairing.pk)
    year_figures = None
    if pairing.status == Pairing.Status.UNDER_REVIEW and pairing.review_year:
        start, end = progress.review_period(pairing, pairing.review_year)
        year_figures = progress.pairing_progress(pairing, start, end)
    return render(
        request,
        "pairings/review.html",
        {
            "pairing": pairing,
            "year_figures": year_figures,
            "cumulative": progress.pairing_progress(pairing),
            "start_form": start_form,
            "form": conclude_form,
        },
    )


# ---------------------------------------------------------------- key villages


@login_required
def key_villages(request: HttpRequest) -> HttpResponse:
    report = selectors.key_village_report(request.user, request.GET.get("region", ""))
    return render(
        request,
        "pairings/key_villages.html",
        {
            "report": report,
            "query": request.GET.urlencode(),
            "can_arrange": rules.can_arrange_at(request.user, report.region.code) and report.is_county,
        },
    )


@login_required
def key_villages_export(request: HttpRequest) -> HttpResponse:
    report = selectors.key_village_report(request.user, request.GET.get("region", ""))
    return download(excel.key_villages_workbook(report), f"重点村结对情况-{report.region.name}.xlsx")
