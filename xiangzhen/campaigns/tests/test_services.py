from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.tests.factories import UserFactory, staff
from xiangzhen.campaigns import selectors, services
from xiangzhen.campaigns.models import Activity, Campaign, Enrollment, Participation
from xiangzhen.campaigns.progress import progress_of
from xiangzhen.campaigns.tests.conftest import SHIBADONG, activity_data, campaign_data
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.stats import rollups
from xiangzhen.stats.models import Rollup

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the campaign and its workflow


def test_staff_create_a_numbered_draft_in_their_own_region(draft_campaign, county_official):
    assert draft_campaign.status == Campaign.Status.DRAFT
    assert draft_campaign.region_id == "433124000000"
    assert draft_campaign.number.startswith("ZX-433124-")
    assert AuditEntry.objects.filter(action="campaigns.create", object_id=str(draft_campaign.pk)).exists()


def test_staff_cannot_organize_a_campaign_in_another_region(county_official, org_admin):
    with pytest.raises(Forbidden):
        services.create_campaign(actor=county_official, data=campaign_data(region_code="433123000000"))
    with pytest.raises(Forbidden):
        services.create_campaign(actor=org_admin, data=campaign_data())


def test_platform_admin_must_name_the_region(platform_admin):
    with pytest.raises(ValidationFailed, match="实施地区"):
        services.create_campaign(actor=platform_admin, data=campaign_data())
    campaign = services.create_campaign(actor=platform_admin, data=campaign_data(region_code="430000000000"))
    assert campaign.region_id == "430000000000"


def test_a_province_defined_kind_carries_its_own_name(province_civil_affairs):
    campaign = services.create_campaign(
        actor=province_civil_affairs, data=campaign_data(kind="other", name="湘女巧手助振兴专项行动")
    )
    assert campaign.kind == "other" and campaign.name == "湘女巧手助振兴专项行动"


def test_bad_input_names_each_field(county_official):
    with pytest.raises(ValidationFailed) as caught:
        services.create_campaign(
            actor=county_official,
            data=campaign_data(kind="nonsense", name="", end_date=timezone.localdate() - timedelta(days=365)),
        )
    fields = {e.field for e in caught.value.errors}
    assert {"kind", "name", "end_date"} <= fields


def test_workflow_draft_published_closed(draft_campaign, county_official, county_civil_affairs, city_civil_affairs):
    with pytest.raises(InvalidTransition):
        services.close_campaign(actor=county_official, campaign=draft_campaign)
    with pytest.raises(Forbidden):
        services.publish_campaign(actor=city_civil_affairs, campaign=draft_campaign)
    services.publish_campaign(actor=county_civil_affairs, campaign=draft_campaign)
    assert draft_campaign.status == Campaign.Status.PUBLISHED and draft_campaign.published_at
    with pytest.raises(InvalidTransition):
        services.publish_campaign(actor=county_official, campaign=draft_campaign)
    services.close_campaign(actor=county_official, campaign=draft_campaign)
    assert draft_campaign.status == Campaign.Status.CLOSED
    with pytest.raises(InvalidTransition):
        services.update_campaign(actor=county_official, campaign=draft_campaign, changes={"name": "改"})


def test_published_campaign_keeps_its_kind_and_region(campaign, county_official):
    with pytest.raises(ValidationFailed):
        services.update_campaign(actor=county_official, campaign=campaign, changes={"kind": "pairing"})
    updated = services.update_campaign(actor=county_official, campaign=campaign, changes={"target_activities": 20})
    assert updated.target_activities == 20 and updated.version == campaign.version + 1


# ---------------------------------------------------------------- who sees a campaign


def test_visibility_inside_or_above_the_region(
    campaign, draft_campaign, province_civil_affairs, village_submitter, org_admin, other_county_official,
    other_org_admin, county_official,
):  # fmt: skip
    seen_by = lambda user: set(selectors.campaigns(user).values_list("pk", flat=True))  # noqa: E731
    assert campaign.pk in seen_by(province_civil_affairs)  # above
    assert campaign.pk in seen_by(village_submitter)  # inside
    assert campaign.pk in seen_by(org_admin)  # organization registered inside
    assert campaign.pk not in seen_by(other_county_official)
    assert campaign.pk not in seen_by(other_org_admin)
    with pytest.raises(NotFound):
        services.enroll(
            actor=other_org_admin, campaign=campaign, organization=other_org_admin.memberships.get().organization
        )


