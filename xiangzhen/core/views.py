from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from xiangzhen.accounts.roles import can_read_audit
from xiangzhen.core import attachments, selectors
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.forms import ReasonForm
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.scope import scope_of
from xiangzhen.core.states import StateMachine


def front(request: HttpRequest) -> HttpResponse:
    """`/`: the portal's visitor home for those not signed in; signed-in users get their workbench."""
    if request.user.is_authenticated:
        return home(request)
    from xiangzhen.portal.views import home as portal_home

    return portal_home(request)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's workbench (also at `/` once signed in)."""
    from xiangzhen.demands.selectors import summary as demand_summary
    from xiangzhen.organizations.selectors import organization_summary

    return render(
        request,
        "core/home.html",
        {
            "scope": scope_of(request.user),
            "summary": organization_summary(request.user),
            "demand_summary": demand_summary(request.user),
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise PermissionDenied
    entries = selectors.audit_entries(
        request.user,
        object_type=request.GET.get("object_type", ""),
        action=request.GET.get("action", ""),
        q=request.GET.get("q", ""),
    )
    return render(
        request,
        "core/audit_log.html",
        {"page": paginate(request, entries), "query": query_without_page(request)},
    )


def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Photos open in the browser; documents download. Out of scope answers 404 like missing."""
    attachment = attachments.downloadable(request.user, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def submit_after_save(request: HttpRequest, service: Callable[..., Any], **target: Any) -> None:
    """Saved first, submitted second: if the submission is refused the saved work is kept and the reason shown."""
    try:
        service(actor=request.user, **target)
        messages.success(request, "已提交审核，等待登记地民政部门审核")
    except XiangzhenError as exc:
        messages.error(request, f"已保存，但未能提交：{exc.message}")


def owner_step(
    request: HttpRequest,
    workflow: StateMachine,
    services: dict[str, Callable[..., Any]],
    allowed: Iterable[str],
    **target: Any,
) -> None:
    """One of the owner's own workflow steps (submit, resubmit, close) posted from a detail page.

    `services` maps an action to its service; the record is `target`, at the version the page showed.
    The outcome, done or refused and why, is left in the messages."""
    action = request.POST.get("action", "")
    if action not in allowed:
        messages.error(request, "请选择操作")
        return
    (record,) = target.values()
    try:
        version = int(request.POST.get("version", record.version))
        services[action](actor=request.user, reason=request.POST.get("reason", ""), expected_version=version, **target)
        messages.success(request, f"已{workflow.transitions[action].label}：{record.number}")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, "提交的数据不正确")


def review_step(
    request: HttpRequest,
    form: ReasonForm,
    service: Callable[..., Any],
    *,
    success: str,
    detail: HttpResponse,
    **target: Any,
) -> HttpResponse | None:
    """Take one workflow step from a review page (demands, offers, organizations alike).

    Calls `service` on `target` with the reviewer's reason and the version they saw. Done, or the
    record moved on meanwhile (the message says so): `detail`, the record's page. A reason the
    service refuses: None, with the error on `form`, so the review page is shown again.
    """
    try:
        service(
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            **target,
        )
    except ValidationFailed as exc:
        form.add_service_error(exc)
        return None
    except XiangzhenError as exc:  # the state moved on or someone acted first: show the fresh record
        messages.error(request, exc.message)
        return detail
    messages.success(request, success)
    return detail


def import_page(
    request: HttpRequest,
    *,
    session_key: str,
    run_import: Callable[[str, bytes, bool], Any],
    done_message: Callable[[Any], str],
    here: str,
    done: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Every Excel import page: upload → preview (nothing written) → confirm (all rows or none).

    `run_import(filename, content, dry_run)` calls the app's import service; the previewed file is
    kept in the session and confirmed only if its digest is the one shown on the preview.
    """
    from django.shortcuts import redirect

    from xiangzhen.core import uploads
    from xiangzhen.core.forms import ImportForm

    form = ImportForm()
    report = None
    digest = ""
    if request.method == "POST" and "confirm" in request.POST:
        stashed = uploads.load(request, session_key, request.POST.get("digest"))
        if stashed is None:
            messages.error(request, "导入内容已失效，请重新上传文件")
            return redirect(here)
        try:
            report = run_import(stashed.filename, stashed.content, False)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
            return redirect(here)
        if report.ok:
            uploads.discard(request, session_key)
            messages.success(request, done_message(report))
            return redirect(done)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid() and (content := uploads.read_upload(form)) is not None:
            filename = form.cleaned_data["file"].name
            try:
                report = run_import(filename, content, True)
            except XiangzhenError as exc:
                form.add_error("file", exc.message)
            if report is not None and report.ok:
                digest = uploads.stash(request, session_key, filename=filename, content=content)
    return render(request, template, {"form": form, "report": report, "digest": digest, **(context or {})})


def page_filters(request: HttpRequest, filters_class: Any) -> Any:
    """A list page's filters from its query string; a bad value is dropped and shown as a warning."""
    filters, problems = filters_class.from_params(request.GET)
    for name, message in problems.items():
        messages.warning(request, f"筛选条件“{name}”无效：{message}")
    return filters
