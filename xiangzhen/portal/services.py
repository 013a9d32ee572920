"""Every write to articles: one business action per function, one transaction each, permission
checked (rules in `portal.rules`) and audited.

Workflow: draft → submitted → published, or → returned (with a reason) → submitted again;
a published article may be withdrawn (with a reason).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.brands.models import Commendation, ExemplaryCase
from xiangzhen.core import attachments, audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import MAX_REASON, StateMachine, Transition, check_version, stamp
from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.portal import rules, selectors
from xiangzhen.portal.models import Article

Status = Article.Status
WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("submit", "提交审核", frozenset({Status.DRAFT}), Status.SUBMITTED),
        Transition("resubmit", "重新提交", frozenset({Status.RETURNED}), Status.SUBMITTED),
        Transition("publish", "审核发布", frozenset({Status.SUBMITTED}), Status.PUBLISHED),
        Transition("return", "退回修改", frozenset({Status.SUBMITTED}), Status.RETURNED),
        Transition("withdraw", "撤下", frozenset({Status.PUBLISHED}), Status.WITHDRAWN),
    ],
)
WRITER_ACTIONS = ("submit", "resubmit")
REVIEW_ACTIONS = ("publish", "return")
EDITABLE_STATUSES = rules.EDITABLE_STATUSES
FIELDS = ["kind", "title", "summary", "body", "exemplary_case", "commendation", "status", "version"]


def _record(actor: Any, action: str, article: Article, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"portal.{action}", instance=article, region_code=article.region_id, **kwargs)


@dataclass
class ArticleData(InputData):
    kind: str
    title: str
    body: str
    summary: str = ""
    exemplary_case_id: int | None = None
    commendation_id: int | None = None

    @classmethod
    def of(cls, article: Article) -> "ArticleData":
        return cls(
            kind=article.kind, title=article.title, body=article.body, summary=article.summary,
            exemplary_case_id=article.exemplary_case_id, commendation_id=article.commendation_id,
        )  # fmt: skip


def _clean(data: ArticleData) -> dict[str, Any]:
    problems = Problems()
    text = clean_texts(
        data, problems,
        required={"title": _("请填写标题"), "body": _("请填写正文")},
        max_lengths={"title": ("标题", 200), "summary": ("摘要", 300), "body": ("正文", 50000)},
    )  # fmt: skip
    if data.kind not in Article.Kind.values:
        problems.fail("kind", _("请选择文章类别"))
    case = commendation = None
    if data.exemplary_case_id:
        if data.kind != Article.Kind.CASE:
            problems.fail("exemplary_case_id", _("只有“典型案例”类文章可以关联典型案例"))
        case = ExemplaryCase.objects.filter(pk=data.exemplary_case_id, status=ExemplaryCase.Status.PUBLISHED).first()
        if case is None:
            problems.fail("exemplary_case_id", _("只能关联已发布的典型案例"))
    if data.commendation_id:
        if data.kind != Article.Kind.COMMENDATION:
            problems.fail("commendation_id", _("只有“表彰”类文章可以关联表彰"))
        commendation = Commendation.objects.filter(pk=data.commendation_id).first()
        if commendation is None:
            problems.fail("commendation_id", _("所选表彰不存在"))
    problems.raise_any()
    return {
        "kind": data.kind, "title": text["title"], "summary": text["summary"], "body": text["body"],
        "exemplary_case": case, "commendation": commendation,
    }  # fmt: skip


@transaction.atomic
def create_article(*, actor: Any, data: ArticleData, uploads: Iterable[UploadedFile] = ()) -> Article:
    """Staff write an article; it belongs to their department and its region, and starts as a draft."""
    department = rules.staff_department(actor)
    if department is None:
        raise Forbidden(_("只有民政部门或乡村振兴部门的工作人员可以撰写文章"))
    values = _clean(data)
    article = Article.objects.create(
        number=next_number("WZ", department.region_id), region_id=department.region_id, department=department,
        created_by=actor, **values,
    )  # fmt: skip
    _record(actor, "article_create", article, after=audit.snapshot(article, FIELDS))
    for upload in uploads:
        attachments.attach(actor=actor, owner=article, upload=upload)
    return article


def _require_visible(actor: Any, article: Article) -> None:
    if not selectors.articles(actor).filter(pk=article.pk).exists():
        raise NotFound(_("文章不存在或无权查看"))


@transaction.atomic
def update_article(
    *,
    actor: Any,
    article: Article,
    changes: dict[str, Any],
    expected_version: int | None = None,
    uploads: Iterable[UploadedFile] = (),
) -> Article:
    """The writer's department edits a draft or a returned article, and may add attachments."""
    _require_visible(actor, article)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not rules.is_writer_department(actor, locked):
        raise Forbidden(_("只有撰写部门的工作人员可以修改文章"))
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("当前状态为“%(status)s”，只有草稿和已退回的文章可以修改") % {"status": locked.get_status_display()}
        )
    check_version(locked, article.version if expected_version is None else expected_version, "文章")
    values = _clean(ArticleData.of(locked).merged(changes))
    before = audit.snapshot(locked, FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    _record(actor, "article_update", locked, before=before, after=audit.snapshot(locked, FIELDS))
    for upload in uploads:
        attachments.attach(actor=actor, owner=locked, upload=upload)
    return locked


@transaction.atomic
def add_attachments(*, actor: Any, article: Article, uploads: Iterable[UploadedFile]) -> Article:
    """The writer's department adds images or files to a draft or returned article (checked by
    content, `core.attachments`); they are shown under the body once the article is published."""
    _require_visible(actor, article)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not rules.is_writer_department(actor, locked):
        raise Forbidden(_("只有撰写部门的工作人员可以上传附件"))
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("当前状态为“%(status)s”，只有草稿和已退回的文章可以上传附件") % {"status": locked.get_status_display()}
        )
    for upload in uploads:
        attachments.attach(actor=actor, owner=locked, upload=upload)
    return locked


