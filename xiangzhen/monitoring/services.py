"""Every write to monitoring records. Each public function is one business action in one
transaction, checks who may act on this record, and writes the audit trail — never personal data
in clear: the trail, like `str(household)`, names a household by its number only."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.crypto import lookup_hash
from xiangzhen.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.validation import PHONE_PATTERN
from xiangzhen.monitoring import rules
from xiangzhen.monitoring.models import AssistanceRecord, HouseholdAccess, HouseholdMember, MonitoredHousehold
from xiangzhen.monitoring.validation import id_number_problem
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Region
from xiangzhen.stats import rollups

Status = MonitoredHousehold.Status
AUDIT_FIELDS = ["number", "village", "category", "risks", "income_per_capita", "status", "identified_on",
                "closed_on", "close_reason"]  # fmt: skip


@dataclass
class HouseholdData:
    village_code: str
    category: str
    head_name: str
    head_id_number: str
    income_per_capita: Decimal
    identified_on: date
    phone: str = ""
    risks: list[str] = field(default_factory=list)


@dataclass
class MemberData:
    name: str
    id_number: str
    relation: str
    health: str = ""
    education: str = ""
    work: str = ""


@dataclass
class AssistanceData:
    kind: str
    what: str
    given_on: date
    amount: Decimal = Decimal(0)
    note: str = ""


def _record(actor: Any, action: str, household: MonitoredHousehold, **kwargs: Any) -> None:
    audit.record(
        actor=actor, action=f"monitoring.{action}", instance=household, region_code=household.village_id, **kwargs
    )


def _id_number(raw: str, field_name: str) -> str:
    problem = id_number_problem(raw)
    if problem:
        raise ValidationFailed.on(field_name, problem)
    return raw.strip().upper()


def _clean_household(actor: Any, data: HouseholdData) -> Region:
    region = Region.objects.filter(pk=codes.normalize(data.village_code)).first() if data.village_code else None
    if region is None or codes.level_of(region.code) != Level.VILLAGE:
        raise ValidationFailed.on("village_code", "请选择监测对象所在的村（12 位村级区划代码）")
    if not rules.is_county_staff_for(actor, region.code):
        raise ValidationFailed.on("village_code", f"“{region.name}”不在您所在县的范围内")
    if data.category not in MonitoredHousehold.Category.values:
        raise ValidationFailed.on("category", "监测类型应为脱贫不稳定户、边缘易致贫户或突发严重困难户")
    if not data.head_name.strip() or len(data.head_name.strip()) > 50:
        raise ValidationFailed.on("head_name", "请填写户主姓名（不超过 50 个字）")
    unknown = [r for r in data.risks if r not in MonitoredHousehold.Risk.values]
    if not data.risks or unknown:
        raise ValidationFailed.on(
            "risks", "请选择至少一项风险类型（因病、因学、因残、因灾、因意外、产业失败、务工就业不稳、其他）"
        )
    phone = data.phone.strip()
    if phone and not PHONE_PATTERN.match(phone):
        raise ValidationFailed.on("phone", f"联系电话“{phone}”格式不正确，请填写手机号或带区号的固定电话")
    if data.income_per_capita < 0:
        raise ValidationFailed.on("income_per_capita", "人均纯收入不能为负数")
    if data.identified_on > timezone.localdate():
        raise ValidationFailed.on("identified_on", "识别日期不能晚于今天")
    return region


@transaction.atomic
def create_household(*, actor: Any, data: HouseholdData) -> MonitoredHousehold:
    """County rural revitalization staff record a household under monitoring; it gets its JC number."""
    if not rules.can_record(actor):
        raise Forbidden("只有县级乡村振兴部门工作人员可以录入监测对象")
    region = _clean_household(actor, data)
    id_number = _id_number(data.head_id_number, "head_id_number")
    key = lookup_hash(id_number)
    if MonitoredHousehold.objects.filter(id_number_key=key).exists():
        raise ValidationFailed.on("head_id_number", "该户主身份证号已登记为监测对象")
    household = MonitoredHousehold.objects.create(
        number=next_number("JC", region.code),
        village=region,
        category=data.category,
        head_name=data.head_name.strip(),
        head_id_number=id_number,
        id_number_key=key,
        phone=data.phone.strip(),
        risks=sorted(set(data.risks), key=MonitoredHousehold.Risk.values.index),
        income_per_capita=data.income_per_capita,
        identified_on=data.identified_on,
        recorded_by=actor,
    )
    _record(actor, "create", household, after=audit.snapshot(household, AUDIT_FIELDS))
    return household


def _require_manager(actor: Any, household: MonitoredHousehold) -> MonitoredHousehold:
    locked = MonitoredHousehold.objects.select_for_update().get(pk=household.pk)
    if not rules.can_manage(actor, locked):
        from xiangzhen.monitoring.selectors import households

        if not households(actor).filter(pk=locked.pk).exists():
            raise NotFound("监测对象不存在或无权查看")
        raise Forbidden("只有该县乡村振兴部门工作人员可以维护监测对象")
    return locked


@transaction.atomic
def add_member(*, actor: Any, household: MonitoredHousehold, data: MemberData) -> HouseholdMember:
    locked = _require_manager(actor, household)
    if not data.name.strip() or len(data.name.strip()) > 50:
        raise ValidationFailed.on("name", "请填写成员姓名（不超过 50 个字）")
    if not data.relation.strip() or len(data.relation.strip()) > 20:
        raise ValidationFailed.on("relation", "请填写与户主关系（不超过 20 个字）")
    member = HouseholdMember.objects.create(
        household=locked,
        name=data.name.strip(),
        id_number=_id_number(data.id_number, "id_number"),
        relation=data.relation.strip(),
        health=data.health.strip()[:50],
        education=data.education.strip()[:50],
        work=data.work.strip()[:100],
    )
    _record(actor, "add_member", locked, note=f"新增家庭成员（{member.relation}）")
    return member


@transaction.atomic
def close_household(
    *, actor: Any, household: MonitoredHousehold, status: str, on: date, reason: str
) -> MonitoredHousehold:
    """Risk eliminated (风险消除) or moved out, with the date and the reason."""
    locked = _require_manager(actor, household)
    if status not in (Status.RISK_ELIMINATED, Status.MOVED_OUT):
        raise ValidationFailed.on("status", "只能标记为风险消除或已迁出")
    if locked.status != Status.MONITORING:
        raise Conflict(f"该户当前为“{locked.get_status_display()}”，不在监测中")
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed.on("reason", "请填写原因（不超过 500 个字）")
    if on < locked.identified_on or on > timezone.localdate():
        raise ValidationFailed.on("on", "日期应在识别日期与今天之间")
    before = audit.snapshot(locked, AUDIT_FIELDS)
    locked.status, locked.closed_on, locked.close_reason = status, on, reason
    locked.save()
    _record(actor, status, locked, before=before, after=audit.snapshot(locked, AUDIT_FIELDS))
    return locked


@transaction.atomic
def reveal_personal(*, actor: Any, household: MonitoredHousehold) -> MonitoredHousehold:
    """Record that the actor viewed names, ID numbers and phones in full; Forbidden for other roles."""
    if not rules.can_see_full(actor, household):
        raise Forbidden("您的角色只能查看打码后的个人信息")
    _record(actor, "view_personal", household, note="查看完整户主及家庭成员信息")
    return household


@transaction.atomic
def grant_access(*, actor: Any, household: MonitoredHousehold, organization_id: int, until: date) -> HouseholdAccess:
    """The county lets an organization see the household (masked) and record help until `until`."""
    locked = _require_manager(actor, household)
    organization = Organization.objects.filter(pk=organization_id, status=Organization.Status.APPROVED).first()
    if organization is None:
        raise ValidationFailed.on("organization_id", "社会组织不存在或尚未通过审核")
    if until < timezone.localdate():
        raise ValidationFailed.on("until", "有效期不能早于今天")
    access, _ = HouseholdAccess.objects.update_or_create(
        organization=organization, household=locked, defaults={"granted_by": actor, "until": until}
    )
    _record(actor, "grant_access", locked, note=f"授权{organization.name}查看（打码）并记录帮扶，至 {until}")
    return access


@transaction.atomic
def record_assistance(
    *, actor: Any, household: MonitoredHousehold, organization_id: int, data: AssistanceData
) -> AssistanceRecord:
    """An organization granted this household records help it gave."""
    if not rules.can_assist(actor, household, organization_id):
        raise Forbidden("只有获得县级授权的社会组织可以为该户记录帮扶")
    if data.kind not in AssistanceRecord.Kind.values:
        raise ValidationFailed.on("kind", "帮扶类型应为资金、物资、服务、就业岗位或技能培训")
    what = data.what.strip()
    if not what or len(what) > 200:
        raise ValidationFailed.on("what", "请填写帮扶内容（不超过 200 个字）")
    if data.amount < 0:
        raise ValidationFailed.on("amount", "金额不能为负数")
    if data.given_on > timezone.localdate():
        raise ValidationFailed.on("given_on", "帮扶日期不能晚于今天")
    if len(data.note) > 500:
        raise ValidationFailed.on("note", "备注不超过 500 个字")
    record = AssistanceRecord.objects.create(
        household=household,
        organization_id=organization_id,
        kind=data.kind,
        what=what,
        given_on=data.given_on,
        amount=data.amount,
        note=data.note.strip(),
        recorded_by=actor,
    )
    rollups.apply(record, {})
    _record(actor, "record_assistance", household, note=f"记录帮扶：{record.get_kind_display()}")
    return record
