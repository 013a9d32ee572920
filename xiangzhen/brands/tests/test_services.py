from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.accounts.tests.factories import staff
from xiangzhen.brands import figures, selectors, services
from xiangzhen.brands.models import CharityBrand, ExemplaryCase
from xiangzhen.campaigns import services as campaign_services
from xiangzhen.campaigns.tests.conftest import activity_data, campaign_data
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.matching.tests.factories import MatchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(organization, org_admin):
    return services.create_brand(
        actor=org_admin, organization=organization,
        data=services.BrandData(name="苗乡书香", description="阅读陪伴", started_year=2019, domains=["education"]),
    )  # fmt: skip


@pytest.fixture
def branded_activity(brand, organization, org_admin, county_official):
    campaign = campaign_services.create_campaign(actor=county_official, data=campaign_data())
    campaign_services.publish_campaign(actor=county_official, campaign=campaign)
    campaign_services.enroll(actor=org_admin, campaign=campaign, organization=organization)
    return campaign_services.record_activity(
        actor=org_admin, campaign=campaign, organization=organization, data=activity_data(brand_id=brand.pk)
    )


def case_data(organization, **changes):
    data = services.CaseData(title="苗乡书香案例", summary="摘要", body="正文", organization_id=organization.pk)
    return data.merged(changes)


# ---------------------------------------------------------------- brands


def test_org_admins_create_and_retire_brands(brand, org_admin, org_member, organization):
    assert brand.number.startswith("PP-433124-")
    with pytest.raises(Forbidden):
        services.create_brand(
            actor=org_member, organization=organization,
            data=services.BrandData(name="另一个", description="x", started_year=2020),
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="已有名为"):
        services.create_brand(
            actor=org_admin, organization=organization,
            data=services.BrandData(name="苗乡书香", description="x", started_year=2020),
        )  # fmt: skip
    services.set_brand_status(actor=org_admin, brand=brand, status="retired")
    assert CharityBrand.objects.get(pk=brand.pk).status == "retired"
    with pytest.raises(InvalidTransition):
        services.set_brand_status(actor=org_admin, brand=brand, status="retired")


def test_brand_results_come_from_its_activities(branded_activity, brand):
    found = figures.results(selectors.brand_activities(brand))
    assert (found.activities, found.people_served, found.money) == (1, 25, Decimal("3000.00"))
    assert found.years_active == 1 and found.campaigns == 1
    listed = selectors.public_brands().get(pk=brand.pk)
    assert figures.brand_results(listed).activities == 1
    assert figures.brand_results(listed).money == Decimal("3000.00")


def test_a_retired_brand_cannot_be_chosen_for_a_new_activity(branded_activity, brand, org_admin, organization):
    services.set_brand_status(actor=org_admin, brand=brand, status="retired")
    with pytest.raises(ValidationFailed, match="已停止"):
        campaign_services.record_activity(
            actor=org_admin, campaign=branded_activity.campaign, organization=organization,
            data=activity_data(brand_id=brand.pk),
        )  # fmt: skip


def test_another_organizations_brand_cannot_be_chosen(branded_activity, organization, org_admin, other_org_admin):
    theirs = services.create_brand(
        actor=other_org_admin, organization=other_org_admin.memberships.get().organization,
        data=services.BrandData(name="凤凰品牌", description="x", started_year=2020),
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match="不属于"):
        campaign_services.record_activity(
            actor=org_admin, campaign=branded_activity.campaign, organization=organization,
            data=activity_data(brand_id=theirs.pk),
        )  # fmt: skip


def test_brand_is_public_only_when_the_organization_is_approved(brand, organization):
    assert selectors.get_public_brand(brand.pk) == brand
    organization.status = "suspended"
    organization.save()
    with pytest.raises(NotFound):
        selectors.get_public_brand(brand.pk)


# ---------------------------------------------------------------- exemplary cases


def test_case_figures_are_read_from_the_records(branded_activity, brand, organization, county_civil_affairs):
    MatchFactory(organization=organization, status="completed")
    case = services.create_case(actor=county_civil_affairs, data=case_data(organization, brand_id=brand.pk))
    assert case.region_id == "433124000000" and case.number.startswith("AL-433124-")
    assert case.figures["scope"] == "brand"
    assert case.figures["activities"] == 1 and case.figures["people_served"] == 25
    assert case.figures["money"] == "3000.00" and case.figures["matches_completed"] == 1


def test_figures_are_refreshed_on_each_edit(branded_activity, brand, organization, org_admin, county_civil_affairs):
    case = services.create_case(actor=county_civil_affairs, data=case_data(organization, brand_id=brand.pk))
    campaign_services.record_activity(
        actor=org_admin, campaign=branded_activity.campaign, organization=organization,
        data=activity_data(title="第二次", brand_id=brand.pk, beneficiaries={"dibao_recipients": 5}),
    )  # fmt: skip
    updated = services.update_case(actor=county_civil_affairs, case=case, changes={"summary": "新摘要"})
    assert updated.figures["activities"] == 2 and updated.figures["people_served"] == 30


def test_case_subject_must_be_in_the_writers_region(organization, other_county_official, org_admin):
    with pytest.raises(ValidationFailed) as caught:
        services.create_case(actor=other_county_official, data=case_data(organization))
    assert caught.value.errors[0].field == "organization_id"
    with pytest.raises(Forbidden):
        services.create_case(actor=org_admin, data=case_data(organization))


