"""The organizations API: thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.errors import Forbidden
from xiangzhen.core.excel import download
from xiangzhen.organizations import excel, rules, selectors, services
from xiangzhen.organizations.filters import OrganizationFilters
from xiangzhen.organizations.schemas import (
    InvitationIn,
    InvitationOut,
    MemberOut,
    MemberPatch,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    ReasonIn,
)
from xiangzhen.organizations.validation import OrganizationData

router = Router(tags=["社会组织"])


@router.get("/", response=list[OrganizationOut], summary="社会组织列表（可筛选，含下级区划）")
@paginate(PageNumberPagination, page_size=20)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> Any:
    return selectors.organization_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel（与导入模板同列）")
def export_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> HttpResponse:
    content = excel.export_workbook(selectors.export_rows(request.user, filters), selectors.domain_names())
    return download(content, "organizations.xlsx")


@router.post("/", response={201: OrganizationOut}, summary="登记新的社会组织（登录的社会组织人员，成为其管理员）")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    organization = services.create_organization(actor=request.user, data=OrganizationData(**payload.dict()))
    return Status(201, selectors.get_organization(request.user, organization.pk))


@router.get("/{int:organization_id}", response=OrganizationOut, summary="社会组织详情")
def get_organization(request: HttpRequest, organization_id: int) -> Any:
    return selectors.get_organization(request.user, organization_id)


@router.patch("/{int:organization_id}", response=OrganizationOut, summary="修改社会组织资料")
def update_organization(request: HttpRequest, organization_id: int, payload: OrganizationPatch) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_organization(
        actor=request.user, organization=organization, changes=changes, expected_version=version
    )
    return selectors.get_organization(request.user, organization_id)


@router.post("/{int:organization_id}/approve", response=OrganizationOut, summary="审核通过")
def approve(request: HttpRequest, organization_id: int, version: int | None = None) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    return services.approve_organization(actor=request.user, organization=organization, expected_version=version)


@router.post("/{int:organization_id}/return", response=OrganizationOut, summary="退回修改（须填写原因）")
def return_(request: HttpRequest, organization_id: int, payload: ReasonIn) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    return services.return_organization(
        actor=request.user, organization=organization, reason=payload.reason, expected_version=payload.version
    )


@router.post("/{int:organization_id}/resubmit", response=OrganizationOut, summary="修改后重新提交（组织管理员）")
def resubmit(request: HttpRequest, organization_id: int, version: int | None = None) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    return services.resubmit_organization(actor=request.user, organization=organization, expected_version=version)


@router.post("/{int:organization_id}/suspend", response=OrganizationOut, summary="暂停（须填写原因）")
def suspend(request: HttpRequest, organization_id: int, payload: ReasonIn) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    return services.suspend_organization(
        actor=request.user, organization=organization, reason=payload.reason, expected_version=payload.version
    )


@router.post("/{int:organization_id}/reinstate", response=OrganizationOut, summary="恢复（须填写原因）")
def reinstate(request: HttpRequest, organization_id: int, payload: ReasonIn) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    return services.reinstate_organization(
        actor=request.user, organization=organization, reason=payload.reason, expected_version=payload.version
    )


@router.get("/{int:organization_id}/members", response=list[MemberOut], summary="组织成员")
def list_members(request: HttpRequest, organization_id: int) -> Any:
    return selectors.members(selectors.get_organization(request.user, organization_id))


@router.patch(
    "/{int:organization_id}/members/{int:membership_id}", response=MemberOut, summary="修改成员角色或停用成员"
)
def update_member(request: HttpRequest, organization_id: int, membership_id: int, payload: MemberPatch) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    membership = selectors.get_membership(request.user, organization, membership_id)
    if payload.role is not None:
        membership = services.change_member_role(actor=request.user, membership=membership, role=payload.role)
    if payload.is_active is not None:
        membership = services.set_member_active(actor=request.user, membership=membership, is_active=payload.is_active)
    return membership


@router.get("/{int:organization_id}/invitations", response=list[InvitationOut], summary="成员邀请（组织管理员）")
def list_invitations(request: HttpRequest, organization_id: int) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    if not rules.can_manage_members(request.user, organization):
        raise Forbidden("只有本组织的管理员可以查看邀请")
    return selectors.invitations(organization)


@router.post("/{int:organization_id}/invitations", response={201: InvitationOut}, summary="邀请成员（发送邮件）")
def invite(request: HttpRequest, organization_id: int, payload: InvitationIn) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    invitation, _ = services.invite_member(
        actor=request.user,
        organization=organization,
        full_name=payload.full_name,
        email=payload.email,
        role=payload.role,
        link_base=request.build_absolute_uri("/"),
    )
    return Status(201, invitation)


@router.post(
    "/{int:organization_id}/invitations/{int:invitation_id}/revoke", response=InvitationOut, summary="撤销邀请"
)
def revoke_invitation(request: HttpRequest, organization_id: int, invitation_id: int) -> Any:
    organization = selectors.get_organization(request.user, organization_id)
    invitation = selectors.get_invitation(organization, invitation_id)
    return services.revoke_invitation(actor=request.user, invitation=invitation)
