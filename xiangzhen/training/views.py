"""Training pages: the list, the organizers' detail with attendees, enrollment, certificates and
the public certificate check."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.accounts.roles import department_of
from xiangzhen.core.errors import NotFound, ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import owner_step, page_filters
from xiangzhen.organizations.models import Membership
from xiangzhen.training import documents, rules, selectors, services
from xiangzhen.training.filters import TalentFilters, TrainingFilters
from xiangzhen.training.forms import TrainingForm
from xiangzhen.training.models import Talent, Training


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, TrainingFilters)
    return render(
        request,
        "training/training_list.html",
        {
            "page": paginate(request, selectors.training_list(request.user, filters)),
            "query": query_without_page(request),
            "filters": filters,
            "statuses": Training.Status.choices,
            "modes": Training.Mode.choices,
            "can_create": rules.can_organize(request.user),
            "mine": selectors.my_enrollments(request.user)[:20],
        },
    )


@login_required
def training_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = TrainingFilters.from_params(request.GET)
    return download(documents.trainings_workbook(selectors.training_list(request.user, filters)), "培训.xlsx")


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_organize(request.user):
        messages.error(request, _("只有枢纽型社会组织管理员和部门工作人员可以创建培训"))
        return redirect("training:list")
    form = TrainingForm(
        request.POST or None, hubs=rules.hubs_administered(request.user), department=department_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            training = services.create_training(actor=request.user, data=form.to_data())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("培训 %(number)s 已保存为草稿") % {"number": training.number})
            return redirect("training:detail", training.pk)
    return render(request, "training/training_form.html", {"form": form})


def _enrollable(user: Any) -> list[Any]:
    """The (organization, members) the user may enroll: all members where admin, else themselves."""
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("organization")
    choices = []
    for membership in memberships:
        organization = membership.organization
        if membership.role == Membership.Role.ADMIN:
            members = [
                m.user
                for m in Membership.objects.filter(organization=organization, is_active=True).select_related("user")
            ]
        else:
            members = [user]
        choices.append((organization, members))
    return choices


@login_required
def training_detail(request: HttpRequest, training_id: int) -> HttpResponse:
    training = selectors.get_training(request.user, training_id)
    can_manage = rules.can_manage(request.user, training)
    labels = services.WORKFLOW.transitions
    return render(
        request,
        "training/training_detail.html",
        {
            "training": training,
            "can_manage": can_manage,
            "actions": [(a, labels[a].label) for a in services.WORKFLOW.allowed_actions(training.status)]
            if can_manage
            else [],
            "enrollments": selectors.enrollments(request.user, training),
            "enrollable": _enrollable(request.user) if training.status == Training.Status.OPEN else [],
        },
    )


@login_required
@require_POST
def training_act(request: HttpRequest, training_id: int) -> HttpResponse:
    training = selectors.get_training(request.user, training_id)
    owner_step(
        request, services.WORKFLOW, services.TRANSITION_SERVICES, list(services.TRANSITION_SERVICES), training=training
    )
    return redirect("training:detail", training.pk)


@login_required
@require_POST
def training_enroll(request: HttpRequest, training_id: int) -> HttpResponse:
    training = selectors.get_training(request.user, training_id)
    try:
        attendee_id, organization_id = (int(v) for v in request.POST.get("who", "").split(":"))
        services.enroll(actor=request.user, training=training, attendee_id=attendee_id, organization_id=organization_id)
        messages.success(request, _("已报名"))
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("请选择学员"))
    return redirect("training:detail", training.pk)


@login_required
@require_POST
def training_attendance(request: HttpRequest, training_id: int) -> HttpResponse:
    training = selectors.get_training(request.user, training_id)
    try:
        enrollment = selectors.get_enrollment(request.user, training, request.POST.get("enrollment_id"))
        services.record_attendance(
            actor=request.user, enrollment=enrollment, attended=request.POST.get("attended") == "on",
            hours=request.POST.get("hours") or None, completed=request.POST.get("completed") == "on",
        )  # fmt: skip
        messages.success(request, _("已登记：%(name)s") % {"name": enrollment.attendee})
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("training:detail", training.pk)


@login_required
def enrollments_export(request: HttpRequest, training_id: int) -> HttpResponse:
    training = selectors.get_training(request.user, training_id)
    content = documents.enrollments_workbook(selectors.enrollments(request.user, training))
    return download(content, f"{training.number}-学员.xlsx")


def _verify_url(request: HttpRequest, number: str) -> str:
    return request.build_absolute_uri(reverse("training:verify_number", args=[number]))


@login_required
def certificate(request: HttpRequest, certificate_number: str) -> HttpResponse:
    enrollment = selectors.get_certificate(request.user, certificate_number)
    return render(
        request,
        "training/certificate.html",
        {"enrollment": enrollment, "verify_url": _verify_url(request, certificate_number)},
    )


@login_required
def certificate_download(request: HttpRequest, certificate_number: str) -> HttpResponse:
    enrollment = selectors.get_certificate(request.user, certificate_number)
    content = documents.certificate_docx(enrollment, _verify_url(request, certificate_number))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate_number}.docx"'
    return response


def verify(request: HttpRequest, certificate_number: str = "") -> HttpResponse:
    """Public: anyone checks a certificate number; the answer shows a masked name, course and date only."""
    number = (certificate_number or request.GET.get("number", "")).strip()[:40]
    enrollment = None
    if number:
        try:
            enrollment = selectors.verify_certificate(number)
        except NotFound:
            enrollment = None
    return render(
        request,
        "training/verify.html",
        {
            "number": number,
            "enrollment": enrollment,
            "masked_name": documents.public_name(enrollment) if enrollment else "",
        },
        status=404 if number and enrollment is None else 200,
    )


@login_required
def talent_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, TalentFilters)
    return render(
        request,
        "training/talent_list.html",
        {
            "page": paginate(request, selectors.talents(request.user, filters)),
            "query": query_without_page(request),
            "filters": filters,
            "levels": [c for c in Talent.Qualification.choices if c[0]],
        },
    )


@login_required
def talent_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = TalentFilters.from_params(request.GET)
    return download(documents.talents_workbook(selectors.talents(request.user, filters)), "领军人才.xlsx")


@login_required
def talent_detail(request: HttpRequest, talent_id: int) -> HttpResponse:
    talent = selectors.get_talent(request.user, talent_id)
    return render(
        request,
        "training/talent_detail.html",
        {
            "talent": talent,
            "trainings": selectors.trainings_taken(talent),
            "led_projects": selectors.led_projects(talent),
        },
    )
