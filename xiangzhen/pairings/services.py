"""Every write to pairings: proposing or arranging one, the county's decision, the annual review,
renewal and ending. One business action per function, one transaction each; each checks scope and
permission, writes the audit trail, keeps the rollups and tells the people who must act next.

Workflow: proposed → (returned → proposed) → active → under_review → active (renewed) or ended;
withdrawn by the organization while proposed or returned; ended early by the county while active
or under review. Every transition is a compare-and-set on status and version (`core.states`), so
two people acting at once cannot both win.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiangzhen.accounts.models import Department, User
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.core.numbering import next_number
from xiangzhen.core.states import StateMachine, Transition, check_version, stamp
from xiangzhen.notifications.services import notify
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.pairings import progress, rules, selectors
from xiangzhen.pairings.models import Pairing, PairingReview
from xiangzhen.pairings.validation import CleanPairing, PairingData, clean_pairing_data
from xiangzhen.stats import rollups

Status = Pairing.Status
LIVE_STATUSES = (Status.PROPOSED, Status.RETURNED, Status.ACTIVE, Status.UNDER_REVIEW)

WORKFLOW = StateMachine(
    dict(Status.choices),
    [
        Transition("confirm", "确认结对", frozenset({Status.PROPOSED}), Status.ACTIVE),
        Transition("return", "退回", frozenset({Status.PROPOSED}), Status.RETURNED),
        Transition("resubmit", "修改后重新提交", frozenset({Status.RETURNED}), Status.PROPOSED),
        Transition("withdraw", "撤回", frozenset({Status.PROPOSED, Status.RETURNED}), Status.WITHDRAWN),
        Transition("start_review", "开始年度考核", frozenset({Status.ACTIVE}), Status.UNDER_REVIEW),
        Transition("renew", "考核续签", frozenset({Status.UNDER_REVIEW}), Status.ACTIVE),
        Transition("conclude_end", "考核结束", frozenset({Status.UNDER_REVIEW}), Status.ENDED),
        Transition("end", "提前结束", frozenset({Status.ACTIVE, Status.UNDER_REVIEW}), Status.ENDED),
    ],
)
# Steps the county's rural revitalization department takes; steps the organization takes.
COUNTY_ACTIONS = ("confirm", "return", "start_review", "end")
ORGANIZATION_ACTIONS = ("withdraw",)
AUDIT_FIELDS = [
    "number", "organization", "region", "origin", "status", "start_date", "end_date", "committed_money",
    "committed_projects", "committed_volunteer_hours", "committed_purchases", "note", "return_reason",
    "end_reason", "review_year", "version",
]  # fmt: skip


def _snapshot(pairing: Pairing) -> dict[str, Any]:
    return audit.snapshot(pairing, AUDIT_FIELDS)


def _record(actor: Any, action: str, pairing: Pairing, **kwargs: Any) -> None:
    audit.record(actor=actor, action=f"pairings.{action}", instance=pairing, region_code=pairing.region_id, **kwargs)


def _require_visible(actor: Any, pairing: Pairing) -> None:
    if not selectors.pairings(actor).filter(pk=pairing.pk).exists():
        raise NotFound(_("结对帮扶不存在或无权查看"))


def _url(pairing: Pairing) -> str:
    return reverse("pairings:detail", args=[pairing.pk])


def _county_staff(pairing: Pairing) -> list[User]:
    """The rural revitalization staff of the county the place lies in."""
    return list(
        User.objects.filter(
            is_active=True,
            role=User.Role.DEPARTMENT_STAFF,
            department__kind=Department.Kind.RURAL_REVITALIZATION,
            department__region_id=rules.county_of(pairing.region_id),
        )
    )


def _organization_admins(organization: Organization) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__role=Membership.Role.ADMIN,
            memberships__is_active=True,
        ).distinct()
    )


def _tell_county(actor: Any, pairing: Pairing, title: str) -> None:
    people = [u for u in _county_staff(pairing) if u.pk != getattr(actor, "pk", None)]
    notify(
        recipients=people,
        title=title,
        body=_("%(org)s 与 %(place)s 的结对帮扶（%(number)s）等待县级乡村振兴部门确认。")
        % {"org": pairing.organization.name, "place": pairing.region.full_name or pairing.region.name,
           "number": pairing.number},
        url=_url(pairing),
    )  # fmt: skip


def _tell_organization(actor: Any, pairing: Pairing, title: str, body: str) -> None:
    people = [u for u in _organization_admins(pairing.organization) if u.pk != getattr(actor, "pk", None)]
    notify(recipients=people, title=title, body=body, url=_url(pairing))


def _require_free(organization: Organization, clean: CleanPairing, exclude: int | None = None) -> None:
    """One live pairing of an organization with one place."""
    existing = Pairing.objects.filter(organization=organization, region=clean.region, status__in=LIVE_STATUSES)
    if exclude is not None:
        existing = existing.exclude(pk=exclude)
    found = existing.first()
    if found is not None:
        raise ValidationFailed.on(
            "region_code",
            _("%(org)s 与 %(place)s 已有结对（%(number)s，%(status)s），不能重复结对")
            % {"org": organization.name, "place": clean.region.name, "number": found.number,
               "status": found.get_status_display()},
        )  # fmt: skip


def _require_approved(organization: Organization) -> None:
    if organization.status != Organization.Status.APPROVED:
        raise ValidationFailed.on(
            "organization", _("社会组织“%(name)s”尚未通过审核，不能结对") % {"name": organization.name}
        )


def _create(actor: Any, organization: Organization, clean: CleanPairing, origin: str) -> Pairing:
    _require_approved(organization)
    _require_free(organization, clean)
    pairing = Pairing(
        number=next_number("JD", clean.region.code),
        organization=organization,
        region=clean.region,
        origin=origin,
        status=Status.PROPOSED,
        start_date=clean.start_date,
        end_date=clean.end_date,
        committed_money=clean.committed_money,
        committed_projects=clean.committed_projects,
        committed_volunteer_hours=clean.committed_volunteer_hours,
        committed_purchases=clean.committed_purchases,
        note=clean.note,
        proposed_by=actor,
    )
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError:
        raise ValidationFailed.on("region_code", _("该组织与该地区刚刚已建立结对，请勿重复提交")) from None
    rollups.apply(pairing, {})
    _record(actor, "propose" if origin == Pairing.Origin.ORGANIZATION else "arrange", pairing, after=_snapshot(pairing))
    return pairing


@transaction.atomic
def propose_pairing(*, actor: Any, organization: Organization, data: PairingData) -> Pairing:
    """An organization's admin proposes to pair with a county, township or village; the county's
    rural revitalization department is told to confirm it."""
    if not rules.is_org_admin(actor, organization):
        raise Forbidden(_("只有本组织的管理员可以申请结对"))
    clean = clean_pairing_data(data, today=timezone.localdate())
    pairing = _create(actor, organization, clean, Pairing.Origin.ORGANIZATION)
    _tell_county(actor, pairing, _("新的结对帮扶申请：%(org)s") % {"org": organization.name})
    return pairing


@transaction.atomic
def arrange_pairing(*, actor: Any, organization: Organization, data: PairingData) -> Pairing:
    """City or county rural revitalization staff arrange a pairing in their subtree; the county
    confirms it (at once, if the arranger is the county) and the organization's admins are told."""
    clean = clean_pairing_data(data, today=timezone.localdate())
    if not rules.can_arrange_at(actor, clean.region.code):
        raise Forbidden(_("只有结对地区所在市、县的乡村振兴部门可以安排结对"))
    pairing = _create(actor, organization, clean, Pairing.Origin.STAFF)
    _tell_county(actor, pairing, _("新的结对帮扶安排：%(org)s") % {"org": organization.name})
    _tell_organization(
        actor,
        pairing,
        _("乡村振兴部门为本组织安排了结对：%(place)s") % {"place": clean.region.name},
        _("结对编号 %(number)s，期限 %(start)s 至 %(end)s。")
        % {"number": pairing.number, "start": pairing.start_date, "end": pairing.end_date},
    )
    return pairing


