import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from xiangzhen.consumption import leaves, selectors, services
from xiangzhen.consumption.filters import ProductFilters, PurchaseFilters
from xiangzhen.consumption.models import Product, Purchase, PurchaseBatch
from xiangzhen.consumption.tests.conftest import buy
from xiangzhen.consumption.tests.factories import MAANCUN, SHIBADONG, make_campaign, make_fair, product_data, purchase
from xiangzhen.core.errors import Forbidden, InvalidTransition, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory
from xiangzhen.pairings.models import Pairing
from xiangzhen.regions.models import Designation
from xiangzhen.stats import rollups
from xiangzhen.stats.models import Rollup
from xiangzhen.tlog.models import LogEntry

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- products


def test_staff_of_the_origin_register_products(county_official, county_civil_affairs, village_submitter):
    for actor in (county_official, county_civil_affairs, village_submitter):
        product = services.create_product(actor=actor, data=product_data(name=f"腊肉 {actor.username}"))
        assert product.number.startswith("CP-433124-") and product.status == Product.Status.LISTED
        assert product.organization is None


def test_staff_elsewhere_or_above_county_may_not_register(other_county_official, city_civil_affairs, org_admin):
    for actor in (other_county_official, city_civil_affairs, org_admin):
        with pytest.raises(Forbidden):
            services.create_product(actor=actor, data=product_data())
    assert not Product.objects.exists()


def test_an_organization_admin_registers_a_village_product_and_may_edit_it(organization, org_admin, org_member):
    with pytest.raises(ValidationFailed, match="须具体到村"):
        services.create_product(
            actor=org_admin, organization=organization, data=product_data(origin_code="433124000000")
        )
    with pytest.raises(Forbidden):
        services.create_product(actor=org_member, organization=organization, data=product_data())
    product = services.create_product(actor=org_admin, organization=organization, data=product_data(name="苗绣挎包"))
    assert product.organization == organization
    updated = services.update_product(actor=org_admin, product=product, changes={"price": "120"})
    assert updated.price == Decimal("120.00") and updated.version == 2
    with pytest.raises(Forbidden):
        services.update_product(actor=org_member, product=updated, changes={"price": "1"})


def test_product_input_is_checked_with_chinese_messages(county_official):
    with pytest.raises(ValidationFailed) as caught:
        services.create_product(
            actor=county_official,
            data=product_data(name="", price="-3", category="gold", origin_code="999999999999", contact_phone="12"),
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"name", "price", "category", "origin_code", "contact_phone"}
    assert "请填写产品名称" in caught.value.message


def test_the_origin_is_fixed_once_the_product_was_bought(product, county_official, organization, org_admin):
    services.update_product(actor=county_official, product=product, changes={"origin_code": MAANCUN})
    product.refresh_from_db()
    buy(org_admin, organization, purchase(product))
    with pytest.raises(ValidationFailed, match="已有采购记录"):
        services.update_product(actor=county_official, product=product, changes={"origin_code": SHIBADONG})


def test_delisted_products_leave_the_catalogue_but_stay_with_their_staff(
    product, county_official, other_county_official, platform_admin
):
    assert list(selectors.public_products()) == [product]
    delisted = services.delist_product(actor=county_official, product=product)
    assert list(selectors.public_products()) == []
    assert selectors.get_product(county_official, product.pk) == delisted
    assert selectors.get_product(platform_admin, product.pk) == delisted
    with pytest.raises(Exception, match="不存在"):
        selectors.get_product(other_county_official, product.pk)
    with pytest.raises(InvalidTransition):
        services.delist_product(actor=county_official, product=delisted)
    services.relist_product(actor=county_official, product=delisted)
    assert selectors.public_products().count() == 1


