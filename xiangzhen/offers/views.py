"""Offer pages: thin wrappers over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.forms import ReasonForm
from xiangzhen.core.models import BeneficiaryGroup, Domain
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import import_page, owner_step, page_filters, review_step, submit_after_save
from xiangzhen.offers import excel, rules, selectors, services
from xiangzhen.offers.filters import OfferFilters
from xiangzhen.offers.forms import OfferForm
from xiangzhen.offers.models import AidMode, Offer
from xiangzhen.offers.validation import PUBLISHED_EDITABLE
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.regions.forms import RegionPickerWidget


def _my_organizations(user: Any) -> list[tuple[int, str]]:
    """Organizations the user may draft offers for (members of them)."""
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return []
    return [(o.pk, o.name) for o in organization_selectors.organizations(user).order_by("name")]


def _list_page(request: HttpRequest, queryset: "QuerySet[Offer]", filters: OfferFilters, public: bool) -> HttpResponse:
    picker = RegionPickerWidget().render("covers", filters.covers or None, {"id": "f-covers"})
    return render(
        request,
        "offers/offer_list.html",
        {
            "page": paginate(request, queryset),
            "query": query_without_page(request),
            "filters": filters,
            "public": public,
            "statuses": Offer.Status.choices,
            "aid_modes": AidMode.choices,
            "domains": Domain.objects.all(),
            "groups": BeneficiaryGroup.objects.all(),
            "sorts": [("newest", "最新"), ("window_end", "截止日期"), ("published", "发布时间")],
            "covers_picker": mark_safe(picker),  # noqa: S308 — rendered by the widget's own template
            "can_create": bool(_my_organizations(request.user)),
            "can_import": not public and _may_import(request.user),
        },
    )


def _filters(request: HttpRequest) -> OfferFilters:
    filters = page_filters(request, OfferFilters)
    return filters


@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """Offers the user works with: their organization's, or those under their review."""
    filters = _filters(request)
    return _list_page(request, selectors.offer_list(request.user, filters), filters, public=False)


def public_list(request: HttpRequest) -> HttpResponse:
    """The public offer library: published offers, for anyone."""
    filters = _filters(request)
    return _list_page(request, selectors.public_offers(filters), filters, public=True)


@login_required
def offer_export(request: HttpRequest) -> HttpResponse:
    filters, _ = OfferFilters.from_params(request.GET)
    return download(excel.export_workbook(selectors.offer_list(request.user, filters)), "供给项目.xlsx")


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _ = OfferFilters.from_params(request.GET)
    return download(excel.export_workbook(selectors.public_offers(filters)), "供给项目（公开）.xlsx")


def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The full record for the organization and its reviewers; the public view of a published offer for others."""
    offer, in_scope = selectors.get_visible_offer(request.user, offer_id)
    user = request.user
    allowed = services.WORKFLOW.allowed_actions(offer.status) if in_scope else []
    labels = services.WORKFLOW.transitions
    organization_actions = [
        (a, labels[a].label)
        for a in allowed
        if (a in services.ORGANIZATION_ACTIONS and rules.can_submit(user, offer))
        or (a == "close" and rules.can_close(user, offer) and rules.can_submit(user, offer))
    ]
    can_review = in_scope and rules.can_review(user, offer)
    review_actions = [
        (a, labels[a].label) for a in allowed if can_review and (a in services.REVIEW_ACTIONS or a == "close")
    ]
    return render(
        request,
        "offers/offer_detail.html",
        {
            "offer": offer,
            "in_scope": in_scope,
            "show_phone": bool(getattr(user, "is_authenticated", False)),
            "attachments": attachments_of(offer) if in_scope or offer.is_public else [],
            "history": selectors.history(offer)[:50] if in_scope else [],
            "can_edit": in_scope and offer.status in services.EDITABLE_STATUSES and rules.can_edit(user, offer),
            "organization_actions": organization_actions,
            "review_actions": review_actions,
        },
    )


@login_required
def offer_create(request: HttpRequest) -> HttpResponse:
    organizations = _my_organizations(request.user)
    if not organizations:
        messages.error(request, "只有社会组织的成员可以创建供给项目")
        return redirect("offers:list")
    form = OfferForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_selectors.get_organization(request.user, form.cleaned_data["organization"])
            offer = services.create_offer(
                actor=request.user,
                organization=organization,
                data=form.to_data(),
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"供给项目 {offer.number} 已保存为草稿")
            if "submit" in request.POST:
                submit_after_save(request, services.submit_offer, offer=offer)
            return redirect("offers:detail", offer.pk)
    return render(request, "offers/offer_form.html", {"form": form, "offer": None})


@login_required
def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.get_offer(request.user, offer_id)
    if offer.status not in services.EDITABLE_STATUSES or not rules.can_edit(request.user, offer):
        raise PermissionDenied
    published = offer.status == Offer.Status.PUBLISHED
    form = OfferForm(
        request.POST or None, request.FILES or None, initial=OfferForm.initial_for(offer), published=published
    )
    if request.method == "POST" and form.is_valid():
        changes = form.to_data().as_dict()
        if published:
            changes = {k: v for k, v in changes.items() if k in PUBLISHED_EDITABLE}
        try:
            version = int(request.POST.get("version", offer.version))
            updated = services.update_offer(
                actor=request.user,
                offer=offer,
                changes=changes,
                expected_version=version,
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "提交的数据不正确"))
        else:
            messages.success(request, "已保存")
            action = {"draft": "submit", "returned": "resubmit"}.get(updated.status)
            if "submit" in request.POST and action:
                submit_after_save(request, services.TRANSITION_SERVICES[action], offer=updated)
            return redirect("offers:detail", offer.pk)
    return render(request, "offers/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_POST
def offer_act(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The organization's own transitions (submit, resubmit, close) from the detail page."""
    offer = selectors.get_offer(request.user, offer_id)
    allowed = (*services.ORGANIZATION_ACTIONS, "close")
    owner_step(request, services.WORKFLOW, services.TRANSITION_SERVICES, allowed, offer=offer)
    return redirect("offers:detail", offer.pk)