def _step(actor: Any, pairing: Pairing, action: str, expected_version: int | None, **changes: Any) -> Pairing:
    """Apply one transition with the rollups and the audit trail (permission already checked)."""
    check_version(pairing, expected_version, _("结对帮扶"))
    before_tallies = rollups.snapshot(pairing)
    before = _snapshot(pairing)
    WORKFLOW.apply(pairing, action, **changes)
    rollups.apply(pairing, before_tallies)
    _record(actor, action, pairing, before=before, after=_snapshot(pairing))
    return pairing


def _fresh(actor: Any, pairing: Pairing) -> Pairing:
    _require_visible(actor, pairing)
    return Pairing.objects.select_related("organization", "region").get(pk=pairing.pk)


@transaction.atomic
def confirm_pairing(*, actor: Any, pairing: Pairing, reason: str = "", expected_version: int | None = None) -> Pairing:
    pairing = _fresh(actor, pairing)
    if not rules.can_decide(actor, pairing):
        raise Forbidden(_("只有结对地区所在县的乡村振兴部门可以确认结对"))
    _step(actor, pairing, "confirm", expected_version, return_reason="", **stamp(actor, "confirmed"))
    _tell_organization(
        actor,
        pairing,
        _("结对已确认：%(place)s") % {"place": pairing.region.name},
        _("%(number)s 已由县级乡村振兴部门确认，结对期限 %(start)s 至 %(end)s。")
        % {"number": pairing.number, "start": pairing.start_date, "end": pairing.end_date},
    )
    return pairing


