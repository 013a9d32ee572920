"""All writes of the linkage app: stations, staff, volunteers, service hours, incubation."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiangzhen.accounts.models import Department, User
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, ValidationFailed
from xiangzhen.linkage.models import IncubationRecord, SocialWorkStation, StationStaff, Volunteer, VolunteerService
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.regions import codes
from xiangzhen.regions.models import Region
from xiangzhen.stats import rollups


def is_civil_affairs_over(user: Any, region_code: str) -> bool:
    """Platform admins, or civil affairs staff whose region holds `region_code`."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == User.Role.PLATFORM_ADMIN:
        return True
    department = user.department if user.role == User.Role.DEPARTMENT_STAFF else None
    return bool(
        department
        and department.kind == Department.Kind.CIVIL_AFFAIRS
        and codes.contains(department.region_id, region_code)
    )


def is_organization_admin(user: Any, organization: Organization | None) -> bool:
    if organization is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == User.Role.PLATFORM_ADMIN:
        return True
    return Membership.objects.filter(
        organization=organization, user=user, is_active=True, role=Membership.Role.ADMIN
    ).exists()


def _region(code: str, field_name: str) -> Region:
    try:
        return Region.objects.get(code=codes.normalize(code))
    except (ValueError, Region.DoesNotExist):
        raise ValidationFailed.on(field_name, f"区划“{code}”不存在") from None


# ---------------------------------------------------------------- stations


@dataclass
class StationData:
    region: str
    name: str
    opened_on: date
    address: str = ""
    operator_id: int | None = None
    status: str = SocialWorkStation.Status.OPERATING


@transaction.atomic
def create_station(*, actor: Any, data: StationData) -> SocialWorkStation:
    region = _region(data.region, "region")
    if codes.level_of(region.code) != codes.Level.TOWNSHIP:
        raise ValidationFailed.on("region", "社工站须建在乡镇（街道）一级")
    if not is_civil_affairs_over(actor, region.code):
        raise Forbidden("只有所辖县级以上民政部门可以登记社工站")
    if not data.name.strip():
        raise ValidationFailed.on("name", "请填写社工站名称")
    if data.status not in SocialWorkStation.Status.values:
        raise ValidationFailed.on("status", "状态不正确")
    operator = None
    if data.operator_id is not None:
        operator = Organization.objects.filter(pk=data.operator_id).first()
        if operator is None:
            raise ValidationFailed.on("operator_id", "运营机构不存在")
    station = SocialWorkStation.objects.create(
        region=region,
        name=data.name.strip(),
        address=data.address.strip(),
        operator=operator,
        opened_on=data.opened_on,
        status=data.status,
        created_by=actor,
    )
    audit.record(
        actor=actor, action="linkage.station.create", instance=station, region_code=region.code,
        after=audit.snapshot(station),
    )  # fmt: skip
    return station


@dataclass
class StaffData:
    name: str
    role: str
    qualification: str = ""
    phone: str = ""


@transaction.atomic
def add_station_staff(*, actor: Any, station: SocialWorkStation, data: StaffData) -> StationStaff:
    if not is_civil_affairs_over(actor, station.region_id):
        raise Forbidden("只有所辖县级以上民政部门可以登记社工站工作人员")
    if not data.name.strip():
        raise ValidationFailed.on("name", "请填写姓名")
    if not data.role.strip():
        raise ValidationFailed.on("role", "请填写岗位")
    phone = data.phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise ValidationFailed.on("phone", "手机号应为 7 到 15 位数字")
    member = StationStaff.objects.create(
        station=station, name=data.name.strip(), role=data.role.strip(),
        qualification=data.qualification.strip(), phone=phone,
    )  # fmt: skip
    audit.record(
        actor=actor, action="linkage.staff.create", instance=member, region_code=station.region_id,
        after={"station": station.pk, "name": member.name, "role": member.role},
    )  # fmt: skip
    return member


# ---------------------------------------------------------------- volunteers


@dataclass
class VolunteerData:
    name: str
    phone: str
    skills: str = ""
    areas: list[str] = field(default_factory=list)
    organization_id: int | None = None
    station_id: int | None = None
    user_id: int | None = None


