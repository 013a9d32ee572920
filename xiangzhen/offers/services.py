"""Every write to offers: drafting and editing, attachments, and the review workflow.

Each public function is one business action in one transaction, checks scope and permission,
and writes the audit trail with the organization's region code.

Workflow decisions (see `WORKFLOW`):
- draft → submitted → (returned → submitted) → published → closed. Drafts cannot be closed:
  a draft nobody wants simply stays a draft, private to its organization, so "closed" always
  means "was public once" and `Offer.is_public` stays a plain status check.
- Any active member of the organization drafts, edits and submits; only an approved
  organization may submit or be published.
- Reviewers are the civil affairs staff of exactly the organization's registration region
  (the authority that registered it) and platform admins; they publish, return (with a reason)
  and may close a published offer (with a reason).
- Drafts and returned offers are fully editable by members. Once published, only an
  organization admin may change the capacity and the time window (and the in-kind note):
  what was reviewed stays what is shown. Submitted and closed offers are not editable.
"""

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from xiangzhen.core import audit
from xiangzhen.core.attachments import attach
from xiangzhen.core.errors import FieldError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import Attachment
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version, stamp
from xiangzhen.core.textsearch import index_text
from xiangzhen.core.uploads import ImportReport, all_rows_or_none
from xiangzhen.offers import excel, rules, selectors
from xiangzhen.offers.models import Offer
from xiangzhen.offers.validation import (
    LABELS,
    PUBLISHED_EDITABLE,
    CleanOffer,
    OfferData,
    ServiceAreaResolver,
    clean_offer_data,
)
from xiangzhen.organizations.models import Organization
from xiangzhen.recommendations.tasks import schedule_corpus_rebuild

Status = Offer.Status

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("submit", "提交审核", frozenset({Status.DRAFT}), Status.SUBMITTED),
        Transition("return", "退回修改", frozenset({Status.SUBMITTED}), Status.RETURNED),
        Transition("resubmit", "重新提交", frozenset({Status.RETURNED}), Status.SUBMITTED),
        Transition("publish", "审核发布", frozenset({Status.SUBMITTED}), Status.PUBLISHED),
        Transition("close", "关闭", frozenset({Status.PUBLISHED}), Status.CLOSED),
    ],
)
REVIEW_ACTIONS = ("publish", "return")
ORGANIZATION_ACTIONS = ("submit", "resubmit")
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED, Status.PUBLISHED)
AUDIT_FIELDS = [
    *OfferData.field_names(),
    "status",
    "return_reason",
    "close_reason",
    "version",
]


def _snapshot(offer: Offer) -> dict[str, Any]:
    return audit.snapshot(offer, AUDIT_FIELDS)


def _record(actor: Any, action: str, offer: Offer, **kwargs: Any) -> None:
    audit.record(
        actor=actor,
        action=f"offers.{action}",
        instance=offer,
        region_code=offer.organization.region_id,
        **kwargs,
    )


def _require_visible(actor: Any, offer: Offer) -> None:
    """Out of scope looks exactly like missing."""
    if not selectors.offers(actor).filter(pk=offer.pk).exists():
        raise NotFound("供给项目不存在或无权查看")


def _require_approved(organization: Organization) -> None:
    if organization.status != Organization.Status.APPROVED:
        raise InvalidTransition(
            f"“{organization.name}”当前状态为“{organization.get_status_display()}”，"
            "只有审核通过的社会组织才能提交和发布供给项目"
        )


def _write(offer: Offer, clean: CleanOffer) -> None:
    data = clean.data
    for name in ("title", "description", "aid_mode", "capacity_demands", "capacity_amount", "in_kind"):
        setattr(offer, name, getattr(data, name))
    offer.window_start = data.window_start
    offer.window_end = data.window_end
    offer.nationwide = data.nationwide
    offer.search_index = index_text(data.title, data.description)


def _write_relations(offer: Offer, clean: CleanOffer) -> None:
    offer.domains.set(clean.domains)
    offer.beneficiary_groups.set(clean.beneficiary_groups)
    offer.service_regions.set(clean.regions)


def _attach_all(actor: Any, offer: Offer, uploads: Iterable[UploadedFile]) -> list[Attachment]:
    return [attach(actor=actor, owner=offer, upload=upload) for upload in uploads]


# ---------------------------------------------------------------- drafting and editing


@transaction.atomic
def create_offer(
    *, actor: Any, organization: Organization, data: OfferData, uploads: Iterable[UploadedFile] = ()
) -> Offer:
    """A member of `organization` drafts an offer; it gets its GJ number at once and stays private until published."""
    if not rules.can_create_for(actor, organization):
        raise Forbidden("只有本组织的成员可以为该组织创建供给项目")
    offer = _create(actor, organization, clean_offer_data(data))
    _attach_all(actor, offer, uploads)
    return offer


def draft_offer_from_contest(*, actor: Any, organization: Organization, data: OfferData, contest: str) -> Offer:
    """A venture contest's winning plan enters the offer library as a draft of the entrant organization,
    created by the organizer who published the results; the organization then edits and submits it."""
    return _create(actor, organization, clean_offer_data(data), note=f"公益创投大赛{contest}获奖项目")