@transaction.atomic
def return_pairing(*, actor: Any, pairing: Pairing, reason: str = "", expected_version: int | None = None) -> Pairing:
    pairing = _fresh(actor, pairing)
    if not rules.can_decide(actor, pairing):
        raise Forbidden(_("只有结对地区所在县的乡村振兴部门可以退回结对"))
    WORKFLOW.target(pairing.status, "return")
    reason = WORKFLOW.clean_reason("return", reason, required=True)
    _step(actor, pairing, "return", expected_version, return_reason=reason)
    _tell_organization(
        actor,
        pairing,
        _("结对被退回：%(place)s") % {"place": pairing.region.name},
        _("%(number)s 被县级乡村振兴部门退回，原因：%(reason)s") % {"number": pairing.number, "reason": reason},
    )
    return pairing


@transaction.atomic
def withdraw_pairing(*, actor: Any, pairing: Pairing, reason: str = "", expected_version: int | None = None) -> Pairing:
    pairing = _fresh(actor, pairing)
    if not rules.can_withdraw(actor, pairing):
        raise Forbidden(_("只有本组织的管理员可以撤回结对"))
    WORKFLOW.target(pairing.status, "withdraw")
    reason = WORKFLOW.clean_reason("withdraw", reason, required=False)
    _step(actor, pairing, "withdraw", expected_version, end_reason=reason, ended_at=timezone.now())
    return pairing


@transaction.atomic
def resubmit_pairing(
    *, actor: Any, pairing: Pairing, data: PairingData, expected_version: int | None = None
) -> Pairing:
    """After a return: the same organization and place, the period and commitments changed, back to the county."""
    pairing = _fresh(actor, pairing)
    if not rules.can_change_proposal(actor, pairing):
        raise Forbidden(_("只有本组织的管理员或安排结对的部门可以重新提交"))
    WORKFLOW.target(pairing.status, "resubmit")
    clean = clean_pairing_data(data.merged({"region_code": pairing.region_id}), today=timezone.localdate())
    _step(
        actor, pairing, "resubmit", expected_version,
        start_date=clean.start_date, end_date=clean.end_date, committed_money=clean.committed_money,
        committed_projects=clean.committed_projects, committed_volunteer_hours=clean.committed_volunteer_hours,
        committed_purchases=clean.committed_purchases, note=clean.note,
    )  # fmt: skip
    _tell_county(actor, pairing, _("结对帮扶已修改并重新提交：%(org)s") % {"org": pairing.organization.name})
    return pairing


