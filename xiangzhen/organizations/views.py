"""Organization pages: thin wrappers over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import is_platform_admin
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.forms import ReasonForm
from xiangzhen.core.models import Domain
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import import_page, page_filters, review_step
from xiangzhen.organizations import excel, rules, selectors, services
from xiangzhen.organizations.filters import OrganizationFilters
from xiangzhen.organizations.forms import (
    AcceptInvitationForm,
    InviteForm,
    OrganizationForm,
    RegistrationForm,
)
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.regions.forms import RegionPickerWidget

IMPORT_SESSION_KEY = "organizations_import"


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, OrganizationFilters)
    region_picker = RegionPickerWidget(levels=["province", "city", "county"]).render(
        "region", filters.region or None, {"id": "f-region"}
    )
    return render(
        request,
        "organizations/organization_list.html",
        {
            "page": paginate(request, selectors.organization_list(request.user, filters)),
            "query": query_without_page(request),
            "filters": filters,
            "kinds": Organization.Kind.choices,
            "statuses": Organization.Status.choices,
            "ratings": Organization.Rating.choices,
            "domains": Domain.objects.all(),
            "region_picker": mark_safe(region_picker),  # noqa: S308 — rendered by the widget's own template
            "can_import": rules.can_import(request.user),
            "can_register": rules.can_register(request.user),
        },
    )


@login_required
def organization_export(request: HttpRequest) -> HttpResponse:
    filters, _ = OrganizationFilters.from_params(request.GET)
    return download(
        excel.export_workbook(selectors.export_rows(request.user, filters), selectors.domain_names()), "社会组织.xlsx"
    )


@login_required
def organization_detail(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.get_organization(request.user, organization_id)
    can_review = rules.can_review(request.user, organization)
    can_manage = rules.can_manage_members(request.user, organization)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "history": selectors.history(organization)[:50],
            "review_actions": [
                (a, services.WORKFLOW.transitions[a].label)
                for a in services.WORKFLOW.allowed_actions(organization.status)
                if a in services.REVIEW_ACTIONS
            ]
            if can_review
            else [],
            "can_edit": rules.can_edit(request.user, organization),
            "can_resubmit": organization.status == Organization.Status.RETURNED
            and rules.is_org_admin(request.user, organization),
            "can_manage": can_manage,
            "members": selectors.members(organization) if can_manage else None,
        },
    )


def register(request: HttpRequest) -> HttpResponse:
    """Public sign-up; a logged-in organization person registers another organization they will administer."""
    signed_in = request.user.is_authenticated
    if signed_in and not rules.can_register(request.user):
        messages.error(request, "只有社会组织人员可以登记新的社会组织；民政部门请通过 Excel 导入已登记的组织")
        return redirect("organizations:list")
    form_class = OrganizationForm if signed_in else RegistrationForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if signed_in:
                organization = services.create_organization(actor=request.user, data=form.to_data())
                messages.success(request, f"“{organization.name}”已提交，等待登记管理机关所在地民政部门审核")
                return redirect("organizations:detail", organization.pk)
            c = form.cleaned_data
            organization = services.register_organization(
                data=form.to_data(),
                username=c["username"],
                password=c["password"],
                full_name=c["full_name"],
                email=c.get("email", ""),
            )
            messages.success(request, f"“{organization.name}”已提交，请使用刚设置的用户名登录查看审核进度")
            return redirect("accounts:login")
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(request, "organizations/register.html", {"form": form, "signed_in": signed_in})


@login_required
def organization_edit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.get_organization(request.user, organization_id)
    if not rules.can_edit(request.user, organization):
        raise PermissionDenied
    locked: tuple[str, ...] = ()
    if organization.status in (Organization.Status.APPROVED, Organization.Status.SUSPENDED) and not is_platform_admin(
        request.user
    ):
        locked = ("credit_code", "kind", "region_code")
    initial = OrganizationForm.initial_for(organization)
    form = OrganizationForm(request.POST or None, initial=initial, locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        changes = data.as_dict()
        try:
            version = int(request.POST.get("version", organization.version))
            updated = services.update_organization(
                actor=request.user, organization=organization, changes=changes, expected_version=version
            )
            if "resubmit" in request.POST and updated.status == Organization.Status.RETURNED:
                services.resubmit_organization(actor=request.user, organization=updated)
                messages.success(request, "资料已保存并重新提交审核")
            else:
                messages.success(request, "资料已保存")
            return redirect("organizations:detail", organization.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except (XiangzhenError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", "提交的数据不正确"))
    return render(request, "organizations/edit.html", {"form": form, "organization": organization})


@login_required
@require_POST
def organization_resubmit(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.get_organization(request.user, organization_id)
    try:
        services.resubmit_organization(actor=request.user, organization=organization)
        messages.success(request, "已重新提交审核")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("organizations:detail", organization.pk)


@login_required
def organization_review(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Approve, return, suspend or reinstate, with a reason where one is required."""
    organization = selectors.get_organization(request.user, organization_id)
    if not rules.can_review(request.user, organization):
        raise PermissionDenied
    actions = [
        (a, services.WORKFLOW.transitions[a].label)
        for a in services.WORKFLOW.allowed_actions(organization.status)
        if a in services.REVIEW_ACTIONS
    ]
    form = ReasonForm(request.POST or None, initial={"version": organization.version})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        service: Any = services.TRANSITION_SERVICES.get(action)
        if service is None:
            form.add_error(None, "请选择审核操作")
        else:
            done = review_step(
                request,
                form,
                service,
                organization=organization,
                success=f"已{services.WORKFLOW.transitions[action].label}：{organization.name}",
                detail=redirect("organizations:detail", organization.pk),
            )
            if done is not None:
                return done
    return render(
        request, "organizations/review.html", {"organization": organization, "form": form, "actions": actions}
    )