def _organizer(
    organization_id: int | None, station_id: int | None
) -> tuple[Organization | None, SocialWorkStation | None]:
    if (organization_id is None) == (station_id is None):
        raise ValidationFailed.on("organization_id", "请在社会组织和社工站中选择且只选择一个")
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise ValidationFailed.on("organization_id", "社会组织不存在")
        return organization, None
    assert station_id is not None
    station = SocialWorkStation.objects.filter(pk=station_id).first()
    if station is None:
        raise ValidationFailed.on("station_id", "社工站不存在")
    return None, station


def may_act_for(actor: Any, organization: Organization | None, station: SocialWorkStation | None) -> bool:
    """An organization's admins act for it; a station is run by the civil affairs staff over it."""
    if organization is not None:
        return is_organization_admin(actor, organization)
    return station is not None and is_civil_affairs_over(actor, station.region_id)


@transaction.atomic
def register_volunteer(*, actor: Any, data: VolunteerData) -> Volunteer:
    organization, station = _organizer(data.organization_id, data.station_id)
    if not may_act_for(actor, organization, station):
        raise Forbidden("只有登记组织的管理员或社工站所属民政部门可以登记志愿者")
    if not data.name.strip():
        raise ValidationFailed.on("name", "请填写姓名")
    phone = data.phone.strip()
    if not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise ValidationFailed.on("phone", "手机号应为 7 到 15 位数字")
    areas = [_region(code, "areas") for code in data.areas]
    user = None
    if data.user_id is not None:
        user = User.objects.filter(pk=data.user_id, is_active=True).first()
        if user is None:
            raise ValidationFailed.on("user_id", "关联账号不存在")
    region_id = organization.region_id if organization is not None else station.region_id  # type: ignore[union-attr]
    volunteer = Volunteer.objects.create(
        name=data.name.strip(), phone=phone, skills=data.skills.strip(), region_id=region_id,
        organization=organization, station=station, user=user, created_by=actor,
    )  # fmt: skip
    volunteer.areas.set(areas)
    audit.record(
        actor=actor, action="linkage.volunteer.create", instance=volunteer, region_code=region_id,
        after={"name": volunteer.name, "areas": [a.code for a in areas], "skills": volunteer.skills},
    )  # fmt: skip
    return volunteer


# ---------------------------------------------------------------- service hours


@dataclass
class ServiceData:
    volunteer_id: int
    served_on: date
    hours: str
    content: str
    region: str
    organization_id: int | None = None
    station_id: int | None = None


def _hours(value: str) -> Decimal:
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed.on("hours", "服务时长应为数字") from None
    if not hours.is_finite() or hours <= 0 or hours > 24:
        raise ValidationFailed.on("hours", "服务时长应大于 0 且不超过 24 小时")
    if hours != hours.quantize(Decimal("0.1")):
        raise ValidationFailed.on("hours", "服务时长最多保留一位小数")
    return hours


@transaction.atomic
def record_service(*, actor: Any, volunteer: Volunteer, data: ServiceData) -> VolunteerService:
    """Recorded by the volunteer themself (linked account) or by whoever registered them."""
    organization, station = _organizer(data.organization_id, data.station_id)
    linked = volunteer.user_id is not None and volunteer.user_id == getattr(actor, "pk", None)
    if not (linked or may_act_for(actor, volunteer.organization, volunteer.station) or may_act_for(
        actor, organization, station
    )):  # fmt: skip
        raise Forbidden("只有志愿者本人、登记组织或服务组织方可以记录服务")
    hours = _hours(data.hours)
    if data.served_on > timezone.localdate():
        raise ValidationFailed.on("served_on", "服务日期不能晚于今天")
    if not data.content.strip():
        raise ValidationFailed.on("content", "请填写服务内容")
    region = _region(data.region, "region")
    service = VolunteerService.objects.create(
        volunteer=volunteer, organization=organization, station=station, served_on=data.served_on,
        hours=hours, content=data.content.strip(), region=region, recorded_by=actor,
    )  # fmt: skip
    rollups.apply(service, {})
    audit.record(
        actor=actor, action="linkage.service.record", instance=service, region_code=region.code,
        after=audit.snapshot(service),
    )  # fmt: skip
    return service


