"""Indicators, weights, the scheme and computing scores and rankings."""

from datetime import date
from decimal import Decimal

import pytest

from xiangzhen.core.errors import Conflict, Forbidden, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.evaluation import selectors, services
from xiangzhen.evaluation.models import Indicator, Score
from xiangzhen.evaluation.services import IndicatorChange, IndicatorData
from xiangzhen.evaluation.tests import factories as f
from xiangzhen.organizations.tests.factories import OrganizationFactory

HUNAN = "430000000000"
TODAY = date(2026, 3, 1)


def new_indicator(actor, **changes):
    values = {
        "category": "results",
        "code": "rooms",
        "name": "四小建设",
        "weight": "10",
        "formula": "min(1, facilities_in_use / 2)",
    } | changes
    return services.create_indicator(actor=actor, province_code=HUNAN, data=IndicatorData(**values))


# ---------------------------------------------------------------- indicators


def test_default_indicators_are_seeded_active_and_sum_to_100(hunan_indicators):
    assert len(hunan_indicators) == 7
    assert all(i.is_active for i in hunan_indicators)
    assert sum(i.weight for i in hunan_indicators) == 100
    assert services.seed_default_indicators(province_codes=[HUNAN]) == {HUNAN: 0}  # left as they are
    shanxi = services.seed_default_indicators(province_codes=["140000000000"])
    assert shanxi == {"140000000000": 7}


def test_province_civil_affairs_adds_an_inactive_indicator_audited(hunan_indicators, province_civil_affairs):
    indicator = new_indicator(province_civil_affairs)
    assert (indicator.is_active, indicator.version, indicator.weight) == (False, 1, Decimal("10.00"))
    entry = AuditEntry.objects.get(action="evaluation.indicator.create", object_id=str(indicator.pk))
    assert entry.actor == province_civil_affairs
    assert entry.region_code == HUNAN
    assert entry.after["formula"] == "min(1, facilities_in_use / 2)"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"formula": "min(1, rooms / 2)"}, "formula", "未知的计量名称“rooms”"),
        ({"formula": "facilities_in_use ** 2"}, "formula", "乘方 **"),
        ({"weight": "0"}, "weight", "大于 0"),
        ({"weight": "100.5"}, "weight", "不超过 100"),
        ({"weight": "abc"}, "weight", "不是数字"),
        ({"weight": "1.234"}, "weight", "两位小数"),
        ({"code": "Rooms-1"}, "code", "小写字母"),
        ({"code": "matches"}, "code", "已有代码"),
        ({"category": "fame"}, "category", "类别应为"),
        ({"name": " "}, "name", "请填写名称"),
    ],
)
def test_bad_indicators_are_refused_naming_the_field(hunan_indicators, province_civil_affairs, changes, field, message):
    with pytest.raises(ValidationFailed) as caught:
        new_indicator(province_civil_affairs, **changes)
    assert caught.value.errors[0].field == field
    assert message in caught.value.message


@pytest.mark.parametrize(
    "role", ["province_rural_revitalization", "city_civil_affairs", "county_civil_affairs", "org_admin"]
)
def test_only_province_civil_affairs_and_admins_edit_indicators(request, hunan_indicators, role):
    with pytest.raises(Forbidden):
        new_indicator(request.getfixturevalue(role))
    with pytest.raises(Forbidden):
        services.update_indicators(
            actor=request.getfixturevalue(role),
            province_code=HUNAN,
            changes=[IndicatorChange(hunan_indicators[0].pk, formula="timeliness")],
        )


def test_another_provinces_staff_cannot_edit_hunan(hunan_indicators, shanxi_civil_affairs, platform_admin):
    with pytest.raises(Forbidden):
        new_indicator(shanxi_civil_affairs)
    assert new_indicator(platform_admin).province_id == HUNAN


def test_switching_on_an_indicator_needs_the_weights_rebalanced(hunan_indicators, province_civil_affairs):
    rooms = new_indicator(province_civil_affairs)
    with pytest.raises(ValidationFailed, match="合计应为 100 分，当前为 110 分"):
        services.update_indicators(
            actor=province_civil_affairs, province_code=HUNAN, changes=[IndicatorChange(rooms.pk, is_active=True)]
        )
    assert not Indicator.objects.get(pk=rooms.pk).is_active  # nothing half-written
    pairing = next(i for i in hunan_indicators if i.code == "pairing_rooms")
    touched = services.update_indicators(
        actor=province_civil_affairs,
        province_code=HUNAN,
        changes=[
            IndicatorChange(rooms.pk, is_active=True, version=1),
            IndicatorChange(pairing.pk, is_active=False, version=1),
        ],
    )
    assert {i.code for i in touched} == {"rooms", "pairing_rooms"}
    assert selectors.active_weight(HUNAN) == 100
    assert Indicator.objects.get(pk=rooms.pk).version == 2
    assert AuditEntry.objects.filter(action="evaluation.indicator.update").count() == 2