@login_required
def organization_members(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.get_organization(request.user, organization_id)
    if not rules.can_manage_members(request.user, organization):
        raise PermissionDenied
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invite_member(
                actor=request.user,
                organization=organization,
                link_base=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
            messages.success(request, f"邀请邮件已发送至 {invitation.email}，链接 7 天内有效")
            return redirect("organizations:members", organization.pk)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "organizations/members.html",
        {
            "organization": organization,
            "members": selectors.members(organization),
            "invitations": selectors.invitations(organization)[:50],
            "form": form,
            "roles": Membership.Role.choices,
            "invitation_problem": services.invitation_problem,
        },
    )


@login_required
@require_POST
def member_update(request: HttpRequest, organization_id: int, membership_id: int) -> HttpResponse:
    organization = selectors.get_organization(request.user, organization_id)
    try:
        membership = selectors.get_membership(request.user, organization, membership_id)
        if "role" in request.POST:
            services.change_member_role(actor=request.user, membership=membership, role=request.POST["role"])
        if "is_active" in request.POST:
            active = request.POST["is_active"] == "1"
            services.set_member_active(actor=request.user, membership=membership, is_active=active)
        messages.success(request, "成员信息已更新")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("organizations:members", organization.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, organization_id: int, invitation_id: int) -> HttpResponse:
    organization = selectors.get_organization(request.user, organization_id)
    try:
        invitation = selectors.get_invitation(organization, invitation_id)
        services.revoke_invitation(actor=request.user, invitation=invitation)
        messages.success(request, f"已撤销对 {invitation.full_name} 的邀请")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("organizations:members", organization.pk)


def accept_invitation(request: HttpRequest, secret: str) -> HttpResponse:
    """Public: the invitee sets a username and password and joins."""
    invitation = selectors.invitation_for_secret(secret)
    problem = services.invitation_problem(invitation)
    form = AcceptInvitationForm(request.POST or None)
    if not problem and request.method == "POST" and form.is_valid():
        try:
            membership = services.accept_invitation(
                secret=secret, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
            messages.success(request, f"已加入“{membership.organization.name}”，请登录")
            return redirect("accounts:login")
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            problem = exc.message
    status = 200 if invitation is not None else 404
    return render(
        request,
        "organizations/accept_invitation.html",
        {"invitation": invitation, "problem": problem, "form": form},
        status=status if not problem or invitation is None else 410,
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return download(excel.template_workbook(selectors.domain_names()), "社会组织导入模板.xlsx")


@login_required
def organization_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (all rows or none)."""
    if not rules.can_import(request.user):
        raise PermissionDenied
    return import_page(
        request,
        session_key=IMPORT_SESSION_KEY,
        run_import=lambda filename, content, dry_run: services.import_organizations(
            actor=request.user, filename=filename, content=content, dry_run=dry_run
        ),
        done_message=lambda report: (
            f"导入完成：新增 {report.created} 个，更新 {report.updated} 个，未变化 {report.unchanged} 个"
        ),
        here="organizations:import",
        done="organizations:list",
        template="organizations/import.html",
    )