def _create(
    actor: Any, organization: Organization, clean: CleanOffer, *, import_key: str | None = None, note: str = ""
) -> Offer:
    """The one way an offer comes to be, for the form, the API and the Excel import alike."""
    offer = Offer(organization=organization, status=Status.DRAFT, created_by=actor, import_key=import_key)
    _write(offer, clean)
    offer.number = next_number("GJ", organization.region_id)
    offer.save()
    _write_relations(offer, clean)
    _record(actor, "import" if import_key else "create", offer, after=_snapshot(offer), note=note)
    return offer


@transaction.atomic
def update_offer(
    *,
    actor: Any,
    offer: Offer,
    changes: dict[str, Any],
    expected_version: int | None = None,
    uploads: Iterable[UploadedFile] = (),
) -> Offer:
    """Edit an offer. Drafts and returned offers: everything; published: capacity and window only."""
    _require_visible(actor, offer)
    locked = Offer.objects.select_for_update().select_related("organization").get(pk=offer.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(f"当前状态为“{locked.get_status_display()}”，不能修改供给项目")
    if not rules.can_edit(actor, locked):
        if locked.status == Status.PUBLISHED:
            raise Forbidden("已发布的供给项目只有本组织的管理员可以修改容量和服务期限")
        raise Forbidden("只有本组织的成员可以修改供给项目")
    check_version(locked, offer.version if expected_version is None else expected_version, "供给项目")
    current = OfferData.of(locked)
    proposed = current.merged(changes)
    clean = clean_offer_data(proposed)
    if locked.status == Status.PUBLISHED:
        original = clean_offer_data(current).data
        for name in OfferData.field_names():
            if name not in PUBLISHED_EDITABLE and getattr(clean.data, name) != getattr(original, name):
                raise ValidationFailed.on(
                    name,
                    f"已发布的供给项目不能修改{LABELS[name]}，只能调整容量和服务期限；如需修改内容，请关闭后重新创建",
                )
    before = _snapshot(locked)
    _write(locked, clean)
    locked.version += 1
    locked.save()
    _write_relations(locked, clean)
    _record(actor, "update", locked, before=before, after=_snapshot(locked))
    _attach_all(actor, locked, uploads)
    return locked


@transaction.atomic
def add_attachments(*, actor: Any, offer: Offer, uploads: Iterable[UploadedFile]) -> list[Attachment]:
    """Photos and documents for an offer, by whoever may edit it now."""
    _require_visible(actor, offer)
    locked = Offer.objects.select_for_update().select_related("organization").get(pk=offer.pk)
    if locked.status not in EDITABLE_STATUSES or not rules.can_edit(actor, locked):
        raise Forbidden("只有可以修改该供给项目的本组织人员可以上传附件")
    uploads = list(uploads)
    if not uploads:
        raise ValidationFailed.on("attachments", "请选择要上传的附件")
    return _attach_all(actor, locked, uploads)


# ---------------------------------------------------------------- workflow


def _transition(
    *,
    actor: Any,
    offer: Offer,
    action: str,
    reason: str = "",
    reason_required: bool = False,
    expected_version: int | None = None,
    **changes: Any,
) -> Offer:
    _require_visible(actor, offer)
    organization = offer.organization
    if action in REVIEW_ACTIONS and not rules.can_review(actor, offer):
        raise Forbidden(f"只有“{organization.region}”的民政部门工作人员或平台管理员可以审核该供给项目")
    if action in ORGANIZATION_ACTIONS and not rules.can_submit(actor, offer):
        raise Forbidden("只有本组织的成员可以提交供给项目")
    if action == "close" and not rules.can_close(actor, offer):
        raise Forbidden("只有本组织的管理员或审核该组织的民政部门工作人员可以关闭供给项目")
    WORKFLOW.target(offer.status, action)  # InvalidTransition before anything else is checked
    if action in ("submit", "resubmit", "publish"):
        _require_approved(organization)
        if offer.window_end < timezone.localdate():
            raise ValidationFailed.on("window_end", f"服务期限已于 {offer.window_end} 结束，请修改结束日期后再提交")
    reason = WORKFLOW.clean_reason(action, reason, required=reason_required)
    check_version(offer, expected_version, "供给项目")
    before = _snapshot(offer)
    WORKFLOW.apply(offer, action, updated_at=timezone.now(), **changes)
    _record(actor, action, offer, before=before, after=_snapshot(offer), note=reason)
    return offer


@transaction.atomic
def submit_offer(*, actor: Any, offer: Offer, reason: str = "", expected_version: int | None = None) -> Offer:
    return _transition(actor=actor, offer=offer, action="submit", reason=reason, expected_version=expected_version)


@transaction.atomic
def resubmit_offer(*, actor: Any, offer: Offer, reason: str = "", expected_version: int | None = None) -> Offer:
    return _transition(actor=actor, offer=offer, action="resubmit", reason=reason, expected_version=expected_version)


@transaction.atomic
def publish_offer(*, actor: Any, offer: Offer, reason: str = "", expected_version: int | None = None) -> Offer:
    published = _transition(
        actor=actor, offer=offer, action="publish", reason=reason, expected_version=expected_version,
        return_reason="", published_at=timezone.now(), **stamp(actor, "reviewed"),
    )  # fmt: skip
    schedule_corpus_rebuild()  # the text corpus is recounted after commit, off the request path
    return published


@transaction.atomic
def return_offer(*, actor: Any, offer: Offer, reason: str, expected_version: int | None = None) -> Offer:
    reason = (reason or "").strip()
    return _transition(
        actor=actor, offer=offer, action="return", reason=reason, reason_required=True,
        expected_version=expected_version, return_reason=reason[:MAX_REASON], **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def close_offer(*, actor: Any, offer: Offer, reason: str = "", expected_version: int | None = None) -> Offer:
    """The organization ends its offer, or the reviewer takes it down (then a reason is required)."""
    reason = (reason or "").strip()
    by_reviewer = not rules.can_submit(actor, offer)
    return _transition(
        actor=actor, offer=offer, action="close", reason=reason, reason_required=by_reviewer,
        expected_version=expected_version, close_reason=reason[:MAX_REASON], closed_at=timezone.now(),
    )  # fmt: skip


TRANSITION_SERVICES: dict[str, Any] = {
    "submit": submit_offer,
    "resubmit": resubmit_offer,
    "publish": publish_offer,
    "return": return_offer,
    "close": close_offer,
}


# ---------------------------------------------------------------- Excel import


@dataclass
class ImportRow:
    row_number: int
    title: str
    area: str
    window: str
    outcome: str  # "create" or "exists"


def import_key(organization_id: int, external_ref: str, data: OfferData) -> str:
    """Which offer a row is, however it was typed: the organization's own number for it when the
    row has one (so the title may be corrected in a later file), else its title and window."""
    if external_ref:
        raw = f"{organization_id}|ref|{' '.join(unicodedata.normalize('NFKC', external_ref).split()).lower()}"
    else:
        title = " ".join(unicodedata.normalize("NFKC", data.title).split()).lower()
        raw = f"{organization_id}|title|{title}|{data.window_start}|{data.window_end}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _row_message(error: FieldError) -> str:
    """The offer rules' message, prefixed with its column when the message does not name it."""
    label = LABELS.get(error.field, "")
    return error.message if not label or label in error.message else f"{label}：{error.message}"


@transaction.atomic
def import_offers(
    *, actor: Any, organization: Organization, filename: str, content: bytes, dry_run: bool = False
) -> ImportReport[ImportRow]:
    """An organization's admin (or a platform admin) imports its offers from the Excel template.

    Every row is read and checked by the same rules as the form first; if any row is bad nothing
    is written and each error comes back with its row number. New offers are drafts, created one
    by one through `_create` exactly like a drafted offer. A row imported before (see `import_key`)
    is skipped, so importing the same file twice creates nothing twice.
    """
    if not rules.can_import_for(actor, organization):
        raise Forbidden("只有本组织的管理员或平台管理员可以批量导入供给项目")
    parsed = excel.parse_workbook(filename, content, ServiceAreaResolver())
    if not parsed:
        raise ValidationFailed.on("file", "文件中没有数据行")
    report: ImportReport[ImportRow] = ImportReport()
    seen: dict[str, int] = {}
    plan: list[tuple[int, CleanOffer, str]] = []
    for row in parsed:
        errors = list(row.errors)
        clean = None
        try:
            clean = clean_offer_data(row.data)
        except ValidationFailed as exc:
            errors.extend(_row_message(e) for e in exc.errors if e.field not in row.failed)
        if clean is not None and not errors:
            key = import_key(organization.pk, row.external_ref, clean.data)
            if key in seen:
                how = "外部编号" if row.external_ref else "项目名称和服务期限"
                errors.append(f"与第 {seen[key]} 行重复（{how}相同）")
            else:
                seen[key] = row.row_number
                plan.append((row.row_number, clean, key))
        report.errors.extend((row.row_number, message) for message in errors)
    if report.errors:
        report.errors.sort()
        return report
    existing = set(Offer.objects.filter(import_key__in=[k for _, _, k in plan]).values_list("import_key", flat=True))
    for row_number, clean, key in plan:
        area = "全国" if clean.data.nationwide else "、".join(r.name for r in clean.regions)
        window = f"{clean.data.window_start} — {clean.data.window_end}"
        outcome = "exists" if key in existing else "create"
        report.rows.append(ImportRow(row_number, clean.data.title, area, window, outcome))
        if outcome == "create":
            report.created += 1
        else:
            report.existing += 1
    if dry_run:
        return report
    with all_rows_or_none(report, "offer import") as progress:
        for progress.row_number, clean, key in plan:
            if key not in existing:
                report.numbers.append(_create(actor, organization, clean, import_key=key, note=filename[:200]).number)
    return report