def _decide(actor: Any, service: VolunteerService, status: str, reason: str) -> VolunteerService:
    service = VolunteerService.objects.select_for_update().get(pk=service.pk)
    if not may_act_for(actor, service.organization, service.station):
        raise Forbidden("只有服务组织方可以确认或驳回服务时长")
    if service.status != VolunteerService.Status.RECORDED:
        raise InvalidTransition(f"该记录{service.get_status_display()}，不能再次处理")
    before = audit.snapshot(service)
    tallied = rollups.snapshot(service)
    service.status = status
    service.reject_reason = reason
    service.decided_by = actor
    service.decided_at = timezone.now()
    service.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    rollups.apply(service, tallied)
    audit.record(
        actor=actor, action=f"linkage.service.{status}", instance=service, region_code=service.region_id,
        before=before, after=audit.snapshot(service), note=reason,
    )  # fmt: skip
    return service


@transaction.atomic
def confirm_service(*, actor: Any, service: VolunteerService) -> VolunteerService:
    return _decide(actor, service, VolunteerService.Status.CONFIRMED, "")


@transaction.atomic
def reject_service(*, actor: Any, service: VolunteerService, reason: str) -> VolunteerService:
    if not reason.strip():
        raise ValidationFailed.on("reason", "驳回须填写原因")
    return _decide(actor, service, VolunteerService.Status.REJECTED, reason.strip())


# ---------------------------------------------------------------- incubation

STAGE_MOVES = {
    IncubationRecord.Stage.FILED: {IncubationRecord.Stage.INCUBATING, IncubationRecord.Stage.STOPPED},
    IncubationRecord.Stage.INCUBATING: {IncubationRecord.Stage.REGISTERED, IncubationRecord.Stage.STOPPED},
    IncubationRecord.Stage.REGISTERED: set(),
    IncubationRecord.Stage.STOPPED: set(),
}


@dataclass
class IncubationData:
    organization_id: int
    filed_on: date
    incubator_organization_id: int | None = None
    incubator_station_id: int | None = None
    notes: str = ""


@transaction.atomic
def file_incubation(*, actor: Any, data: IncubationData) -> IncubationRecord:
    organization = Organization.objects.filter(pk=data.organization_id).first()
    if organization is None:
        raise ValidationFailed.on("organization_id", "社会组织不存在")
    if not is_civil_affairs_over(actor, organization.region_id):
        raise Forbidden("只有所辖民政部门可以备案孵化记录")
    if not organization.is_rural_community:
        raise ValidationFailed.on("organization_id", "只有农村社区社会组织可以备案孵化")
    if IncubationRecord.objects.filter(organization=organization).exists():
        raise ValidationFailed.on("organization_id", "该组织已有孵化记录")
    incubator, station = _organizer(data.incubator_organization_id, data.incubator_station_id)
    if incubator is not None and not incubator.is_hub:
        raise ValidationFailed.on("incubator_organization_id", "孵化机构应为枢纽型社会组织或社工站")
    if data.filed_on > timezone.localdate():
        raise ValidationFailed.on("filed_on", "备案日期不能晚于今天")
    record = IncubationRecord.objects.create(
        organization=organization, incubator_organization=incubator, incubator_station=station,
        filed_on=data.filed_on, notes=data.notes.strip(), created_by=actor,
    )  # fmt: skip
    audit.record(
        actor=actor, action="linkage.incubation.file", instance=record, region_code=organization.region_id,
        after=audit.snapshot(record),
    )  # fmt: skip
    return record


@transaction.atomic
def move_incubation(*, actor: Any, record: IncubationRecord, stage: str, notes: str = "") -> IncubationRecord:
    record = IncubationRecord.objects.select_for_update().select_related("organization").get(pk=record.pk)
    if not is_civil_affairs_over(actor, record.organization.region_id):
        raise Forbidden("只有所辖民政部门可以变更孵化阶段")
    if stage not in STAGE_MOVES[IncubationRecord.Stage(record.stage)]:
        raise InvalidTransition(f"孵化记录{record.get_stage_display()}，不能变更为该阶段")
    before = audit.snapshot(record)
    record.stage = stage
    if notes.strip():
        record.notes = (record.notes + "\n" + notes.strip()).strip()
    record.save(update_fields=["stage", "notes", "updated_at"])
    audit.record(
        actor=actor, action="linkage.incubation.move", instance=record, region_code=record.organization.region_id,
        before=before, after=audit.snapshot(record), note=notes,
    )  # fmt: skip
    return record
