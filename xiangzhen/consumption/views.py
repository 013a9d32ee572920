"""Consumption pages: the public catalogue, products, purchases (form, import), batches and totals."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xiangzhen.campaigns.models import Enrollment
from xiangzhen.consumption import excel, rules, selectors, services
from xiangzhen.consumption.filters import ProductFilters, PurchaseFilters
from xiangzhen.consumption.forms import ProductForm, PurchaseForm, PurchaseLineFormSet, purchase_data
from xiangzhen.consumption.models import Product, Purchase
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import import_page, page_filters
from xiangzhen.events import selectors as event_selectors
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.organizations.models import Membership

IMPORT_SESSION_KEY = "consumption_purchase_import"
MAX_PRODUCT_CHOICES = 500


def _my_organizations(user: Any, admin_only: bool = False) -> list[tuple[int, str]]:
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return []
    queryset = organization_selectors.organizations(user).filter(status="approved").order_by("name")
    if admin_only:
        queryset = queryset.filter(memberships__user=user, memberships__role="admin", memberships__is_active=True)
    return [(o.pk, o.name) for o in queryset]


def _catalogue_context(request: HttpRequest, filters: ProductFilters, queryset: Any, public: bool) -> dict[str, Any]:
    return {
        "page": paginate(request, queryset),
        "query": query_without_page(request),
        "filters": filters,
        "public": public,
        "categories": Product.Category.choices,
        "producer_kinds": Product.ProducerKind.choices,
        "statuses": Product.Status.choices,
    }


# ---------------------------------------------------------------- the public catalogue


def catalogue(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ProductFilters)
    context = _catalogue_context(request, filters, selectors.public_products(filters), public=True)
    return render(request, "consumption/catalogue.html", context)


def catalogue_export(request: HttpRequest) -> HttpResponse:
    filters, _ = ProductFilters.from_params(request.GET)
    return download(excel.products_workbook(selectors.public_products(filters)), "帮扶产品目录.xlsx")


def public_product(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.get_public_product(product_id)
    return render(
        request,
        "consumption/public_product.html",
        {"product": product, "photos": selectors.photos(product), "sales": selectors.product_sales(product)},
    )


# ---------------------------------------------------------------- products


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ProductFilters)
    context = _catalogue_context(request, filters, selectors.product_list(request.user, filters), public=False)
    context["can_create"] = rules.registers_for_places(request.user) or bool(_my_organizations(request.user, True))
    return render(request, "consumption/product_list.html", context)


@login_required
def product_export(request: HttpRequest) -> HttpResponse:
    filters, _ = ProductFilters.from_params(request.GET)
    return download(excel.products_workbook(selectors.product_list(request.user, filters)), "帮扶产品.xlsx")


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    organizations = _my_organizations(request.user, admin_only=True)
    if not organizations and not rules.registers_for_places(request.user):
        messages.error(request, "只有产地的县、乡镇、村工作人员或社会组织管理员可以登记帮扶产品")
        return redirect("consumption:products")
    form = ProductForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            org_id = form.cleaned_data.get("organization")
            organization = organization_selectors.get_organization(request.user, org_id) if org_id else None
            product = services.create_product(
                actor=request.user, data=form.to_data(), organization=organization, photos=form.cleaned_data["photos"]
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记帮扶产品 {product.number}，已在产品目录公开")
            return redirect("consumption:product_detail", product.pk)
    return render(request, "consumption/product_form.html", {"form": form, "product": None})


@login_required
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.get_product(request.user, product_id)
    can_edit = rules.can_edit_product(request.user, product)
    return render(
        request,
        "consumption/product_detail.html",
        {
            "product": product,
            "photos": selectors.photos(product),
            "sales": selectors.product_sales(product),
            "can_edit": can_edit,
            "history": selectors.product_history(product)[:30] if can_edit else [],
            "can_buy": bool(_my_organizations(request.user)) and product.status == Product.Status.LISTED,
        },
    )


@login_required
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.get_product(request.user, product_id)
    if not rules.can_edit_product(request.user, product):
        raise PermissionDenied
    form = ProductForm(request.POST or None, request.FILES or None, initial=ProductForm.initial_for(product))
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", product.version))
            services.update_product(
                actor=request.user, product=product, changes=form.to_data().as_dict(), expected_version=version
            )
            if form.cleaned_data["photos"]:
                services.add_photos(actor=request.user, product=product, photos=form.cleaned_data["photos"])
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "提交的数据不正确"))
        else:
            messages.success(request, "已保存")
            return redirect("consumption:product_detail", product.pk)
    return render(request, "consumption/product_form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_act(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.get_product(request.user, product_id)
    action = request.POST.get("action", "")
    service = {"delist": services.delist_product, "relist": services.relist_product}.get(action)
    if service is None:
        messages.error(request, "请选择操作")
    else:
        try:
            service(actor=request.user, product=product, expected_version=int(request.POST.get("version", 0)) or None)
            messages.success(request, "已下架" if action == "delist" else "已重新上架")
        except XiangzhenError as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, "提交的数据不正确")
    return redirect("consumption:product_detail", product.pk)


# ---------------------------------------------------------------- purchases


def _purchase_choices(user: Any, organizations: list[tuple[int, str]]) -> dict[str, Any]:
    ids = [pk for pk, _ in organizations]
    admin_of = set(
        Membership.objects.filter(
            user=user, organization_id__in=ids, role=Membership.Role.ADMIN, is_active=True
        ).values_list("organization_id", flat=True)
    )
    members: list[tuple[str, str]] = [("", "组织采购（以购代捐）")]
    if admin_of:
        people = Membership.objects.filter(organization_id__in=sorted(admin_of), is_active=True).select_related("user")
        members += sorted({(str(m.user_id), f"成员个人采购：{m.user}") for m in people}, key=lambda item: item[1])
    else:
        members = [(str(user.pk), f"本人采购（以买代帮）：{user}")]
    campaigns = Enrollment.objects.filter(organization_id__in=ids, status=Enrollment.Status.ENROLLED).select_related(
        "campaign"
    )
    return {
        "organizations": organizations,
        "members": members,
        "fairs": [(str(e.pk), f"{e.name}（{e.starts_on:%Y-%m-%d}）") for e in event_selectors.open_fairs()[:100]],
        "campaigns": sorted({(str(e.campaign_id), e.campaign.name) for e in campaigns}, key=lambda item: item[1]),
    }


def _product_choices() -> list[tuple[str, str]]:
    products = selectors.public_products()[:MAX_PRODUCT_CHOICES]
    return [(str(p.pk), f"{p.name}（{p.origin.name}，¥{p.price}/{p.unit}）") for p in products]


@login_required
def purchase_create(request: HttpRequest) -> HttpResponse:
    """One submission = one batch of one or more purchases (`?product=<id>` preselects the first line)."""
    organizations = _my_organizations(request.user)
    if not organizations:
        messages.error(request, "只有审核通过的社会组织的成员可以登记消费帮扶采购")
        return redirect("consumption:catalogue")
    choices = _purchase_choices(request.user, organizations)
    products = _product_choices()
    initial_lines = []
    preselected = request.GET.get("product", "")
    if preselected.isdigit():
        initial_lines = [{"product": preselected}]
    initial = {"channel": request.GET.get("channel", "direct"), "event": request.GET.get("event", "")}
    form = PurchaseForm(request.POST or None, request.FILES or None, initial=initial, **choices)
    lines = PurchaseLineFormSet(
        request.POST or None, initial=initial_lines, prefix="lines", form_kwargs={"products": products}
    )
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            organization = organization_selectors.get_organization(request.user, form.cleaned_data["organization"])
            batch = services.record_purchases(
                actor=request.user, organization=organization,
                purchases=purchase_data(form, list(lines)), invoices=form.cleaned_data["invoices"],
            )  # fmt: skip
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"已登记采购批次 {batch.number}：{batch.purchase_count} 笔，合计 ¥{batch.total_amount}，并写入透明日志",
            )
            return redirect("consumption:batch_detail", batch.pk)
    return render(request, "consumption/purchase_form.html", {"form": form, "lines": lines})


@login_required
def purchase_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, PurchaseFilters)
    queryset = selectors.purchases(request.user, filters)
    return render(
        request,
        "consumption/purchase_list.html",
        {
            "page": paginate(request, queryset),
            "query": query_without_page(request),
            "filters": filters,
            "channels": Purchase.Channel.choices,
            "grand": selectors.grand_total(queryset),
            "can_record": bool(_my_organizations(request.user)),
        },
    )


@login_required
def purchase_export(request: HttpRequest) -> HttpResponse:
    filters, _ = PurchaseFilters.from_params(request.GET)
    return download(excel.purchases_workbook(selectors.purchases(request.user, filters)), "消费帮扶采购.xlsx")


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, PurchaseFilters)
    queryset = selectors.purchases(request.user, filters)
    return render(
        request,
        "consumption/totals.html",
        {
            "filters": filters,
            "query": query_without_page(request),
            "channels": Purchase.Channel.choices,
            "grand": selectors.grand_total(queryset),
            "tables": [(selectors.TOTAL_GROUPINGS[by], rows) for by, rows in selectors.all_totals(queryset).items()],
        },
    )


@login_required
def totals_export(request: HttpRequest) -> HttpResponse:
    filters, _ = PurchaseFilters.from_params(request.GET)
    queryset = selectors.purchases(request.user, filters)
    return download(excel.totals_workbook(selectors.all_totals(queryset)), "消费帮扶合计.xlsx")


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.batches(request.user)
    return render(
        request,
        "consumption/batch_list.html",
        {"page": paginate(request, queryset), "query": query_without_page(request)},
    )


@login_required
def batch_export(request: HttpRequest) -> HttpResponse:
    return download(excel.batches_workbook(selectors.batches(request.user)), "采购批次.xlsx")


@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.get_batch(request.user, batch_id)
    organization = batch.organization
    can_upload = rules.is_admin(request.user, organization) or batch.recorded_by_id == request.user.pk
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        try:
            services.add_invoices(actor=request.user, batch=batch, invoices=request.FILES.getlist("invoices"))
            messages.success(request, "已上传发票")
        except XiangzhenError as exc:
            messages.error(request, exc.message)
        return redirect("consumption:batch_detail", batch.pk)
    return render(
        request,
        "consumption/batch_detail.html",
        {
            "batch": batch,
            "purchases": selectors.batch_purchases(batch),
            "invoices": selectors.invoices(batch),
            "can_upload": can_upload,
        },
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    example = selectors.public_products().first()
    return download(
        excel.template_workbook(example.number if example else "CP-433124-2026-000001"), "采购导入模板.xlsx"
    )


@login_required
def purchase_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (all rows or none, as one batch); recorded lines are skipped."""
    organizations = _my_organizations(request.user)
    if not organizations:
        raise PermissionDenied
    chosen = request.POST.get("organization") or request.GET.get("organization") or str(organizations[0][0])
    organization = organization_selectors.get_organization(request.user, chosen if chosen.isdigit() else 0)
    if not rules.is_member(request.user, organization):
        raise PermissionDenied
    here = reverse("consumption:purchase_import") + f"?organization={organization.pk}"
    return import_page(
        request,
        session_key=f"{IMPORT_SESSION_KEY}:{organization.pk}",
        run_import=lambda filename, content, dry_run: services.import_purchases(
            actor=request.user, organization=organization, filename=filename, content=content, dry_run=dry_run
        ),
        done_message=lambda report: f"导入完成：新增 {report.created} 笔，已导入跳过 {report.existing} 笔",
        here=here,
        done=reverse("consumption:purchases"),
        template="consumption/import.html",
        context={"organization": organization, "organizations": organizations},
    )
