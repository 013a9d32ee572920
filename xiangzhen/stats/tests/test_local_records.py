"""Figures below county read only the county's own records: every registered model says where its
tallies fall (`rollups.register(region_field=...)`), so a township's figures neither load nor pay
for the records of other counties, and come out as a read of every record in the country would."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiangzhen.accounts.tests.factories import UserFactory
from xiangzhen.campaigns.models import Activity, ActivityBeneficiary
from xiangzhen.consumption.models import Purchase
from xiangzhen.core.models import BeneficiaryGroup
from xiangzhen.demands.models import Demand
from xiangzhen.facilities.models import Facility, FacilityUsage
from xiangzhen.funds.models import Disbursement, FundProject
from xiangzhen.monitoring.models import AssistanceRecord, MonitoredHousehold
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.pairings.models import Pairing
from xiangzhen.pairings.tests import factories as records
from xiangzhen.stats import rollups
from xiangzhen.stats.figures import bounds, figures, local_sums, rollup_sums
from xiangzhen.training.models import Enrollment, Training

HUAYUAN = "433124000000"
SHUANGLONG = "433124110000"  # 双龙镇, 花垣县
SHIBADONG = "433124110226"  # 十八洞村, 双龙镇
FENGHUANG = "433123000000"
WACHANG = "433123101201"  # 瓦场村, 凤凰县
START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)
DAY = datetime.date(2026, 3, 10)
MODELS = [Demand, Activity, Purchase, Facility, FacilityUsage, Pairing, Enrollment, AssistanceRecord, Disbursement]

_seq = itertools.count(1)


def place_records(organization: Any, user: Any, village: str) -> dict[type, list[Any]]:
    """One record of each model whose tallies fall in `village` (a disbursement to each kind of
    target), written straight to the tables; `organization` takes part in all of them."""
    activity = records.activity(organization, user, village, DAY, hours=[(user, "2.5")])
    ActivityBeneficiary.objects.create(
        activity=activity, group=BeneficiaryGroup.objects.get(code="empty_nest_elderly"), count=7
    )
    facility = Facility.objects.create(
        number=f"XW-{next(_seq):06d}", kind=Facility.Kind.LIVESTREAM_ROOM, name="直播小屋", village_id=village,
        builder=organization, status=Facility.Status.IN_USE, opened_on=DAY, created_by=user,
    )  # fmt: skip
    usage = FacilityUsage.objects.create(
        facility=facility, used_on=DAY, kind=FacilityUsage.Kind.SALES, count=3, amount=Decimal("450.00"),
        recorded_by=user,
    )  # fmt: skip
    pairing = Pairing.objects.create(
        number=f"JD-{next(_seq):06d}", organization=organization, region_id=village, origin=Pairing.Origin.STAFF,
        status=Pairing.Status.ACTIVE, start_date=DAY, end_date=DAY + datetime.timedelta(days=700), proposed_by=user,
    )  # fmt: skip
    training = Training.objects.create(
        number=f"PX-{next(_seq):06d}", title="社会工作实务", organizer_organization=organization,
        region_id=rollups.rollup_region(village), trainer="龙老师",
        starts_on=DAY, ends_on=DAY, mode=Training.Mode.IN_PERSON, capacity=30, hours=Decimal(6), created_by=user,
    )  # fmt: skip
    enrollment = Enrollment.objects.create(
        training=training, attendee=user, organization=organization, attended=True, enrolled_by=user
    )
    household = MonitoredHousehold.objects.create(
        number=f"JC-{next(_seq):06d}", village_id=village, category=MonitoredHousehold.Category.MARGINAL,
        head_name="龙秀英", head_id_number="433124198001010021", id_number_key=f"key-{next(_seq)}",
        income_per_capita=Decimal("5600.00"), identified_on=DAY, recorded_by=user,
    )  # fmt: skip
    assistance = AssistanceRecord.objects.create(
        household=household, organization=organization, kind=AssistanceRecord.Kind.MONEY, what="医疗救助金",
        given_on=DAY, amount=Decimal("2000.00"), recorded_by=user,
    )  # fmt: skip
    fund = records.fund_of(organization, user)
    project = FundProject.objects.create(
        number=f"XM-{next(_seq):06d}", fund=fund, name="助学", start_date=START, end_date=END, created_by=user
    )
    match = records.completed_match(organization, village, DAY)
    paid = [
        records.disbursement(fund, "100.00", DAY, match=match),
        records.disbursement(fund, "200.00", DAY, pairing=pairing),
        records.disbursement(fund, "300.00", DAY, activity=activity),
        records.disbursement(fund, "400.00", DAY, facility=facility),
        records.disbursement(fund, "500.00", DAY, project=project),
    ]
    return {
        Demand: [match.demand],
        Activity: [activity],
        Purchase: [records.purchase(organization, user, village, "880.00", DAY)],
        Facility: [facility],
        FacilityUsage: [usage],
        Pairing: [pairing],
        Enrollment: [enrollment],
        AssistanceRecord: [assistance],
        Disbursement: paid,
    }


@pytest.fixture
def world(db):
    """The same records in 十八洞村 (花垣县) and in 瓦场村 (凤凰县), each by an organization of its
    own county; and a 凤凰县 fund paying for an activity in 十八洞村, which counts in 花垣县."""
    user = UserFactory(username="recorder")
    huayuan = OrganizationFactory(region_id=HUAYUAN)
    fenghuang = OrganizationFactory(region_id=FENGHUANG)
    inside = place_records(huayuan, user, SHIBADONG)
    elsewhere = place_records(fenghuang, user, WACHANG)
    across = records.activity(fenghuang, user, SHIBADONG, DAY)
    inside[Disbursement].append(records.disbursement(records.fund_of(fenghuang, user), "60.00", DAY, activity=across))
    inside[Activity].append(across)
    return {"user": user, "huayuan": huayuan, "fenghuang": fenghuang, "inside": inside, "elsewhere": elsewhere}


def every_region_field_ignored(monkeypatch: Any) -> None:
    """As before the models said where their tallies fall: every record in the country is read."""
    monkeypatch.setattr(rollups, "_region_fields", {})


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_a_county_reads_its_own_records_and_none_of_another_county(world, model):
    read = {record.pk for record in rollups.records(model, bounds(HUAYUAN))}
    assert {record.pk for record in world["inside"][model]} <= read
    assert not read & {record.pk for record in world["elsewhere"][model]}


def test_every_counted_model_says_where_its_tallies_fall():
    assert set(rollups.registered()) == set(rollups._region_fields)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_records_read_together_tally_as_each_read_alone(world, model):
    """The recount and the dashboards read records through `prepare`, the services one by one:
    both must give the same tallies, or `rebuild_rollups --check` would report differences."""
    tallies = rollups.registered()[model]
    together = {record.pk: sorted(tallies(record), key=repr) for record in rollups.records(model, bounds(""))}
    alone = {pk: sorted(tallies(model._default_manager.get(pk=pk)), key=repr) for pk in together}
    assert together == alone
    assert len(together) >= 2 and all(together.values())


def test_a_townships_figures_are_those_of_a_read_of_every_record(world, monkeypatch):
    township = figures(SHUANGLONG, START, END)
    assert township.money_disbursed == Decimal("1060.00")  # the fund project's 500 counts in the county, not here
    assert township.money_disbursed_by_target == {
        "activity": "360.00", "facility": "400.00", "match": "100.00", "pairing": "200.00",
    }  # fmt: skip
    assert (township.purchases, township.purchase_count) == (Decimal("880.00"), 1)
    assert (township.activities, township.people_served, township.volunteer_hours) == (2, 7, Decimal("2.5"))
    assert (township.pairings_started, township.pairings_active) == (1, 1)
    assert (township.facilities_built, township.facility_usage, township.facility_sales) == (1, 3, Decimal("450.00"))
    assert township.organizations == 2  # 花垣县's, and 凤凰县's through its activity in 十八洞村
    odd_period = figures(HUAYUAN, START, datetime.date(2026, 6, 29))
    every_region_field_ignored(monkeypatch)
    assert figures(SHUANGLONG, START, END) == township
    assert figures(HUAYUAN, START, datetime.date(2026, 6, 29)) == odd_period


def test_the_county_read_from_its_records_agrees_with_the_rollups(world):
    rollups.rebuild()
    assert local_sums(HUAYUAN, START, END)[0] == rollup_sums(HUAYUAN, START, END)
    assert rollups.differences() == []


def test_a_townships_figures_cost_the_same_whatever_the_records_elsewhere(world):
    with CaptureQueriesContext(connection) as baseline:
        township = figures(SHUANGLONG, START, END)
    for _ in range(3):
        place_records(OrganizationFactory(region_id=FENGHUANG), world["user"], WACHANG)
    with CaptureQueriesContext(connection) as elsewhere:
        assert figures(SHUANGLONG, START, END) == township
    assert len(elsewhere) == len(baseline)
    # Nor does it grow with the township's own records: no query per record.
    place_records(OrganizationFactory(region_id=HUAYUAN), world["user"], SHIBADONG)
    with CaptureQueriesContext(connection) as inside:
        assert figures(SHUANGLONG, START, END).activities == township.activities + 1
    assert len(inside) == len(baseline)


def test_a_townships_dashboard_costs_the_same_whatever_the_records_elsewhere(world, client, county_official):
    client.force_login(county_official)
    url = f"/stats/?region={SHUANGLONG}&period=half&year=2026&part=1"
    client.get(url)  # the first request of a session loads what later ones reuse
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url).status_code == 200
    for _ in range(3):
        place_records(OrganizationFactory(region_id=FENGHUANG), world["user"], WACHANG)
    with CaptureQueriesContext(connection) as elsewhere:
        assert client.get(url).status_code == 200
    assert len(elsewhere) == len(baseline)
