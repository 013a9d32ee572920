"""Every write to brands, exemplary cases and commendations: one business action per function,
one transaction each, permission checked (rules in `brands.rules`) and audited.

Exemplary case workflow: draft → submitted → (returned → submitted) → published → withdrawn.
A case's figures are read from the records (`brands.figures`) when it is written and on every
edit, so what it shows is what the platform recorded, not what someone typed.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.brands import figures, rules, selectors
from xiangzhen.brands.models import CharityBrand, Commendation, ExemplaryCase
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import Domain
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version, stamp
from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization


def _record(actor: Any, action: str, instance: Any, region_code: str, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"brands.{action}", instance=instance, region_code=region_code, **kwargs)


# ---------------------------------------------------------------- charity brands


@dataclass
class BrandData(InputData):
    name: str
    description: str
    started_year: Any
    domains: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, brand: CharityBrand) -> "BrandData":
        return cls(
            name=brand.name, description=brand.description, started_year=brand.started_year,
            domains=sorted(brand.domains.values_list("code", flat=True)),
        )  # fmt: skip


BRAND_FIELDS = ["name", "description", "started_year", "domains", "status"]


def _clean_brand(data: BrandData) -> tuple[dict[str, Any], list[Domain]]:
    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"name": _("请填写品牌名称"), "description": _("请填写品牌简介")},
        max_lengths={"name": ("品牌名称", 100), "description": ("品牌简介", 10000)},
    )  # fmt: skip
    year = None
    try:
        year = int(str(data.started_year).strip())
    except (TypeError, ValueError):
        problems.fail("started_year", _("创立年份应为四位数年份，如 2018"))
    this_year = timezone.localdate().year
    if year is not None and not 1949 <= year <= this_year:
        problems.fail("started_year", _("创立年份应在 1949 到 %(year)s 之间") % {"year": this_year})
    known = {d.code: d for d in Domain.objects.all()}
    unknown = [code for code in data.domains or [] if code not in known]
    if unknown:
        problems.fail("domains", _("没有这些领域：%(codes)s") % {"codes": "、".join(unknown)})
    problems.raise_any()
    return {"name": text["name"], "description": text["description"], "started_year": year}, [
        known[code] for code in data.domains or []
    ]


@transaction.atomic
def create_brand(*, actor: Any, organization: Organization, data: BrandData) -> CharityBrand:
    """An org admin names a repeated programme of the organization as its charity brand."""
    if not organization_rules.is_org_admin(actor, organization):
        raise Forbidden(_("只有本组织的管理员可以创建公益品牌"))
    values, domains = _clean_brand(data)
    if CharityBrand.objects.filter(organization=organization, name=values["name"]).exists():
        raise ValidationFailed.on("name", _("本组织已有名为“%(name)s”的公益品牌") % {"name": values["name"]})
    brand = CharityBrand.objects.create(
        number=next_number("PP", organization.region_id), organization=organization, created_by=actor, **values
    )
    brand.domains.set(domains)
    _record(actor, "brand_create", brand, organization.region_id, after=audit.snapshot(brand, BRAND_FIELDS))
    return brand


@transaction.atomic
def update_brand(*, actor: Any, brand: CharityBrand, changes: dict[str, Any]) -> CharityBrand:
    if not selectors.brands(actor).filter(pk=brand.pk).exists():
        raise NotFound(_("公益品牌不存在或无权查看"))
    locked = CharityBrand.objects.select_for_update().select_related("organization").get(pk=brand.pk)
    if not rules.can_manage_brand(actor, locked):
        raise Forbidden(_("只有本组织的管理员可以修改公益品牌"))
    values, domains = _clean_brand(BrandData.of(locked).merged(changes))
    if (
        CharityBrand.objects.filter(organization=locked.organization, name=values["name"])
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationFailed.on("name", _("本组织已有名为“%(name)s”的公益品牌") % {"name": values["name"]})
    before = audit.snapshot(locked, BRAND_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    locked.domains.set(domains)
    _record(
        actor,
        "brand_update",
        locked,
        locked.organization.region_id,
        before=before,
        after=audit.snapshot(locked, BRAND_FIELDS),
    )
    return locked


@transaction.atomic
def set_brand_status(*, actor: Any, brand: CharityBrand, status: str) -> CharityBrand:
    """Retire a brand that stopped running, or bring it back; its past activities keep it."""
    if not selectors.brands(actor).filter(pk=brand.pk).exists():
        raise NotFound(_("公益品牌不存在或无权查看"))
    locked = CharityBrand.objects.select_for_update().select_related("organization").get(pk=brand.pk)
    if not rules.can_manage_brand(actor, locked):
        raise Forbidden(_("只有本组织的管理员可以停止或恢复公益品牌"))
    if status not in CharityBrand.Status.values:
        raise ValidationFailed.on("status", _("状态应为 active 或 retired"))
    if locked.status == status:
        raise InvalidTransition(_("公益品牌已是“%(status)s”") % {"status": locked.get_status_display()})
    before = {"status": locked.status}
    locked.status = status
    locked.save(update_fields=["status"])
    _record(actor, "brand_status", locked, locked.organization.region_id, before=before, after={"status": status})
    return locked


# ---------------------------------------------------------------- exemplary cases

CaseStatus = ExemplaryCase.Status
CASE_WORKFLOW = StateMachine(
    dict(CaseStatus.choices),
    [
        Transition("submit", "提交审核", frozenset({CaseStatus.DRAFT}), CaseStatus.SUBMITTED),
        Transition("resubmit", "重新提交", frozenset({CaseStatus.RETURNED}), CaseStatus.SUBMITTED),
        Transition("publish", "审核发布", frozenset({CaseStatus.SUBMITTED}), CaseStatus.PUBLISHED),
        Transition("return", "退回修改", frozenset({CaseStatus.SUBMITTED}), CaseStatus.RETURNED),
        Transition("withdraw", "撤下", frozenset({CaseStatus.PUBLISHED}), CaseStatus.WITHDRAWN),
    ],
)
WRITER_ACTIONS = ("submit", "resubmit")
REVIEW_ACTIONS = ("publish", "return")
EDITABLE_CASE_STATUSES = (CaseStatus.DRAFT, CaseStatus.RETURNED)
CASE_FIELDS = ["title", "organization", "brand", "campaign", "summary", "body", "figures", "status", "version"]


@dataclass
class CaseData(InputData):
    title: str
    summary: str
    body: str
    organization_id: Any = None
    brand_id: int | None = None
    campaign_id: int | None = None

    @classmethod
    def of(cls, case: ExemplaryCase) -> "CaseData":
        return cls(
            title=case.title, summary=case.summary, body=case.body, organization_id=case.organization_id,
            brand_id=case.brand_id, campaign_id=case.campaign_id,
        )  # fmt: skip


def _clean_case(actor: Any, data: CaseData) -> dict[str, Any]:
    """The case's fields, its subject checked against the writer's scope and the records."""
    from xiangzhen.campaigns import selectors as campaign_selectors
    from xiangzhen.campaigns.models import Enrollment
    from xiangzhen.organizations import selectors as organization_selectors

    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"title": _("请填写标题"), "summary": _("请填写摘要"), "body": _("请填写正文")},
        max_lengths={"title": ("标题", 200), "summary": ("摘要", 300), "body": ("正文", 50000)},
    )  # fmt: skip
    organization = None
    try:
        organization = organization_selectors.get_organization(actor, data.organization_id)
    except NotFound:
        problems.fail("organization_id", _("请选择本辖区内的社会组织"))
    brand = campaign = None
    if organization is not None and data.brand_id:
        brand = CharityBrand.objects.filter(pk=data.brand_id, organization=organization).first()
        if brand is None:
            problems.fail("brand_id", _("所选公益品牌不属于“%(org)s”") % {"org": organization.name})
    if organization is not None and data.campaign_id:
        campaign = campaign_selectors.campaigns(actor).filter(pk=data.campaign_id).first()
        if campaign is None:
            problems.fail("campaign_id", _("专项行动不存在或无权查看"))
        elif not Enrollment.objects.filter(campaign=campaign, organization=organization).exists():
            problems.fail("campaign_id", _("“%(org)s”没有参加该专项行动") % {"org": organization.name})
    problems.raise_any()
    assert organization is not None
    return {
        "title": text["title"], "summary": text["summary"], "body": text["body"], "organization": organization,
        "brand": brand, "campaign": campaign,
        "figures": figures.case_figures(
            organization.pk, brand.pk if brand else None, campaign.pk if campaign else None
        ),
    }  # fmt: skip


@transaction.atomic
def create_case(*, actor: Any, data: CaseData) -> ExemplaryCase:
    """Staff write a case about an organization in their region; it belongs to their department's region."""
    department = rules.staff_department(actor)
    if department is None:
        raise Forbidden(_("只有民政部门或乡村振兴部门的工作人员可以撰写典型案例"))
    values = _clean_case(actor, data)
    case = ExemplaryCase.objects.create(
        number=next_number("AL", department.region_id), region_id=department.region_id, created_by=actor, **values
    )
    _record(actor, "case_create", case, case.region_id, after=audit.snapshot(case, CASE_FIELDS))
    return case


