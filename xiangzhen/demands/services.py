"""Every write to demands: creating and editing, the review workflow, the states the matching app
moves a demand through, expiry, attachments and the Excel import. Each public function is one
business action in one transaction, checks scope and permission, and writes the audit trail.
"""

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xiangzhen.core import attachments, audit
from xiangzhen.core.crypto import lookup_hash
from xiangzhen.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.scope import restrict
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version, stamp
from xiangzhen.core.textsearch import index_text
from xiangzhen.core.uploads import ImportReport, all_rows_or_none
from xiangzhen.core.validation import Catalog
from xiangzhen.demands import excel, rules
from xiangzhen.demands.models import Demand, DemandBeneficiary
from xiangzhen.demands.validation import Cleaned, DemandData, RegionResolver, clean_demand_data
from xiangzhen.notifications.tasks import schedule_demand_push
from xiangzhen.recommendations.tasks import schedule_corpus_rebuild
from xiangzhen.stats import rollups

Status = Demand.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("submit", "提交审核", frozenset({Status.DRAFT}), Status.SUBMITTED),
        Transition("return", "退回修改", frozenset({Status.SUBMITTED}), Status.RETURNED),
        Transition("resubmit", "重新提交", frozenset({Status.RETURNED}), Status.SUBMITTED),
        Transition("publish", "审核发布", frozenset({Status.SUBMITTED}), Status.PUBLISHED),
        Transition(
            "withdraw",
            "撤回",
            frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED}),
            Status.WITHDRAWN,
        ),
        Transition("expire", "到期关闭", frozenset({Status.PUBLISHED}), Status.EXPIRED),
        # Moved by the matching app through `mark_demand`.
        Transition("match", "对接成功", frozenset({Status.PUBLISHED}), Status.MATCHED),
        Transition("release", "取消对接", frozenset({Status.MATCHED}), Status.PUBLISHED),
        Transition("start", "开始实施", frozenset({Status.MATCHED}), Status.IN_PROGRESS),
        Transition("complete", "实施完成", frozenset({Status.IN_PROGRESS}), Status.COMPLETED),
        Transition("evaluate", "完成评价", frozenset({Status.COMPLETED}), Status.EVALUATED),
    ],
)
REVIEW_ACTIONS = ("publish", "return")
MATCHING_ACTIONS = ("match", "release", "start", "complete", "evaluate")
AUDIT_FIELDS = [
    "number", "title", "description", "region", "domains", "aid_mode", "budget", "in_kind", "period_start",
    "period_end", "deadline", "on_behalf_of_household", "household_consent", "status", "return_reason", "version",
]  # fmt: skip
# Personal data never goes into the audit trail in clear; only that it changed.
PERSONAL_FIELDS = ("contact_name", "contact_phone", "household_name")


def _snapshot(demand: Demand) -> dict[str, Any]:
    data = audit.snapshot(demand, AUDIT_FIELDS)
    data["beneficiaries"] = sorted(
        f"{code}:{n}" for code, n in demand.beneficiaries.values_list("group__code", "head_count")
    )
    # A keyed hash: shows that personal data changed without letting anyone guess it from the trail.
    data["personal"] = lookup_hash("|".join(str(getattr(demand, f) or "") for f in PERSONAL_FIELDS))[:16]
    return data


def _record(actor: Any, action: str, demand: Demand, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"demands.{action}", instance=demand, region_code=demand.region_id, **kwargs)


def _require_visible(actor: Any, demand: Demand) -> None:
    if not restrict(Demand.objects.filter(pk=demand.pk), actor).exists():
        raise NotFound("需求项目不存在或无权查看")


def _write(demand: Demand, cleaned: Cleaned) -> None:
    data = cleaned.data
    for name in DemandData.field_names():
        if name not in ("region_code", "domains", "beneficiaries"):
            setattr(demand, name, getattr(data, name))
    demand.region = cleaned.region
    demand.search_index = index_text(data.title, data.description)
    household = data.household_name.strip() if data.on_behalf_of_household else ""
    demand.household_key = lookup_hash(f"{cleaned.region.pk}:{household}") if household else ""


def _write_relations(demand: Demand, cleaned: Cleaned) -> None:
    demand.domains.set(cleaned.domains)
    DemandBeneficiary.objects.filter(demand=demand).delete()
    DemandBeneficiary.objects.bulk_create(
        [DemandBeneficiary(demand=demand, group=group, head_count=n) for group, n in cleaned.beneficiaries]
    )