def test_a_province_campaign_is_seen_by_every_county_of_the_province(
    province_rural_revitalization, other_county_official, other_org_admin
):
    campaign = services.create_campaign(actor=province_rural_revitalization, data=campaign_data())
    assert not selectors.campaigns(other_county_official).filter(pk=campaign.pk).exists()  # a draft: organizers only
    services.publish_campaign(actor=province_rural_revitalization, campaign=campaign)
    assert selectors.campaigns(other_county_official).filter(pk=campaign.pk).exists()
    assert selectors.campaigns(other_org_admin).filter(pk=campaign.pk).exists()


def test_drafts_are_hidden_from_organizations_and_the_public(draft_campaign, org_admin, village_submitter):
    assert not selectors.campaigns(org_admin).filter(pk=draft_campaign.pk).exists()
    assert not selectors.campaigns(village_submitter).filter(pk=draft_campaign.pk).exists()
    with pytest.raises(NotFound):
        selectors.get_public_campaign(draft_campaign.pk)


# ---------------------------------------------------------------- enrollment


def test_org_admin_enrolls_and_withdraws(campaign, organization, org_admin, org_member):
    with pytest.raises(Forbidden):
        services.enroll(actor=org_member, campaign=campaign, organization=organization)
    enrollment = services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    assert enrollment.status == Enrollment.Status.ENROLLED
    with pytest.raises(InvalidTransition):
        services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    services.withdraw(actor=org_admin, campaign=campaign, organization=organization)
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.WITHDRAWN
    again = services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    assert again.pk == enrollment.pk and again.status == Enrollment.Status.ENROLLED


def test_only_published_campaigns_and_approved_organizations_inside_the_region(
    draft_campaign, county_official, organization, org_admin
):
    with pytest.raises(NotFound):  # a draft does not exist for organizations
        services.enroll(actor=org_admin, campaign=draft_campaign, organization=organization)
    campaign = services.publish_campaign(actor=county_official, campaign=draft_campaign)
    outsider = OrganizationFactory(region_id="433123000000")  # 凤凰县, outside the 花垣县 campaign
    MembershipFactory(organization=outsider, user=org_admin)
    with pytest.raises(ValidationFailed, match="不在专项行动的实施地区"):
        services.enroll(actor=org_admin, campaign=campaign, organization=outsider)
    organization.status = "suspended"
    organization.save()
    with pytest.raises(InvalidTransition):
        services.enroll(actor=org_admin, campaign=campaign, organization=organization)


# ---------------------------------------------------------------- activities


def test_members_of_an_enrolled_organization_record_activities(activity, org_member):
    assert activity.number.startswith("HD-433124-")
    assert activity.people_served == 25  # 20 + 5: the sum of the groups
    assert {b.group.code: b.count for b in activity.beneficiaries.all()} == {
        "empty_nest_elderly": 20,
        "extreme_poverty": 5,
    }


def test_an_organization_that_has_not_enrolled_cannot_record(campaign, organization, org_admin):
    with pytest.raises(InvalidTransition, match="尚未报名"):
        services.record_activity(actor=org_admin, campaign=campaign, organization=organization, data=activity_data())


def test_relief_activities_must_name_beneficiary_groups(enrolled, campaign, organization, org_admin):
    with pytest.raises(ValidationFailed) as caught:
        services.record_activity(
            actor=org_admin, campaign=campaign, organization=organization,
            data=activity_data(beneficiaries={}, people_served=30),
        )  # fmt: skip
    assert caught.value.errors[0].field == "beneficiaries"
    with pytest.raises(ValidationFailed, match="没有代码"):
        services.record_activity(
            actor=org_admin, campaign=campaign, organization=organization, data=activity_data(beneficiaries={"x": 3})
        )