def test_reweighting_together_keeps_the_sum(hunan_indicators, province_civil_affairs):
    matches, campaigns = hunan_indicators[0], hunan_indicators[1]
    services.update_indicators(
        actor=province_civil_affairs,
        province_code=HUNAN,
        changes=[IndicatorChange(matches.pk, weight="20"), IndicatorChange(campaigns.pk, weight="10")],
    )
    matches.refresh_from_db()
    assert (matches.weight, matches.version) == (Decimal("20.00"), 2)
    with pytest.raises(ValidationFailed, match="当前为 105 分"):
        services.update_indicators(
            actor=province_civil_affairs, province_code=HUNAN, changes=[IndicatorChange(matches.pk, weight="25")]
        )


def test_an_unchanged_row_keeps_its_version(hunan_indicators, province_civil_affairs):
    first = hunan_indicators[0]
    touched = services.update_indicators(
        actor=province_civil_affairs,
        province_code=HUNAN,
        changes=[IndicatorChange(first.pk, weight=str(first.weight), formula=first.formula, is_active=True)],
    )
    assert touched == []
    first.refresh_from_db()
    assert first.version == 1


def test_a_stale_version_is_a_conflict(hunan_indicators, province_civil_affairs):
    first = hunan_indicators[0]
    services.update_indicators(
        actor=province_civil_affairs, province_code=HUNAN, changes=[IndicatorChange(first.pk, name="承接对接")]
    )
    with pytest.raises(Conflict):
        services.update_indicators(
            actor=province_civil_affairs,
            province_code=HUNAN,
            changes=[IndicatorChange(first.pk, name="再改", version=1)],
        )


def test_a_bad_formula_in_the_table_names_its_row(hunan_indicators, province_civil_affairs):
    with pytest.raises(ValidationFailed) as caught:
        services.update_indicators(
            actor=province_civil_affairs,
            province_code=HUNAN,
            changes=[IndicatorChange(hunan_indicators[0].pk, formula="open('x')")],
        )
    assert caught.value.errors[0].field == "indicators[matches].formula"
    assert "open" in caught.value.message


def test_scheme_validation(province_civil_affairs):
    scheme = services.update_scheme(actor=province_civil_affairs, province_code="43", rating_points="80")
    assert (scheme.rating_points, scheme.rating_total, scheme.commendation_top) == (80, 1000, 3)
    with pytest.raises(ValidationFailed, match="不超过等级评估总分"):
        services.update_scheme(actor=province_civil_affairs, province_code=HUNAN, rating_points="1200")
    with pytest.raises(ValidationFailed, match="不是省级区划代码"):
        services.update_scheme(actor=province_civil_affairs, province_code="4331", rating_points="10")


# ---------------------------------------------------------------- scores and ranking


@pytest.fixture
def scored_world(hunan_indicators, organization, org_admin):
    """Four 花垣县 social service agencies and one 湘西州 one, with different records in 2025."""
    by = org_admin
    busy = OrganizationFactory(name="很活跃的组织")
    for month in range(1, 7):
        f.match(busy, status="completed", confirmed=date(2025, month, 1), completed=date(2025, month, 20))
        f.activity(busy, by, held=date(2025, month, 3), recorded=date(2025, month, 3), people=60)
    twin = OrganizationFactory(name="同分组织")
    f.activity(twin, by, held=date(2025, 5, 1), recorded=date(2025, 5, 1), people=30)
    f.activity(organization, by, held=date(2025, 5, 1), recorded=date(2025, 5, 1), people=30)
    quiet = OrganizationFactory(name="没有记录的组织")
    city = OrganizationFactory(name="州级组织", region_id="433100000000")
    f.activity(city, by, held=date(2025, 5, 1), recorded=date(2025, 5, 1), people=3)
    group = OrganizationFactory(name="花垣县社会团体", kind="social_group")
    return {"busy": busy, "twin": twin, "quiet": quiet, "city": city, "group": group}


