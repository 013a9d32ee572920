"""Every write to campaigns: the campaign and its workflow, enrollments, activities (with their
beneficiary groups and photos) and participations. One business action per function, one
transaction each; each checks scope and permission and writes the audit trail. Every write that
touches an activity — its fields, its beneficiary groups, its participations — moves the
statistics rollups by the difference it makes, in the same transaction.

Campaign workflow: draft → published → closed. Activities are recorded only while the campaign is
published; a closed campaign's results are final.
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.campaigns import rules, selectors
from xiangzhen.campaigns.models import Activity, ActivityBeneficiary, Campaign, Enrollment, Participation
from xiangzhen.campaigns.validation import (
    ActivityData,
    CampaignData,
    CleanActivity,
    CleanCampaign,
    clean_activity_data,
    clean_campaign_data,
)
from xiangzhen.core import audit
from xiangzhen.core.attachments import attach
from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import StateMachine, Transition, check_version
from xiangzhen.core.validation import Problems
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.stats import rollups

Status = Campaign.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("publish", "发布", frozenset({Status.DRAFT}), Status.PUBLISHED),
        Transition("close", "结束", frozenset({Status.PUBLISHED}), Status.CLOSED),
    ],
)
CAMPAIGN_FIELDS = [
    "kind", "name", "region", "description", "start_date", "end_date", "target_organizations",
    "target_activities", "target_people_served", "target_money", "target_purchases", "status", "version",
]  # fmt: skip
ACTIVITY_FIELDS = [
    "title", "held_on", "region", "place", "description", "money", "in_kind", "in_kind_value",
    "people_served", "brand",
]  # fmt: skip


def _record(actor: Any, action: str, instance: Any, region_code: str, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"campaigns.{action}", instance=instance, region_code=region_code, **kwargs)


def _require_visible(actor: Any, campaign: Campaign) -> None:
    if not selectors.campaigns(actor).filter(pk=campaign.pk).exists():
        raise NotFound(_("专项行动不存在或无权查看"))


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("region").get(pk=campaign.pk)


# ---------------------------------------------------------------- campaigns


def _campaign_region(actor: Any, region_code: str) -> str:
    """The region a new campaign is organized at: the staff member's own unless a platform admin names one."""
    department = department_of(actor)
    if region_code.strip():
        return region_code.strip()
    if department is not None:
        return str(department.region_id)
    if is_platform_admin(actor):
        raise ValidationFailed.on("region_code", _("请选择专项行动的实施地区"))
    return ""


def _write_campaign(campaign: Campaign, clean: CleanCampaign) -> None:
    campaign.kind, campaign.name, campaign.description = clean.kind, clean.name, clean.description
    campaign.start_date, campaign.end_date, campaign.region = clean.start_date, clean.end_date, clean.region
    for name, value in clean.targets.items():
        setattr(campaign, name, value)


@transaction.atomic
def create_campaign(*, actor: Any, data: CampaignData) -> Campaign:
    """Staff draft a campaign in their own region (platform admins name the region)."""
    if not is_platform_admin(actor) and department_of(actor) is None:
        raise Forbidden(_("只有民政部门或乡村振兴部门的工作人员可以创建专项行动"))
    region_code = _campaign_region(actor, str(data.region_code or ""))
    clean = clean_campaign_data(data.merged({"region_code": region_code}))
    if not rules.can_create_in(actor, clean.region.code):
        raise Forbidden(_("只能在本部门所在地区（%(region)s）创建专项行动") % {"region": department_of(actor).region})  # type: ignore[union-attr]
    campaign = Campaign(status=Status.DRAFT, created_by=actor)
    _write_campaign(campaign, clean)
    campaign.number = next_number("ZX", clean.region.code)
    campaign.save()
    _record(actor, "create", campaign, campaign.region_id, after=audit.snapshot(campaign, CAMPAIGN_FIELDS))
    return campaign


@transaction.atomic
def update_campaign(
    *, actor: Any, campaign: Campaign, changes: dict[str, Any], expected_version: int | None = None
) -> Campaign:
    """Organizers change a draft or a running campaign (period, targets, plan); once published its
    kind and region stay, since organizations enrolled and recorded under them. Closed is final."""
    _require_visible(actor, campaign)
    locked = _lock(campaign)
    if not rules.can_manage(actor, locked):
        raise Forbidden(_("只有专项行动所在地区的民政、乡村振兴部门工作人员可以修改"))
    if locked.status == Status.CLOSED:
        raise InvalidTransition(_("专项行动已结束，不能再修改"))
    check_version(locked, campaign.version if expected_version is None else expected_version, "专项行动")
    merged = CampaignData.of(locked).merged(changes)
    if locked.status != Status.DRAFT and (merged.kind != locked.kind or merged.region_code != locked.region_id):
        raise ValidationFailed.on("kind", _("专项行动发布后不能再修改类型和实施地区"))
    clean = clean_campaign_data(merged)
    if clean.region.code != locked.region_id and not rules.can_create_in(actor, clean.region.code):
        raise Forbidden(_("只能把专项行动放在本部门所在地区"))
    before = audit.snapshot(locked, CAMPAIGN_FIELDS)
    _write_campaign(locked, clean)
    locked.version += 1
    locked.save()
    _record(actor, "update", locked, locked.region_id, before=before, after=audit.snapshot(locked, CAMPAIGN_FIELDS))
    return locked