def _attach_all(actor: Any, demand: Demand, uploads: Iterable[UploadedFile]) -> None:
    for upload in uploads:
        attachments.attach(actor=actor, owner=demand, upload=upload)


# ---------------------------------------------------------------- create and edit


@transaction.atomic
def create_demand(
    *,
    actor: Any,
    data: DemandData,
    submit: bool = False,
    publish: bool = False,
    uploads: Iterable[UploadedFile] = (),
) -> Demand:
    """A submitter or the county records a need; it gets its XQ number now and starts as a draft.

    `submit` sends it for review at once; `publish` (county staff only) publishes it directly.
    """
    if not rules.can_create(actor):
        raise Forbidden("只有村、乡镇需求填报员和县级乡村振兴部门工作人员可以填报需求")
    cleaned = clean_demand_data(data)
    if not rules.can_create_in(actor, cleaned.region.code):
        raise ValidationFailed.on(
            "region_code", f"“{cleaned.region.full_name or cleaned.region.name}”不在您的管辖范围内"
        )
    if publish and not rules.is_county_reviewer(actor, cleaned.region.code):
        raise Forbidden("只有县级乡村振兴部门工作人员可以直接发布需求")
    demand = Demand(number=next_number("XQ", cleaned.region.code), entered_by=actor, status=Status.DRAFT)
    _write(demand, cleaned)
    demand.save()
    _write_relations(demand, cleaned)
    rollups.apply(demand, {})
    _attach_all(actor, demand, uploads)
    note = "代农户填报，农户已同意" if cleaned.data.on_behalf_of_household else ""
    _record(actor, "create", demand, after=_snapshot(demand), note=note)
    if submit or publish:
        _transition(actor=actor, demand=demand, action="submit")
    if publish:
        _transition(actor=actor, demand=demand, action="publish", **stamp(actor, "published"))
    return demand


@transaction.atomic
def update_demand(
    *,
    actor: Any,
    demand: Demand,
    changes: dict[str, Any],
    expected_version: int | None = None,
    uploads: Iterable[UploadedFile] = (),
) -> Demand:
    """Edit a demand: submitters while it is a draft or returned, the county until it is matched."""
    _require_visible(actor, demand)
    locked = Demand.objects.select_for_update().get(pk=demand.pk)
    if not rules.can_edit(actor, locked):
        raise Forbidden(f"当前状态为“{locked.get_status_display()}”，您不能修改该需求")
    check_version(locked, demand.version if expected_version is None else expected_version, "需求项目")
    current = DemandData.of(locked)
    proposed = current.merged(changes)
    cleaned = clean_demand_data(proposed, check_deadline=proposed.deadline != current.deadline)
    if not rules.can_create_in(actor, cleaned.region.code):
        raise ValidationFailed.on(
            "region_code", f"“{cleaned.region.full_name or cleaned.region.name}”不在您的管辖范围内"
        )
    before = _snapshot(locked)
    tallied = rollups.snapshot(locked)
    _write(locked, cleaned)
    locked.version += 1
    locked.save()
    _write_relations(locked, cleaned)
    rollups.apply(locked, tallied)
    _attach_all(actor, locked, uploads)
    _record(actor, "update", locked, before=before, after=_snapshot(locked))
    return locked


@transaction.atomic
def add_attachments(*, actor: Any, demand: Demand, uploads: Iterable[UploadedFile]) -> Demand:
    """Photos and documents for a demand the actor may edit."""
    _require_visible(actor, demand)
    if not rules.can_edit(actor, demand):
        raise Forbidden(f"当前状态为“{demand.get_status_display()}”，您不能为该需求添加附件")
    _attach_all(actor, demand, uploads)
    return demand


@transaction.atomic
def reveal_personal(*, actor: Any, demand: Demand) -> Demand:
    """Record that the actor viewed the contact and household in full; Forbidden if their role may not."""
    if not rules.can_see_personal(actor, demand):
        _require_visible(actor, demand)
        raise Forbidden("您的角色只能查看打码后的联系方式")
    _record(actor, "view_personal", demand, note="查看完整联系人与农户信息")
    return demand


# ---------------------------------------------------------------- workflow


