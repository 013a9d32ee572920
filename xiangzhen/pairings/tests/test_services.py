"""The pairing workflow: every transition, who may take it, in and out of scope, and the rollups."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.notifications.models import Notification
from xiangzhen.organizations.models import Organization
from xiangzhen.organizations.tests.factories import OrganizationFactory
from xiangzhen.pairings import services
from xiangzhen.pairings.models import Pairing, PairingReview
from xiangzhen.pairings.tests.factories import (
    FENGHUANG_VILLAGE,
    HUAYUAN,
    SHIBADONG,
    active,
    pairing_data,
    proposed,
    purchase,
)
from xiangzhen.stats import rollups
from xiangzhen.stats.models import Rollup

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# ---------------------------------------------------------------- proposing and arranging


def test_org_admin_proposes_and_the_county_is_told(organization, org_admin, county_official, other_county_official):
    pairing = proposed(organization, org_admin)
    assert pairing.status == Pairing.Status.PROPOSED and pairing.origin == Pairing.Origin.ORGANIZATION
    assert pairing.number.startswith(f"JD-433124-{TODAY.year}-")
    assert Notification.objects.filter(recipient=county_official, url__endswith=f"/pairings/{pairing.pk}/").exists()
    assert not Notification.objects.filter(recipient=other_county_official).exists()


@pytest.mark.parametrize("role", ["org_member", "other_org_admin", "county_official", "platform_admin"])
def test_only_the_organizations_admin_proposes(request, organization, role):
    with pytest.raises(Forbidden):
        proposed(organization, request.getfixturevalue(role))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"region_code": "433100000000"}, "region_code"),  # a city is not a place to pair with
        ({"region_code": "433124999999"}, "region_code"),
        ({"end_date": TODAY - datetime.timedelta(days=60)}, "end_date"),
        (
            {"end_date": TODAY - datetime.timedelta(days=1), "start_date": TODAY - datetime.timedelta(days=9)},
            "end_date",
        ),
        (
            {
                "committed_money": "0",
                "committed_projects": 0,
                "committed_volunteer_hours": "0",
                "committed_purchases": "0",
            },
            "committed_money",
        ),
        ({"committed_money": "-5"}, "committed_money"),
        ({"committed_money": "1.005"}, "committed_money"),
    ],
)
def test_bad_proposals_name_the_field(organization, org_admin, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        proposed(organization, org_admin, **changes)
    assert field in [e.field for e in caught.value.errors]


def test_one_live_pairing_per_place_but_an_ended_one_may_be_paired_again(organization, org_admin, county_official):
    first = proposed(organization, org_admin)
    with pytest.raises(ValidationFailed) as caught:
        proposed(organization, org_admin)
    assert first.number in caught.value.message
    services.withdraw_pairing(actor=org_admin, pairing=first)
    assert proposed(organization, org_admin).status == Pairing.Status.PROPOSED


def test_an_unapproved_organization_cannot_pair(organization, org_admin):
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.SUSPENDED)
    organization.refresh_from_db()
    with pytest.raises(ValidationFailed):
        proposed(organization, org_admin)


@pytest.mark.parametrize(
    ("arranger", "allowed"),
    [
        ("county_official", True),
        ("city_rural_revitalization", True),
        ("platform_admin", True),
        ("other_county_official", False),  # 凤凰县 arranging in 花垣县
        ("county_civil_affairs", False),
        ("province_rural_revitalization", False),  # city or county staff arrange, per the brief
        ("org_admin", False),
    ],
)
def test_who_arranges(request, organization, org_admin, arranger, allowed):
    if arranger == "city_rural_revitalization":
        actor = staff(Department.Kind.RURAL_REVITALIZATION, "433100000000", username="xx_xc")
    else:
        actor = request.getfixturevalue(arranger)
    if not allowed:
        with pytest.raises(Forbidden):
            services.arrange_pairing(actor=actor, organization=organization, data=pairing_data())
        return
    pairing = services.arrange_pairing(actor=actor, organization=organization, data=pairing_data())
    assert pairing.origin == Pairing.Origin.STAFF and pairing.status == Pairing.Status.PROPOSED
    assert Notification.objects.filter(recipient=org_admin, url__endswith=f"/pairings/{pairing.pk}/").exists()


# ---------------------------------------------------------------- the county's decision


def test_county_confirms_and_the_organization_is_told(organization, org_admin, county_official):
    pairing = services.confirm_pairing(actor=county_official, pairing=proposed(organization, org_admin))
    assert pairing.status == Pairing.Status.ACTIVE and pairing.confirmed_by == county_official
    assert Notification.objects.filter(recipient=org_admin, title__contains="已确认").exists()


@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("other_county_official", NotFound),  # out of scope looks missing
        ("other_org_admin", NotFound),
        ("county_civil_affairs", Forbidden),  # the county, but not rural revitalization
        ("city_civil_affairs", Forbidden),
        ("province_rural_revitalization", Forbidden),  # sees it, but the county decides
        ("org_admin", Forbidden),
        ("village_submitter", Forbidden),
    ],
)
def test_only_the_countys_rural_revitalization_decides(request, organization, org_admin, role, error):
    pairing = proposed(organization, org_admin)
    actor = request.getfixturevalue(role)
    for service in (services.confirm_pairing, services.return_pairing):
        with pytest.raises(error):
            service(actor=actor, pairing=pairing, reason="理由")
    assert Pairing.objects.get(pk=pairing.pk).status == Pairing.Status.PROPOSED


def test_return_needs_a_reason_and_tells_the_organization(organization, org_admin, county_official):
    pairing = proposed(organization, org_admin)
    with pytest.raises(ValidationFailed):
        services.return_pairing(actor=county_official, pairing=pairing, reason=" ")
    returned = services.return_pairing(actor=county_official, pairing=pairing, reason="承诺资金请与村里再商量")
    assert returned.status == Pairing.Status.RETURNED and returned.return_reason == "承诺资金请与村里再商量"
    assert Notification.objects.filter(recipient=org_admin, body__contains="再商量").exists()
    with pytest.raises(InvalidTransition):
        services.confirm_pairing(actor=county_official, pairing=returned)


def test_resubmit_after_return_changes_the_commitments(organization, org_admin, county_official, org_member):
    pairing = services.return_pairing(actor=county_official, pairing=proposed(organization, org_admin), reason="改")
    with pytest.raises(Forbidden):
        services.resubmit_pairing(actor=org_member, pairing=pairing, data=pairing_data())
    again = services.resubmit_pairing(
        actor=org_admin, pairing=pairing, data=pairing_data(committed_money="30000", region_code=FENGHUANG_VILLAGE)
    )
    assert again.status == Pairing.Status.PROPOSED and again.committed_money == Decimal("30000.00")
    assert again.region_id == SHIBADONG  # the place is not changed by a resubmission
    assert services.confirm_pairing(actor=county_official, pairing=again).return_reason == ""


def test_withdraw_by_the_organization_while_proposed_or_returned(organization, org_admin, county_official):
    pairing = proposed(organization, org_admin)
    with pytest.raises(Forbidden):
        services.withdraw_pairing(actor=county_official, pairing=pairing)
    assert services.withdraw_pairing(actor=org_admin, pairing=pairing).status == Pairing.Status.WITHDRAWN
    returned = services.return_pairing(actor=county_official, pairing=proposed(organization, org_admin), reason="改")
    assert services.withdraw_pairing(actor=org_admin, pairing=returned).status == Pairing.Status.WITHDRAWN
    live = active(organization, org_admin, county_official)
    with pytest.raises(InvalidTransition):
        services.withdraw_pairing(actor=org_admin, pairing=live)


def test_a_stale_version_is_a_conflict(organization, org_admin, county_official):
    pairing = proposed(organization, org_admin)
    with pytest.raises(Conflict):
        services.confirm_pairing(actor=county_official, pairing=pairing, expected_version=pairing.version + 1)
    seen = Pairing.objects.get(pk=pairing.pk)
    services.return_pairing(actor=county_official, pairing=pairing, reason="改")
    with pytest.raises(Conflict):  # the page showed "proposed"; it moved on meanwhile
        services.confirm_pairing(actor=county_official, pairing=seen, expected_version=seen.version)


# ---------------------------------------------------------------- review, renewal, end


def test_annual_review_renews_with_frozen_figures(organization, org_admin, county_official):
    pairing = active(organization, org_admin, county_official)
    purchase(organization, org_admin, SHIBADONG, "2500", TODAY)
    with pytest.raises(Forbidden):
        services.start_review(actor=org_admin, pairing=pairing)
    under = services.start_review(actor=county_official, pairing=pairing, year=TODAY.year)
    assert under.status == Pairing.Status.UNDER_REVIEW and under.review_year == TODAY.year
    with pytest.raises(ValidationFailed):  # a renewal needs a later end date
        services.conclude_review(
            actor=county_official, pairing=under, assessment="好", outcome="renewed", new_end_date=under.end_date
        )
    new_end = under.end_date + datetime.timedelta(days=365)
    review = services.conclude_review(
        actor=county_official, pairing=under, assessment="消费帮扶成效明显。", outcome="renewed", new_end_date=new_end
    )
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE and pairing.end_date == new_end and pairing.review_year is None
    purchases = next(f for f in review.figures["year"]["figures"] if f["key"] == "purchases")
    assert (
        purchases["achieved"] == "2500.00" and purchases["commitment"] == "50000.00" and purchases["percent"] == "5.0"
    )
    # Later records do not change what was frozen.
    purchase(organization, org_admin, SHIBADONG, "9000", TODAY)
    review.refresh_from_db()
    assert next(f for f in review.figures["year"]["figures"] if f["key"] == "purchases")["achieved"] == "2500.00"
    with pytest.raises(ValidationFailed):  # once a year
        services.start_review(actor=county_official, pairing=pairing, year=TODAY.year)


def test_annual_review_may_end_the_pairing(organization, org_admin, county_official):
    pairing = services.start_review(actor=county_official, pairing=active(organization, org_admin, county_official))
    services.conclude_review(actor=county_official, pairing=pairing, assessment="目标已完成", outcome="ended")
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED and pairing.ended_at is not None
    assert PairingReview.objects.get(pairing=pairing).outcome == "ended"
    with pytest.raises(InvalidTransition):
        services.conclude_review(actor=county_official, pairing=pairing, assessment="再来", outcome="ended")


def test_review_year_must_lie_in_the_period(organization, org_admin, county_official):
    pairing = active(organization, org_admin, county_official)
    with pytest.raises(ValidationFailed):
        services.start_review(actor=county_official, pairing=pairing, year=TODAY.year + 5)


def test_end_early_needs_the_county_and_a_reason(organization, org_admin, county_official, platform_admin):
    pairing = active(organization, org_admin, county_official)
    with pytest.raises(Forbidden):
        services.end_pairing(actor=org_admin, pairing=pairing, reason="不做了")
    with pytest.raises(ValidationFailed):
        services.end_pairing(actor=county_official, pairing=pairing, reason="")
    ended = services.end_pairing(actor=platform_admin, pairing=pairing, reason="组织已注销")
    assert ended.status == Pairing.Status.ENDED and ended.end_reason == "组织已注销"
    assert Notification.objects.filter(recipient=org_admin, title__contains="已结束").exists()


def test_every_step_is_audited(organization, org_admin, county_official):
    from xiangzhen.core.models import AuditEntry

    pairing = active(organization, org_admin, county_official)
    actions = list(
        AuditEntry.objects.filter(object_id=str(pairing.pk), object_type="pairings.pairing")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["pairings.propose", "pairings.confirm"]


# ---------------------------------------------------------------- rollups


def test_rollups_follow_every_step(organization, org_admin, county_official, other_org_admin):
    first = active(organization, org_admin, county_official)
    month = first.start_date.replace(day=1)
    rows = Rollup.objects.filter(region_code=HUAYUAN, month=month)
    assert rows.get(metric="pairings", dimension="active").value == 1
    assert rows.get(metric="org_participation", dimension=str(organization.pk)).value == 1
    services.start_review(actor=county_official, pairing=first)
    services.conclude_review(actor=county_official, pairing=first, assessment="结束", outcome="ended")
    returned = services.return_pairing(actor=county_official, pairing=proposed(organization, org_admin), reason="改")
    services.withdraw_pairing(actor=org_admin, pairing=returned)
    other = OrganizationFactory(region_id="433123000000")
    services.arrange_pairing(actor=county_official, organization=other, data=pairing_data())
    assert rows.get(metric="pairings", dimension="ended").value == 1
    assert rows.get(metric="pairings", dimension="withdrawn").value == 1
    assert rows.get(metric="pairings", dimension="proposed").value == 1
    assert not rows.filter(metric="pairings", dimension="active").exclude(value=0).exists()
    assert rollups.differences() == []
