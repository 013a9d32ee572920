"""Pages of the region tree: browsing, designations and imports. Thin: selectors read, services write."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xiangzhen.accounts.roles import can_manage_designations, department_of, is_platform_admin, is_province_staff
from xiangzhen.core.errors import NotFound, ValidationFailed, XiangzhenError
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.regions import codes, selectors, services, uploads
from xiangzhen.regions.codes import Level
from xiangzhen.regions.forms import DesignationFilterForm, DesignationImportForm, DesignationSetForm, DivisionImportForm
from xiangzhen.regions.models import Designation

DESIGNATION_IMPORT_KEY = "regions.designation_import"
DIVISION_IMPORT_KEY = "regions.division_import"
SEARCH_RESULTS = 50


def _designation_home(user: Any) -> str | None:
    """The subtree whose designations a user manages: their province, or everything ("") for admins."""
    if is_platform_admin(user):
        return ""
    if is_province_staff(user):
        department = department_of(user)
        return department.region_id if department else None
    return None


@login_required
def browse(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The tree, one level at a time: breadcrumbs, the region's counts and its children; plus search."""
    try:
        detail = selectors.region_detail(code) if code else None
    except (NotFound, ValidationFailed):
        raise Http404(_("区划不存在")) from None
    q = request.GET.get("q", "").strip()
    within = request.GET.get("within", "").strip()
    results = None
    if q:
        try:
            results = selectors.search(q, within=within or None, limit=SEARCH_RESULTS)
        except ValidationFailed:
            results = selectors.search(q, limit=SEARCH_RESULTS)
    region_code = detail.region.code if detail else None
    counts = selectors.subtree_counts(region_code) if region_code else {}
    return render(
        request,
        "regions/browse.html",
        {
            "detail": detail,
            "children": selectors.children_with_counts(region_code),
            "counts": [(Level(level).label, n) for level, n in counts.items()],
            "q": q,
            "results": results,
            "search_limit": SEARCH_RESULTS,
            "can_manage": bool(region_code and can_manage_designations(request.user, region_code)),
            "designation_home": _designation_home(request.user),
            "is_admin": is_platform_admin(request.user),
        },
    )


@login_required
def designations(request: HttpRequest) -> HttpResponse:
    """Designated regions in the user's province, filters, and the form that sets one region's designations."""
    home = _designation_home(request.user)
    if home is None:
        raise PermissionDenied
    set_form = DesignationSetForm(prefix="set")
    if request.method == "POST":
        set_form = DesignationSetForm(request.POST, prefix="set")
        if set_form.is_valid():
            region = set_form.cleaned_data["region"]
            try:
                services.set_designations(actor=request.user, region=region, kinds=set_form.cleaned_data["kinds"])
            except XiangzhenError as exc:
                set_form.add_error("kinds" if exc.errors and exc.errors[0].field == "kinds" else "region", exc.message)
            else:
                messages.success(request, _("已更新“%(name)s”的认定") % {"name": region.full_name})
                return redirect(f"{request.path}?set-region={region.code}")
    elif request.GET.get("set-region"):
        code = request.GET["set-region"]
        try:
            current = selectors.region_detail(code)
            set_form = DesignationSetForm(
                prefix="set", initial={"region": current.region.code, "kinds": current.designation_kinds}
            )
        except XiangzhenError:
            messages.error(request, _("区划代码“%(code)s”不存在") % {"code": code})

    filters = DesignationFilterForm(request.GET or None)
    kind, within, q = None, home or None, ""
    if filters.is_valid():
        kind = filters.cleaned_data["kind"] or None
        q = filters.cleaned_data["q"] or ""
        picked = filters.cleaned_data["within"]
        if picked is not None:
            if home and not codes.contains(home, picked.code):
                filters.add_error("within", _("只能查看本省范围内的认定"))
            else:
                within = picked.code
    rows = selectors.designations(kind=kind, within=within, q=q)
    page = paginate(request, rows)
    return render(
        request,
        "regions/designations.html",
        {
            "filters": filters,
            "set_form": set_form,
            "page": page,
            "query": query_without_page(request),
            "totals": [
                (Designation.Kind(k).label, n) for k, n in selectors.designation_counts(within=home or None).items()
            ],
            "home": selectors.get_region(home) if home else None,
        },
    )


