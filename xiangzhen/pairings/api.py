"""The pairings API (/api/v1/pairings): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.pairings import excel, progress, selectors, services
from xiangzhen.pairings.filters import PairingFilters
from xiangzhen.pairings.schemas import (
    ArrangeIn,
    ConcludeReviewIn,
    KeyVillageReportOut,
    PairingDetailOut,
    PairingOut,
    ProposeIn,
    ResubmitIn,
    StartReviewIn,
)
from xiangzhen.pairings.validation import PairingData

router = Router(tags=["结对帮扶"])


def _detail(request: HttpRequest, pairing_id: int) -> Any:
    pairing = selectors.get_pairing(request.user, pairing_id)
    pairing.measured = progress.pairing_progress(pairing)  # type: ignore[attr-defined]
    return pairing


def _data(payload: Any, *exclude: str) -> PairingData:
    values = payload.dict()
    return PairingData(**{k: v for k, v in values.items() if k in PairingData.field_names() and k not in exclude})


@router.get("/", response=list[PairingOut], summary="本组织的/辖区内的结对帮扶（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_pairings(request: HttpRequest, filters: Query[PairingFilters]) -> Any:
    return selectors.pairing_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel（含完成进度）")
def export_pairings(request: HttpRequest, filters: Query[PairingFilters]) -> HttpResponse:
    return download(excel.pairings_workbook(selectors.pairing_list(request.user, filters)), "pairings.xlsx")


@router.get("/key-villages", response=KeyVillageReportOut, summary="重点帮扶村、脱贫村的结对情况（未结对的在前）")
def key_villages(request: HttpRequest, region: str = "") -> Any:
    return excel.report_dict(selectors.key_village_report(request.user, region))


@router.get("/key-villages/export", summary="导出重点村结对情况为 Excel")
def export_key_villages(request: HttpRequest, region: str = "") -> HttpResponse:
    report = selectors.key_village_report(request.user, region)
    return download(excel.key_villages_workbook(report), "key-villages.xlsx")


@router.post("/", response={201: PairingDetailOut}, summary="申请结对（社会组织管理员）")
def propose(request: HttpRequest, payload: ProposeIn) -> Any:
    organization = organization_selectors.get_organization(request.user, payload.organization_id)
    pairing = services.propose_pairing(actor=request.user, organization=organization, data=_data(payload))
    return Status(201, _detail(request, pairing.pk))


@router.post("/arrange", response={201: PairingDetailOut}, summary="安排结对（结对地区所在市、县乡村振兴部门）")
def arrange(request: HttpRequest, payload: ArrangeIn) -> Any:
    organization = selectors.organization_by_credit_code(payload.organization_credit_code)
    if organization is None:
        raise ValidationFailed.on("organization_credit_code", _("找不到该统一社会信用代码的社会组织"))
    pairing = services.arrange_pairing(actor=request.user, organization=organization, data=_data(payload))
    return Status(201, _detail(request, pairing.pk))


@router.get("/{int:pairing_id}", response=PairingDetailOut, summary="结对详情（含各项承诺的完成进度和年度考核）")
def get_pairing(request: HttpRequest, pairing_id: int) -> Any:
    return _detail(request, pairing_id)


def _act(request: HttpRequest, pairing_id: int, action: str, payload: ReasonIn) -> Any:
    pairing = selectors.get_pairing(request.user, pairing_id)
    services.TRANSITION_SERVICES[action](
        actor=request.user, pairing=pairing, reason=payload.reason, expected_version=payload.version
    )
    return _detail(request, pairing_id)


@router.post("/{int:pairing_id}/confirm", response=PairingDetailOut, summary="确认结对（所在县乡村振兴部门）")
def confirm(request: HttpRequest, pairing_id: int, payload: ReasonIn) -> Any:
    return _act(request, pairing_id, "confirm", payload)


@router.post("/{int:pairing_id}/return", response=PairingDetailOut, summary="退回（所在县乡村振兴部门，须填写原因）")
def return_(request: HttpRequest, pairing_id: int, payload: ReasonIn) -> Any:
    return _act(request, pairing_id, "return", payload)


@router.post(
    "/{int:pairing_id}/withdraw", response=PairingDetailOut, summary="撤回（社会组织管理员，待确认或已退回时）"
)
def withdraw(request: HttpRequest, pairing_id: int, payload: ReasonIn) -> Any:
    return _act(request, pairing_id, "withdraw", payload)


@router.post("/{int:pairing_id}/end", response=PairingDetailOut, summary="提前结束（所在县乡村振兴部门，须填写原因）")
def end(request: HttpRequest, pairing_id: int, payload: ReasonIn) -> Any:
    return _act(request, pairing_id, "end", payload)


@router.post("/{int:pairing_id}/resubmit", response=PairingDetailOut, summary="修改后重新提交（已退回时）")
def resubmit(request: HttpRequest, pairing_id: int, payload: ResubmitIn) -> Any:
    pairing = selectors.get_pairing(request.user, pairing_id)
    services.resubmit_pairing(
        actor=request.user, pairing=pairing, data=_data(payload, "region_code"), expected_version=payload.version
    )
    return _detail(request, pairing_id)


@router.post("/{int:pairing_id}/review/start", response=PairingDetailOut, summary="开始年度考核（所在县乡村振兴部门）")
def start_review(request: HttpRequest, pairing_id: int, payload: StartReviewIn) -> Any:
    pairing = selectors.get_pairing(request.user, pairing_id)
    services.start_review(actor=request.user, pairing=pairing, year=payload.year, expected_version=payload.version)
    return _detail(request, pairing_id)


@router.post(
    "/{int:pairing_id}/review/conclude", response=PairingDetailOut, summary="考核结论：续签或结束（冻结考核数据）"
)
def conclude_review(request: HttpRequest, pairing_id: int, payload: ConcludeReviewIn) -> Any:
    pairing = selectors.get_pairing(request.user, pairing_id)
    services.conclude_review(
        actor=request.user, pairing=pairing, assessment=payload.assessment, outcome=payload.outcome,
        new_end_date=payload.new_end_date, expected_version=payload.version,
    )  # fmt: skip
    return _detail(request, pairing_id)
