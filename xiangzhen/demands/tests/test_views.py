import io

import pytest
from django.urls import reverse
from django.utils import timezone

from xiangzhen.core.models import AuditEntry
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import SHIBADONG, DemandFactory

ROLES = ["platform_admin", "province_rural_revitalization", "county_official", "village_submitter"]


def form_data(**overrides):
    data = {
        "title": "村卫生室药品柜",
        "description": "卫生室缺少药品柜和冷藏箱",
        "region_code": SHIBADONG,
        "domains": ["health"],
        "aid_mode": "relief",
        "budget": "8000",
        "deadline": timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat(),
        "contact_name": "石金",
        "contact_phone": "13974300000",
        "group_empty_nest_elderly": "12",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_render_for_each_role(client, request, role, submitted_demand):
    client.force_login(request.getfixturevalue(role))
    listing = client.get(reverse("demands:list"))
    assert listing.status_code == 200 and submitted_demand.title in listing.content.decode()
    detail = client.get(reverse("demands:detail", args=[submitted_demand.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert submitted_demand.number in page and "13974300000" not in page and "139****0000" in page
    review_url = reverse("demands:review", args=[submitted_demand.pk])
    assert (review_url in page) == (role in ("platform_admin", "county_official"))
    assert ("批量导入" in listing.content.decode()) == (role in ("platform_admin", "county_official"))


@pytest.mark.django_db
def test_org_user_is_sent_to_public_library(client, org_admin, published_demand, submitted_demand):
    client.force_login(org_admin)
    response = client.get(reverse("demands:list") + "?q=留守儿童", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("demands:public_list"))
    assert published_demand.title in page and submitted_demand.title not in page


@pytest.mark.django_db
def test_public_pages_need_no_login_and_mask(client, published_demand, submitted_demand):
    listing = client.get(reverse("demands:public_list"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert published_demand.title in page and submitted_demand.title not in page
    detail = client.get(reverse("demands:public_detail", args=[published_demand.pk])).content.decode()
    assert "139****0000" in detail and "13974300000" not in detail and "石*" in detail
    assert client.get(reverse("demands:public_detail", args=[submitted_demand.pk])).status_code == 404
    assert client.get(reverse("demands:list")).status_code == 302  # the library needs a login
    export = client.get(reverse("demands:public_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_out_of_scope_detail_is_404(client, other_county_official, submitted_demand):
    client.force_login(other_county_official)
    assert client.get(reverse("demands:detail", args=[submitted_demand.pk])).status_code == 404
    assert submitted_demand.title not in client.get(reverse("demands:list")).content.decode()


@pytest.mark.django_db
def test_reveal_on_detail_page_is_logged(client, county_official, published_demand):
    client.force_login(county_official)
    page = client.get(reverse("demands:detail", args=[published_demand.pk]) + "?reveal=1").content.decode()
    assert "13974300000" in page
    assert AuditEntry.objects.filter(action="demands.view_personal").count() == 1


@pytest.mark.django_db
def test_submitter_creates_on_page_with_photo(client, village_submitter):
    client.force_login(village_submitter)
    assert client.get(reverse("demands:create")).status_code == 200
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    photo.name = "药品柜.png"
    response = client.post(reverse("demands:create"), {**form_data(), "submit": "1", "uploads": [photo]})
    assert response.status_code == 302, response.content.decode()
    demand = Demand.objects.get()
    assert demand.status == "submitted"
    assert [(b.group.code, b.head_count) for b in demand.beneficiaries.all()] == [("empty_nest_elderly", 12)]
    detail = client.get(reverse("demands:detail", args=[demand.pk])).content.decode()
    assert "药品柜.png" in detail and "/attachments/" in detail and "提交审核" in detail


@pytest.mark.django_db
def test_create_page_shows_field_errors(client, village_submitter):
    client.force_login(village_submitter)
    response = client.post(
        reverse("demands:create"), form_data(contact_phone="12", on_behalf_of_household="on", household_name="龙大爷")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "联系电话“12”格式不正确" in page and "须经农户本人同意" in page
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_review_page_publishes_and_returns(client, county_official, submitted_demand):
    client.force_login(county_official)
    url = reverse("demands:review", args=[submitted_demand.pk])
    assert "未发现需要特别留意的内容" in client.get(url).content.decode()
    missing = client.post(url, {"action": "return", "reason": "", "version": 1})
    assert "请填写退回修改的原因" in missing.content.decode()
    assert client.post(url, {"action": "publish", "reason": "", "version": 1}).status_code == 302
    assert Demand.objects.get(pk=submitted_demand.pk).status == "published"
    stale = client.post(url, {"action": "return", "reason": "晚了", "version": 1}, follow=True)
    assert "不能执行“退回修改”" in stale.content.decode()


@pytest.mark.django_db
def test_review_page_shows_flags(client, county_official):
    demand = DemandFactory(title="为脱贫户购买苹果手机", description="用于直播")
    client.force_login(county_official)
    page = client.get(reverse("demands:review", args=[demand.pk])).content.decode()
    assert "品牌" in page and "苹果手机" in page


@pytest.mark.django_db
def test_review_page_forbidden_for_submitter_and_province(
    client, village_submitter, province_rural_revitalization, submitted_demand
):
    for user in (village_submitter, province_rural_revitalization):
        client.force_login(user)
        assert client.get(reverse("demands:review", args=[submitted_demand.pk])).status_code == 403


@pytest.mark.django_db
def test_edit_and_resubmit_page(client, village_submitter):
    demand = DemandFactory(status="returned", return_reason="请补充人数", entered_by=village_submitter)
    client.force_login(village_submitter)
    url = reverse("demands:edit", args=[demand.pk])
    assert "请补充人数" in client.get(url).content.decode()
    response = client.post(url, {**form_data(title="改过的标题"), "version": demand.version, "submit": "1"})
    assert response.status_code == 302, response.content.decode()
    demand.refresh_from_db()
    assert demand.title == "改过的标题" and demand.status == "submitted"


@pytest.mark.django_db
def test_withdraw_from_detail_page(client, village_submitter, submitted_demand):
    client.force_login(village_submitter)
    url = reverse("demands:withdraw", args=[submitted_demand.pk])
    client.post(url, {"reason": "", "version": 1}, follow=True)
    assert Demand.objects.get(pk=submitted_demand.pk).status == "submitted"
    client.post(url, {"reason": "问题已解决", "version": 1})
    assert Demand.objects.get(pk=submitted_demand.pk).status == "withdrawn"


@pytest.mark.django_db
def test_import_page_preview_then_confirm(client, county_official):
    from xiangzhen.demands.tests.test_import import row, workbook

    client.force_login(county_official)
    url = reverse("demands:import")
    assert client.get(url).status_code == 200
    upload = io.BytesIO(workbook([row()]))
    upload.name = "需求.xlsx"
    preview = client.post(url, {"file": upload})
    page = preview.content.decode()
    assert "将新增 1 条" in page and not Demand.objects.exists()
    digest = preview.context["digest"]
    assert client.post(url, {"confirm": "1", "digest": digest, "publish": "1"}).status_code == 302
    assert Demand.objects.get().status == "published"
    bad = io.BytesIO(workbook([row(region="双龙镇/没有这个村")]))
    bad.name = "bad.xlsx"
    assert "第 2 行" in client.post(url, {"file": bad}).content.decode()
    assert client.get(reverse("demands:template")).status_code == 200


@pytest.mark.django_db
def test_import_page_forbidden_for_submitter(client, village_submitter):
    client.force_login(village_submitter)
    assert client.get(reverse("demands:import")).status_code == 403


@pytest.mark.django_db
def test_list_page_filters_and_query_count(client, province_rural_revitalization, django_assert_max_num_queries):
    for _ in range(20):
        DemandFactory(domains=["education", "health"], groups={"left_behind_children": 3})
    DemandFactory(title="只此一个", domains=["culture_sports"])
    client.force_login(province_rural_revitalization)
    page = client.get(reverse("demands:list") + "?domain=culture_sports").content.decode()
    assert "只此一个" in page and "测试需求" not in page
    bad = client.get(reverse("demands:list") + "?status=lost&budget_min=abc")
    assert bad.status_code == 200 and "只此一个" in bad.content.decode()
    client.get(reverse("demands:list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("demands:list") + "?sort=priority").status_code == 200
