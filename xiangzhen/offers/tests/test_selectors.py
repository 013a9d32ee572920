import pytest

from xiangzhen.core.errors import NotFound
from xiangzhen.offers import selectors
from xiangzhen.offers.filters import OfferFilters
from xiangzhen.offers.tests.factories import OfferFactory
from xiangzhen.organizations.tests.factories import OrganizationFactory

HUNAN, XIANGXI = "430000000000", "433100000000"
HUAYUAN, FENGHUANG, SHIBADONG = "433124000000", "433123000000", "433124110226"
SHUANGLONG = "433124110000"  # 双龙镇, 花垣县
BEIJING_DONGCHENG = "110101000000"


def titles(queryset):
    return [o.title for o in queryset]


# ---------------------------------------------------------------- covers


@pytest.mark.django_db
def test_covers_by_ancestor_nationwide_and_not_sibling(organization):
    county = OfferFactory(organization=organization, title="县级", regions=[HUAYUAN])
    village = OfferFactory(organization=organization, title="村级", regions=[SHIBADONG])
    province = OfferFactory(organization=organization, title="省级", regions=[HUNAN])
    country = OfferFactory(organization=organization, title="全国", nationwide=True)
    sibling = OfferFactory(organization=organization, title="凤凰", regions=[FENGHUANG])

    assert selectors.covers(county, SHIBADONG)  # a county-level area covers a village in it
    assert selectors.covers(county, SHUANGLONG)
    assert selectors.covers(country, BEIJING_DONGCHENG)
    assert selectors.covers(province, SHIBADONG)
    assert not selectors.covers(sibling, SHIBADONG)  # sibling county
    assert not selectors.covers(village, HUAYUAN)  # a village does not cover its county
    assert selectors.covers(village, SHIBADONG)

    assert sorted(titles(selectors.offers_covering(SHIBADONG))) == sorted(["县级", "村级", "省级", "全国"])
    assert sorted(titles(selectors.offers_covering(HUAYUAN))) == sorted(["县级", "省级", "全国"])
    assert sorted(titles(selectors.offers_covering(FENGHUANG))) == sorted(["省级", "全国", "凤凰"])
    assert titles(selectors.offers_covering(BEIJING_DONGCHENG)) == ["全国"]
    assert sibling not in selectors.offers_covering("433124")  # prefix codes are normalized


@pytest.mark.django_db
def test_offers_covering_has_no_duplicates_and_is_one_query(organization, django_assert_num_queries):
    OfferFactory(organization=organization, regions=[HUNAN, XIANGXI, HUAYUAN, SHIBADONG])
    with django_assert_num_queries(1):
        assert len(list(selectors.offers_covering(SHIBADONG))) == 1


@pytest.mark.django_db
def test_covers_uses_prefetched_regions(organization, django_assert_num_queries):
    OfferFactory(organization=organization, regions=[HUAYUAN])
    offer = selectors.public_offers(OfferFilters(status="")).model.objects.prefetch_related("service_regions").get()
    with django_assert_num_queries(0):
        assert selectors.covers(offer, SHIBADONG)


# ---------------------------------------------------------------- scope


@pytest.fixture
def offers_everywhere(organization, other_org_admin):
    fenghuang_org = other_org_admin.memberships.get().organization
    return {
        "draft": OfferFactory(organization=organization, title="草稿", status="draft"),
        "submitted": OfferFactory(organization=organization, title="待审", status="submitted"),
        "published": OfferFactory(organization=organization, title="已发布", status="published"),
        "fenghuang": OfferFactory(organization=fenghuang_org, title="凤凰已发布", status="published"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("org_admin", {"草稿", "待审", "已发布"}),
        ("other_org_admin", {"凤凰已发布"}),
        ("county_civil_affairs", {"待审", "已发布"}),  # drafts stay private to the organization
        ("city_civil_affairs", {"待审", "已发布", "凤凰已发布"}),
        ("province_civil_affairs", {"待审", "已发布", "凤凰已发布"}),
        ("other_county_official", {"凤凰已发布"}),
        ("platform_admin", {"草稿", "待审", "已发布", "凤凰已发布"}),
        ("village_submitter", set()),
    ],
)
def test_scoped_list_per_role(request, offers_everywhere, role, expected):
    user = request.getfixturevalue(role)
    assert set(titles(selectors.offer_list(user))) == expected