def test_catalogue_search_filters_and_paired_and_key_counties_first(county_official, organization, org_admin):
    larou = services.create_product(
        actor=county_official,
        data=product_data(name="湘西腊肉", category="meat_egg", origin_code=MAANCUN, description="柴火熏制"),
    )
    other = services.create_product(
        actor=county_official, data=product_data(name="苗绣围巾", category="handicraft", description="手工刺绣")
    )
    assert list(selectors.public_products(ProductFilters(q="猕猴桃"))) == []
    assert list(selectors.public_products(ProductFilters(q="苗绣"))) == [other]
    assert list(selectors.public_products(ProductFilters(q="合作社 腊肉"))) == [larou]
    assert list(selectors.public_products(ProductFilters(category="handicraft"))) == [other]
    # Nothing is paired yet and 花垣县 is not yet a key county: no product is tilted.
    assert list(selectors.public_products(ProductFilters(key_counties=True))) == []
    Designation.objects.create(region_id="433124000000", kind="provincial_key_county")
    assert set(selectors.public_products(ProductFilters(key_counties=True))) == {larou, other}
    Pairing.objects.create(
        number="JD-433124-2026-000001", organization=organization, region_id=MAANCUN, origin="staff",
        status=Pairing.Status.ACTIVE, start_date=timezone.localdate(), end_date=timezone.localdate(),
        proposed_by=org_admin,
    )  # fmt: skip
    assert list(selectors.public_products(ProductFilters(paired=True))) == [larou]
    ordered = list(selectors.public_products())
    assert ordered[0] == larou and ordered[0].is_paired and ordered[1].in_key_county


# ---------------------------------------------------------------- purchases


def test_a_submission_is_one_batch_with_leaf_audit_and_rollups(product, organization, org_admin):
    batch = buy(
        org_admin, organization,
        purchase(product, invoice_number="FP-1"),
        purchase(product, invoice_number="FP-2", quantity="2", amount="", product=product.number),
    )  # fmt: skip
    assert batch.purchase_count == 2 and batch.total_amount == Decimal("1056.00")  # 880 + 2 × 88
    assert batch.source == PurchaseBatch.Source.FORM and batch.number.startswith("CG-433124-")
    entry = LogEntry.objects.get(kind=leaves.PURCHASE_BATCH, number=batch.number)
    leaf = json.loads(entry.leaf)["data"]
    assert leaf["organization"] == organization.credit_code and leaf["count"] == 2 and leaf["total"] == "1056.00"
    assert [p["origin"] for p in leaf["purchases"]] == [SHIBADONG, SHIBADONG]
    assert {p["by_member"] for p in leaf["purchases"]} == {False}
    assert AuditEntry.objects.filter(action="consumption.purchase_batch", object_id=str(batch.pk)).exists()
    assert rollups.differences() == []
    month = timezone.localdate().replace(day=1)
    assert Rollup.objects.get(
        metric="purchases", region_code="433124000000", month=month, dimension="direct"
    ).value == Decimal("1056.00")
    assert Rollup.objects.get(metric="purchase_count", month=month, dimension="direct").value == 2
    assert Rollup.objects.get(metric="org_participation", dimension=str(organization.pk)).value == 2


def test_the_member_name_never_enters_the_log(product, organization, org_admin, org_member):
    buy(org_admin, organization, purchase(product, member=org_member.pk))
    leaf = LogEntry.objects.get(kind=leaves.PURCHASE_BATCH).leaf
    assert '"by_member":true' in leaf
    assert org_member.username not in leaf and org_member.full_name not in leaf


def test_a_fair_purchase_must_name_a_fair_the_village_takes_part_in(
    product, fair, organization, org_admin, county_official
):
    with pytest.raises(ValidationFailed, match="请选择是在哪一场"):
        buy(org_admin, organization, purchase(product, channel="fair"))
    with pytest.raises(ValidationFailed, match="只有渠道为展销会"):
        buy(org_admin, organization, purchase(product, event=fair.pk))
    elsewhere = make_fair(county_official, [MAANCUN], name="马鞍村农贸会")
    with pytest.raises(ValidationFailed, match="不是展销会“马鞍村农贸会”的参展村"):
        buy(org_admin, organization, purchase(product, channel="fair", event=elsewhere.pk))
    draft = make_fair(county_official, [SHIBADONG], publish=False, name="草稿农博会")
    with pytest.raises(ValidationFailed, match="不能登记销售"):
        buy(org_admin, organization, purchase(product, channel="fair", event=draft.pk))
    too_early = timezone.localdate() - timedelta(days=10)
    with pytest.raises(ValidationFailed, match="会期"):
        buy(org_admin, organization, purchase(product, channel="fair", event=fair.pk, purchased_on=too_early))
    batch = buy(org_admin, organization, purchase(product, channel="fair", event=fair.number))
    sale = batch.purchases.get()
    assert sale.event == fair and sale.channel == Purchase.Channel.FAIR
    sales = selectors.fair_sales(fair)
    assert sales.total == Decimal("880.00") and sales.purchase_count == 1
    assert [(v.village_code, v.amount) for v in sales.villages] == [(SHIBADONG, Decimal("880.00"))]
    assert rollups.differences() == []


