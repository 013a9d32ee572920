"""The venture philanthropy contest (公益创投大赛): criteria, judges, entries, scores and published results.

Only events of kind venture_contest. Organizers (the event's region staff and above) set the criteria
(weights must sum to 100 when results are published) and assign judges; a criterion nobody scored on
and a judge who has not scored can be removed again. Organizations submit project
plans while the contest is published and not over. A judge scores entries of contests they were
assigned to, never their own organization's, 0 … each criterion's maximum, until the results are
published. Publishing freezes totals and ranks, marks the winners and turns each winner's plan into a
draft offer of its organization through the offers services (so numbering and audit apply).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.accounts.models import User
from xiangzhen.core import attachments, audit
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import Domain
from xiangzhen.core.validation import InputData, Problems, clean_texts
from xiangzhen.events import rules, selectors
from xiangzhen.events.models import ContestCriterion, ContestEntry, ContestJudge, Event, JudgeScore
from xiangzhen.organizations import rules as organization_rules
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.models import Region

HUNDRED = Decimal("100")


def _record(actor: Any, action: str, event: Event, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"events.{action}", instance=event, region_code=event.region_id, **kwargs)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("region").get(pk=event.pk)


def _require_contest(event: Event) -> None:
    if not event.is_contest:
        raise InvalidTransition("只有公益创投大赛有评分项、评委和参赛项目")


def _require_open_results(event: Event) -> None:
    if event.results_published_at:
        raise InvalidTransition("大赛结果已发布，不能再修改")


def _require_organizer(actor: Any, event: Event) -> Event:
    if not selectors.visible_events(actor).filter(pk=event.pk).exists():
        raise NotFound("活动不存在或无权查看")
    if not rules.can_manage(actor, event):
        raise Forbidden(f"只有“{event.region}”及上级的部门工作人员可以管理该大赛")
    locked = _lock(event)
    _require_contest(locked)
    _require_open_results(locked)
    return locked


def _decimal(value: Any, field_name: str, label: str, problems: Problems) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.fail(field_name, f"{label}“{value}”不是数字")
        return None
    if not number.is_finite() or number.as_tuple().exponent < -2:  # type: ignore[operator]
        problems.fail(field_name, f"{label}最多两位小数")
        return None
    return number


# ---------------------------------------------------------------- criteria and judges


@transaction.atomic
def add_criterion(*, actor: Any, event: Event, name: str, weight: Any, max_score: Any) -> ContestCriterion:
    """A scoring criterion; the weights so far may not exceed 100."""
    locked = _require_organizer(actor, event)
    problems = Problems()
    clean_name = str(name or "").strip()
    if not clean_name:
        problems.fail("name", "请填写评分项名称")
    elif len(clean_name) > 100:
        problems.fail("name", "评分项名称不超过 100 个字")
    elif ContestCriterion.objects.filter(event=locked, name=clean_name).exists():
        problems.fail("name", f"评分项“{clean_name}”已存在")
    w = _decimal(weight, "weight", "权重", problems)
    m = _decimal(max_score, "max_score", "满分", problems)
    if w is not None and not Decimal(0) < w <= HUNDRED:
        problems.fail("weight", "权重应大于 0 且不超过 100")
    if m is not None and not Decimal(0) < m <= Decimal("1000"):
        problems.fail("max_score", "满分应大于 0 且不超过 1000")
    if w is not None and not problems.has("weight"):
        used = sum((c.weight for c in selectors.criteria(locked)), Decimal(0))
        if used + w > HUNDRED:
            problems.fail("weight", f"各评分项权重之和应为 100，已有 {used}，最多还能设 {HUNDRED - used}")
    problems.raise_any()
    assert w is not None and m is not None
    criterion = ContestCriterion.objects.create(event=locked, name=clean_name, weight=w, max_score=m)
    _record(actor, "add_criterion", locked, after={"criterion": clean_name, "weight": str(w), "max_score": str(m)})
    return criterion


@transaction.atomic
def remove_criterion(*, actor: Any, event: Event, criterion_id: int) -> None:
    """A criterion no judge has scored yet."""
    locked = _require_organizer(actor, event)
    criterion = ContestCriterion.objects.filter(event=locked, pk=criterion_id).first()
    if criterion is None:
        raise NotFound("评分项不存在")
    if JudgeScore.objects.filter(criterion=criterion).exists():
        raise InvalidTransition(f"评分项“{criterion.name}”已有评委打分，不能删除")
    criterion.delete()
    _record(actor, "remove_criterion", locked, before={"criterion": criterion.name})


@transaction.atomic
def assign_judge(*, actor: Any, event: Event, username: str) -> ContestJudge:
    """Assign an active platform user (by user name) as a judge of the contest."""
    locked = _require_organizer(actor, event)
    user = User.objects.filter(username=str(username or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed.on("username", f"用户“{username}”不存在或已停用")
    if ContestJudge.objects.filter(event=locked, user=user).exists():
        raise ValidationFailed.on("username", f"“{user}”已是本次大赛的评委")
    judge = ContestJudge.objects.create(event=locked, user=user, assigned_by=actor)
    _record(actor, "assign_judge", locked, after={"judge": user.username})
    return judge


@transaction.atomic
def remove_judge(*, actor: Any, event: Event, judge_id: int) -> None:
    """A judge who has not scored yet: scores already given are part of the ranking and stay with their judge."""
    locked = _require_organizer(actor, event)
    judge = ContestJudge.objects.filter(event=locked, pk=judge_id).select_related("user").first()
    if judge is None:
        raise NotFound(_("评委不存在"))
    if JudgeScore.objects.filter(judge=judge.user, entry__event=locked).exists():
        raise InvalidTransition(_("评委“%(judge)s”已开始评分，不能移除") % {"judge": judge.user})
    judge.delete()
    _record(actor, "remove_judge", locked, before={"judge": judge.user.username})


# ---------------------------------------------------------------- entries


@dataclass
class EntryData(InputData):
    title: str
    plan: str
    budget: Any
    target_region_code: str
    domains: list[str] = field(default_factory=list)


@transaction.atomic
def submit_entry(
    *, actor: Any, event: Event, organization: Organization, data: EntryData, uploads: list[UploadedFile] | None = None
) -> ContestEntry:
    """An organization's admin enters a project plan while the contest is published and not over."""
    if not selectors.visible_events(actor).filter(pk=event.pk).exists():
        raise NotFound("活动不存在或无权查看")
    if not organization_rules.is_org_admin(actor, organization):
        raise Forbidden(f"只有“{organization.name}”的管理员可以提交参赛项目")
    if organization.status != Organization.Status.APPROVED:
        raise ValidationFailed.on("organization_id", f"社会组织“{organization.name}”审核通过后才能参赛")
    locked = _lock(event)
    _require_contest(locked)
    _require_open_results(locked)
    if locked.status != Event.Status.PUBLISHED or locked.ends_on < timezone.localdate():
        raise InvalidTransition("大赛未发布或已结束，不能再提交参赛项目")
    problems = Problems()
    text = clean_texts(
        data, problems, required={"title": "请填写项目名称", "plan": "请填写项目计划书"},
        max_lengths={"title": ("项目名称", 200), "plan": ("项目计划书", 10000)},
    )  # fmt: skip
    budget = _decimal(data.budget, "budget", "预算", problems)
    if budget is not None and not Decimal(0) <= budget < Decimal("10000000000"):
        problems.fail("budget", "预算应为不小于 0 的金额")
    region = Region.objects.filter(pk=str(data.target_region_code or "").strip()).first()
    if region is None:
        problems.fail("target_region_code", f"服务地区“{data.target_region_code}”不存在，请填写 12 位区划代码")
    domains = list(Domain.objects.filter(code__in=[str(d).strip() for d in data.domains]))
    if not domains:
        problems.fail("domains", "请至少选择一个服务领域")
    elif len(domains) != len(set(data.domains)):
        problems.fail("domains", "服务领域中有不存在的代码")
    if (
        text["title"]
        and ContestEntry.objects.filter(event=locked, organization=organization, title=text["title"]).exists()
    ):
        problems.fail("title", f"本组织已提交过名为“{text['title']}”的参赛项目")
    problems.raise_any()
    assert budget is not None and region is not None
    entry = ContestEntry.objects.create(
        event=locked, organization=organization, title=text["title"], plan=text["plan"],
        budget=budget.quantize(Decimal("0.01")), target_region=region, submitted_by=actor,
    )  # fmt: skip
    entry.domains.set(domains)
    for upload in uploads or []:
        attachments.attach(actor=actor, owner=entry, upload=upload, field="attachment")
    _record(
        actor, "submit_entry", locked, after={"entry": entry.pk, "title": entry.title, "organization": organization.pk}
    )
    return entry


