"""Fund pages: thin wrappers over selectors and services."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.forms import ReasonForm
from xiangzhen.core.models import Domain
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import import_page, owner_step, page_filters, review_step, submit_after_save
from xiangzhen.funds import excel, rules, selectors, services
from xiangzhen.funds.filters import DisbursementFilters, DisclosureFilters, DonationFilters, FundFilters
from xiangzhen.funds.forms import DisbursementForm, DisclosureForm, DonationForm, FundForm, ProjectForm, RefundForm
from xiangzhen.funds.models import Donation, Fund
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.tlog.services import issue_receipt

IMPORT_SESSION_KEY = "funds_donation_import"
SECTION_SIZE = 20


def _my_organizations(user: Any) -> list[tuple[int, str]]:
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return []
    return [(o.pk, o.name) for o in organization_selectors.organizations(user).order_by("name")]


def _section(request: HttpRequest, queryset: Any, name: str) -> Any:
    """One paginated list among several on a page: its own page parameter `<name>_page`."""
    page = Paginator(queryset, SECTION_SIZE).get_page(request.GET.get(f"{name}_page"))
    page.param = f"{name}_page"  # type: ignore[attr-defined]
    return page


def _with_documents(page: Any) -> Any:
    """Each listed disbursement with its supporting documents (a page holds at most SECTION_SIZE)."""
    for disbursement in page:
        disbursement.documents = list(attachments_of(disbursement))
    return page


# ---------------------------------------------------------------- lists


def _list_page(request: HttpRequest, queryset: Any, filters: FundFilters, public: bool) -> HttpResponse:
    return render(
        request,
        "funds/fund_list.html",
        {
            "page": paginate(request, queryset),
            "query": query_without_page(request),
            "filters": filters,
            "public": public,
            "statuses": Fund.Status.choices,
            "domains": Domain.objects.all(),
            "can_create": bool(_my_organizations(request.user)),
            "reviewing": selectors.review_queue(request.user).count() if not public else 0,
        },
    )


@login_required
def fund_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, FundFilters)
    return _list_page(request, selectors.fund_list(request.user, filters), filters, public=False)


def public_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, FundFilters)
    return _list_page(request, selectors.public_funds(filters), filters, public=True)


@login_required
def fund_export(request: HttpRequest) -> HttpResponse:
    filters, _ = FundFilters.from_params(request.GET)
    rows = [(f, selectors.annotated_totals(f)) for f in selectors.fund_list(request.user, filters)]
    return download(excel.funds_workbook(rows, public=False), "专项基金.xlsx")


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _ = FundFilters.from_params(request.GET)
    rows = [(f, selectors.annotated_totals(f)) for f in selectors.public_funds(filters)]
    return download(excel.funds_workbook(rows, public=True), "专项基金（公开）.xlsx")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    queryset = selectors.with_totals(selectors.review_queue(request.user))
    return render(
        request, "funds/review_queue.html", {"page": paginate(request, queryset), "query": query_without_page(request)}
    )


# ---------------------------------------------------------------- one fund


@login_required
def fund_detail(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    user = request.user
    allowed = services.WORKFLOW.allowed_actions(fund.status)
    labels = services.WORKFLOW.transitions
    organization_actions = [
        (a, labels[a].label)
        for a in allowed
        if (a in services.ORGANIZATION_ACTIONS and rules.is_member(user, fund))
        or (a == "close" and rules.is_admin(user, fund))
    ]
    review_actions = [
        (a, labels[a].label)
        for a in allowed
        if a in (*services.REVIEW_ACTIONS, "close") and rules.can_review(user, fund)
    ]
    member = rules.is_member(user, fund)
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "totals": selectors.annotated_totals(fund),
            "available": selectors.available(fund)["rows"],
            "projects": selectors.projects(fund),
            "schedule": selectors.disclosure_schedule(fund),
            "donations": _section(request, selectors.donations(fund), "donations"),
            "disbursements": _with_documents(_section(request, selectors.disbursements(fund), "disbursements")),
            "refunds": _section(request, selectors.refunds(fund), "refunds"),
            "disclosures": _section(request, selectors.disclosures(fund), "disclosures"),
            "history": selectors.history(fund)[:50],
            "query": query_without_page(request),
            "can_edit": member and fund.status in services.EDITABLE_STATUSES,
            "can_record": member and fund.status == Fund.Status.ACTIVE,
            "can_pay": rules.is_admin(user, fund) and fund.status == Fund.Status.ACTIVE,
            "can_refund": rules.is_admin(user, fund) and fund.status == Fund.Status.ACTIVE,
            "can_disclose": member and fund.activated_at is not None,
            "organization_actions": organization_actions,
            "review_actions": review_actions,
        },
    )


@login_required
def fund_create(request: HttpRequest) -> HttpResponse:
    organizations = _my_organizations(request.user)
    if not organizations:
        messages.error(request, "只有社会组织的成员可以设立专项基金")
        return redirect("funds:list")
    form = FundForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_selectors.get_organization(request.user, form.cleaned_data["organization"])
            fund = services.create_fund(actor=request.user, organization=organization, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"专项基金 {fund.number} 已保存为草稿")
            if "submit" in request.POST:
                submit_after_save(request, services.submit_fund, fund=fund)
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/fund_form.html", {"form": form, "fund": None})


@login_required
def fund_edit(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    if fund.status not in services.EDITABLE_STATUSES or not rules.is_member(request.user, fund):
        raise PermissionDenied
    form = FundForm(request.POST or None, initial=FundForm.initial_for(fund))
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", fund.version))
            updated = services.update_fund(
                actor=request.user, fund=fund, changes=form.to_data().as_dict(), expected_version=version
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "提交的数据不正确"))
        else:
            messages.success(request, "已保存")
            action = {"draft": "submit", "returned": "resubmit"}.get(updated.status)
            if "submit" in request.POST and action:
                submit_after_save(request, services.TRANSITION_SERVICES[action], fund=updated)
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/fund_form.html", {"form": form, "fund": fund})


@login_required
@require_POST
def fund_act(request: HttpRequest, fund_id: int) -> HttpResponse:
    """The organization's own transitions (submit, resubmit, close) from the detail page."""
    fund = selectors.get_fund(request.user, fund_id)
    allowed = (*services.ORGANIZATION_ACTIONS, "close")
    owner_step(request, services.WORKFLOW, services.TRANSITION_SERVICES, allowed, fund=fund)
    return redirect("funds:detail", fund.pk)