def test_case_campaign_must_be_one_the_organization_joined(organization, county_civil_affairs, county_official):
    campaign = campaign_services.create_campaign(actor=county_official, data=campaign_data())
    campaign_services.publish_campaign(actor=county_official, campaign=campaign)
    with pytest.raises(ValidationFailed, match="没有参加"):
        services.create_case(actor=county_civil_affairs, data=case_data(organization, campaign_id=campaign.pk))


def test_case_workflow_reviewed_one_level_up(
    organization, county_civil_affairs, county_official, city_civil_affairs, province_civil_affairs
):
    case = services.create_case(actor=county_civil_affairs, data=case_data(organization))
    with pytest.raises(InvalidTransition):
        services.publish_case(actor=city_civil_affairs, case=case)
    with pytest.raises(Forbidden):  # the other county department is not the writer's
        services.submit_case(actor=county_official, case=case)
    services.submit_case(actor=county_civil_affairs, case=case)
    for not_reviewer in (county_civil_affairs, county_official, province_civil_affairs):
        with pytest.raises(Forbidden):
            services.publish_case(actor=not_reviewer, case=case)
    with pytest.raises(ValidationFailed, match="原因"):
        services.return_case(actor=city_civil_affairs, case=case, reason=" ")
    services.return_case(actor=city_civil_affairs, case=case, reason="请补充受益情况")
    assert case.status == ExemplaryCase.Status.RETURNED and case.return_reason == "请补充受益情况"
    services.update_case(actor=county_civil_affairs, case=case, changes={"body": "补充后的正文"})
    case = ExemplaryCase.objects.get(pk=case.pk)
    services.resubmit_case(actor=county_civil_affairs, case=case)
    services.publish_case(actor=city_civil_affairs, case=case)
    assert case.status == ExemplaryCase.Status.PUBLISHED and case.reviewed_by == city_civil_affairs
    assert selectors.get_public_case(case.pk) == case
    with pytest.raises(InvalidTransition):
        services.update_case(actor=county_civil_affairs, case=case, changes={"title": "改"})
    services.withdraw_case(actor=county_civil_affairs, case=case, reason="信息有误")
    with pytest.raises(NotFound):
        selectors.get_public_case(case.pk)


def test_a_province_case_is_reviewed_by_the_other_department(
    organization, province_civil_affairs, province_rural_revitalization
):
    case = services.create_case(actor=province_civil_affairs, data=case_data(organization))
    services.submit_case(actor=province_civil_affairs, case=case)
    with pytest.raises(Forbidden):
        services.publish_case(actor=province_civil_affairs, case=case)
    services.publish_case(actor=province_rural_revitalization, case=case)
    assert case.status == ExemplaryCase.Status.PUBLISHED


def test_nobody_reviews_their_own_case(organization, city_civil_affairs):
    case = services.create_case(actor=city_civil_affairs, data=case_data(organization))
    services.submit_case(actor=city_civil_affairs, case=case)
    with pytest.raises(Forbidden):
        services.publish_case(actor=city_civil_affairs, case=case)
    reviewer = staff("rural_revitalization", "430000000000", username="hn_xc_2")
    assert selectors.review_queue(reviewer).filter(pk=case.pk).exists()


def test_cases_are_scoped_by_region(organization, county_civil_affairs, other_county_official, org_admin):
    case = services.create_case(actor=county_civil_affairs, data=case_data(organization))
    for outsider in (other_county_official, org_admin):
        with pytest.raises(NotFound):
            selectors.get_case(outsider, case.pk)
    with pytest.raises(NotFound):
        selectors.get_public_case(case.pk)  # a draft is not public


# ---------------------------------------------------------------- commendations


def commendation_data(organization, **changes):
    data = services.CommendationData(
        organization_id=organization.pk, year=timezone.localdate().year, title="先进集体",
        issuing_department="花垣县民政局", awarded_on=timezone.localdate(), document_number="花民发〔2026〕1号",
    )  # fmt: skip
    return data.merged(changes)


def test_staff_record_commendations_in_their_region(organization, county_civil_affairs, org_admin, city_civil_affairs):
    commendation = services.record_commendation(actor=county_civil_affairs, data=commendation_data(organization))
    assert commendation.region_id == "433124000000"
    with pytest.raises(Forbidden):
        services.record_commendation(actor=org_admin, data=commendation_data(organization, title="x"))
    with pytest.raises(ValidationFailed, match="已登记过"):
        services.record_commendation(actor=county_civil_affairs, data=commendation_data(organization))
    with pytest.raises(ValidationFailed):
        services.record_commendation(actor=county_civil_affairs, data=commendation_data(organization, year=1990))
    assert selectors.commendations(city_civil_affairs).filter(pk=commendation.pk).exists()
    with pytest.raises(Forbidden):  # the city sees it, but the issuer's region corrects it
        services.update_commendation(actor=city_civil_affairs, commendation=commendation, changes={"title": "改"})
    updated = services.update_commendation(
        actor=county_civil_affairs, commendation=commendation, changes={"document_number": "花民发〔2026〕2号"}
    )
    assert updated.document_number == "花民发〔2026〕2号"


def test_commendations_of_other_counties_are_out_of_scope(organization, county_civil_affairs, other_county_official):
    commendation = services.record_commendation(actor=county_civil_affairs, data=commendation_data(organization))
    with pytest.raises(NotFound):
        selectors.get_commendation(other_county_official, commendation.pk)
    with pytest.raises(ValidationFailed):  # nor can they commend an organization outside their county
        services.record_commendation(actor=other_county_official, data=commendation_data(organization, title="y"))