def _transition(
    *,
    actor: Any,
    demand: Demand,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    expected_version: int | None = None,
    **changes: Any,
) -> Demand:
    WORKFLOW.target(demand.status, action)  # InvalidTransition before anything else is checked
    reason = WORKFLOW.clean_reason(action, reason, required=reason_required)
    check_version(demand, expected_version, "需求项目")
    before = _snapshot(demand)
    tallied = rollups.snapshot(demand)
    WORKFLOW.apply(demand, action, updated_at=timezone.now(), **changes)
    rollups.apply(demand, tallied)
    _record(actor, action, demand, before=before, after=_snapshot(demand), note=reason)
    if action == "publish":
        # Every path that publishes (review, direct publication, Excel import) passes here; the push
        # to fitting organizations and the recount of the text corpus are enqueued once this
        # transaction commits, never run now.
        schedule_demand_push(demand.pk)
        schedule_corpus_rebuild()
    return demand


def _guarded(actor: Any, demand: Demand, allowed: bool, message: str) -> None:
    _require_visible(actor, demand)
    if not allowed:
        raise Forbidden(message)


@transaction.atomic
def submit_demand(*, actor: Any, demand: Demand, expected_version: int | None = None) -> Demand:
    _guarded(actor, demand, rules.can_submit(actor, demand), "只有本地的需求填报员或县级乡村振兴部门可以提交")
    return _transition(actor=actor, demand=demand, action="submit", expected_version=expected_version)


@transaction.atomic
def resubmit_demand(*, actor: Any, demand: Demand, expected_version: int | None = None) -> Demand:
    _guarded(actor, demand, rules.can_submit(actor, demand), "只有本地的需求填报员或县级乡村振兴部门可以重新提交")
    return _transition(
        actor=actor, demand=demand, action="resubmit", expected_version=expected_version, return_reason=""
    )


@transaction.atomic
def return_demand(*, actor: Any, demand: Demand, reason: str, expected_version: int | None = None) -> Demand:
    _guarded(actor, demand, rules.can_review(actor, demand), "只有需求所在县的乡村振兴部门工作人员可以退回")
    return _transition(
        actor=actor, demand=demand, action="return", reason=reason, reason_required=True,
        expected_version=expected_version, return_reason=reason.strip()[:MAX_REASON],
    )  # fmt: skip


@transaction.atomic
def publish_demand(*, actor: Any, demand: Demand, reason: str = "", expected_version: int | None = None) -> Demand:
    _guarded(actor, demand, rules.can_review(actor, demand), "只有需求所在县的乡村振兴部门工作人员可以发布")
    return _transition(
        actor=actor, demand=demand, action="publish", reason=reason, expected_version=expected_version,
        return_reason="", **stamp(actor, "published"),
    )  # fmt: skip


@transaction.atomic
def withdraw_demand(*, actor: Any, demand: Demand, reason: str, expected_version: int | None = None) -> Demand:
    _guarded(
        actor, demand, rules.can_withdraw(actor, demand), "已发布的需求只能由县级乡村振兴部门撤回；请联系县乡村振兴部门"
    )
    return _transition(
        actor=actor, demand=demand, action="withdraw", reason=reason, reason_required=True,
        expected_version=expected_version,
    )  # fmt: skip


TRANSITION_SERVICES = {
    "submit": submit_demand,
    "resubmit": resubmit_demand,
    "return": return_demand,
    "publish": publish_demand,
    "withdraw": withdraw_demand,
}
REASON_ACTIONS = ("return", "publish", "withdraw")


@transaction.atomic
def mark_demand(*, actor: Any = None, demand: Demand, action: str, note: str = "") -> Demand:
    """Move a demand along the matching part of the workflow (match, release, start, complete, evaluate).

    For the matching app, which has checked its own permissions; `actor` None means the system.
    An action outside the table raises InvalidTransition; a stale `demand` raises Conflict.
    """
    if action not in MATCHING_ACTIONS:
        raise ValidationFailed.on("action", f"操作“{action}”不是对接流程的操作")
    return _transition(actor=actor, demand=demand, action=action, reason=note)


@transaction.atomic
def expire_demand(*, actor: Any = None, demand: Demand) -> Demand:
    """Close one published demand whose deadline has passed (the system, or its county's staff)."""
    if actor is not None:
        _guarded(actor, demand, rules.can_review(actor, demand), "只有需求所在县的乡村振兴部门工作人员可以关闭需求")
    if demand.deadline >= timezone.localdate():
        raise ValidationFailed.on("deadline", f"征集截止日期 {demand.deadline:%Y-%m-%d} 未到，不能按到期关闭")
    return _transition(actor=actor, demand=demand, action="expire", reason="征集截止日期已过")