@login_required
def fund_review(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    if not rules.can_review(request.user, fund):
        raise PermissionDenied
    actions = [
        (a, services.WORKFLOW.transitions[a].label)
        for a in services.WORKFLOW.allowed_actions(fund.status)
        if a in (*services.REVIEW_ACTIONS, "close")
    ]
    form = ReasonForm(request.POST or None, initial={"version": fund.version})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        if action not in dict(actions):
            form.add_error(None, "请选择审核操作")
        else:
            done = review_step(
                request, form, services.TRANSITION_SERVICES[action], fund=fund,
                success=f"已{services.WORKFLOW.transitions[action].label}：{fund.number}",
                detail=redirect("funds:detail", fund.pk),
            )  # fmt: skip
            if done is not None:
                return done
    return render(request, "funds/review.html", {"fund": fund, "form": form, "actions": actions})


# ---------------------------------------------------------------- recording


def _record_page(
    request: HttpRequest, fund_id: int, form_class: Any, title: str, save: Any, allowed: Any, files: bool = False
) -> HttpResponse:
    """A form page that records one thing against the fund through `save(fund, form)`."""
    fund = selectors.get_fund(request.user, fund_id)
    if not allowed(request.user, fund):
        raise PermissionDenied
    kwargs = {"fund": fund} if form_class is not ProjectForm else {}
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            message = save(fund, form)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect("funds:detail", fund.pk)
    return render(request, "funds/record_form.html", {"form": form, "fund": fund, "title": title, "files": files})


@login_required
def donation_create(request: HttpRequest, fund_id: int) -> HttpResponse:
    def save(fund: Fund, form: DonationForm) -> str:
        donation = services.record_donation(actor=request.user, fund=fund, data=form.to_data())
        return f"已登记捐赠 {donation.number}（¥{donation.amount}），并写入透明日志"

    return _record_page(request, fund_id, DonationForm, "登记捐赠", save, rules.is_member)


@login_required
def disbursement_create(request: HttpRequest, fund_id: int) -> HttpResponse:
    def save(fund: Fund, form: DisbursementForm) -> str:
        disbursement = services.record_disbursement(
            actor=request.user, fund=fund, data=form.to_data(), uploads=form.cleaned_data["attachments"]
        )
        return f"已登记拨付 {disbursement.number}（¥{disbursement.amount}），并写入透明日志"

    return _record_page(request, fund_id, DisbursementForm, "登记拨付", save, rules.is_admin, files=True)


@login_required
def refund_create(request: HttpRequest, fund_id: int, donation_number: str) -> HttpResponse:
    """An admin refunds all or part of one donation of the fund."""
    fund = selectors.get_fund(request.user, fund_id)
    donation = selectors.get_fund_donation(fund, donation_number)

    def save(fund: Fund, form: RefundForm) -> str:
        refund = services.refund_donation(actor=request.user, donation=donation, data=form.to_data())
        return f"已登记退款 {refund.number}（¥{refund.amount}，原捐赠 {donation.number}），并写入透明日志"

    title = f"捐赠退款：{donation.number}（¥{donation.amount}，{donation.donor_name}）"
    return _record_page(request, fund_id, RefundForm, title, save, rules.is_admin)


@login_required
def project_create(request: HttpRequest, fund_id: int) -> HttpResponse:
    def save(fund: Fund, form: ProjectForm) -> str:
        project = services.create_project(actor=request.user, fund=fund, data=form.to_data())
        return f"已创建基金项目 {project.number}"

    return _record_page(request, fund_id, ProjectForm, "创建基金项目", save, rules.is_member)


@login_required
def disclosure_create(request: HttpRequest, fund_id: int) -> HttpResponse:
    def save(fund: Fund, form: DisclosureForm) -> str:
        disclosure = services.publish_disclosure(actor=request.user, fund=fund, data=form.to_data())
        return f"已发布信息公开 {disclosure.number}"

    return _record_page(request, fund_id, DisclosureForm, "发布信息公开", save, rules.is_member)


# ---------------------------------------------------------------- exports and import


@login_required
def donation_export(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    filters, _ = DonationFilters.from_params(request.GET)
    return download(
        excel.donations_workbook(selectors.donations(fund, filters), public=False), f"{fund.number}-捐赠.xlsx"
    )


@login_required
def disbursement_export(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    filters, _ = DisbursementFilters.from_params(request.GET)
    return download(excel.disbursements_workbook(selectors.disbursements(fund, filters)), f"{fund.number}-拨付.xlsx")


@login_required
def refund_export(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    return download(excel.refunds_workbook(selectors.refunds(fund), public=False), f"{fund.number}-退款.xlsx")


@login_required
def disclosure_export(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    filters, _ = DisclosureFilters.from_params(request.GET)
    return download(excel.disclosures_workbook(selectors.disclosures(fund, filters)), f"{fund.number}-信息公开.xlsx")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return download(excel.template_workbook(), "捐赠导入模板.xlsx")


@login_required
def donation_import(request: HttpRequest, fund_id: int) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (all rows or none); recorded rows are skipped."""
    fund = selectors.get_fund(request.user, fund_id)
    if not rules.is_member(request.user, fund):
        raise PermissionDenied
    channel = request.POST.get("channel", "bank")
    if channel not in Donation.Channel.values:
        channel = "bank"
    return import_page(
        request,
        session_key=f"{IMPORT_SESSION_KEY}:{fund.pk}",
        run_import=lambda filename, content, dry_run: services.import_donations(
            actor=request.user, fund=fund, filename=filename, content=content, default_channel=channel, dry_run=dry_run
        ),
        done_message=lambda report: f"导入完成：新增 {report.created} 笔，已登记过跳过 {report.existing} 笔",
        here=reverse("funds:import", args=[fund.pk]),
        done=reverse("funds:detail", args=[fund.pk]),
        template="funds/import.html",
        context={"fund": fund, "channels": Donation.Channel.choices, "channel": channel},
    )


# ---------------------------------------------------------------- public pages


def public_detail(request: HttpRequest, fund_id: int) -> HttpResponse:
    """What anyone may read: purpose, totals, disbursements, disclosures, donations with donors masked."""
    fund = selectors.get_public_fund(fund_id)
    return render(
        request,
        "funds/public_detail.html",
        {
            "fund": fund,
            "totals": selectors.annotated_totals(fund),
            "projects": selectors.projects(fund),
            "donations": _section(request, selectors.donations(fund), "donations"),
            "disbursements": _with_documents(_section(request, selectors.disbursements(fund), "disbursements")),
            "refunds": _section(request, selectors.refunds(fund), "refunds"),
            "disclosures": _section(request, selectors.disclosures(fund), "disclosures"),
        },
    )


def public_project(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project's own disclosure page: its disclosures and the money paid to it."""
    project = selectors.get_public_project(project_id)
    return render(
        request,
        "funds/public_project.html",
        {
            "project": project,
            "fund": project.fund,
            "disclosures": _section(request, project.disclosures.order_by("-period_end"), "disclosures"),
            "disbursements": _with_documents(
                _section(request, project.disbursements.select_related("project").order_by("-paid_on"), "disbursements")
            ),
        },
    )


def public_donations_export(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_public_fund(fund_id)
    return download(excel.donations_workbook(selectors.donations(fund), public=True), f"{fund.number}-捐赠公示.xlsx")


def public_disclosures_export(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.get_public_fund(fund_id)
    return download(excel.disclosures_workbook(selectors.disclosures(fund)), f"{fund.number}-信息公开.xlsx")


def _receipt(request: HttpRequest, donation_number: str) -> tuple[Donation, dict[str, Any]]:
    donation = selectors.public_donation(donation_number)
    return donation, issue_receipt(kind="donation", number=donation.number)


def receipt(request: HttpRequest, donation_number: str) -> HttpResponse:
    """The donor's receipt: the donation, its leaf and index, a signed checkpoint, the inclusion proof, a QR code."""
    import segno

    donation, bundle = _receipt(request, donation_number)
    url = request.build_absolute_uri(reverse("funds:receipt", args=[donation.number]))
    qr = segno.make(url, error="m").svg_inline(scale=4, title=f"{donation.number}")
    refunds = selectors.refunds_of(donation)
    context = {"donation": donation, "bundle": bundle, "qr": mark_safe(qr), "url": url, "refunds": refunds}  # noqa: S308 — segno's own SVG
    return render(request, "funds/receipt.html", context)


def receipt_download(request: HttpRequest, donation_number: str) -> HttpResponse:
    """The receipt as a JSON file the offline verifier checks."""
    donation, bundle = _receipt(request, donation_number)
    document = {
        "donation": {
            "number": donation.number, "fund": donation.fund.number, "amount": str(donation.amount),
            "date": donation.donated_on.isoformat(), "donor": donation.public_donor,
            "refunds": [
                {"number": r.number, "amount": str(r.amount), "date": r.refunded_on.isoformat()}
                for r in selectors.refunds_of(donation)
            ],
        },
        **bundle,
    }  # fmt: skip
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{donation.number}.json"'
    return response