def _transition(
    *, actor: Any, campaign: Campaign, action: str, expected_version: int | None, **changes: Any
) -> Campaign:
    _require_visible(actor, campaign)
    if not rules.can_manage(actor, campaign):
        raise Forbidden(_("只有专项行动所在地区的民政、乡村振兴部门工作人员可以%(action)s专项行动")
                        % {"action": WORKFLOW.transitions[action].label})  # fmt: skip
    WORKFLOW.target(campaign.status, action)
    check_version(campaign, expected_version, "专项行动")
    before = audit.snapshot(campaign, ["status", "version"])
    WORKFLOW.apply(campaign, action, **changes)
    _record(
        actor,
        action,
        campaign,
        campaign.region_id,
        before=before,
        after=audit.snapshot(campaign, ["status", "version"]),
    )
    return campaign


@transaction.atomic
def publish_campaign(
    *, actor: Any, campaign: Campaign, reason: str = "", expected_version: int | None = None
) -> Campaign:
    """The campaign opens: organizations inside its region may enroll and record activities."""
    return _transition(
        actor=actor, campaign=campaign, action="publish", expected_version=expected_version, published_at=timezone.now()
    )


@transaction.atomic
def close_campaign(
    *, actor: Any, campaign: Campaign, reason: str = "", expected_version: int | None = None
) -> Campaign:
    """The campaign ends: no more enrollments or activities; its results stay public."""
    return _transition(
        actor=actor, campaign=campaign, action="close", expected_version=expected_version, closed_at=timezone.now()
    )


TRANSITION_SERVICES: dict[str, Any] = {"publish": publish_campaign, "close": close_campaign}


# ---------------------------------------------------------------- enrollments


@transaction.atomic
def enroll(*, actor: Any, campaign: Campaign, organization: Organization) -> Enrollment:
    """An org admin enrolls an approved organization registered inside the campaign's region.
    A withdrawn organization may enroll again (the same row comes back)."""
    _require_visible(actor, campaign)
    locked = _lock(campaign)
    if not rules.can_enroll(actor, organization):
        raise Forbidden(_("只有本组织的管理员可以报名参加专项行动"))
    if locked.status != Status.PUBLISHED:
        raise InvalidTransition(
            _("专项行动当前为“%(status)s”，只有进行中的专项行动可以报名") % {"status": locked.get_status_display()}
        )
    if organization.status != Organization.Status.APPROVED:
        raise InvalidTransition(_("只有审核通过的社会组织可以报名参加专项行动"))
    if not codes.contains(locked.region_id, organization.region_id):
        raise ValidationFailed.on(
            "organization_id",
            _("“%(org)s”的登记地不在专项行动的实施地区“%(region)s”内")
            % {"org": organization.name, "region": locked.region.name},
        )
    enrollment = selectors.enrollment_of(locked, organization)
    if enrollment is not None and enrollment.status == Enrollment.Status.ENROLLED:
        raise InvalidTransition(_("“%(org)s”已报名参加该专项行动") % {"org": organization.name})
    if enrollment is None:
        enrollment = Enrollment.objects.create(campaign=locked, organization=organization, enrolled_by=actor)
        _record(
            actor,
            "enroll",
            enrollment,
            organization.region_id,
            after={"campaign": locked.number, "organization": organization.pk},
        )
    else:
        enrollment.status, enrollment.enrolled_by, enrollment.enrolled_at = (
            Enrollment.Status.ENROLLED,
            actor,
            timezone.now(),
        )
        enrollment.save(update_fields=["status", "enrolled_by", "enrolled_at"])
        _record(
            actor,
            "re_enroll",
            enrollment,
            organization.region_id,
            before={"status": "withdrawn"},
            after={"status": "enrolled"},
        )
    return enrollment


