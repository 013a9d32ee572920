import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiangzhen.core.attachments import attach
from xiangzhen.offers.models import Offer
from xiangzhen.offers.tests.factories import OfferFactory

HUAYUAN, SHIBADONG = "433124000000", "433124110226"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ROLES = [
    "platform_admin",
    "province_civil_affairs",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
    "org_admin",
    "org_member",
]


def form_data(organization=None, **overrides):
    data = {
        "title": "农村留守儿童课后辅导",
        "description": "每周三次课后辅导",
        "domains": ["education"],
        "beneficiary_groups": ["left_behind_children"],
        "aid_mode": "self_development",
        "region_1": HUAYUAN,
        "region_codes": "433123000000, 433130000000",
        "capacity_demands": "4",
        "capacity_amount": "30000",
        "in_kind": "",
        "window_start": timezone.localdate().isoformat(),
        "window_end": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    if organization is not None:
        data["organization"] = str(organization.pk)
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_render_for_each_role(client, request, role, submitted_offer):
    client.force_login(request.getfixturevalue(role))
    listing = client.get(reverse("offers:list"))
    assert listing.status_code == 200
    assert submitted_offer.number in listing.content.decode()
    detail = client.get(reverse("offers:detail", args=[submitted_offer.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    reviewer = role in ("platform_admin", "county_civil_affairs")
    assert (reverse("offers:review", args=[submitted_offer.pk]) in page) == reviewer
    assert "操作记录" in page


@pytest.mark.django_db
def test_out_of_scope_unpublished_detail_is_404(client, submitted_offer, other_org_admin):
    client.force_login(other_org_admin)
    assert client.get(reverse("offers:detail", args=[submitted_offer.pk])).status_code == 404
    assert client.get(reverse("offers:edit", args=[submitted_offer.pk])).status_code == 404
    assert client.get(reverse("offers:review", args=[submitted_offer.pk])).status_code == 404
    assert submitted_offer.number not in client.get(reverse("offers:list")).content.decode()


@pytest.mark.django_db
def test_anonymous_sees_public_pages_without_phone(client, published_offer, submitted_offer, org_admin):
    attachment = attach(actor=org_admin, owner=published_offer, upload=SimpleUploadedFile("现场.png", PNG))
    listing = client.get(reverse("offers:public"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert published_offer.number in body and submitted_offer.number not in body
    detail = client.get(reverse("offers:detail", args=[published_offer.pk]))
    page = detail.content.decode()
    assert detail.status_code == 200
    assert published_offer.organization.contact_name in page
    assert published_offer.organization.contact_phone not in page
    assert "操作记录" not in page and "现场.png" in page
    assert reverse("core:attachment", args=[attachment.pk]) in page
    assert client.get(reverse("core:attachment", args=[attachment.pk])).status_code == 200
    assert client.get(reverse("offers:detail", args=[submitted_offer.pk])).status_code == 404
    assert client.get(reverse("offers:list")).status_code == 302  # the working list needs a login
    export = client.get(reverse("offers:public_export"))
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [published_offer.number]


@pytest.mark.django_db
def test_logged_in_outsider_sees_phone_on_public_offer(client, published_offer, other_org_admin):
    client.force_login(other_org_admin)
    page = client.get(reverse("offers:detail", args=[published_offer.pk])).content.decode()
    assert published_offer.organization.contact_phone in page
    assert "操作记录" not in page


@pytest.mark.django_db
def test_create_page_saves_and_submits_with_attachment(client, organization, org_member):
    client.force_login(org_member)
    assert client.get(reverse("offers:create")).status_code == 200
    data = form_data(organization, submit="1", attachments=SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test"))
    response = client.post(reverse("offers:create"), data)
    assert response.status_code == 302, response.content.decode()
    offer = Offer.objects.get()
    assert offer.status == "submitted"
    assert sorted(r.code for r in offer.service_regions.all()) == ["433123000000", HUAYUAN, "433130000000"]
    page = client.get(reverse("offers:detail", args=[offer.pk])).content.decode()
    assert "方案.pdf" in page and "offers.submit" in page


@pytest.mark.django_db
def test_create_page_shows_field_errors(client, organization, org_admin):
    client.force_login(org_admin)
    response = client.post(reverse("offers:create"), form_data(organization, region_1="", region_codes="439999000000"))
    assert response.status_code == 200
    assert "服务区域代码“439999000000”不存在" in response.content.decode()
    assert not Offer.objects.exists()


@pytest.mark.django_db
def test_staff_cannot_open_create(client, county_civil_affairs):
    client.force_login(county_civil_affairs)
    assert client.get(reverse("offers:create")).status_code == 302


@pytest.mark.django_db
def test_edit_published_changes_only_capacity(client, published_offer, org_admin):
    client.force_login(org_admin)
    assert client.get(reverse("offers:edit", args=[published_offer.pk])).status_code == 200
    data = form_data(title="想偷偷改名", capacity_demands="9", version=str(published_offer.version))
    response = client.post(reverse("offers:edit", args=[published_offer.pk]), data)
    assert response.status_code == 302, response.content.decode()
    published_offer.refresh_from_db()
    assert published_offer.capacity_demands == 9 and published_offer.title != "想偷偷改名"


@pytest.mark.django_db
def test_review_page_publishes_and_return_needs_reason(client, submitted_offer, county_civil_affairs):
    client.force_login(county_civil_affairs)
    url = reverse("offers:review", args=[submitted_offer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "return", "reason": "", "version": submitted_offer.version})
    assert response.status_code == 200 and "请填写退回修改的原因" in response.content.decode()
    response = client.post(url, {"action": "publish", "reason": "", "version": submitted_offer.version})
    assert response.status_code == 302
    submitted_offer.refresh_from_db()
    assert submitted_offer.status == "published"


@pytest.mark.django_db
def test_review_page_forbidden_for_province(client, submitted_offer, province_civil_affairs):
    client.force_login(province_civil_affairs)
    assert client.get(reverse("offers:review", args=[submitted_offer.pk])).status_code == 403


@pytest.mark.django_db
def test_act_submits_and_reports_unapproved(client, draft_offer, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("offers:act", args=[draft_offer.pk]), {"action": "submit", "version": 1}, follow=True
    )
    assert response.status_code == 200 and "已提交审核" in response.content.decode()
    response = client.post(reverse("offers:act", args=[draft_offer.pk]), {"action": "submit"}, follow=True)
    assert "不能执行" in response.content.decode()


@pytest.mark.django_db
def test_list_filters_on_page_and_bad_values_warn(client, org_admin, organization):
    OfferFactory(organization=organization, title="助老食堂", description="空巢老人", status="published")
    OfferFactory(organization=organization, title="留守儿童课后辅导", status="published")
    client.force_login(org_admin)
    page = client.get(reverse("offers:list") + "?q=留守儿童&aid_mode=gift").content.decode()
    assert "留守儿童课后辅导" in page and "助老食堂" not in page
    assert "筛选条件“aid_mode”无效" in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["offers:list", "offers:public"])
def test_list_page_query_count(client, province_civil_affairs, organization, name, django_assert_max_num_queries):
    for _ in range(15):
        OfferFactory(organization=organization, status="published", regions=[HUAYUAN, SHIBADONG])
    client.force_login(province_civil_affairs)
    client.get(reverse(name))
    with django_assert_max_num_queries(10):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_edit_returned_offer_and_resubmit(client, organization, org_member):
    offer = OfferFactory(organization=organization, status=Offer.Status.RETURNED, regions=[HUAYUAN, SHIBADONG])
    client.force_login(org_member)
    page = client.get(reverse("offers:edit", args=[offer.pk])).content.decode()
    assert SHIBADONG in page  # the existing service area is shown for editing
    data = form_data(title="补充后的方案", region_codes=SHIBADONG, submit="1", version=str(offer.version))
    response = client.post(reverse("offers:edit", args=[offer.pk]), data)
    assert response.status_code == 302, response.content.decode()
    offer.refresh_from_db()
    assert (offer.title, offer.status) == ("补充后的方案", "submitted")
    assert sorted(r.code for r in offer.service_regions.all()) == [HUAYUAN, SHIBADONG]


@pytest.mark.django_db
def test_stale_edit_form_is_refused(client, draft_offer, org_admin):
    client.force_login(org_admin)
    response = client.post(reverse("offers:edit", args=[draft_offer.pk]), form_data(version="0"))
    assert response.status_code == 200 and "刚刚已被他人修改" in response.content.decode()