def test_scores_rank_per_kind_and_level_with_ties(scored_world, organization, province_civil_affairs):
    result = services.compute_scores(actor=province_civil_affairs, province_code=HUNAN, year=2025, today=TODAY)
    assert result.count == 6
    scores = {s.organization_id: s for s in Score.objects.filter(year=2025)}
    busy, twin, quiet = (scores[scored_world[k].pk] for k in ("busy", "twin", "quiet"))
    mine = scores[organization.pk]
    assert (busy.rank, mine.rank, twin.rank, quiet.rank) == (1, 2, 2, 4)
    assert busy.group_size == 4 and (busy.kind, busy.level) == ("social_service_agency", "county")
    assert mine.total == twin.total > quiet.total == 0
    city = scores[scored_world["city"].pk]
    assert (city.level, city.rank, city.group_size) == ("city", 1, 1)
    assert scores[scored_world["group"].pk].rank == 1
    # busy: 6 confirmed matches (15), 6 activities (15), 360 people (0.6 of 25), all on time (10),
    # completed without evidence (0 of 10); no evaluations, purchases, pairings or rooms.
    assert busy.total == Decimal("55.00")
    parts = {p["code"]: p for p in busy.breakdown}
    assert parts["beneficiaries"]["points"] == "15.00"
    assert parts["beneficiaries"]["measures"] == {
        "match_people_served": "60",
        "people_served": "360",
        "purchases": "0",
        "money_disbursed": "0",
    }
    assert parts["timeliness"] == parts["timeliness"] | {"value": "1", "points": "10.00", "version": 1}
    assert busy.indicator_versions == {i.code: 1 for i in Indicator.objects.filter(province_id=HUNAN)}
    assert busy.measures["activities"] == "6"
    assert AuditEntry.objects.filter(action="evaluation.compute", region_code=HUNAN).count() == 1


def test_an_indicator_value_is_held_between_0_and_1(hunan_indicators, organization, province_civil_affairs):
    first = hunan_indicators[0]
    services.update_indicators(
        actor=province_civil_affairs,
        province_code=HUNAN,
        changes=[IndicatorChange(first.pk, formula="matches_taken - 5")],
    )
    services.compute_scores(actor=province_civil_affairs, province_code=HUNAN, year=2025, today=TODAY)
    part = next(p for p in Score.objects.get(organization=organization).breakdown if p["code"] == "matches")
    assert (part["raw"], part["value"], part["points"], part["version"]) == ("-5", "0", "0.00", 2)


def test_recomputing_replaces_the_year_and_records_new_versions(scored_world, province_civil_affairs):
    services.compute_scores(actor=province_civil_affairs, province_code=HUNAN, year=2025, today=TODAY)
    timeliness = Indicator.objects.get(province_id=HUNAN, code="timeliness")
    services.update_indicators(
        actor=province_civil_affairs, province_code=HUNAN, changes=[IndicatorChange(timeliness.pk, formula="0")]
    )
    services.compute_scores(actor=province_civil_affairs, province_code=HUNAN, year=2025, today=TODAY)
    busy = Score.objects.get(organization=scored_world["busy"], year=2025)
    assert Score.objects.filter(year=2025).count() == 6
    assert busy.total == Decimal("45.00")
    assert busy.indicator_versions["timeliness"] == 2


def test_compute_refuses_without_active_indicators_or_a_bad_year(db, province_civil_affairs, county_civil_affairs):
    with pytest.raises(ValidationFailed, match="尚未启用评估指标"):
        services.compute_scores(actor=province_civil_affairs, province_code=HUNAN, year=2025)
    services.seed_default_indicators(province_codes=[HUNAN])
    with pytest.raises(ValidationFailed, match="年度应在"):
        services.compute_scores(actor=province_civil_affairs, province_code=HUNAN, year=2099)
    with pytest.raises(Forbidden):
        services.compute_scores(actor=county_civil_affairs, province_code=HUNAN, year=2025)


def test_rank_groups_uses_competition_ranking():
    rows = [(1, ("a", "county"), Decimal(5)), (2, ("a", "county"), Decimal(9)), (3, ("a", "county"), Decimal(5))]
    rows += [(4, ("a", "county"), Decimal(1)), (5, ("b", "county"), Decimal(0))]
    assert services.rank_groups(rows) == {2: (1, 4), 1: (2, 4), 3: (2, 4), 4: (4, 4), 5: (1, 1)}


def test_a_formula_typed_over_lines_is_kept_on_one(hunan_indicators, province_civil_affairs):
    indicator = new_indicator(province_civil_affairs, formula="min(1,\n   facilities_in_use / 2)")
    assert indicator.formula == "min(1, facilities_in_use / 2)"