@transaction.atomic
def withdraw(*, actor: Any, campaign: Campaign, organization: Organization, reason: str = "") -> Enrollment:
    """An org admin withdraws; activities already recorded stay and keep counting."""
    _require_visible(actor, campaign)
    locked = _lock(campaign)
    if not rules.can_enroll(actor, organization):
        raise Forbidden(_("只有本组织的管理员可以退出专项行动"))
    enrollment = selectors.enrollment_of(locked, organization)
    if enrollment is None or enrollment.status != Enrollment.Status.ENROLLED:
        raise InvalidTransition(_("“%(org)s”没有报名参加该专项行动") % {"org": organization.name})
    if locked.status == Status.CLOSED:
        raise InvalidTransition(_("专项行动已结束，不能再退出"))
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save(update_fields=["status"])
    _record(
        actor,
        "withdraw",
        enrollment,
        organization.region_id,
        before={"status": "enrolled"},
        after={"status": "withdrawn"},
        note=reason.strip(),
    )
    return enrollment


# ---------------------------------------------------------------- activities


def _check_brand(clean: CleanActivity, organization: Organization) -> None:
    if clean.brand_id is None:
        return
    from xiangzhen.brands.models import CharityBrand

    brand = CharityBrand.objects.filter(pk=clean.brand_id, organization=organization).first()
    if brand is None:
        raise ValidationFailed.on("brand_id", _("所选公益品牌不属于“%(org)s”") % {"org": organization.name})
    if brand.status != CharityBrand.Status.ACTIVE:
        raise ValidationFailed.on("brand_id", _("公益品牌“%(name)s”已停止运行") % {"name": brand.name})


def _write_activity(activity: Activity, clean: CleanActivity) -> None:
    for name in (
        "title",
        "held_on",
        "region",
        "place",
        "description",
        "money",
        "in_kind",
        "in_kind_value",
        "people_served",
        "brand_id",
    ):
        setattr(activity, name, getattr(clean, name))


def _write_beneficiaries(activity: Activity, clean: CleanActivity) -> None:
    ActivityBeneficiary.objects.filter(activity=activity).delete()
    ActivityBeneficiary.objects.bulk_create(
        ActivityBeneficiary(activity=activity, group=group, count=count)
        for group, count in sorted(clean.beneficiaries.items(), key=lambda item: item[0].code)
    )


def _activity_snapshot(activity: Activity) -> dict[str, Any]:
    data = audit.snapshot(activity, ACTIVITY_FIELDS)
    data["beneficiaries"] = {b.group.code: b.count for b in activity.beneficiaries.select_related("group")}
    return data


@transaction.atomic
def record_activity(
    *, actor: Any, campaign: Campaign, organization: Organization, data: ActivityData,
    uploads: list[UploadedFile] | None = None,
) -> Activity:  # fmt: skip
    """A member of an enrolled organization records an activity carried out under the campaign."""
    _require_visible(actor, campaign)
    locked = _lock(campaign)
    if not rules.can_record(actor, organization):
        raise Forbidden(_("只有本组织的成员可以登记活动"))
    if locked.status != Status.PUBLISHED:
        raise InvalidTransition(
            _("专项行动当前为“%(status)s”，只有进行中的专项行动可以登记活动") % {"status": locked.get_status_display()}
        )
    enrollment = selectors.enrollment_of(locked, organization)
    if enrollment is None or enrollment.status != Enrollment.Status.ENROLLED:
        raise InvalidTransition(_("“%(org)s”尚未报名参加该专项行动，请先报名") % {"org": organization.name})
    clean = clean_activity_data(data, locked, today=timezone.localdate())
    _check_brand(clean, organization)
    activity = Activity(campaign=locked, organization=organization, recorded_by=actor)
    _write_activity(activity, clean)
    activity.number = next_number("HD", clean.region.code)
    activity.save()
    _write_beneficiaries(activity, clean)
    rollups.apply(activity, {})
    _record(actor, "activity", activity, activity.region_id, after=_activity_snapshot(activity))
    for upload in uploads or []:
        attach(actor=actor, owner=activity, upload=upload, field="photos")
    return activity