def expire_overdue_demands(*, today: date | None = None) -> list[str]:
    """Expire every published demand past its deadline, one transaction each; returns their numbers.

    A demand someone else moved meanwhile (taken, withdrawn) is skipped, not an error.
    """
    today = today or timezone.localdate()
    expired = []
    for demand in Demand.objects.filter(status=Status.PUBLISHED, deadline__lt=today).order_by("pk"):
        try:
            with transaction.atomic():
                _transition(actor=None, demand=demand, action="expire", reason="征集截止日期已过")
            expired.append(demand.number)
        except Conflict:
            continue
    return expired


# ---------------------------------------------------------------- Excel import


@dataclass
class ImportRow:
    row_number: int
    title: str
    region_name: str
    budget: str
    outcome: str  # "create" or "exists"


def import_key(county_code: str, title: str, region_code: str, deadline: date | None) -> str:
    """The same row of the same county always gives the same key, however it was typed."""
    normalized = " ".join(unicodedata.normalize("NFKC", title).split()).lower()
    raw = f"{county_code}|{normalized}|{region_code}|{deadline.isoformat() if deadline else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def import_demands(
    *, actor: Any, filename: str, content: bytes, dry_run: bool = False, publish: bool = False
) -> ImportReport[ImportRow]:
    """County staff import the needs they collected on the Excel template.

    Every row is checked first; if any is bad nothing is written and each error comes back with
    its row number. A row already imported (same county, title, place and deadline) is skipped,
    so importing the same file twice creates nothing twice. New demands are submitted, or
    published when `publish` is set.
    """
    if not rules.can_import(actor):
        raise Forbidden("只有县级乡村振兴部门工作人员可以批量导入需求")
    county = rules.county_reviewer_region(actor)
    catalog = Catalog()
    parsed = excel.parse_workbook(filename, content, RegionResolver(county))
    if not parsed:
        raise ValidationFailed.on("file", "文件中没有数据行")
    report: ImportReport[ImportRow] = ImportReport()
    seen: dict[str, int] = {}
    plan: list[tuple[int, Cleaned, str]] = []
    for row in parsed:
        errors = list(row.errors)
        cleaned = None
        try:
            cleaned = clean_demand_data(row.data, catalog=catalog)
        except ValidationFailed as exc:
            errors.extend(e.message for e in exc.errors if not (row.region_failed and e.field == "region_code"))
        if cleaned is not None and not rules.can_create_in(actor, cleaned.region.code):
            errors.append(f"所在区划“{cleaned.region.full_name or cleaned.region.name}”不在您的管辖范围内")
        if cleaned is not None and not errors:
            key = import_key(cleaned.region.code[:6], cleaned.data.title, cleaned.region.code, cleaned.data.deadline)
            if key in seen:
                errors.append(f"与第 {seen[key]} 行重复（标题、所在地和截止日期相同）")
            else:
                seen[key] = row.row_number
                plan.append((row.row_number, cleaned, key))
        report.errors.extend((row.row_number, message) for message in errors)
    if report.errors:
        report.errors.sort()
        return report
    existing = set(Demand.objects.filter(import_key__in=[k for _, _, k in plan]).values_list("import_key", flat=True))
    for row_number, cleaned, key in plan:
        outcome = "exists" if key in existing else "create"
        report.rows.append(
            ImportRow(
                row_number, cleaned.data.title, cleaned.region.full_name or cleaned.region.name,
                f"{cleaned.data.budget}", outcome,
            )
        )  # fmt: skip
        if outcome == "create":
            report.created += 1
        else:
            report.existing += 1
    if dry_run:
        return report
    with all_rows_or_none(report, "demand import") as progress:
        for progress.row_number, cleaned, key in plan:
            if key in existing:
                continue
            demand = Demand(
                number=next_number("XQ", cleaned.region.code), entered_by=actor, status=Status.DRAFT, import_key=key
            )
            _write(demand, cleaned)
            demand.save()
            _write_relations(demand, cleaned)
            rollups.apply(demand, {})
            _record(actor, "import", demand, after=_snapshot(demand), note=filename[:200])
            _transition(actor=actor, demand=demand, action="submit")
            if publish:
                _transition(actor=actor, demand=demand, action="publish", **stamp(actor, "published"))
            report.numbers.append(demand.number)
    return report
