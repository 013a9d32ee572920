"""Campaign pages: thin wrappers over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.campaigns import excel, rules, selectors, services
from xiangzhen.campaigns.filters import ActivityFilters, CampaignFilters, EnrollmentFilters
from xiangzhen.campaigns.forms import ActivityForm, CampaignForm, ParticipationForm
from xiangzhen.campaigns.models import Campaign, Enrollment
from xiangzhen.campaigns.progress import progress_of
from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations import selectors as organization_selectors


def _list_context(request: HttpRequest, queryset: Any, filters: CampaignFilters, public: bool) -> dict[str, Any]:
    page = paginate(request, queryset)
    for campaign in page:
        campaign.figures = progress_of(campaign).figures(campaign)
    return {
        "page": page, "query": query_without_page(request), "filters": filters, "public": public,
        "kinds": Campaign.Kind.choices, "statuses": Campaign.Status.choices,
    }  # fmt: skip


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, CampaignFilters)
    context = _list_context(request, selectors.campaign_list(request.user, filters), filters, public=False)
    department = department_of(request.user)
    context["can_create"] = is_platform_admin(request.user) or (
        department is not None and rules.can_create_in(request.user, department.region_id)
    )
    return render(request, "campaigns/campaign_list.html", context)


@login_required
def campaign_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = CampaignFilters.from_params(request.GET)
    return download(excel.campaigns_workbook(selectors.campaign_list(request.user, filters)), "专项行动.xlsx")


def public_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, CampaignFilters)
    return render(
        request,
        "campaigns/campaign_list.html",
        _list_context(request, selectors.public_campaigns(filters), filters, True),
    )


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = CampaignFilters.from_params(request.GET)
    return download(excel.campaigns_workbook(selectors.public_campaigns(filters)), "专项行动（公开）.xlsx")


def public_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A published campaign, its progress and its activities: no recorders, participants or contacts."""
    campaign = selectors.get_public_campaign(campaign_id)
    activities = paginate(request, selectors.public_activities(campaign))
    return render(
        request,
        "campaigns/public_detail.html",
        {
            "campaign": campaign, "progress": progress_of(campaign), "figures": progress_of(campaign).figures(campaign),
            "activities": activities, "page": activities, "query": query_without_page(request),
            "organizations": selectors.enrollments(campaign).filter(status=Enrollment.Status.ENROLLED),
        },
    )  # fmt: skip


# ---------------------------------------------------------------- one campaign


def _my_organizations(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False) or user.role != "organization":
        return []
    return list(organization_selectors.organizations(user).order_by("name"))


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, campaign_id)
    user = request.user
    progress = progress_of(campaign)
    mine = {e.organization_id: e for e in selectors.my_enrollments(user, campaign)}
    my_orgs = [
        (o, mine.get(o.pk), organization_rules.is_org_admin(user, o))
        for o in _my_organizations(user)
        if o.pk in mine or selectors.enrollable_campaigns(o).filter(pk=campaign.pk).exists()
    ]
    can_record = campaign.status == Campaign.Status.PUBLISHED and any(
        e.status == Enrollment.Status.ENROLLED for e in mine.values()
    )
    activities = paginate(request, selectors.campaign_activities(user, campaign))
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign, "progress": progress, "figures": progress.figures(campaign),
            "enrollments": selectors.enrollments(campaign)[:200], "my_orgs": my_orgs, "can_record": can_record,
            "can_manage": rules.can_manage(user, campaign), "page": activities, "query": query_without_page(request),
            "actions": [
                (a, services.WORKFLOW.transitions[a].label) for a in services.WORKFLOW.allowed_actions(campaign.status)
            ],
            "history": selectors.history(campaign)[:30],
        },
    )  # fmt: skip


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专项行动 %(number)s 已保存为草稿") % {"number": campaign.number})
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, campaign_id)
    if not rules.can_manage(request.user, campaign) or campaign.status == Campaign.Status.CLOSED:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(
                actor=request.user, campaign=campaign, changes=form.to_data().as_dict(),
                expected_version=form.cleaned_data.get("version") or campaign.version,
            )  # fmt: skip
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_act(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Publish or close, from the detail page."""
    campaign = selectors.get_campaign(request.user, campaign_id)
    action = request.POST.get("action", "")
    if action not in services.TRANSITION_SERVICES:
        messages.error(request, _("请选择操作"))
        return redirect("campaigns:detail", campaign.pk)
    try:
        version = int(request.POST.get("version", campaign.version))
        services.TRANSITION_SERVICES[action](actor=request.user, campaign=campaign, expected_version=version)
        messages.success(
            request,
            _("已%(label)s：%(number)s")
            % {"label": services.WORKFLOW.transitions[action].label, "number": campaign.number},
        )
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("提交的数据不正确"))
    return redirect("campaigns:detail", campaign.pk)


@login_required
@require_POST
def enrollment_act(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Enroll or withdraw one of the user's organizations."""
    campaign = selectors.get_campaign(request.user, campaign_id)
    try:
        organization = organization_selectors.get_organization(request.user, request.POST.get("organization"))
        if request.POST.get("action") == "withdraw":
            services.withdraw(
                actor=request.user, campaign=campaign, organization=organization, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("“%(org)s”已退出该专项行动") % {"org": organization.name})
        else:
            services.enroll(actor=request.user, campaign=campaign, organization=organization)
            messages.success(request, _("“%(org)s”已报名参加该专项行动") % {"org": organization.name})
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:detail", campaign.pk)


@login_required
def enrollment_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, campaign_id)
    filters, _problems = EnrollmentFilters.from_params(request.GET)
    rows = selectors.enrollments(campaign, filters)
    return download(excel.enrollments_workbook(campaign, rows), f"{campaign.number}-报名组织.xlsx")


