"""The funds API (/api/v1/funds): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.funds import excel, selectors, services
from xiangzhen.funds.filters import DisbursementFilters, DisclosureFilters, DonationFilters, FundFilters
from xiangzhen.funds.schemas import (
    DisbursementIn,
    DisbursementOut,
    DisclosureIn,
    DisclosureOut,
    DonationIn,
    DonationOut,
    DonationPublicOut,
    DueOut,
    FundIn,
    FundOut,
    FundPatch,
    FundPublicOut,
    ProjectIn,
    ProjectOut,
    RefundIn,
    RefundOut,
    RefundPublicOut,
)
from xiangzhen.funds.validation import (
    DisbursementData,
    DisclosureData,
    DonationData,
    FundData,
    ProjectData,
    RefundData,
)
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.tlog.services import issue_receipt

router = Router(tags=["专项基金"])


# ---------------------------------------------------------------- public (no login)


@router.get("/public", response=list[FundPublicOut], auth=None, summary="运行中的专项基金（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public_funds(request: HttpRequest, filters: Query[FundFilters]) -> Any:
    return selectors.public_funds(filters)


@router.get("/public/export", auth=None, summary="导出公开的专项基金为 Excel（无需登录）")
def export_public_funds(request: HttpRequest, filters: Query[FundFilters]) -> HttpResponse:
    rows = [(f, selectors.annotated_totals(f)) for f in selectors.public_funds(filters)]
    return download(excel.funds_workbook(rows, public=True), "funds-public.xlsx")


@router.get("/public/{int:fund_id}", response=FundPublicOut, auth=None, summary="专项基金公开信息（无需登录）")
def get_public_fund(request: HttpRequest, fund_id: int) -> Any:
    return selectors.get_public_fund(fund_id)


@router.get(
    "/public/{int:fund_id}/donations", response=list[DonationPublicOut], auth=None, summary="捐赠公示（匿名捐赠方隐去）"
)
@paginate(PageNumberPagination, page_size=50)
def list_public_donations(request: HttpRequest, fund_id: int, filters: Query[DonationFilters]) -> Any:
    return selectors.donations(selectors.get_public_fund(fund_id), filters)


@router.get("/public/{int:fund_id}/disbursements", response=list[DisbursementOut], auth=None, summary="拨付公示")
@paginate(PageNumberPagination, page_size=50)
def list_public_disbursements(request: HttpRequest, fund_id: int, filters: Query[DisbursementFilters]) -> Any:
    return selectors.disbursements(selectors.get_public_fund(fund_id), filters)


@router.get("/public/{int:fund_id}/disclosures", response=list[DisclosureOut], auth=None, summary="信息公开记录")
@paginate(PageNumberPagination, page_size=50)
def list_public_disclosures(request: HttpRequest, fund_id: int, filters: Query[DisclosureFilters]) -> Any:
    return selectors.disclosures(selectors.get_public_fund(fund_id), filters)


@router.get("/public/{int:fund_id}/refunds", response=list[RefundPublicOut], auth=None, summary="捐赠退款公示")
@paginate(PageNumberPagination, page_size=50)
def list_public_refunds(request: HttpRequest, fund_id: int) -> Any:
    return selectors.refunds(selectors.get_public_fund(fund_id))


@router.get("/public/receipts/{donation_number}", auth=None, summary="捐赠电子凭证（含透明日志包含证明，供离线核验）")
def get_receipt(request: HttpRequest, donation_number: str) -> Any:
    donation = selectors.public_donation(donation_number)
    refunds = [RefundPublicOut.from_orm(r).dict() for r in selectors.refunds_of(donation)]
    return {
        "donation": DonationPublicOut.from_orm(donation).dict(),
        "refunds": refunds,
        **issue_receipt(kind="donation", number=donation.number),
    }


# ---------------------------------------------------------------- the organization's and the staff's


@router.get("/", response=list[FundOut], summary="本组织的/辖区内的专项基金（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_funds(request: HttpRequest, filters: Query[FundFilters]) -> Any:
    return selectors.fund_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_funds(request: HttpRequest, filters: Query[FundFilters]) -> HttpResponse:
    rows = [(f, selectors.annotated_totals(f)) for f in selectors.fund_list(request.user, filters)]
    return download(excel.funds_workbook(rows, public=False), "funds.xlsx")


@router.get("/review-queue", response=list[FundOut], summary="待审核的专项基金（登记地民政部门）")
@paginate(PageNumberPagination, page_size=20)
def review_queue(request: HttpRequest) -> Any:
    return selectors.with_totals(selectors.review_queue(request.user))


@router.post("/", response={201: FundOut}, summary="设立专项基金（草稿，本组织成员）")
def create_fund(request: HttpRequest, payload: FundIn) -> Any:
    values = payload.dict()
    organization = organization_selectors.get_organization(request.user, values.pop("organization_id"))
    fund = services.create_fund(actor=request.user, organization=organization, data=FundData(**values))
    return Status(201, selectors.get_fund(request.user, fund.pk))


@router.get("/{int:fund_id}", response=FundOut, summary="专项基金详情")
def get_fund(request: HttpRequest, fund_id: int) -> Any:
    return selectors.get_fund(request.user, fund_id)


@router.patch("/{int:fund_id}", response=FundOut, summary="修改专项基金（草稿和已退回的）")
def update_fund(request: HttpRequest, fund_id: int, payload: FundPatch) -> Any:
    fund = selectors.get_fund(request.user, fund_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_fund(actor=request.user, fund=fund, changes=changes, expected_version=version)
    return selectors.get_fund(request.user, fund_id)


def _act(request: HttpRequest, fund_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    fund = selectors.get_fund(request.user, fund_id)
    services.TRANSITION_SERVICES[action](actor=request.user, fund=fund, reason=reason, expected_version=version)
    return selectors.get_fund(request.user, fund_id)


@router.post("/{int:fund_id}/submit", response=FundOut, summary="提交审核（本组织成员）")
def submit(request: HttpRequest, fund_id: int, version: int | None = None) -> Any:
    return _act(request, fund_id, "submit", version=version)


@router.post("/{int:fund_id}/resubmit", response=FundOut, summary="修改后重新提交（本组织成员）")
def resubmit(request: HttpRequest, fund_id: int, version: int | None = None) -> Any:
    return _act(request, fund_id, "resubmit", version=version)


@router.post("/{int:fund_id}/approve", response=FundOut, summary="审核通过（登记地民政部门）")
def approve(request: HttpRequest, fund_id: int, version: int | None = None) -> Any:
    return _act(request, fund_id, "approve", version=version)


@router.post("/{int:fund_id}/return", response=FundOut, summary="退回修改（须填写原因）")
def return_(request: HttpRequest, fund_id: int, payload: ReasonIn) -> Any:
    return _act(request, fund_id, "return", payload.reason, payload.version)


@router.post("/{int:fund_id}/close", response=FundOut, summary="关闭（组织管理员或登记地民政部门，须填写原因）")
def close(request: HttpRequest, fund_id: int, payload: ReasonIn) -> Any:
    return _act(request, fund_id, "close", payload.reason, payload.version)


@router.get("/{int:fund_id}/projects", response=list[ProjectOut], summary="基金项目")
@paginate(PageNumberPagination, page_size=50)
def list_projects(request: HttpRequest, fund_id: int) -> Any:
    return selectors.projects(selectors.get_fund(request.user, fund_id))


@router.post("/{int:fund_id}/projects", response={201: ProjectOut}, summary="创建基金项目（本组织成员）")
def create_project(request: HttpRequest, fund_id: int, payload: ProjectIn) -> Any:
    fund = selectors.get_fund(request.user, fund_id)
    return Status(201, services.create_project(actor=request.user, fund=fund, data=ProjectData(**payload.dict())))


@router.get(
    "/{int:fund_id}/donations", response=list[DonationOut], summary="捐赠记录（含捐赠方全名，本组织和监管部门）"
)
@paginate(PageNumberPagination, page_size=50)
def list_donations(request: HttpRequest, fund_id: int, filters: Query[DonationFilters]) -> Any:
    return selectors.donations(selectors.get_fund(request.user, fund_id), filters)


@router.get("/{int:fund_id}/donations/export", summary="导出捐赠记录为 Excel")
def export_donations(request: HttpRequest, fund_id: int, filters: Query[DonationFilters]) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    return download(excel.donations_workbook(selectors.donations(fund, filters), public=False), "donations.xlsx")


@router.post("/{int:fund_id}/donations", response={201: DonationOut}, summary="登记捐赠（本组织成员；写入透明日志）")
def record_donation(request: HttpRequest, fund_id: int, payload: DonationIn) -> Any:
    fund = selectors.get_fund(request.user, fund_id)
    return Status(201, services.record_donation(actor=request.user, fund=fund, data=DonationData(**payload.dict())))


@router.get("/{int:fund_id}/refunds", response=list[RefundOut], summary="捐赠退款记录")
@paginate(PageNumberPagination, page_size=50)
def list_refunds(request: HttpRequest, fund_id: int) -> Any:
    return selectors.refunds(selectors.get_fund(request.user, fund_id))


@router.post(
    "/{int:fund_id}/donations/{donation_number}/refunds",
    response={201: RefundOut},
    summary="登记捐赠退款（全额或部分，须填写原因；本组织管理员；写入透明日志）",
)
def refund_donation(request: HttpRequest, fund_id: int, donation_number: str, payload: RefundIn) -> Any:
    donation = selectors.get_fund_donation(selectors.get_fund(request.user, fund_id), donation_number)
    refund = services.refund_donation(actor=request.user, donation=donation, data=RefundData(**payload.dict()))
    return Status(201, refund)


@router.get("/{int:fund_id}/disbursements", response=list[DisbursementOut], summary="拨付记录")
@paginate(PageNumberPagination, page_size=50)
def list_disbursements(request: HttpRequest, fund_id: int, filters: Query[DisbursementFilters]) -> Any:
    return selectors.disbursements(selectors.get_fund(request.user, fund_id), filters)


@router.post(
    "/{int:fund_id}/disbursements", response={201: DisbursementOut}, summary="登记拨付（本组织管理员；写入透明日志）"
)
def record_disbursement(request: HttpRequest, fund_id: int, payload: DisbursementIn) -> Any:
    fund = selectors.get_fund(request.user, fund_id)
    data = DisbursementData(**payload.dict())
    return Status(201, services.record_disbursement(actor=request.user, fund=fund, data=data))


@router.get("/{int:fund_id}/disclosures", response=list[DisclosureOut], summary="信息公开记录")
@paginate(PageNumberPagination, page_size=50)
def list_disclosures(request: HttpRequest, fund_id: int, filters: Query[DisclosureFilters]) -> Any:
    return selectors.disclosures(selectors.get_fund(request.user, fund_id), filters)


@router.get("/{int:fund_id}/disclosures/export", summary="导出信息公开记录为 Excel")
def export_disclosures(request: HttpRequest, fund_id: int, filters: Query[DisclosureFilters]) -> HttpResponse:
    fund = selectors.get_fund(request.user, fund_id)
    return download(excel.disclosures_workbook(selectors.disclosures(fund, filters)), "disclosures.xlsx")


@router.post("/{int:fund_id}/disclosures", response={201: DisclosureOut}, summary="发布信息公开（本组织成员）")
def publish_disclosure(request: HttpRequest, fund_id: int, payload: DisclosureIn) -> Any:
    fund = selectors.get_fund(request.user, fund_id)
    data = DisclosureData(**payload.dict())
    return Status(201, services.publish_disclosure(actor=request.user, fund=fund, data=data))


@router.get("/{int:fund_id}/schedule", response=list[DueOut], summary="信息公开到期情况（按期 / 即将到期 / 已逾期）")
def disclosure_schedule(request: HttpRequest, fund_id: int) -> Any:
    return selectors.disclosure_schedule(selectors.get_fund(request.user, fund_id))
