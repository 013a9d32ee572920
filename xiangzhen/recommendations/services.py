"""Writes of the recommendations app: a province's matching weights, and accepting a recommendation
(which becomes a match through the matching services, with origin "recommendation")."""

import math
from typing import Any

from django.db import transaction

from xiangzhen.accounts import roles
from xiangzhen.core import audit
from xiangzhen.core.errors import Forbidden, ValidationFailed
from xiangzhen.demands.models import Demand
from xiangzhen.matching import rules as matching_rules
from xiangzhen.matching import services as matching_services
from xiangzhen.matching.models import Match
from xiangzhen.matching.services import Commitment
from xiangzhen.offers.models import Offer
from xiangzhen.organizations import selectors as organization_selectors
from xiangzhen.recommendations import text
from xiangzhen.recommendations.models import DEFAULTS, FEATURES, MAX_WEIGHT, MatchingWeights, TextCorpus
from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level
from xiangzhen.regions.models import Region

AUDIT_FIELDS = ["region", *FEATURES]


def can_edit_weights(user: Any, province_code: str | None) -> bool:
    """Platform admins (any province, and the national default); province staff, their own province."""
    if roles.is_platform_admin(user):
        return True
    department = roles.department_of(user)
    return bool(
        province_code and department and roles.is_province_staff(user) and department.region_id == province_code
    )


def province_or_none(province_code: str | None) -> str | None:
    """A valid province code in 12 digits (2 digits will do), or None for the national default."""
    if province_code in (None, ""):
        return None
    try:
        code = codes.normalize(str(province_code))
    except ValueError as exc:
        raise ValidationFailed.on("province_code", str(exc)) from None
    if codes.level_of(code) != Level.PROVINCE or not Region.objects.filter(code=code).exists():
        raise ValidationFailed.on("province_code", f"“{province_code}”不是省级区划代码")
    return code


def _weight(name: str, value: Any) -> float:
    if name not in FEATURES:
        raise ValidationFailed.on(name, f"没有名为“{name}”的权重")
    label = FEATURES[name]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed.on(name, f"“{label}”应为数字") from None
    if not math.isfinite(number) or not 0 <= number <= MAX_WEIGHT:
        raise ValidationFailed.on(name, f"“{label}”应在 0 到 {MAX_WEIGHT:g} 之间")
    return number


@transaction.atomic
def update_weights(actor: Any, province_code: str | None, **weights: Any) -> MatchingWeights:
    """Set some or all weights of a province (or, with no province, the national default).

    A province's row is created on first change from the national values. Audited.
    """
    province = province_or_none(province_code)
    if not can_edit_weights(actor, province):
        raise Forbidden("只有本省的省级工作人员或平台管理员可以修改匹配权重")
    cleaned = {name: _weight(name, value) for name, value in weights.items()}
    row = MatchingWeights.objects.select_for_update().filter(region_id=province).first()
    if row is None:
        national = MatchingWeights.objects.filter(region__isnull=True).first()
        start = {name: getattr(national, name) if national else DEFAULTS[name] for name in FEATURES}
        row = MatchingWeights(region_id=province, **start)
        before = None
    else:
        before = audit.snapshot(row, AUDIT_FIELDS)
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.updated_by = actor
    row.save()
    audit.record(
        actor=actor,
        action="recommendations.update_weights",
        instance=row,
        region_code=province or "",
        before=before,
        after=audit.snapshot(row, AUDIT_FIELDS),
    )
    return row


def accept_recommendation(*, actor: Any, demand: Demand, offer: Offer, commitment: Commitment) -> Match:
    """Turn a recommended pair into a match with origin "recommendation": the demand side accepts it
    like 点单 (the organization answers), an admin of the offer's organization like 接单 (the demand
    side answers). Every check of those two services applies."""
    origin = Match.Origin.RECOMMENDATION
    if matching_rules.can_order_for(actor, demand.region_id):
        return matching_services.order_offer(
            actor=actor, demand=demand, offer=offer, commitment=commitment, origin=origin
        )
    if organization_selectors.administered_organizations(actor).filter(pk=offer.organization_id).exists():
        return matching_services.take_demand(
            actor=actor, demand=demand, offer=offer, organization=offer.organization, commitment=commitment,
            origin=origin,
        )  # fmt: skip
    raise Forbidden("只有需求方（当地需求填报员或县级乡村振兴部门）或该供给项目所属社会组织的管理员可以采纳推荐")


KEEP_CORPORA = 3


@transaction.atomic
def rebuild_text_corpus() -> TextCorpus:
    """Count the document frequencies of the corpus now and store them as the newest corpus (the
    background task's work; older rows beyond the last few are removed)."""
    counted = text.count_corpus()
    row = TextCorpus.objects.create(documents=counted.documents, frequencies=counted.document_frequency)
    stale = TextCorpus.objects.order_by("-pk").values_list("pk", flat=True)[KEEP_CORPORA:]
    TextCorpus.objects.filter(pk__in=list(stale)).delete()
    return row