@transaction.atomic
def update_activity(
    *, actor: Any, activity: Activity, changes: dict[str, Any], uploads: list[UploadedFile] | None = None,
    expected_updated_at: Any = None,
) -> Activity:  # fmt: skip
    """The member who recorded it or an org admin corrects an activity (audited; rollups follow)."""
    locked = (
        Activity.objects.select_for_update()
        .select_related("campaign", "organization", "campaign__region")
        .filter(pk=activity.pk)
        .first()
    )
    if locked is None or not selectors.activities(actor).filter(pk=activity.pk).exists():
        raise NotFound(_("活动不存在或无权查看"))
    if not rules.can_edit_activity(actor, locked):
        raise Forbidden(_("只有登记该活动的成员或本组织管理员可以修改活动"))
    if locked.campaign.status == Status.CLOSED:
        raise InvalidTransition(_("专项行动已结束，活动记录不能再修改"))
    if expected_updated_at is not None and expected_updated_at != locked.updated_at:
        raise Conflict(_("该活动刚刚已被他人修改，请刷新后重试"))
    data = ActivityData.of(locked).merged(changes)
    clean = clean_activity_data(data, locked.campaign, today=timezone.localdate())
    _check_brand(clean, locked.organization)
    before_tallies = rollups.snapshot(locked)
    before = _activity_snapshot(locked)
    _write_activity(locked, clean)
    locked.save()
    _write_beneficiaries(locked, clean)
    rollups.apply(locked, before_tallies)
    _record(actor, "activity_update", locked, locked.region_id, before=before, after=_activity_snapshot(locked))
    for upload in uploads or []:
        attach(actor=actor, owner=locked, upload=upload, field="photos")
    return locked


@transaction.atomic
def add_photos(*, actor: Any, activity: Activity, uploads: list[UploadedFile]) -> list[Any]:
    if not selectors.activities(actor).filter(pk=activity.pk).exists():
        raise NotFound(_("活动不存在或无权查看"))
    if not rules.can_edit_activity(actor, activity):
        raise Forbidden(_("只有登记该活动的成员或本组织管理员可以上传照片"))
    if not uploads:
        raise ValidationFailed.on("files", _("请选择要上传的照片"))
    return [attach(actor=actor, owner=activity, upload=upload, field="files") for upload in uploads]


# ---------------------------------------------------------------- participations


def _parse_hours(value: Any) -> Any:
    from decimal import Decimal, InvalidOperation

    problems = Problems()
    try:
        hours = Decimal(str(value).strip())
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.fail("hours", _("志愿服务时长应为小时数，如 2.5"))
        problems.raise_any()
    if hours <= 0 or hours > 24:
        problems.fail("hours", _("志愿服务时长应大于 0 且不超过 24 小时"))
    elif hours != hours.quantize(Decimal("0.1")):
        problems.fail("hours", _("志愿服务时长最多保留一位小数"))
    problems.raise_any()
    return hours


@transaction.atomic
def record_participation(
    *, actor: Any, activity: Activity, participant: Any, hours: Any, role: str = ""
) -> Participation:
    """A member records their own hours on their organization's activity, or an org admin records a
    member's. Recording again for the same person corrects their hours and role."""
    locked = (
        Activity.objects.select_for_update().select_related("campaign", "organization").filter(pk=activity.pk).first()
    )
    if locked is None or not selectors.activities(actor).filter(pk=activity.pk).exists():
        raise NotFound(_("活动不存在或无权查看"))
    if not rules.can_record_participation(actor, locked, participant):
        raise Forbidden(_("只能为本组织的成员登记参与：成员登记本人，管理员可为成员登记"))
    if locked.campaign.status == Status.CLOSED:
        raise InvalidTransition(_("专项行动已结束，不能再登记参与"))
    value = _parse_hours(hours)
    role = (role or "").strip()
    if len(role) > 100:
        raise ValidationFailed.on("role", _("承担工作不超过 100 个字"))
    before = rollups.snapshot(locked)
    participation, created = Participation.objects.get_or_create(
        activity=locked, user=participant, defaults={"hours": value, "role": role}
    )
    previous = None if created else {"hours": str(participation.hours), "role": participation.role}
    if not created:
        participation.hours, participation.role = value, role
        participation.save(update_fields=["hours", "role"])
    rollups.apply(locked, before)
    _record(actor, "participation", participation, locked.region_id, before=previous,
            after={"user": participant.pk, "hours": str(value), "role": role})  # fmt: skip
    return participation


@transaction.atomic
def remove_participation(*, actor: Any, participation: Participation) -> None:
    """A participation recorded by mistake is taken off (by the member or an org admin), audited."""
    activity = (
        Activity.objects.select_for_update()
        .select_related("campaign", "organization")
        .get(pk=participation.activity_id)
    )
    if not selectors.activities(actor).filter(pk=activity.pk).exists():
        raise NotFound(_("活动不存在或无权查看"))
    if not rules.can_remove_participation(actor, participation):
        raise Forbidden(_("只能撤销本人的参与记录，管理员可撤销本组织成员的"))
    if activity.campaign.status == Status.CLOSED:
        raise InvalidTransition(_("专项行动已结束，参与记录不能再修改"))
    before = rollups.snapshot(activity)
    _record(actor, "participation_remove", participation, activity.region_id,
            before={"user": participation.user_id, "hours": str(participation.hours)})  # fmt: skip
    participation.delete()
    rollups.apply(activity, before)