@login_required
def campaign_activity_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, campaign_id)
    filters, _problems = ActivityFilters.from_params(request.GET)
    rows = selectors.campaign_activities(request.user, campaign, filters)
    return download(excel.activities_workbook(rows), f"{campaign.number}-活动.xlsx")


# ---------------------------------------------------------------- activities


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ActivityFilters)
    queryset = selectors.activities(request.user, filters)
    return render(
        request,
        "campaigns/activity_list.html",
        {
            "page": paginate(request, queryset),
            "query": query_without_page(request),
            "filters": filters,
            "kinds": Campaign.Kind.choices,
        },
    )


@login_required
def activity_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = ActivityFilters.from_params(request.GET)
    return download(excel.activities_workbook(selectors.activities(request.user, filters)), "专项行动活动.xlsx")


def _brand_choices(organization_ids: list[int]) -> list[tuple[int, str]]:
    from xiangzhen.brands.selectors import active_brands

    return [(b.pk, f"{b.name}（{b.organization.name}）") for b in active_brands(organization_ids)]


@login_required
def activity_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Record an activity against a campaign (members of an enrolled organization)."""
    campaign = selectors.get_campaign(request.user, campaign_id)
    enrolled = [
        e.organization
        for e in selectors.my_enrollments(request.user, campaign)
        if e.status == Enrollment.Status.ENROLLED
    ]
    if not enrolled:
        messages.error(request, _("本组织尚未报名参加该专项行动，请先报名"))
        return redirect("campaigns:detail", campaign.pk)
    form = ActivityForm(
        request.POST or None, request.FILES or None,
        organizations=[(o.pk, o.name) for o in enrolled], brands=_brand_choices([o.pk for o in enrolled]),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_selectors.get_organization(request.user, form.cleaned_data["organization"])
            activity = services.record_activity(
                actor=request.user, campaign=campaign, organization=organization, data=form.to_data(),
                uploads=form.cleaned_data["photos"],
            )  # fmt: skip
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记活动 %(number)s") % {"number": activity.number})
            return redirect("campaigns:activity_detail", activity.pk)
    return render(request, "campaigns/activity_form.html", {"form": form, "campaign": campaign, "activity": None})


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    user: Any = request.user
    members: list[tuple[int, str]] = []
    if organization_rules.is_org_admin(user, activity.organization):
        members = [
            (m.user_id, m.user.full_name or m.user.username)
            for m in organization_selectors.members(activity.organization)
            if m.is_active
        ]
    elif organization_rules.is_org_member(user, activity.organization):
        members = [(user.pk, user.full_name or user.username)]
    open_campaign = activity.campaign.status != Campaign.Status.CLOSED
    participations = list(selectors.participations(activity))
    for p in participations:
        p.removable = open_campaign and rules.can_remove_participation(user, p)  # type: ignore[attr-defined]
    return render(
        request,
        "campaigns/activity_detail.html",
        {
            "activity": activity, "photos": attachments_of(activity), "participations": participations,
            "form": ParticipationForm(members=members) if members and open_campaign else None,
            "can_edit": open_campaign and rules.can_edit_activity(user, activity),
            "history": selectors.history(activity)[:30],
        },
    )  # fmt: skip


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    if not rules.can_edit_activity(request.user, activity) or activity.campaign.status == Campaign.Status.CLOSED:
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None, request.FILES or None, initial=ActivityForm.initial_for(activity),
        organizations=[(activity.organization_id, activity.organization.name)],
        brands=_brand_choices([activity.organization_id]),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            changes = form.to_data().as_dict()
            services.update_activity(
                actor=request.user, activity=activity, changes=changes, uploads=form.cleaned_data["photos"]
            )
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("campaigns:activity_detail", activity.pk)
    return render(
        request, "campaigns/activity_form.html", {"form": form, "campaign": activity.campaign, "activity": activity}
    )


@login_required
@require_POST
def participation_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    try:
        user_id = int(request.POST.get("user") or request.user.pk or 0)
        participant = request.user if user_id == request.user.pk else selectors.member_user(activity, user_id)
        services.record_participation(
            actor=request.user, activity=activity, participant=participant,
            hours=request.POST.get("hours", ""), role=request.POST.get("role", ""),
        )  # fmt: skip
        messages.success(request, _("已登记参与"))
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("提交的数据不正确"))
    return redirect("campaigns:activity_detail", activity.pk)


@login_required
@require_POST
def participation_remove(request: HttpRequest, activity_id: int, participation_id: int) -> HttpResponse:
    activity = selectors.get_activity(request.user, activity_id)
    participation = selectors.get_participation(request.user, activity, participation_id)
    try:
        services.remove_participation(actor=request.user, participation=participation)
        messages.success(request, _("已撤销参与记录"))
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:activity_detail", activity.pk)
