"""The campaigns API (/api/v1/campaigns): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.campaigns import excel, selectors, services
from xiangzhen.campaigns.filters import ActivityFilters, CampaignFilters, EnrollmentFilters
from xiangzhen.campaigns.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    ActivityPublicOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CampaignPublicOut,
    EnrollIn,
    EnrollmentOut,
    ParticipationIn,
    ParticipationOut,
)
from xiangzhen.campaigns.validation import ActivityData, CampaignData
from xiangzhen.core.excel import download
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["专项行动"])


# ---------------------------------------------------------------- public (no login)


@router.get(
    "/public", response=list[CampaignPublicOut], auth=None, summary="进行中和已结束的专项行动及进展（无需登录）"
)
@paginate(PageNumberPagination, page_size=20)
def list_public_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> Any:
    return selectors.public_campaigns(filters)


@router.get("/public/export", auth=None, summary="导出公开的专项行动为 Excel（无需登录）")
def export_public_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> HttpResponse:
    return download(excel.campaigns_workbook(selectors.public_campaigns(filters)), "campaigns-public.xlsx")


@router.get("/public/{int:campaign_id}", response=CampaignPublicOut, auth=None, summary="专项行动公开信息（无需登录）")
def get_public_campaign(request: HttpRequest, campaign_id: int) -> Any:
    return selectors.get_public_campaign(campaign_id)


@router.get(
    "/public/{int:campaign_id}/activities",
    response=list[ActivityPublicOut],
    auth=None,
    summary="专项行动的活动（无需登录）",
)
@paginate(PageNumberPagination, page_size=50)
def list_public_activities(request: HttpRequest, campaign_id: int, filters: Query[ActivityFilters]) -> Any:
    return selectors.public_activities(selectors.get_public_campaign(campaign_id), filters)


# ---------------------------------------------------------------- campaigns


@router.get("/", response=list[CampaignOut], summary="可见的专项行动（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> Any:
    return selectors.campaign_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_campaigns(request: HttpRequest, filters: Query[CampaignFilters]) -> HttpResponse:
    return download(excel.campaigns_workbook(selectors.campaign_list(request.user, filters)), "campaigns.xlsx")


@router.post("/", response={201: CampaignOut}, summary="创建专项行动（草稿；本地区民政、乡村振兴部门）")
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Any:
    campaign = services.create_campaign(actor=request.user, data=CampaignData(**payload.dict()))
    return Status(201, selectors.get_campaign(request.user, campaign.pk))


@router.get("/activities", response=list[ActivityOut], summary="可见的活动（本组织的，或活动地区在辖区内的）")
@paginate(PageNumberPagination, page_size=50)
def list_activities(request: HttpRequest, filters: Query[ActivityFilters]) -> Any:
    return selectors.activities(request.user, filters)


@router.get("/activities/export", summary="导出活动为 Excel")
def export_activities(request: HttpRequest, filters: Query[ActivityFilters]) -> HttpResponse:
    return download(excel.activities_workbook(selectors.activities(request.user, filters)), "activities.xlsx")


@router.get("/{int:campaign_id}", response=CampaignOut, summary="专项行动详情及进展")
def get_campaign(request: HttpRequest, campaign_id: int) -> Any:
    return selectors.get_campaign(request.user, campaign_id)


@router.patch("/{int:campaign_id}", response=CampaignOut, summary="修改专项行动（组织地区的工作人员）")
def update_campaign(request: HttpRequest, campaign_id: int, payload: CampaignPatch) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_campaign(actor=request.user, campaign=campaign, changes=changes, expected_version=version)
    return selectors.get_campaign(request.user, campaign_id)


@router.post("/{int:campaign_id}/publish", response=CampaignOut, summary="发布（组织地区的工作人员）")
def publish(request: HttpRequest, campaign_id: int, version: int | None = None) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    services.publish_campaign(actor=request.user, campaign=campaign, expected_version=version)
    return selectors.get_campaign(request.user, campaign_id)


@router.post("/{int:campaign_id}/close", response=CampaignOut, summary="结束（组织地区的工作人员）")
def close(request: HttpRequest, campaign_id: int, version: int | None = None) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    services.close_campaign(actor=request.user, campaign=campaign, expected_version=version)
    return selectors.get_campaign(request.user, campaign_id)


# ---------------------------------------------------------------- enrollments


@router.get("/{int:campaign_id}/enrollments", response=list[EnrollmentOut], summary="报名的社会组织")
@paginate(PageNumberPagination, page_size=50)
def list_enrollments(request: HttpRequest, campaign_id: int, filters: Query[EnrollmentFilters]) -> Any:
    return selectors.enrollments(selectors.get_campaign(request.user, campaign_id), filters)


@router.get("/{int:campaign_id}/enrollments/export", summary="导出报名的社会组织为 Excel")
def export_enrollments(request: HttpRequest, campaign_id: int, filters: Query[EnrollmentFilters]) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, campaign_id)
    return download(excel.enrollments_workbook(campaign, selectors.enrollments(campaign, filters)), "enrollments.xlsx")


@router.post("/{int:campaign_id}/enroll", response={201: EnrollmentOut}, summary="报名参加（社会组织管理员）")
def enroll(request: HttpRequest, campaign_id: int, payload: EnrollIn) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    organization = organization_selectors.get_organization(request.user, payload.organization_id)
    return Status(201, services.enroll(actor=request.user, campaign=campaign, organization=organization))


@router.post("/{int:campaign_id}/withdraw", response=EnrollmentOut, summary="退出（社会组织管理员）")
def withdraw(request: HttpRequest, campaign_id: int, payload: EnrollIn) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    organization = organization_selectors.get_organization(request.user, payload.organization_id)
    return services.withdraw(actor=request.user, campaign=campaign, organization=organization, reason=payload.reason)


# ---------------------------------------------------------------- activities


@router.get("/{int:campaign_id}/activities", response=list[ActivityOut], summary="专项行动的活动（可见范围内）")
@paginate(PageNumberPagination, page_size=50)
def list_campaign_activities(request: HttpRequest, campaign_id: int, filters: Query[ActivityFilters]) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    return selectors.campaign_activities(request.user, campaign, filters)


@router.get("/{int:campaign_id}/activities/export", summary="导出专项行动的活动为 Excel")
def export_campaign_activities(request: HttpRequest, campaign_id: int, filters: Query[ActivityFilters]) -> HttpResponse:
    campaign = selectors.get_campaign(request.user, campaign_id)
    rows = selectors.campaign_activities(request.user, campaign, filters)
    return download(excel.activities_workbook(rows), "campaign-activities.xlsx")


@router.post("/{int:campaign_id}/activities", response={201: ActivityOut}, summary="登记活动（已报名组织的成员）")
def record_activity(request: HttpRequest, campaign_id: int, payload: ActivityIn) -> Any:
    campaign = selectors.get_campaign(request.user, campaign_id)
    values = payload.dict()
    organization = organization_selectors.get_organization(request.user, values.pop("organization_id"))
    activity = services.record_activity(
        actor=request.user, campaign=campaign, organization=organization, data=ActivityData(**values)
    )
    return Status(201, selectors.get_activity(request.user, activity.pk))


@router.get("/activities/{int:activity_id}", response=ActivityOut, summary="活动详情")
def get_activity(request: HttpRequest, activity_id: int) -> Any:
    return selectors.get_activity(request.user, activity_id)


@router.patch("/activities/{int:activity_id}", response=ActivityOut, summary="修改活动（记录人或本组织管理员；留痕）")
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    services.update_activity(actor=request.user, activity=activity, changes=payload.dict(exclude_unset=True))
    return selectors.get_activity(request.user, activity_id)


@router.post("/activities/{int:activity_id}/photos", response={201: list[int]}, summary="上传活动照片（返回附件编号）")
def add_photos(request: HttpRequest, activity_id: int, files: list[UploadedFile] = File(...)) -> Any:  # noqa: B008
    activity = selectors.get_activity(request.user, activity_id)
    uploads: list[Any] = list(files)
    return Status(201, [a.pk for a in services.add_photos(actor=request.user, activity=activity, uploads=uploads)])


@router.get(
    "/activities/{int:activity_id}/participations", response=list[ParticipationOut], summary="参与人员及志愿服务时长"
)
def list_participations(request: HttpRequest, activity_id: int) -> Any:
    return selectors.participations(selectors.get_activity(request.user, activity_id))


@router.post(
    "/activities/{int:activity_id}/participations", response={201: ParticipationOut},
    summary="登记参与（成员登记本人；管理员可为本组织成员登记）",
)  # fmt: skip
def record_participation(request: HttpRequest, activity_id: int, payload: ParticipationIn) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    participant: Any = request.user
    if payload.user_id is not None and payload.user_id != request.user.pk:
        participant = selectors.member_user(activity, payload.user_id)
    participation = services.record_participation(
        actor=request.user, activity=activity, participant=participant, hours=payload.hours, role=payload.role
    )
    return Status(201, participation)


@router.api_operation(
    ["DELETE"], "/activities/{int:activity_id}/participations/{int:participation_id}", response={204: None},
    summary="撤销参与记录（本人或本组织管理员）",
)  # fmt: skip
def remove_participation(request: HttpRequest, activity_id: int, participation_id: int) -> Any:
    activity = selectors.get_activity(request.user, activity_id)
    participation = selectors.get_participation(request.user, activity, participation_id)
    services.remove_participation(actor=request.user, participation=participation)
    return Status(204, None)
