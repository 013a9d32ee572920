"""The portal API: public reads without login, the staff workflow mirroring the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiangzhen.core.models import AuditEntry
from xiangzhen.portal.models import Article
from xiangzhen.portal.tests.factories import article_data, published_article

pytestmark = pytest.mark.django_db

API = "/api/v1/portal"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_public_list_search_and_detail_need_no_login(client, county_civil_affairs, county_official):
    policy = published_article(
        county_civil_affairs, county_official, kind="policy", title="乡村振兴政策解读",
        body="# 要点\n\n鼓励社会组织参与<script>alert(1)</script>",
    )  # fmt: skip
    published_article(county_civil_affairs, county_official, kind="news", title="一条新闻")
    from xiangzhen.portal import services

    services.create_article(actor=county_civil_affairs, data=article_data(title="草稿不公开"))
    rows = client.get(f"{API}/public").json()["items"]
    assert {r["title"] for r in rows} == {"乡村振兴政策解读", "一条新闻"}
    assert "status" not in rows[0] and "created_by" not in rows[0]
    assert [r["title"] for r in client.get(f"{API}/public", {"q": "解读"}).json()["items"]] == ["乡村振兴政策解读"]
    assert [r["title"] for r in client.get(f"{API}/public", {"kind": "news"}).json()["items"]] == ["一条新闻"]
    assert client.get(f"{API}/public", {"kind": "nonsense"}).status_code in (400, 422)
    detail = client.get(f"{API}/public/{policy.pk}").json()
    assert detail["kind_label"] == "政策" and detail["region_name"].endswith("花垣县")
    assert "<script" not in detail["body_html"] and "<h3>要点</h3>" in detail["body_html"]
    assert "<h3>要点</h3>" in detail["body_html"]


def test_public_detail_of_an_unpublished_article_is_missing(client, county_civil_affairs):
    from xiangzhen.portal import services

    draft = services.create_article(actor=county_civil_affairs, data=article_data())
    response = client.get(f"{API}/public/{draft.pk}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert client.get(f"{API}/public/999999").status_code == 404


def test_staff_write_submit_return_resubmit_publish_withdraw(client, county_civil_affairs, county_official):
    client.force_login(county_civil_affairs)
    created = post(client, f"{API}/", {"kind": "notice", "title": "关于报名的通知", "body": "正文"})
    assert created.status_code == 201, created.content
    article = created.json()
    assert article["status"] == "draft" and article["editable"] and article["actions"] == ["submit"]
    article_id = article["id"]
    bad = client.patch(f"{API}/{article_id}", {"title": " "}, content_type="application/json")
    assert bad.status_code == 422 and "标题" in bad.content.decode()
    edited = client.patch(
        f"{API}/{article_id}", {"summary": "请于月底前报名", "version": article["version"]},
        content_type="application/json",
    )  # fmt: skip
    assert edited.status_code == 200 and edited.json()["summary"] == "请于月底前报名"
    stale = client.patch(f"{API}/{article_id}", {"summary": "旧版本", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    upload = client.post(
        f"{API}/{article_id}/attachments", {"files": [SimpleUploadedFile("图.png", PNG, content_type="image/png")]}
    )
    assert upload.status_code == 200, upload.content
    image = upload.json()["attachments"][0]
    assert image["is_image"] and image["url"].startswith("/attachments/")
    assert post(client, f"{API}/{article_id}/submit").json()["status"] == "submitted"
    assert post(client, f"{API}/{article_id}/publish").status_code == 403  # not one's own department

    client.force_login(county_official)
    assert [r["id"] for r in client.get(f"{API}/review-queue").json()["items"]] == [article_id]
    assert client.get(f"{API}/{article_id}").json()["actions"] == ["publish", "return"]
    assert post(client, f"{API}/{article_id}/return", {"reason": " "}).status_code == 422
    returned = post(client, f"{API}/{article_id}/return", {"reason": "请补充报名电话"}).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "请补充报名电话"

    client.force_login(county_civil_affairs)
    assert post(client, f"{API}/{article_id}/resubmit").json()["status"] == "submitted"
    client.force_login(county_official)
    published = post(client, f"{API}/{article_id}/publish").json()
    assert published["status"] == "published" and published["reviewed_by"]
    client.logout()
    assert client.get(f"{API}/public/{article_id}").json()["attachments"][0]["id"] == image["id"]
    assert client.get(image["url"]).status_code == 200  # attachments of a published article are public

    client.force_login(county_civil_affairs)
    withdrawn = post(client, f"{API}/{article_id}/withdraw", {"reason": "活动已结束"}).json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdraw_reason"] == "活动已结束"
    client.logout()
    assert client.get(f"{API}/public/{article_id}").status_code == 404
    steps = set(AuditEntry.objects.filter(object_id=str(article_id)).values_list("action", flat=True))
    assert {"portal.article_create", "portal.article_publish", "portal.article_withdraw"} <= steps


def test_only_staff_write_and_out_of_scope_looks_missing(
    client, county_civil_affairs, county_official, other_county_official, org_admin
):
    article = published_article(county_civil_affairs, county_official)
    client.force_login(org_admin)
    refused = post(client, f"{API}/", {"kind": "news", "title": "组织的文章", "body": "正文"})
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/problem+json")
    assert client.get(f"{API}/{article.pk}").status_code == 404
    client.force_login(other_county_official)
    assert client.get(f"{API}/{article.pk}").status_code == 404
    assert post(client, f"{API}/{article.pk}/withdraw", {"reason": "越权"}).status_code == 404
    assert client.get(f"{API}/").json()["items"] == []
    assert Article.objects.get(pk=article.pk).status == "published"


def test_anonymous_staff_endpoints_are_refused(client):
    response = client.get(f"{API}/")
    assert response.status_code == 401
    assert post(client, f"{API}/", {"kind": "news", "title": "t", "body": "b"}).status_code == 401
