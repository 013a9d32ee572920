"""The training API (/api/v1/training): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.training import documents, selectors, services
from xiangzhen.training.filters import TalentFilters, TrainingFilters
from xiangzhen.training.schemas import (
    AttendanceIn,
    CertificateCheckOut,
    EnrollIn,
    EnrollmentOut,
    LedProjectIn,
    LedProjectOut,
    TalentIn,
    TalentOut,
    TrainingIn,
    TrainingOut,
)

router = Router(tags=["能力建设"])


@router.get(
    "/public/certificates/{certificate_number}",
    response=CertificateCheckOut,
    auth=None,
    summary="查验结业证书（无需登录）",
)
def verify_certificate(request: HttpRequest, certificate_number: str) -> Any:
    enrollment = selectors.verify_certificate(certificate_number)
    return {
        "certificate_number": enrollment.certificate_number,
        "name_masked": documents.public_name(enrollment),
        "course": enrollment.training.title,
        "completed_on": enrollment.training.ends_on,
    }


@router.get("/", response=list[TrainingOut], summary="可见的培训（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_trainings(request: HttpRequest, filters: Query[TrainingFilters]) -> Any:
    return selectors.training_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_trainings(request: HttpRequest, filters: Query[TrainingFilters]) -> HttpResponse:
    return download(documents.trainings_workbook(selectors.training_list(request.user, filters)), "trainings.xlsx")


@router.post("/", response={201: TrainingOut}, summary="创建培训（草稿；枢纽型社会组织管理员或部门工作人员）")
def create_training(request: HttpRequest, payload: TrainingIn) -> Any:
    training = services.create_training(actor=request.user, data=services.TrainingData(**payload.dict()))
    return Status(201, selectors.get_training(request.user, training.pk))


@router.get("/{int:training_id}", response=TrainingOut, summary="培训详情")
def get_training(request: HttpRequest, training_id: int) -> Any:
    return selectors.get_training(request.user, training_id)


def _act(request: HttpRequest, training_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    training = selectors.get_training(request.user, training_id)
    services.TRANSITION_SERVICES[action](actor=request.user, training=training, reason=reason, expected_version=version)
    return selectors.get_training(request.user, training_id)


@router.post("/{int:training_id}/open", response=TrainingOut, summary="开放报名")
def open_training(request: HttpRequest, training_id: int, version: int | None = None) -> Any:
    return _act(request, training_id, "open", version=version)


@router.post("/{int:training_id}/finish", response=TrainingOut, summary="结束")
def finish_training(request: HttpRequest, training_id: int, version: int | None = None) -> Any:
    return _act(request, training_id, "finish", version=version)


@router.post("/{int:training_id}/cancel", response=TrainingOut, summary="取消（须填写原因）")
def cancel_training(request: HttpRequest, training_id: int, payload: ReasonIn) -> Any:
    return _act(request, training_id, "cancel", payload.reason, payload.version)


@router.get(
    "/{int:training_id}/enrollments", response=list[EnrollmentOut], summary="学员（主办方看全部，组织看本组织）"
)
def list_enrollments(request: HttpRequest, training_id: int) -> Any:
    return selectors.enrollments(request.user, selectors.get_training(request.user, training_id))


@router.post("/{int:training_id}/enrollments", response={201: EnrollmentOut}, summary="报名（本人或本组织成员）")
def enroll(request: HttpRequest, training_id: int, payload: EnrollIn) -> Any:
    training = selectors.get_training(request.user, training_id)
    enrollment = services.enroll(
        actor=request.user, training=training, attendee_id=payload.attendee_id, organization_id=payload.organization_id
    )
    return Status(201, enrollment)


@router.post("/{int:training_id}/attendance", response=EnrollmentOut, summary="登记出勤与结业（主办方）")
def record_attendance(request: HttpRequest, training_id: int, payload: AttendanceIn) -> Any:
    training = selectors.get_training(request.user, training_id)
    enrollment = selectors.get_enrollment(request.user, training, payload.enrollment_id)
    return services.record_attendance(
        actor=request.user, enrollment=enrollment, attended=payload.attended, hours=payload.hours,
        completed=payload.completed,
    )  # fmt: skip


@router.get("/talents", response=list[TalentOut], summary="领军人才库（辖区内或本组织）")
@paginate(PageNumberPagination, page_size=20)
def list_talents(request: HttpRequest, filters: Query[TalentFilters]) -> Any:
    return selectors.talents(request.user, filters)


@router.get("/talents/export", summary="导出领军人才为 Excel")
def export_talents(request: HttpRequest, filters: Query[TalentFilters]) -> HttpResponse:
    return download(documents.talents_workbook(selectors.talents(request.user, filters)), "talents.xlsx")


@router.post("/talents", response={201: TalentOut}, summary="添加领军人才（组织管理员或辖区民政部门）")
def add_talent(request: HttpRequest, payload: TalentIn) -> Any:
    talent = services.add_talent(actor=request.user, data=services.TalentData(**payload.dict()))
    return Status(201, selectors.get_talent(request.user, talent.pk))


@router.get("/talents/{int:talent_id}", response=TalentOut, summary="领军人才详情")
def get_talent(request: HttpRequest, talent_id: int) -> Any:
    return selectors.get_talent(request.user, talent_id)


@router.post(
    "/talents/{int:talent_id}/led-projects", response={201: LedProjectOut}, summary="登记领衔项目（组织管理员）"
)
def record_led_project(request: HttpRequest, talent_id: int, payload: LedProjectIn) -> Any:
    talent = selectors.get_talent(request.user, talent_id)
    led = services.record_led_project(actor=request.user, talent=talent, match_id=payload.match_id, role=payload.role)
    return Status(201, led)