@login_required
def designation_import(request: HttpRequest) -> HttpResponse:
    """Upload or paste → preview every row (nothing written) → confirm (all rows or none)."""
    if _designation_home(request.user) is None:
        raise PermissionDenied
    form = DesignationImportForm()
    report: services.DesignationImportReport | None = None
    digest = ""
    if request.method == "POST" and "confirm" in request.POST:
        stashed = uploads.load(request, DESIGNATION_IMPORT_KEY, request.POST.get("digest", ""))
        if stashed is None:
            messages.error(request, _("导入内容已失效，请重新上传或粘贴"))
            return redirect("regions:designation_import")
        try:
            rows = _designation_rows(stashed.filename, stashed.content, stashed.meta)
            report = services.import_designations(actor=request.user, rows=rows, source=stashed.filename)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            return redirect("regions:designation_import")
        if report.ok:
            uploads.discard(request, DESIGNATION_IMPORT_KEY)
            messages.success(
                request,
                _("导入完成：新增认定 %(c)s 条，%(u)s 条原已存在") % {"c": report.created, "u": report.unchanged},
            )
            return redirect("regions:designations")
    elif request.method == "POST":
        form = DesignationImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload:
                filename, content, meta = upload.name, upload.read(), {"mode": "file"}
            else:
                filename = _("粘贴的列表")
                content = form.cleaned_data["text"].encode()
                meta = {"mode": "text", "kind": form.cleaned_data["kind"]}
            try:
                rows = _designation_rows(filename, content, meta)
                report = services.import_designations(actor=request.user, rows=rows, dry_run=True, source=filename)
            except XiangzhenError as exc:
                form.add_error("file" if upload else "text", exc.message)
            if report is not None and report.ok:
                digest = uploads.stash(request, DESIGNATION_IMPORT_KEY, filename=filename, content=content, meta=meta)
    return render(request, "regions/designation_import.html", {"form": form, "report": report, "digest": digest})


def _designation_rows(filename: str, content: bytes, meta: dict[str, Any]) -> list[services.DesignationRow]:
    if meta.get("mode") == "text":
        return services.designation_rows_from_text(content.decode(), str(meta.get("kind", "")))
    return services.designation_rows_from_table(filename, content)


@login_required
def division_import(request: HttpRequest) -> HttpResponse:
    """Platform admins import township/village code tables: upload → preview → confirm."""
    if not is_platform_admin(request.user):
        raise PermissionDenied
    form = DivisionImportForm()
    report: services.ImportReport | None = None
    digest = ""
    if request.method == "POST" and "confirm" in request.POST:
        stashed = uploads.load(request, DIVISION_IMPORT_KEY, request.POST.get("digest", ""))
        if stashed is None:
            messages.error(request, _("导入内容已失效，请重新上传文件"))
            return redirect("regions:division_import")
        try:
            report = services.import_divisions(actor=request.user, filename=stashed.filename, content=stashed.content)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            return redirect("regions:division_import")
        if report.ok:
            uploads.discard(request, DIVISION_IMPORT_KEY)
            messages.success(
                request,
                _("导入完成：新增 %(c)s 个，更新 %(u)s 个，未变化 %(n)s 个")
                % {"c": report.created, "u": report.updated, "n": report.unchanged},
            )
            return redirect("regions:division_import")
    elif request.method == "POST":
        form = DivisionImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                report = services.import_divisions(
                    actor=request.user, filename=upload.name, content=content, dry_run=True
                )
            except XiangzhenError as exc:
                form.add_error("file", exc.message)
            if report is not None and report.ok and (report.created or report.updated):
                digest = uploads.stash(request, DIVISION_IMPORT_KEY, filename=upload.name, content=content)
    return render(request, "regions/division_import.html", {"form": form, "report": report, "digest": digest})