def test_other_kinds_may_give_a_head_count_without_groups(county_official, organization, org_admin):
    campaign = services.create_campaign(actor=county_official, data=campaign_data(kind="consumption", name="消费帮扶"))
    services.publish_campaign(actor=county_official, campaign=campaign)
    services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    activity = services.record_activity(
        actor=org_admin, campaign=campaign, organization=organization,
        data=activity_data(beneficiaries={}, people_served=40),
    )  # fmt: skip
    assert activity.people_served == 40


def test_activity_date_and_place_are_checked_against_the_campaign(enrolled, campaign, organization, org_admin):
    today = timezone.localdate()
    for changes, name in [
        ({"held_on": today + timedelta(days=1)}, "held_on"),
        ({"held_on": campaign.start_date - timedelta(days=1)}, "held_on"),
        ({"region_code": "433123000000"}, "region_code"),  # 凤凰县: outside 花垣县
        ({"in_kind": "", "in_kind_value": "50"}, "in_kind"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            services.record_activity(
                actor=org_admin, campaign=campaign, organization=organization, data=activity_data(**changes)
            )
        assert name in {e.field for e in caught.value.errors}, changes


def test_recorder_or_org_admin_edit_with_audit(activity, org_member, org_admin, organization, county_official):
    other_member = MembershipFactory(organization=organization, user=UserFactory(), role="member").user
    with pytest.raises(Forbidden):
        services.update_activity(actor=other_member, activity=activity, changes={"title": "改"})
    with pytest.raises(Forbidden):
        services.update_activity(actor=county_official, activity=activity, changes={"title": "改"})
    services.update_activity(actor=org_member, activity=activity, changes={"title": "十八洞村走访（更正）"})
    updated = services.update_activity(
        actor=org_admin, activity=activity, changes={"beneficiaries": {"empty_nest_elderly": 12}}
    )
    assert updated.people_served == 12
    entry = AuditEntry.objects.filter(action="campaigns.activity_update", object_id=str(activity.pk)).latest("id")
    assert entry.before["beneficiaries"] == {"empty_nest_elderly": 20, "extreme_poverty": 5}
    assert entry.after["beneficiaries"] == {"empty_nest_elderly": 12}


def test_county_staff_of_the_place_see_the_activity_others_do_not(
    activity, county_civil_affairs, village_submitter, other_county_official, other_org_admin
):
    assert selectors.get_activity(county_civil_affairs, activity.pk) == activity
    assert selectors.get_activity(village_submitter, activity.pk) == activity
    for outsider in (other_county_official, other_org_admin):
        with pytest.raises(NotFound):
            selectors.get_activity(outsider, activity.pk)


def test_closed_campaign_results_are_final(activity, campaign, county_official, org_admin):
    services.close_campaign(actor=county_official, campaign=Campaign.objects.get(pk=campaign.pk))
    with pytest.raises(InvalidTransition):
        services.update_activity(actor=org_admin, activity=activity, changes={"title": "改"})


# ---------------------------------------------------------------- participations


def test_members_record_their_own_participation_admins_for_members(activity, org_member, org_admin):
    own = services.record_participation(actor=org_member, activity=activity, participant=org_member, hours="3.5")
    assert own.hours == Decimal("3.5")
    for_member = services.record_participation(
        actor=org_admin, activity=activity, participant=org_admin, hours="2", role="带队"
    )
    assert for_member.role == "带队"
    corrected = services.record_participation(actor=org_admin, activity=activity, participant=org_member, hours="4")
    assert corrected.pk == own.pk and corrected.hours == Decimal("4")


def test_a_member_cannot_record_for_someone_else(activity, org_member, org_admin):
    with pytest.raises(Forbidden):
        services.record_participation(actor=org_member, activity=activity, participant=org_admin, hours="1")


def test_participation_by_members_of_that_organization_only(activity, org_admin, other_org_admin):
    with pytest.raises(Forbidden):
        services.record_participation(actor=org_admin, activity=activity, participant=other_org_admin, hours="1")
    outsider_staff = staff(Department.Kind.CIVIL_AFFAIRS, "433124000000", username="hy_mz_2")
    with pytest.raises(Forbidden):
        services.record_participation(actor=org_admin, activity=activity, participant=outsider_staff, hours="1")
    with pytest.raises(NotFound):
        services.record_participation(actor=other_org_admin, activity=activity, participant=other_org_admin, hours="1")
    with pytest.raises(ValidationFailed):
        services.record_participation(actor=org_admin, activity=activity, participant=org_admin, hours="25")


def test_remove_participation(activity, org_member, org_admin):
    mine = services.record_participation(actor=org_member, activity=activity, participant=org_member, hours="1")
    admins = services.record_participation(actor=org_admin, activity=activity, participant=org_admin, hours="1")
    with pytest.raises(Forbidden):
        services.remove_participation(actor=org_member, participation=admins)
    services.remove_participation(actor=org_admin, participation=mine)
    assert not Participation.objects.filter(pk=mine.pk).exists()


# ---------------------------------------------------------------- progress and rollups


def test_progress_is_summed_from_real_records(activity, campaign, organization, org_admin, org_member):
    from xiangzhen.funds.tests.factories import matrix_world as funds_world

    services.record_activity(
        actor=org_admin, campaign=campaign, organization=organization,
        data=activity_data(title="第二次走访", money="300", in_kind="", in_kind_value="0",
                           beneficiaries={"dibao_recipients": 10}),
    )  # fmt: skip
    # A special-fund disbursement paid to the activity counts in the campaign's money.
    from xiangzhen.funds.models import Disbursement, Fund, JournalEntry

    funds_world(organization, org_admin)
    fund = Fund.objects.get(organization=organization)
    entry = JournalEntry.objects.create(fund=fund, posted_on=timezone.localdate(), memo="测试")
    Disbursement.objects.create(
        number="BF-TEST-1", fund=fund, activity=activity, amount=Decimal("500.00"), paid_on=timezone.localdate(),
        payee="十八洞村", purpose="冬衣", entry=entry,
    )  # fmt: skip
    progress = progress_of(selectors.get_campaign(org_admin, campaign.pk))
    assert progress.organizations == 1
    assert progress.activities == 2
    assert progress.people_served == 35
    assert progress.activity_money == Decimal("1500.00")
    assert progress.in_kind_value == Decimal("1800.00")
    assert progress.disbursed == Decimal("500.00")
    assert progress.money == Decimal("3800.00")
    money = next(f for f in progress.figures(campaign) if f.key == "money")
    assert money.percent == 19  # 3 800 of a 20 000 target
    services.withdraw(actor=org_admin, campaign=campaign, organization=organization)
    assert progress_of(Campaign.objects.get(pk=campaign.pk)).organizations == 0


def test_campaign_list_needs_no_query_per_row(campaign, county_official, django_assert_max_num_queries):
    for n in range(3):
        services.create_campaign(actor=county_official, data=campaign_data(name=f"行动{n}"))
    with django_assert_max_num_queries(3):
        rows = list(selectors.campaign_list(county_official))
        assert [progress_of(c).activities for c in rows]


def test_rollups_follow_every_activity_write(activity, org_admin, org_member, campaign, organization):
    def value(metric: str, dimension: str = "") -> Decimal:
        row = Rollup.objects.filter(metric=metric, region_code="433124000000", dimension=dimension).first()
        return row.value if row else Decimal(0)

    assert value("activities", "relief") == 1
    assert value("people_served", "empty_nest_elderly") == 20
    assert value("org_participation", str(organization.pk)) == 1
    services.update_activity(actor=org_admin, activity=activity, changes={"beneficiaries": {"dibao_recipients": 7}})
    assert value("people_served", "empty_nest_elderly") == 0 and value("people_served", "dibao_recipients") == 7
    participation = services.record_participation(
        actor=org_member, activity=activity, participant=org_member, hours="2.5"
    )
    services.record_participation(actor=org_admin, activity=activity, participant=org_admin, hours="1")
    assert value("volunteer_hours") == Decimal("3.5")
    services.remove_participation(actor=org_member, participation=participation)
    assert value("volunteer_hours") == Decimal("1")
    services.update_activity(
        actor=org_admin, activity=activity, changes={"held_on": campaign.start_date, "region_code": SHIBADONG}
    )
    assert rollups.differences() == []


def test_activity_counts_by_campaign_kind(activity):
    assert Activity.objects.count() == 1
    assert rollups.differences() == []