def _transition(
    *, actor: Any, article: Article, action: str, reason: str = "", reason_required: bool = False,
    expected_version: int | None = None, **changes: Any,
) -> Article:  # fmt: skip
    _require_visible(actor, article)
    if action in WRITER_ACTIONS and not rules.is_writer_department(actor, article):
        raise Forbidden(_("只有撰写部门的工作人员可以提交文章"))
    if action in REVIEW_ACTIONS and not rules.can_review(actor, article):
        raise Forbidden(_("文章由同级另一部门或上一级部门的工作人员审核，不能审核本人撰写的文章"))
    if action == "withdraw" and not rules.can_withdraw(actor, article):
        raise Forbidden(_("只有撰写部门或审核部门可以撤下文章"))
    WORKFLOW.target(article.status, action)
    reason = WORKFLOW.clean_reason(action, reason, required=reason_required)
    check_version(article, expected_version, "文章")
    watched = ["status", "version", "return_reason", "withdraw_reason"]
    before = audit.snapshot(article, watched)
    WORKFLOW.apply(article, action, updated_at=timezone.now(), **changes)
    _record(actor, f"article_{action}", article, before=before, after=audit.snapshot(article, watched), note=reason)
    return article


@transaction.atomic
def submit_article(*, actor: Any, article: Article, reason: str = "", expected_version: int | None = None) -> Article:
    return _transition(actor=actor, article=article, action="submit", reason=reason, expected_version=expected_version)


@transaction.atomic
def resubmit_article(*, actor: Any, article: Article, reason: str = "", expected_version: int | None = None) -> Article:
    return _transition(
        actor=actor, article=article, action="resubmit", reason=reason, expected_version=expected_version
    )


@transaction.atomic
def publish_article(*, actor: Any, article: Article, reason: str = "", expected_version: int | None = None) -> Article:
    return _transition(
        actor=actor, article=article, action="publish", reason=reason, expected_version=expected_version,
        return_reason="", published_at=timezone.now(), **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def return_article(*, actor: Any, article: Article, reason: str, expected_version: int | None = None) -> Article:
    reason = (reason or "").strip()
    return _transition(
        actor=actor, article=article, action="return", reason=reason, reason_required=True,
        expected_version=expected_version, return_reason=reason[:MAX_REASON], **stamp(actor, "reviewed"),
    )  # fmt: skip


@transaction.atomic
def withdraw_article(*, actor: Any, article: Article, reason: str, expected_version: int | None = None) -> Article:
    """A published article comes off the portal; the reason is kept on it and in the trail."""
    reason = (reason or "").strip()
    return _transition(
        actor=actor, article=article, action="withdraw", reason=reason, reason_required=True,
        expected_version=expected_version, withdraw_reason=reason[:MAX_REASON],
    )  # fmt: skip


SERVICES: dict[str, Any] = {
    "submit": submit_article,
    "resubmit": resubmit_article,
    "publish": publish_article,
    "return": return_article,
    "withdraw": withdraw_article,
}
