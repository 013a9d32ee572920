"""What a disbursement may pay: finding the target a person names by kind and number, checking it
can receive money, and which restricted money may pay it. Reads only; the services write.

Targets (`models.DISBURSEMENT_TARGETS`):
- match: one of the fund organization's own matches, confirmed by the county and not cancelled;
- project: one of the fund's own projects;
- pairing: a pairing of ANY organization that is active or under its annual review (the fund pays
  for that pairing's work);
- activity: a campaign activity of any organization, its campaign published (or since closed);
- facility: one of the four small rooms being built or in use.

Restricted money follows the target's domains, as for matches: a match may use money restricted to
one of its demand's domains; a project its own restricted money, then its domain's; an activity its
charity brand's domains; a room the domains of its kind (`facilities.rules.KIND_DOMAINS`); a
pairing has no domain, so only unrestricted money pays it.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.funds import ledger
from xiangzhen.funds.models import DISBURSEMENT_TARGETS, Disbursement, Fund, FundProject
from xiangzhen.funds.validation import DisbursementData
from xiangzhen.matching.models import Match

TARGET_LABELS: dict[str, Any] = {
    "match": _("供需对接"),
    "project": _("基金项目"),
    "pairing": _("结对帮扶"),
    "activity": _("专项行动活动"),
    "facility": _("四小建设"),
}
# Matches a fund may pay: confirmed by the county and not cancelled.
PAYABLE_MATCH_STATUSES = (
    Match.Status.CONFIRMED,
    Match.Status.IN_PROGRESS,
    Match.Status.COMPLETED,
    Match.Status.EVALUATED,
)
PAYABLE_PAIRING_STATUSES = ("active", "under_review")
PAYABLE_CAMPAIGN_STATUSES = ("published", "closed")
PAYABLE_FACILITY_STATUSES = ("building", "in_use")


@dataclass(frozen=True)
class Target:
    kind: str
    record: models.Model
    # The restricted purposes whose money may pay it, most specific first (unrestricted always may).
    compatible: list[str]

    @property
    def number(self) -> str:
        return str(self.record.number)  # type: ignore[attr-defined]


def kind_of(disbursement: Disbursement) -> str:
    """The target kind of a disbursement: the one target field that is set."""
    return disbursement.target_kind


def label(kind: str) -> str:
    return str(TARGET_LABELS.get(kind, kind))


def region_of(disbursement: Disbursement) -> str:
    """Where the money went: the demand's region, the pairing's, the activity's, the room's village,
    or for a fund project the fund organization's registration region."""
    kind = kind_of(disbursement)
    if kind == "match":
        return str(disbursement.match.demand.region_id)  # type: ignore[union-attr]
    if kind == "pairing":
        return str(disbursement.pairing.region_id)  # type: ignore[union-attr]
    if kind == "activity":
        return str(disbursement.activity.region_id)  # type: ignore[union-attr]
    if kind == "facility":
        return str(disbursement.facility.village_id)  # type: ignore[union-attr]
    return str(disbursement.fund.organization.region_id)


def _requested(data: DisbursementData) -> tuple[str, str]:
    kind = str(data.target_kind or "").strip()
    number = str(data.target_number or "").strip()
    if kind:
        return kind, number
    match_number = str(data.match_number or "").strip()
    project_number = str(data.project_number or "").strip()
    if bool(match_number) == bool(project_number):
        raise ValidationFailed.on("target_kind", "请选择拨付对象的类型并填写其编号")
    return ("match", match_number) if match_number else ("project", project_number)


def resolve(actor: Any, fund: Fund, data: DisbursementData) -> Target:
    """The target named in `data`, or ValidationFailed saying what is wrong with it."""
    kind, number = _requested(data)
    if kind not in DISBURSEMENT_TARGETS:
        allowed = "、".join(label(k) for k in DISBURSEMENT_TARGETS)
        raise ValidationFailed.on("target_kind", f"拨付对象类型“{kind}”不正确，应为 {allowed} 之一")
    if not number:
        raise ValidationFailed.on("target_number", f"请填写{label(kind)}的编号")
    return {
        "match": _match,
        "project": _project,
        "pairing": _pairing,
        "activity": _activity,
        "facility": _facility,
    }[kind](actor, fund, number)


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed.on("target_number", message)


def _project(actor: Any, fund: Fund, number: str) -> Target:
    project = FundProject.objects.select_related("domain").filter(fund=fund, number=number).first()
    if project is None:
        raise _fail(f"本基金没有编号为“{number}”的项目")
    compatible = [ledger.project_purpose(project)]
    if project.domain is not None:
        compatible.append(ledger.domain_purpose(project.domain.code))
    return Target("project", project, compatible)


def _match(actor: Any, fund: Fund, number: str) -> Target:
    from xiangzhen.matching import selectors as match_selectors

    match = match_selectors.matches(actor).filter(number=number, organization=fund.organization).first()
    if match is None:
        raise _fail(f"找不到供需对接“{number}”，或它不属于本组织")
    if match.status not in PAYABLE_MATCH_STATUSES:
        raise _fail(f"供需对接 {match.number} 当前为“{match.get_status_display()}”，只有县级确认后的对接才能拨付")
    domains = sorted(match.demand.domains.values_list("code", flat=True))
    return Target("match", match, [ledger.domain_purpose(code) for code in domains])


def _pairing(actor: Any, fund: Fund, number: str) -> Target:
    from xiangzhen.pairings.models import Pairing

    pairing = Pairing.objects.filter(number=number).first()
    if pairing is None:
        raise _fail(f"找不到结对帮扶“{number}”")
    if pairing.status not in PAYABLE_PAIRING_STATUSES:
        raise _fail(
            f"结对帮扶 {pairing.number} 当前为“{pairing.get_status_display()}”，只有结对中或年度考核中的结对才能拨付"
        )
    return Target("pairing", pairing, [])


def _activity(actor: Any, fund: Fund, number: str) -> Target:
    from xiangzhen.campaigns.models import Activity

    activity = Activity.objects.select_related("campaign", "brand").filter(number=number).first()
    if activity is None:
        raise _fail(f"找不到专项行动活动“{number}”")
    if activity.campaign.status not in PAYABLE_CAMPAIGN_STATUSES:
        raise _fail(f"活动 {activity.number} 所属的专项行动尚未发布，不能拨付")
    domains: list[str] = []
    if activity.brand is not None:
        domains = sorted(activity.brand.domains.values_list("code", flat=True))
    return Target("activity", activity, [ledger.domain_purpose(code) for code in domains])


def _facility(actor: Any, fund: Fund, number: str) -> Target:
    from xiangzhen.facilities.models import Facility
    from xiangzhen.facilities.rules import KIND_DOMAINS

    facility = Facility.objects.filter(number=number).first()
    if facility is None:
        raise _fail(f"找不到四小建设“{number}”")
    if facility.status not in PAYABLE_FACILITY_STATUSES:
        raise _fail(
            f"{facility.name}（{facility.number}）当前为“{facility.get_status_display()}”，只有建设中或使用中的小屋才能拨付"
        )
    return Target("facility", facility, [ledger.domain_purpose(code) for code in KIND_DOMAINS[facility.kind]])
