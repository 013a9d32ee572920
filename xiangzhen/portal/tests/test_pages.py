import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.portal import services
from xiangzhen.portal.models import Article
from xiangzhen.portal.tests.factories import article_data, published_article

pytestmark = pytest.mark.django_db

SCRIPT_BODY = "正文第一段\n\n<script>alert('x')</script>"


def test_staff_create_submit_and_review_through_pages(client, county_civil_affairs, county_official):
    client.force_login(county_civil_affairs)
    response = client.post(
        reverse("portal:create"), {"kind": "news", "title": "助学活动启动", "summary": "", "body": SCRIPT_BODY}
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:detail", args=[article.pk])
    detail = client.get(reverse("portal:detail", args=[article.pk])).content.decode()
    assert "<script>alert" not in detail and "&lt;script&gt;" not in detail  # dropped, not shown
    client.post(reverse("portal:act", args=[article.pk]), {"action": "submit", "version": article.version})
    article.refresh_from_db()
    assert article.status == "submitted"
    # The writer may not publish: the action is not offered and is refused.
    assert client.post(reverse("portal:act", args=[article.pk]), {"action": "publish"}).status_code == 403
    client.force_login(county_official)
    assert "助学活动启动" in client.get(reverse("portal:review_queue")).content.decode()
    client.post(reverse("portal:act", args=[article.pk]), {"action": "publish", "version": article.version})
    article.refresh_from_db()
    assert article.status == "published"
    client.logout()
    page = client.get(reverse("portal:public_detail", args=[article.pk])).content.decode()
    assert "正文第一段" in page and "<script>alert" not in page


def test_return_needs_reason_on_page(client, county_civil_affairs, county_official):
    article = services.create_article(actor=county_civil_affairs, data=article_data())
    services.submit_article(actor=county_civil_affairs, article=article)
    client.force_login(county_official)
    response = client.post(reverse("portal:act", args=[article.pk]), {"action": "return", "version": article.version})
    article.refresh_from_db()
    assert response.status_code == 302 and article.status == "submitted"


def test_lists_search_and_exports(client, county_civil_affairs, county_official):
    published_article(county_civil_affairs, county_official, title="乡村规划公示", kind="plan")
    services.create_article(actor=county_civil_affairs, data=article_data(title="未发布草稿"))
    public = client.get(reverse("portal:public"), {"q": "规划"}).content.decode()
    assert "乡村规划公示" in public and "未发布草稿" not in public
    assert "乡村规划公示" not in client.get(reverse("portal:public"), {"kind": "news"}).content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("portal:public_export")).content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["乡村规划公示"]
    client.force_login(county_civil_affairs)
    staff_page = client.get(reverse("portal:list")).content.decode()
    assert "乡村规划公示" in staff_page and "未发布草稿" in staff_page
    sheet = load_workbook(io.BytesIO(client.get(reverse("portal:export")).content)).active
    assert sheet.max_row == 3


def test_out_of_scope_and_unpublished_look_missing(client, county_civil_affairs, other_county_official, org_admin):
    article = services.create_article(actor=county_civil_affairs, data=article_data())
    assert client.get(reverse("portal:public_detail", args=[article.pk])).status_code == 404
    client.force_login(other_county_official)
    assert client.get(reverse("portal:detail", args=[article.pk])).status_code == 404
    client.force_login(org_admin)
    assert client.get(reverse("portal:create")).status_code == 403
    assert client.get(reverse("portal:detail", args=[article.pk])).status_code == 404


def test_article_feeds_are_valid_xml(client, county_civil_affairs, county_official):
    published_article(county_civil_affairs, county_official, title="政策解读", summary="", body="<script>x()</script>")
    services.create_article(actor=county_civil_affairs, data=article_data(title="草稿不进订阅"))
    rss = client.get(reverse("portal:articles_rss"))
    titles = [t.text for t in ET.fromstring(rss.content).iter("title")]
    assert any("政策解读" in (t or "") for t in titles) and not any("草稿" in (t or "") for t in titles)
    atom = ET.fromstring(client.get(reverse("portal:articles_atom")).content)
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    # The description, read as HTML by feed readers, holds the body only as escaped text.
    descriptions = [d.text for d in ET.fromstring(rss.content).iter("description")]
    assert "&lt;script&gt;x()&lt;/script&gt;" in descriptions


def test_demand_feeds_carry_no_personal_data(client, org_admin):
    from xiangzhen.matching.tests.factories import DemandFactory

    demand = DemandFactory(status="published", title="修建村级阅读小屋")
    demand.refresh_from_db()
    for name in ("portal:demands_rss", "portal:demands_atom"):
        content = client.get(reverse(name)).content
        ET.fromstring(content)
        text = content.decode()
        assert "修建村级阅读小屋" in text
        for field in ("contact_name", "contact_phone", "household_key"):
            value = getattr(demand, field, "")
            if value:
                assert str(value) not in text
        assert demand.entered_by.username not in text


def test_attachments_shown_under_body_and_public_only_once_published(client, county_civil_affairs, county_official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    client.force_login(county_civil_affairs)
    client.post(
        reverse("portal:create"),
        {"kind": "news", "title": "图文新闻", "body": "正文", "attachments": [SimpleUploadedFile("现场.png", png)]},
    )
    article = Article.objects.get()
    from xiangzhen.portal import selectors

    attachment = selectors.attachments(article).get()
    assert "现场.png" in client.get(reverse("portal:detail", args=[article.pk])).content.decode()
    client.logout()
    assert client.get(reverse("core:attachment", args=[attachment.pk])).status_code == 404
    services.submit_article(actor=county_civil_affairs, article=article)
    services.publish_article(actor=county_official, article=article)
    page = client.get(reverse("portal:public_detail", args=[article.pk])).content.decode()
    assert f'<img src="{reverse("core:attachment", args=[attachment.pk])}"' in page
    assert client.get(reverse("core:attachment", args=[attachment.pk])).status_code == 200