def _require_case_visible(actor: Any, case: ExemplaryCase) -> None:
    if not selectors.cases(actor).filter(pk=case.pk).exists():
        raise NotFound(_("典型案例不存在或无权查看"))


@transaction.atomic
def update_case(
    *, actor: Any, case: ExemplaryCase, changes: dict[str, Any], expected_version: int | None = None
) -> ExemplaryCase:
    """The writer's department edits a draft or returned case; the figures are read again."""
    _require_case_visible(actor, case)
    locked = ExemplaryCase.objects.select_for_update().select_related("created_by").get(pk=case.pk)
    if not rules.is_writer_department(actor, locked):
        raise Forbidden(_("只有撰写部门的工作人员可以修改典型案例"))
    if locked.status not in EDITABLE_CASE_STATUSES:
        raise InvalidTransition(
            _("当前状态为“%(status)s”，只有草稿和已退回的案例可以修改") % {"status": locked.get_status_display()}
        )
    check_version(locked, case.version if expected_version is None else expected_version, "典型案例")
    values = _clean_case(actor, CaseData.of(locked).merged(changes))
    before = audit.snapshot(locked, CASE_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    _record(actor, "case_update", locked, locked.region_id, before=before, after=audit.snapshot(locked, CASE_FIELDS))
    return locked


def _case_transition(
    *, actor: Any, case: ExemplaryCase, action: str, reason: str = "", reason_required: bool = False,
    expected_version: int | None = None, **changes: Any,
) -> ExemplaryCase:  # fmt: skip
    _require_case_visible(actor, case)
    if action in WRITER_ACTIONS and not rules.is_writer_department(actor, case):
        raise Forbidden(_("只有撰写部门的工作人员可以提交典型案例"))
    if action in REVIEW_ACTIONS and not rules.can_review(actor, case):
        raise Forbidden(
            _("典型案例由上一级民政或乡村振兴部门审核（省级案例由同级另一部门审核），不能审核本人撰写的案例")
        )
    if action == "withdraw" and not rules.can_withdraw(actor, case):
        raise Forbidden(_("只有撰写部门或审核部门可以撤下典型案例"))
    CASE_WORKFLOW.target(case.status, action)
    reason = CASE_WORKFLOW.clean_reason(action, reason, required=reason_required)
    check_version(case, expected_version, "典型案例")
    before = audit.snapshot(case, ["status", "version", "return_reason"])
    CASE_WORKFLOW.apply(case, action, updated_at=timezone.now(), **changes)
    _record(actor, f"case_{action}", case, case.region_id, before=before,
            after=audit.snapshot(case, ["status", "version", "return_reason"]), note=reason)  # fmt: skip
    return case


@transaction.atomic
def submit_case(
    *, actor: Any, case: ExemplaryCase, reason: str = "", expected_version: int | None = None
) -> ExemplaryCase:
    return _case_transition(actor=actor, case=case, action="submit", reason=reason, expected_version=expected_version)


@transaction.atomic
def resubmit_case(
    *, actor: Any, case: ExemplaryCase, reason: str = "", expected_version: int | None = None
) -> ExemplaryCase:
    return _case_transition(actor=actor, case=case, action="resubmit", reason=reason, expected_version=expected_version)


@transaction.atomic
def publish_case(
    *, actor: Any, case: ExemplaryCase, reason: str = "", expected_version: int | None = None
) -> ExemplaryCase:
    return _case_transition(
        actor=actor, case=case, action="publish", reason=reason, expected_version=expected_version,
        return_reason="", published_at=timezone.now(), **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def return_case(*, actor: Any, case: ExemplaryCase, reason: str, expected_version: int | None = None) -> ExemplaryCase:
    reason = (reason or "").strip()
    return _case_transition(
        actor=actor, case=case, action="return", reason=reason, reason_required=True,
        expected_version=expected_version, return_reason=reason[:MAX_REASON], **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def withdraw_case(
    *, actor: Any, case: ExemplaryCase, reason: str = "", expected_version: int | None = None
) -> ExemplaryCase:
    """A published case comes off the portal (a reason is required: it is kept in the trail)."""
    return _case_transition(
        actor=actor,
        case=case,
        action="withdraw",
        reason=reason,
        reason_required=True,
        expected_version=expected_version,
    )


CASE_SERVICES: dict[str, Any] = {
    "submit": submit_case,
    "resubmit": resubmit_case,
    "publish": publish_case,
    "return": return_case,
    "withdraw": withdraw_case,
}


# ---------------------------------------------------------------- commendations


@dataclass
class CommendationData(InputData):
    organization_id: Any
    year: Any
    title: str
    issuing_department: str
    awarded_on: Any
    document_number: str = ""

    @classmethod
    def of(cls, commendation: Commendation) -> "CommendationData":
        return cls(
            organization_id=commendation.organization_id, year=commendation.year, title=commendation.title,
            issuing_department=commendation.issuing_department, awarded_on=commendation.awarded_on,
            document_number=commendation.document_number,
        )  # fmt: skip


COMMENDATION_FIELDS = ["organization", "year", "title", "issuing_department", "document_number", "awarded_on"]


def _clean_commendation(actor: Any, data: CommendationData) -> dict[str, Any]:
    from xiangzhen.organizations import selectors as organization_selectors

    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"title": _("请填写表彰名称"), "issuing_department": _("请填写表彰单位")},
        max_lengths={
            "title": ("表彰名称", 200), "issuing_department": ("表彰单位", 200), "document_number": ("文号", 100),
        },
    )  # fmt: skip
    organization = None
    try:
        organization = organization_selectors.get_organization(actor, data.organization_id)
    except NotFound:
        problems.fail("organization_id", _("请选择本辖区内的社会组织"))
    year = None
    try:
        year = int(str(data.year).strip())
    except (TypeError, ValueError):
        problems.fail("year", _("年度应为四位数年份"))
    this_year = timezone.localdate().year
    if year is not None and not 2000 <= year <= this_year:
        problems.fail("year", _("年度应在 2000 到 %(year)s 之间") % {"year": this_year})
    awarded_on = data.awarded_on
    if isinstance(awarded_on, str):
        try:
            awarded_on = date.fromisoformat(awarded_on.strip())
        except ValueError:
            problems.fail("awarded_on", _("表彰日期应写成 2026-06-30"))
            awarded_on = None
    if not isinstance(awarded_on, date):
        problems.fail("awarded_on", _("请填写表彰日期"))
    elif awarded_on > timezone.localdate():
        problems.fail("awarded_on", _("表彰日期不能晚于今天"))
    elif year is not None and awarded_on.year not in (year, year + 1):
        problems.fail("awarded_on", _("表彰日期应在表彰年度当年或次年"))
    problems.raise_any()
    return {
        "organization": organization, "year": year, "title": text["title"],
        "issuing_department": text["issuing_department"], "document_number": text["document_number"],
        "awarded_on": awarded_on,
    }  # fmt: skip


@transaction.atomic
def record_commendation(*, actor: Any, data: CommendationData) -> Commendation:
    """Staff record a commendation of an organization in their region, under their own region."""
    department = rules.staff_department(actor)
    if department is None:
        raise Forbidden(_("只有民政部门或乡村振兴部门的工作人员可以登记表彰"))
    values = _clean_commendation(actor, data)
    commendation = Commendation(region_id=department.region_id, recorded_by=actor, **values)
    try:
        with transaction.atomic():
            commendation.save()
    except IntegrityError:
        raise ValidationFailed.on("title", _("该组织同一年度的这项表彰已登记过")) from None
    _record(
        actor,
        "commendation",
        commendation,
        commendation.region_id,
        after=audit.snapshot(commendation, COMMENDATION_FIELDS),
    )
    return commendation


@transaction.atomic
def update_commendation(*, actor: Any, commendation: Commendation, changes: dict[str, Any]) -> Commendation:
    """Staff of the issuer's region correct a commendation (audited)."""
    if not selectors.commendations(actor).filter(pk=commendation.pk).exists():
        raise NotFound(_("表彰记录不存在或无权查看"))
    locked = Commendation.objects.select_for_update().get(pk=commendation.pk)
    if not rules.can_edit_commendation(actor, locked):
        raise Forbidden(_("只有表彰单位所在地区的工作人员可以修改表彰记录"))
    values = _clean_commendation(actor, CommendationData.of(locked).merged(changes))
    before = audit.snapshot(locked, COMMENDATION_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationFailed.on("title", _("该组织同一年度的这项表彰已登记过")) from None
    _record(
        actor,
        "commendation_update",
        locked,
        locked.region_id,
        before=before,
        after=audit.snapshot(locked, COMMENDATION_FIELDS),
    )
    return locked
