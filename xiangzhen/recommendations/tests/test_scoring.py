"""Each feature on hand-made cases, the candidates, the ordering and the batch scores."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.matching.models import Match
from xiangzhen.matching.tests.factories import MatchFactory
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.recommendations import scoring
from xiangzhen.recommendations.scoring import Weights
from xiangzhen.recommendations.services import update_weights
from xiangzhen.recommendations.tests.conftest import (
    FENGHUANG,
    HUAYUAN,
    HUNAN,
    SHIBADONG,
    SHUANGLONG_TOWN,
    XIANGXI,
    days,
    make_demand,
    make_offer,
)
from xiangzhen.regions.models import Designation

pytestmark = pytest.mark.django_db


def feature(scored, code):
    return next(f for f in scored.features if f.code == code)


@pytest.mark.parametrize(
    ("regions", "nationwide", "closeness", "label"),
    [
        ([SHIBADONG], False, 1.0, "同村"),
        ([SHUANGLONG_TOWN], False, 0.8, "同乡镇"),
        ([HUAYUAN], False, 0.6, "同县"),
        ([XIANGXI], False, 0.4, "同市"),
        ([HUNAN], False, 0.2, "同省"),
        ([], True, 0.1, "面向全国"),
        ([FENGHUANG], False, 0.0, "不在服务区域"),
    ],
)
def test_geography_closeness_follows_the_level_of_the_covering_service_region(
    demand, regions, nationwide, closeness, label
):
    offer = make_offer(regions=regions, nationwide=nationwide)
    geo = feature(scoring.score(demand, offer, Weights()), "geography")
    assert geo.value == pytest.approx(closeness)
    assert geo.detail_zh == label


def test_the_finest_covering_region_wins_when_an_offer_lists_several(demand):
    offer = make_offer(regions=[HUNAN, SHUANGLONG_TOWN])
    assert feature(scoring.score(demand, offer, Weights()), "geography").value == pytest.approx(0.8)


def test_domain_overlap_is_the_jaccard_of_the_domains(demand):
    offer = make_offer(domains=["education", "health"])
    domain = feature(scoring.score(demand, offer, Weights()), "domain_overlap")
    assert domain.value == pytest.approx(0.5)
    assert domain.detail_zh == "领域：教育"
    assert domain.contribution == pytest.approx(0.5 * Weights().domain_overlap)


def test_group_overlap_is_the_jaccard_of_the_groups_and_any_group_counts_a_little(demand):
    both = make_offer(groups=["left_behind_children", "empty_nest_elderly"])
    none = make_offer(groups=[])
    other = make_offer(groups=["persons_with_disabilities"])
    assert feature(scoring.score(demand, both, Weights()), "group_overlap").value == pytest.approx(0.5)
    assert feature(scoring.score(demand, both, Weights()), "group_overlap").detail_zh == "受益群体：农村留守儿童"
    assert feature(scoring.score(demand, none, Weights()), "group_overlap").value == pytest.approx(scoring.ANY_GROUP)
    assert feature(scoring.score(demand, other, Weights()), "group_overlap").value == 0


def test_text_similarity_is_a_tfidf_cosine_of_jieba_words(demand):
    same = make_offer(title=demand.title, description=demand.description)
    close = make_offer(title="留守儿童阅读陪伴", description="为留守儿童提供课后辅导。")
    far = make_offer(title="养殖技术培训", description="组织专家下乡讲授生猪养殖和防疫知识。")
    values = [feature(scoring.score(demand, o, Weights()), "text_similarity").value for o in (same, close, far)]
    assert values[0] == pytest.approx(1.0)
    assert values[0] > values[1] > values[2]
    assert values[2] == pytest.approx(0.0)


def test_budget_fit_compares_the_offer_money_left_with_the_uncovered_budget(demand):
    offer = make_offer(capacity_amount=Decimal("15000.00"))
    assert feature(scoring.score(demand, offer, Weights()), "budget_fit").value == pytest.approx(0.5)
    MatchFactory(offer=offer, organization=offer.organization, committed_amount=Decimal("5000.00"))
    fit = feature(scoring.score(demand, offer, Weights()), "budget_fit")
    assert fit.value == pytest.approx(10000 / 30000)
    assert fit.detail_zh == "可覆盖资金缺口的 33%"
    rich = make_offer(capacity_amount=Decimal("90000.00"))
    assert feature(scoring.score(demand, rich, Weights()), "budget_fit").detail_zh == "可覆盖全部资金缺口（30,000 元）"


def test_organization_record_combines_rating_completion_and_evaluations(demand):
    rated = OrganizationFactory(rating="5A", rating_year=2025)
    offer = make_offer(organization=rated)
    record = feature(scoring.score(demand, offer, Weights()), "organization_record")
    assert record.value == pytest.approx(0.4 + 0.15 + 0.15)
    assert record.detail_zh == "5A 级"
    MatchFactory(organization=rated, status=Match.Status.COMPLETED)
    MatchFactory(organization=rated, status=Match.Status.CANCELLED, cancel_reason="资金未到位")
    record = feature(scoring.score(demand, offer, Weights()), "organization_record")
    assert record.value == pytest.approx(0.4 + 0.3 * 0.5 + 0.15)
    assert record.detail_zh == "5A 级 · 完成率 50%"


def test_priority_tilt_names_every_reason(demand):
    Designation.objects.create(region_id=HUAYUAN, kind=Designation.Kind.NATIONAL_KEY_COUNTY)
    Designation.objects.create(region_id=SHIBADONG, kind=Designation.Kind.POVERTY_EXITED_VILLAGE)
    demand.published_at = timezone.now() - datetime.timedelta(days=45)
    demand.save()
    scored = scoring.score(demand, make_offer(), Weights(tilt=2.0))
    assert "国家乡村振兴重点帮扶县" in scored.chips
    assert "脱贫村" in scored.chips
    assert "最困难群体：农村留守儿童" in scored.chips
    assert "已等待 45 天" in scored.chips
    expected = 2.0 * (0.35 * 1 + 0.25 * 1 + 0.2 * 1 + 0.2 * 0.5)
    assert scored.tilt == pytest.approx(expected)
    assert scored.total == pytest.approx(sum(f.contribution for f in scored.features))


def test_no_tilt_without_priority(village_submitter):
    demand = make_demand(entered_by=village_submitter, groups={"left_behind_women": 3})
    assert scoring.score(demand, make_offer(), Weights()).tilt == pytest.approx(0.0)


def test_candidates_exclude_non_covering_full_expired_unstarted_draft_and_other_domains(demand):
    good = make_offer()
    make_offer(regions=[FENGHUANG])
    full = make_offer(capacity_demands=1)
    MatchFactory(offer=full, organization=full.organization)
    make_offer(window_start=days(-100), window_end=days(-1))
    make_offer(window_start=days(10), window_end=days(100))
    make_offer(status="draft")
    make_offer(domains=["health"])
    make_offer(organization=OrganizationFactory(status="suspended"))
    assert list(scoring.candidate_offers(demand)) == [good]


def test_a_future_window_fits_when_it_contains_the_demands_period(village_submitter):
    demand = make_demand(entered_by=village_submitter, period_start=days(20), period_end=days(40))
    later = make_offer(window_start=days(10), window_end=days(100))
    too_short = make_offer(window_start=days(10), window_end=days(30))
    candidates = set(scoring.candidate_offers(demand))
    assert later in candidates
    assert too_short not in candidates


def test_same_village_same_domain_5a_offer_beats_a_province_wide_unrelated_one(demand):
    near = make_offer(organization=OrganizationFactory(rating="5A", rating_year=2025), regions=[SHIBADONG])
    far = make_offer(
        regions=[HUNAN], domains=["education", "industry", "health"], groups=[],
        title="全省产业发展咨询", description="为合作社提供产业规划和市场对接咨询。",
    )  # fmt: skip
    ranked = scoring.top_offers(demand)
    assert [s.offer_id for s in ranked] == [near.pk, far.pk]
    assert ranked[0].total > ranked[1].total


def test_explanations_are_in_chinese(demand):
    offer = make_offer(organization=OrganizationFactory(rating="4A", rating_year=2025))
    Designation.objects.create(region_id=HUAYUAN, kind=Designation.Kind.PROVINCIAL_KEY_COUNTY)
    (scored,) = scoring.top_offers(demand)
    assert scored.offer_id == offer.pk
    for chip in ["同县", "领域：教育", "受益群体：农村留守儿童", "4A 级", "省级乡村振兴重点帮扶县"]:
        assert chip in scored.chips
    labels = {f.code: f.label for f in scored.features}
    assert labels["geography"] == "地域就近"


def test_changing_the_weights_changes_the_order(demand, province_rural_revitalization):
    near_unrated = make_offer(regions=[SHIBADONG])
    county_5a = make_offer(organization=OrganizationFactory(rating="5A", rating_year=2025))
    assert [s.offer_id for s in scoring.top_offers(demand)] == [near_unrated.pk, county_5a.pk]
    update_weights(province_rural_revitalization, HUNAN, geography=0, organization_record=10)
    assert scoring.current_weights(SHIBADONG).organization_record == 10
    assert [s.offer_id for s in scoring.top_offers(demand)] == [county_5a.pk, near_unrated.pk]


def test_an_organization_already_serving_the_demand_is_not_recommended_again(demand):
    offer = make_offer()
    MatchFactory(demand=demand, organization=offer.organization, offer=None)
    assert scoring.top_offers(demand) == []


def test_pair_scores_agree_with_score_and_respect_candidacy(demand, village_submitter):
    other = make_demand(entered_by=village_submitter, domains=["health"], groups={})
    a = make_offer()
    b = make_offer(regions=[SHIBADONG], domains=["education", "health"])
    make_offer(regions=[FENGHUANG])
    pairs = scoring.pair_scores([demand, other], scoring.Offer.objects.all())
    got = {(d, o): s for d, o, s in pairs}
    assert set(got) == {(demand.pk, a.pk), (demand.pk, b.pk), (other.pk, b.pk)}
    weights = scoring.current_weights(HUNAN)
    for (d, o), total in got.items():
        expected = scoring.score(scoring.Demand.objects.get(pk=d), scoring.Offer.objects.get(pk=o), weights)
        assert total == pytest.approx(expected.total)


def test_pair_scores_with_zero_tilt_give_the_untilted_score(demand):
    Designation.objects.create(region_id=HUAYUAN, kind=Designation.Kind.NATIONAL_KEY_COUNTY)
    make_offer()
    ((_, _, tilted),) = scoring.pair_scores([demand], scoring.Offer.objects.all())
    ((_, _, plain),) = scoring.pair_scores([demand], scoring.Offer.objects.all(), weights=Weights(tilt=0))
    assert tilted - plain == pytest.approx(Weights().tilt * (0.35 + 0.2))


def test_top_offers_runs_in_a_fixed_number_of_queries(demand):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_offer(organization=OrganizationFactory(rating="3A", rating_year=2024))
    scoring.top_offers(demand)
    with CaptureQueriesContext(connection) as few_queries:
        few = scoring.top_offers(demand)
    for _ in range(12):
        make_offer()
    scoring.top_offers(demand)
    with CaptureQueriesContext(connection) as many_queries:
        many = scoring.top_offers(demand)
    assert len(few) == 3 and len(many) == 10
    assert len(many_queries) == len(few_queries) <= 20


def test_an_offer_with_no_candidate_demands_and_empty_batches_score_nothing():
    offer = make_offer()
    assert scoring.top_demands([offer.pk], [], 10) == []
    assert scoring.pair_scores([], [offer]) == []