@transaction.atomic
def start_review(
    *, actor: Any, pairing: Pairing, year: int | None = None, reason: str = "", expected_version: int | None = None
) -> Pairing:
    """The county opens the annual review of `year` (this year unless given): the pairing is under review."""
    pairing = _fresh(actor, pairing)
    if not rules.can_decide(actor, pairing):
        raise Forbidden(_("只有结对地区所在县的乡村振兴部门可以开展年度考核"))
    WORKFLOW.target(pairing.status, "start_review")
    year = year or timezone.localdate().year
    if not pairing.start_date.year <= year <= pairing.end_date.year:
        raise ValidationFailed.on(
            "year",
            _("考核年度 %(year)s 不在结对期限 %(start)s 至 %(end)s 内")
            % {"year": year, "start": pairing.start_date, "end": pairing.end_date},
        )
    if PairingReview.objects.filter(pairing=pairing, year=year).exists():
        raise ValidationFailed.on("year", _("%(year)s 年度已考核过") % {"year": year})
    return _step(actor, pairing, "start_review", expected_version, review_year=year)


@transaction.atomic
def conclude_review(
    *,
    actor: Any,
    pairing: Pairing,
    assessment: str,
    outcome: str,
    new_end_date: datetime.date | None = None,
    expected_version: int | None = None,
) -> PairingReview:
    """Freeze the review year's figures with the written assessment; renew (a new end date, back
    to active) or end the pairing."""
    pairing = _fresh(actor, pairing)
    if not rules.can_decide(actor, pairing):
        raise Forbidden(_("只有结对地区所在县的乡村振兴部门可以作出考核结论"))
    action = {PairingReview.Outcome.RENEWED: "renew", PairingReview.Outcome.ENDED: "conclude_end"}.get(outcome)  # type: ignore[call-overload]
    if action is None:
        raise ValidationFailed.on("outcome", _("请选择考核结论：续签或结束"))
    WORKFLOW.target(pairing.status, action)
    assessment = str(assessment or "").strip()
    if not assessment:
        raise ValidationFailed.on("assessment", _("请填写考核意见"))
    if len(assessment) > 5000:
        raise ValidationFailed.on("assessment", _("考核意见不超过 5000 个字"))
    changes: dict[str, Any] = {"review_year": None}
    if action == "renew":
        if new_end_date is None:
            raise ValidationFailed.on("new_end_date", _("续签请填写新的结束日期"))
        if new_end_date <= pairing.end_date:
            raise ValidationFailed.on(
                "new_end_date",
                _("续签后的结束日期应晚于当前结束日期 %(end)s") % {"end": pairing.end_date},
            )
        if (new_end_date - pairing.end_date).days > 366 * 10:
            raise ValidationFailed.on("new_end_date", _("每次续签不超过 10 年"))
        changes["end_date"] = new_end_date
    else:
        new_end_date = None
        changes.update(end_reason=_("年度考核结论：结束"), ended_at=timezone.now())
    year = pairing.review_year or timezone.localdate().year
    start, end = progress.review_period(pairing, year)
    figures = {
        "year": progress.pairing_progress(pairing, start, end).as_dict(),
        "cumulative": progress.pairing_progress(pairing).as_dict(),
    }
    review = PairingReview.objects.create(
        pairing=pairing, year=year, period_start=start, period_end=end, figures=figures, assessment=assessment,
        outcome=outcome, new_end_date=new_end_date, reviewed_by=actor,
    )  # fmt: skip
    _step(actor, pairing, action, expected_version, **changes)
    return review


@transaction.atomic
def end_pairing(*, actor: Any, pairing: Pairing, reason: str = "", expected_version: int | None = None) -> Pairing:
    """The county ends a pairing early, with the reason."""
    pairing = _fresh(actor, pairing)
    if not rules.can_decide(actor, pairing):
        raise Forbidden(_("只有结对地区所在县的乡村振兴部门可以结束结对"))
    WORKFLOW.target(pairing.status, "end")
    reason = WORKFLOW.clean_reason("end", reason, required=True)
    _step(actor, pairing, "end", expected_version, end_reason=reason, review_year=None, ended_at=timezone.now())
    _tell_organization(
        actor,
        pairing,
        _("结对已结束：%(place)s") % {"place": pairing.region.name},
        _("%(number)s 已由县级乡村振兴部门提前结束，原因：%(reason)s") % {"number": pairing.number, "reason": reason},
    )
    return pairing


# The reason-taking steps the detail page and the API post by name.
TRANSITION_SERVICES = {
    "confirm": confirm_pairing,
    "return": return_pairing,
    "withdraw": withdraw_pairing,
    "end": end_pairing,
    "start_review": start_review,
}