def test_the_campaign_must_be_one_the_organization_is_enrolled_in(product, organization, org_admin, county_official):
    withdrawn = make_campaign(county_official, organization=organization, enrolled=False, name="已退出的行动")
    stranger = make_campaign(county_official, name="未报名的行动")
    for campaign in (withdrawn, stranger):
        with pytest.raises(ValidationFailed, match="没有报名专项行动"):
            buy(org_admin, organization, purchase(product, campaign=campaign.pk))
    enrolled = make_campaign(county_official, organization=organization)
    batch = buy(org_admin, organization, purchase(product, campaign=enrolled.number))
    assert batch.purchases.get().campaign == enrolled


def test_the_member_must_belong_and_plain_members_record_only_their_own(
    product, organization, org_admin, org_member, other_org_admin
):
    with pytest.raises(ValidationFailed, match="不是“花垣县助农服务中心”的成员"):
        buy(org_admin, organization, purchase(product, member=other_org_admin.pk))
    with pytest.raises(Forbidden, match="只能登记本人"):
        buy(org_member, organization, purchase(product))
    with pytest.raises(Forbidden, match="只能登记本人"):
        buy(org_member, organization, purchase(product, member=org_admin.pk))
    own = buy(org_member, organization, purchase(product, member=org_member.username))
    assert own.purchases.get().member == org_member
    for_member = buy(org_admin, organization, purchase(product, member=org_member.pk, invoice_number="FP-9"))
    assert for_member.purchases.get().member == org_member
    with pytest.raises(Forbidden):
        buy(other_org_admin, organization, purchase(product, invoice_number="FP-10"))


def test_the_same_invoice_line_is_refused_twice(product, organization, org_admin):
    buy(org_admin, organization, purchase(product))
    with pytest.raises(ValidationFailed, match="已登记过"):
        buy(org_admin, organization, purchase(product))
    with pytest.raises(ValidationFailed, match="与第 1 笔是同一发票上的同一产品"):
        buy(org_admin, organization, purchase(product, invoice_number="X"), purchase(product, invoice_number="X"))
    assert PurchaseBatch.objects.count() == 1 and LogEntry.objects.count() == 1


def test_bad_lines_say_which_line_and_nothing_is_written(product, organization, org_admin):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        buy(
            org_admin, organization, purchase(product, invoice_number="A"),
            purchase(product, invoice_number="B", quantity="0", purchased_on=tomorrow, channel="鸽子"),
        )  # fmt: skip
    assert "第 2 笔" in caught.value.message and "数量应大于 0" in caught.value.message
    assert {e.field for e in caught.value.errors} == {"quantity", "purchased_on", "channel"}
    assert not Purchase.objects.exists() and not LogEntry.objects.exists() and not Rollup.objects.exists()


def test_only_approved_organizations_record_purchases(product, org_admin, organization):
    organization.status = "suspended"
    organization.save()
    with pytest.raises(InvalidTransition, match="审核通过"):
        buy(org_admin, organization, purchase(product))


def test_totals_per_buyer_county_and_campaign(product, organization, org_admin, county_official):
    campaign = make_campaign(county_official, organization=organization)
    other = OrganizationFactory(name="湘西爱心协会")
    other_admin = MembershipFactory(organization=other).user
    buy(
        org_admin,
        organization,
        purchase(product, campaign=campaign.pk),
        purchase(product, invoice_number="B", amount="20"),
    )
    buy(other_admin, other, purchase(product, amount="100"))
    everything = Purchase.objects.all()
    by_buyer = selectors.totals(everything, "buyer")
    assert [(r.label, r.purchase_count, r.amount) for r in by_buyer] == [
        ("花垣县助农服务中心", 2, Decimal("900.00")),
        ("湘西爱心协会", 1, Decimal("100.00")),
    ]
    assert [(r.key, r.amount) for r in selectors.totals(everything, "county")] == [("433124000000", Decimal("1000.00"))]
    assert selectors.totals(everything, "county")[0].label.endswith("花垣县")
    by_campaign = {r.label: r.amount for r in selectors.totals(everything, "campaign")}
    assert by_campaign == {"消费帮扶助振兴行动": Decimal("880.00"), "未计入专项行动": Decimal("120.00")}
    # An organization's people see their own purchases only; the county sees all of its villages' sales.
    assert selectors.grand_total(selectors.purchases(org_admin)).amount == Decimal("900.00")
    assert selectors.grand_total(selectors.purchases(county_official)).amount == Decimal("1000.00")
    assert selectors.purchases(county_official, PurchaseFilters(organization=other.pk)).count() == 1