@pytest.mark.django_db
def test_out_of_scope_detail_is_not_found(offers_everywhere, other_org_admin, county_civil_affairs):
    with pytest.raises(NotFound):
        selectors.get_offer(other_org_admin, offers_everywhere["submitted"].pk)
    with pytest.raises(NotFound):
        selectors.get_offer(county_civil_affairs, offers_everywhere["draft"].pk)
    with pytest.raises(NotFound):
        selectors.get_offer(county_civil_affairs, "not-a-number")


@pytest.mark.django_db
def test_visible_offer_falls_back_to_public(offers_everywhere, other_org_admin):
    offer, in_scope = selectors.get_visible_offer(other_org_admin, offers_everywhere["published"].pk)
    assert offer.title == "已发布" and not in_scope
    with pytest.raises(NotFound):
        selectors.get_visible_offer(other_org_admin, offers_everywhere["submitted"].pk)


# ---------------------------------------------------------------- public


@pytest.mark.django_db
def test_public_list_shows_only_published(offers_everywhere, organization):
    OfferFactory(organization=organization, title="已关闭", status="closed")
    assert set(titles(selectors.public_offers())) == {"已发布", "凤凰已发布"}
    assert titles(selectors.public_offers(OfferFilters(status="closed"))) == ["已关闭"]
    assert titles(selectors.public_offers(OfferFilters(status="draft"))) == []
    assert titles(selectors.public_offers(OfferFilters(status="submitted"))) == []
    with pytest.raises(NotFound):
        selectors.get_public_offer(offers_everywhere["submitted"].pk)
    assert selectors.get_public_offer(offers_everywhere["published"].pk).title == "已发布"


# ---------------------------------------------------------------- filters and search


@pytest.mark.django_db
def test_search_finds_words_inside_titles_and_ranks_title_hits_first(organization):
    OfferFactory(
        organization=organization, title="乡村阅读计划", description="为农村留守儿童建设阅读小屋", status="published"
    )
    OfferFactory(organization=organization, title="农村留守儿童课后辅导", description="课后服务", status="published")
    OfferFactory(organization=organization, title="助老食堂", description="空巢老人助餐", status="published")
    found = titles(selectors.public_offers(OfferFilters(q="留守儿童")))
    assert found == ["农村留守儿童课后辅导", "乡村阅读计划"]
    assert titles(selectors.public_offers(OfferFilters(q="童建"))) == []  # not across a word boundary


@pytest.mark.django_db
def test_filters(organization, province_civil_affairs):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    today = timezone.localdate()
    other = OrganizationFactory(name="另一个组织")
    OfferFactory(
        organization=organization, title="A", domains=["education"], groups=["left_behind_children"],
        aid_mode="relief", capacity_amount=Decimal("1000"), status="published", regions=[SHIBADONG],
        window_end=today + timedelta(days=10),
    )  # fmt: skip
    OfferFactory(
        organization=other, title="B", domains=["health"], aid_mode="self_development",
        capacity_amount=Decimal("50000"), status="submitted", regions=[FENGHUANG],
        window_end=today + timedelta(days=5),
    )  # fmt: skip

    def run(**kwargs):
        return titles(selectors.offer_list(province_civil_affairs, OfferFilters(**kwargs)))

    assert run(domain="education") == ["A"]
    assert run(beneficiary_group="left_behind_children") == ["A"]
    assert run(aid_mode="self_development") == ["B"]
    assert run(status="submitted") == ["B"]
    assert run(organization=other.pk) == ["B"]
    assert run(covers=SHIBADONG) == ["A"]
    assert run(covers=HUAYUAN) == []  # a village-level area does not cover the whole county
    assert run(amount_min=Decimal("2000")) == ["B"]
    assert run(amount_max=Decimal("2000")) == ["A"]
    assert run(sort="window_end") == ["B", "A"]
    assert run(sort="newest") == ["B", "A"]


def test_filter_params_report_bad_values_without_crashing():
    filters, problems = OfferFilters.from_params(
        {"aid_mode": "gift", "status": "published", "covers": "abc", "amount_min": "9", "amount_max": "1"}
    )
    assert filters.status == "published" and filters.aid_mode == "" and filters.covers == ""
    assert set(problems) >= {"aid_mode", "covers", "amount_min"}
    assert filters.amount_max == 1