@login_required
def offer_review(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Publish or return (with a reason); close a published offer (with a reason)."""
    offer = selectors.get_offer(request.user, offer_id)
    if not rules.can_review(request.user, offer):
        raise PermissionDenied
    actions = [
        (a, services.WORKFLOW.transitions[a].label)
        for a in services.WORKFLOW.allowed_actions(offer.status)
        if a in (*services.REVIEW_ACTIONS, "close")
    ]
    form = ReasonForm(request.POST or None, initial={"version": offer.version})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        if action not in dict(actions):
            form.add_error(None, "请选择审核操作")
        else:
            done = review_step(
                request,
                form,
                services.TRANSITION_SERVICES[action],
                offer=offer,
                success=f"已{services.WORKFLOW.transitions[action].label}：{offer.number}",
                detail=redirect("offers:detail", offer.pk),
            )
            if done is not None:
                return done
    return render(
        request,
        "offers/review.html",
        {"offer": offer, "form": form, "actions": actions, "attachments": attachments_of(offer)},
    )


# ---------------------------------------------------------------- Excel import

IMPORT_SESSION_KEY = "offers_import"
IMPORT_CHOICES_SHOWN = 20


def _importable(user: Any, q: str = "") -> "QuerySet[Organization]":
    """Organizations whose offers the user may import: those they administer; any for platform admins."""
    queryset = organization_selectors.organizations(user).order_by("name")
    if not is_platform_admin(user):
        queryset = queryset.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN, memberships__is_active=True
        )
    q = q.strip()
    return queryset.filter(Q(name__icontains=q) | Q(credit_code__iexact=q)) if q else queryset


def _may_import(user: Any) -> bool:
    """Whether to offer the import link; staff never may, so they cost the list page no query."""
    if is_platform_admin(user):
        return True
    return getattr(user, "role", None) == "organization" and _importable(user).exists()


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    content = excel.template_workbook(list(selectors.domain_names().values()), list(selectors.group_names().values()))
    return download(content, "供给项目导入模板.xlsx")


@login_required
def import_choose(request: HttpRequest) -> HttpResponse:
    """Which organization to import for: straight on when there is only one."""
    q = request.GET.get("q", "")
    choices = list(_importable(request.user, q)[: IMPORT_CHOICES_SHOWN + 1])
    if not choices and not q:
        raise PermissionDenied
    if len(choices) == 1 and not is_platform_admin(request.user):
        return redirect("offers:import", choices[0].pk)
    return render(
        request,
        "offers/import_choose.html",
        {"choices": choices[:IMPORT_CHOICES_SHOWN], "more": len(choices) > IMPORT_CHOICES_SHOWN, "q": q},
    )


@login_required
def offer_import(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Upload → per-row preview → confirm; the offers become drafts of the organization."""
    organization = organization_selectors.get_organization(request.user, organization_id)
    if not rules.can_import_for(request.user, organization):
        raise PermissionDenied
    here = reverse("offers:import", args=[organization.pk])
    return import_page(
        request,
        session_key=f"{IMPORT_SESSION_KEY}_{organization.pk}",
        run_import=lambda filename, content, dry_run: services.import_offers(
            actor=request.user, organization=organization, filename=filename, content=content, dry_run=dry_run
        ),
        done_message=lambda report: f"已导入 {len(report.numbers)} 个供给项目草稿，跳过 {report.existing} 个已导入过的",
        here=here,
        done=f"{reverse('offers:list')}?status=draft",
        template="offers/import.html",
        context={"organization": organization},
    )
