"""The transparency log API (/api/v1/tlog): reads are public, no login; publishing needs staff.

Proofs are served only for tree sizes the log has signed, so a client never checks against a
size someone merely claims.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.errors import NotFound
from xiangzhen.tlog import schemas, selectors, services

router = Router(tags=["透明日志"])


@router.get("/checkpoint", auth=None, summary="最新签名检查点（C2SP 签名文本，无需登录）")
def checkpoint_text(request: HttpRequest) -> HttpResponse:
    checkpoint = _latest()
    return HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")


@router.get("/checkpoints/latest", response=schemas.CheckpointOut, auth=None, summary="最新签名检查点（无需登录）")
def latest_checkpoint(request: HttpRequest) -> Any:
    return selectors.checkpoint_data(_latest())


@router.get("/checkpoints", response=list[schemas.CheckpointOut], auth=None, summary="全部已发布检查点（新在前）")
@paginate(PageNumberPagination, page_size=100)
def list_checkpoints(request: HttpRequest) -> Any:
    return [selectors.checkpoint_data(c) for c in selectors.checkpoints().prefetch_related("cosignatures")]


@router.get("/checkpoints/{int:tree_size}", response=schemas.CheckpointOut, auth=None, summary="指定树大小的检查点")
def get_checkpoint(request: HttpRequest, tree_size: int) -> Any:
    return selectors.checkpoint_data(selectors.signed_checkpoint(tree_size))


@router.post("/checkpoints", response=schemas.CheckpointOut, summary="立即发布检查点（平台管理员、省级部门）")
def publish_checkpoint(request: HttpRequest) -> Any:
    return selectors.checkpoint_data(services.publish_checkpoint(actor=request.user))


@router.post(
    "/checkpoints/{int:tree_size}/cosignatures",
    response=schemas.CheckpointOut,
    auth=None,
    summary="提交见证方联署（C2SP tlog-cosignature，只接受已登记见证方的有效签名）",
)
def add_cosignature(request: HttpRequest, tree_size: int, payload: schemas.CosignatureIn) -> Any:
    cosignature = services.add_cosignature(actor=None, tree_size=tree_size, line=payload.line)
    return selectors.checkpoint_data(cosignature.checkpoint)


@router.get(
    "/entries",
    response=list[schemas.EntryOut],
    auth=None,
    summary="按序号范围取日志条目 [start, end)，每次最多 1000 条",
)
def entries(request: HttpRequest, start: int = 0, end: int = selectors.MAX_ENTRIES) -> Any:
    return [selectors.entry_data(e) for e in selectors.entries(start, end)]


@router.get(
    "/current", response=list[schemas.CurrentLeafOut], auth=None, summary="按序号范围取各记录当前重建的叶子（审计用）"
)
def current(request: HttpRequest, start: int = 0, end: int = selectors.MAX_ENTRIES) -> Any:
    out = []
    for entry in selectors.entries(start, end):
        leaf = selectors.current_leaf(entry.kind, entry.number)
        out.append(
            {"index": entry.index, "kind": entry.kind, "number": entry.number, "leaf": leaf.decode() if leaf else None}
        )
    return out


@router.get("/proof/inclusion", response=schemas.InclusionProofOut, auth=None, summary="包含性证明（树大小须已签名）")
def inclusion_proof(request: HttpRequest, index: int, tree_size: int) -> Any:
    proof = selectors.inclusion_proof(index, tree_size)
    entry = selectors.entries(index, index + 1)[0]
    return {
        "index": index,
        "tree_size": tree_size,
        "leaf_hash": bytes(entry.leaf_hash).hex(),
        "root_hash": bytes(selectors.signed_checkpoint(tree_size).root_hash).hex(),
        "proof": [p.hex() for p in proof],
    }


@router.get(
    "/proof/consistency", response=schemas.ConsistencyProofOut, auth=None, summary="一致性证明（两个树大小均须已签名）"
)
def consistency_proof(request: HttpRequest, first: int, second: int) -> Any:
    proof = selectors.consistency_proof(first, second)
    return {
        "first": first,
        "second": second,
        "first_root_hash": bytes(selectors.signed_checkpoint(first).root_hash).hex(),
        "second_root_hash": bytes(selectors.signed_checkpoint(second).root_hash).hex(),
        "proof": [p.hex() for p in proof],
    }


@router.get("/records/{kind}/{number}", response=schemas.EntryOut, auth=None, summary="某记录写入日志的叶子")
def record_leaf(request: HttpRequest, kind: str, number: str) -> Any:
    return selectors.entry_data(selectors.entry_for(kind, number))


@router.get(
    "/records/{kind}/{number}/current",
    response=schemas.CurrentLeafOut,
    auth=None,
    summary="按当前数据库记录重建的叶子（与日志中的叶子比对即可发现篡改）",
)
def record_current_leaf(request: HttpRequest, kind: str, number: str) -> Any:
    leaf = selectors.current_leaf(kind, number)
    entry = selectors.entry_for(kind, number)
    return {"index": entry.index, "kind": kind, "number": number, "leaf": leaf.decode() if leaf else None}


@router.get("/key", response=schemas.PublicKeyOut, auth=None, summary="日志签名公钥（验证器密钥格式）")
def public_key(request: HttpRequest) -> Any:
    return selectors.public_key_data()


def _latest() -> Any:
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        raise NotFound("透明日志尚未发布检查点")
    return checkpoint
