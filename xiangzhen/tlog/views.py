"""The log's public pages: latest checkpoint and entries, lookup by record number, how to verify."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.tlog import conf, excel, merkle, note, registry, selectors, services


def _filters(request: HttpRequest) -> tuple[str, str]:
    return request.GET.get("kind", "").strip(), request.GET.get("q", "").strip()


def index(request: HttpRequest) -> HttpResponse:
    kind, q = _filters(request)
    checkpoint = selectors.latest_checkpoint()
    entries = paginate(request, selectors.entry_search(kind, q))
    for entry in entries:
        entry.label = registry.label(entry.kind)
        entry.hash_hex = bytes(entry.leaf_hash).hex()
    return render(
        request,
        "tlog/index.html",
        {
            "checkpoint": checkpoint,
            "checkpoint_data": selectors.checkpoint_data(checkpoint) if checkpoint else None,
            "tree_size": selectors.tree_size(),
            "page": entries,
            "query": query_without_page(request),
            "kinds": [(k, registry.label(k)) for k in registry.kinds()],
            "kind": kind,
            "q": q,
            "can_publish": services.can_publish(request.user),
        },
    )


def export(request: HttpRequest) -> HttpResponse:
    kind, q = _filters(request)
    return download(excel.export_workbook(selectors.entry_search(kind, q)), "透明日志条目.xlsx")


def lookup(request: HttpRequest) -> HttpResponse:
    """Every leaf of a record number, each with its inclusion proof against the latest checkpoint."""
    number = request.GET.get("number", "").strip()
    checkpoint = selectors.latest_checkpoint()
    results: list[dict[str, Any]] = []
    if number:
        for entry in selectors.entries_for_number(number):
            item: dict[str, Any] = {**selectors.entry_data(entry), "label": registry.label(entry.kind)}
            if checkpoint is not None and entry.index < checkpoint.tree_size:
                proof = selectors.range_hashes(merkle.inclusion_ranges(entry.index, checkpoint.tree_size))
                item["proof"] = [p.hex() for p in proof]
                item["verified"] = merkle.verify_inclusion(
                    conf.hasher(),
                    entry.index,
                    checkpoint.tree_size,
                    conf.hasher().leaf(entry.leaf.encode()),
                    proof,
                    bytes(checkpoint.root_hash),
                )
            current = selectors.current_leaf(entry.kind, entry.number) if registry.is_registered(entry.kind) else None
            item["matches_current"] = current is not None and current.decode() == entry.leaf
            results.append(item)
    return render(request, "tlog/lookup.html", {"number": number, "results": results, "checkpoint": checkpoint})


def how_to_verify(request: HttpRequest) -> HttpResponse:
    checkpoint = selectors.latest_checkpoint()
    return render(
        request,
        "tlog/how_to_verify.html",
        {
            "key": selectors.public_key_data(),
            "api_base": request.build_absolute_uri("/api/v1/tlog"),
            "checkpoint": checkpoint,
        },
    )


def public_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(selectors.public_key_data()["verifier_key"] + "\n", content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    try:
        checkpoint = services.publish_checkpoint(actor=request.user)
        messages.success(request, f"已发布检查点：树大小 {checkpoint.tree_size}")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("tlog:index")


# ---------------------------------------------------------------- checkpoints and witness cosignatures


def _checkpoint(tree_size: int) -> Any:
    try:
        return selectors.signed_checkpoint(tree_size)
    except ValidationFailed:
        raise Http404("没有该树大小的已签名检查点") from None


def can_cosign(user: Any) -> bool:
    """The page is for a witness department's staff (and platform admins); the service still accepts
    only a line that verifies under a configured witness key, whoever pastes it."""
    return is_platform_admin(user) or department_of(user) is not None


def checkpoint_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.checkpoints().prefetch_related("cosignatures"))
    return render(request, "tlog/checkpoint_list.html", {"page": page, "query": query_without_page(request)})


def checkpoint_detail(request: HttpRequest, tree_size: int) -> HttpResponse:
    """One signed checkpoint with every witness cosignature kept for it."""
    checkpoint = _checkpoint(tree_size)
    return render(
        request,
        "tlog/checkpoint_detail.html",
        {
            "checkpoint": checkpoint,
            "data": selectors.checkpoint_data(checkpoint),
            "cosignatures": checkpoint.cosignatures.order_by("witness"),
            "can_cosign": can_cosign(request.user),
        },
    )


@login_required
def cosign(request: HttpRequest, tree_size: int) -> HttpResponse:
    """A witness department pastes its C2SP cosignature line for the checkpoint."""
    if not can_cosign(request.user):
        raise PermissionDenied
    checkpoint = _checkpoint(tree_size)
    line = ""
    error = ""
    if request.method == "POST":
        line = request.POST.get("line", "").strip()
        try:
            cosignature = services.add_cosignature(actor=request.user, tree_size=tree_size, line=line)
        except XiangzhenError as exc:
            error = exc.message
        else:
            messages.success(request, f"已记录见证方 {cosignature.witness} 的联署")
            return redirect("tlog:checkpoint", tree_size)
    return render(
        request,
        "tlog/cosign.html",
        {"checkpoint": checkpoint, "body": note.split(checkpoint.note)[0], "line": line, "error": error},
    )