# ---------------------------------------------------------------- scores


@transaction.atomic
def score_entry(*, actor: Any, entry: ContestEntry, scores: dict[Any, Any]) -> list[JudgeScore]:
    """A judge scores an entry on the given criteria (criterion id → score); a later call replaces them."""
    event = entry.event
    if not selectors.visible_events(actor).filter(pk=event.pk).exists():
        raise NotFound("活动不存在或无权查看")
    locked = _lock(event)
    _require_contest(locked)
    if not selectors.is_judge(actor, locked):
        raise Forbidden("只有本次大赛的评委可以评分")
    if organization_rules.is_org_member(actor, entry.organization):
        raise Forbidden("评委不能为本人所在组织的参赛项目评分")
    _require_open_results(locked)
    by_id = {c.pk: c for c in selectors.criteria(locked)}
    problems = Problems()
    cleaned: dict[int, Decimal] = {}
    for raw_id, raw_score in scores.items():
        try:
            criterion = by_id[int(raw_id)]
        except (KeyError, ValueError, TypeError):
            problems.fail("scores", f"评分项“{raw_id}”不属于本次大赛")
            continue
        value = _decimal(raw_score, "scores", f"“{criterion.name}”的得分", problems)
        if value is not None and not Decimal(0) <= value <= criterion.max_score:
            problems.fail("scores", f"“{criterion.name}”的得分应在 0 到 {criterion.max_score} 之间")
        elif value is not None:
            cleaned[criterion.pk] = value
    if not scores:
        problems.fail("scores", "请至少为一个评分项打分")
    problems.raise_any()
    saved = []
    for criterion_id, value in cleaned.items():
        score, _ = JudgeScore.objects.update_or_create(
            judge=actor, entry=entry, criterion_id=criterion_id, defaults={"score": value}
        )
        saved.append(score)
    _record(
        actor, "score_entry", locked,
        after={"entry": entry.pk, "scores": {by_id[k].name: str(v) for k, v in cleaned.items()}},
    )  # fmt: skip
    return saved


# ---------------------------------------------------------------- results


def _offer_data(entry: ContestEntry) -> Any:
    from xiangzhen.offers.validation import OfferData

    today = timezone.localdate()
    return OfferData(
        title=entry.title, description=entry.plan, aid_mode="self_development", capacity_demands=1,
        capacity_amount=entry.budget, window_start=today, window_end=today + timedelta(days=365),
        domains=sorted(d.code for d in entry.domains.all()), service_regions=[entry.target_region_id],
    )  # fmt: skip


@transaction.atomic
def publish_results(*, actor: Any, event: Event, winners: Any) -> list[ContestEntry]:
    """Freeze totals and ranks, mark the top `winners` scored entries, and put each winner's plan in the
    offer library as a draft offer of its organization. Weights must sum to 100."""
    from xiangzhen.offers import services as offer_services

    locked = _require_organizer(actor, event)
    if locked.status not in (Event.Status.PUBLISHED, Event.Status.FINISHED):
        raise InvalidTransition(f"大赛当前为“{locked.get_status_display()}”，发布后才能公布结果")
    weights = sum((c.weight for c in selectors.criteria(locked)), Decimal(0))
    if weights != HUNDRED:
        raise ValidationFailed.on("winners", f"各评分项权重之和应为 100，当前为 {weights}")
    ranked = selectors.ranking(locked)
    scored = [row for row in ranked if row.total is not None]
    try:
        count = int(winners)
    except (TypeError, ValueError):
        raise ValidationFailed.on("winners", "获奖数应为整数") from None
    if not 1 <= count <= len(scored):
        raise ValidationFailed.on("winners", f"获奖数应在 1 到 {len(scored)}（已评分的参赛项目数）之间")
    winners_list = []
    for row in ranked:
        entry = row.entry
        entry.total = row.total
        entry.rank = row.rank
        entry.is_winner = row.rank is not None and row.rank <= count
        if entry.is_winner:
            entry.offer = offer_services.draft_offer_from_contest(
                actor=actor, organization=entry.organization, data=_offer_data(entry),
                contest=f"“{locked.name}”（{locked.number}）",
            )  # fmt: skip
            winners_list.append(entry)
        entry.save(update_fields=["total", "rank", "is_winner", "offer"])
    locked.results_published_at = timezone.now()
    locked.winner_count = count
    locked.version += 1
    locked.save(update_fields=["results_published_at", "winner_count", "version"])
    _record(
        actor, "publish_results", locked,
        after={
            "winners": count,
            "ranking": [{"entry": r.entry.pk, "total": str(r.total), "rank": r.rank} for r in ranked],
            "offers": [e.offer.number for e in winners_list if e.offer],
        },
    )  # fmt: skip
    return winners_list
