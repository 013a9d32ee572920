import pytest

from xiangzhen.accounts.tests.factories import staff
from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.portal import selectors, services
from xiangzhen.portal.models import Article
from xiangzhen.portal.rendering import render_body
from xiangzhen.portal.tests.factories import article_data

pytestmark = pytest.mark.django_db


def test_workflow_draft_submit_return_resubmit_publish_withdraw(county_civil_affairs, county_official):
    article = services.create_article(actor=county_civil_affairs, data=article_data())
    assert article.status == "draft" and article.number.startswith("WZ-433124-")
    assert article.region_id == "433124000000" and article.department == county_civil_affairs.department
    services.submit_article(actor=county_civil_affairs, article=article)
    with pytest.raises(ValidationFailed):
        services.return_article(actor=county_official, article=article, reason=" ")
    services.return_article(actor=county_official, article=article, reason="请补充报名方式")
    assert article.status == "returned" and article.return_reason == "请补充报名方式"
    services.update_article(actor=county_civil_affairs, article=article, changes={"summary": "报名方式见正文"})
    article.refresh_from_db()
    services.resubmit_article(actor=county_civil_affairs, article=article)
    services.publish_article(actor=county_official, article=article)
    assert article.status == "published" and article.published_at and article.reviewed_by == county_official
    assert list(selectors.public_articles()) == [article]
    with pytest.raises(InvalidTransition):
        services.update_article(actor=county_civil_affairs, article=article, changes={"title": "改"})
    services.withdraw_article(actor=county_civil_affairs, article=article, reason="活动已结束")
    assert article.status == "withdrawn" and not selectors.public_articles().exists()
    actions = list(AuditEntry.objects.filter(object_id=str(article.pk)).values_list("action", flat=True))
    for step in ["create", "submit", "return", "update", "resubmit", "publish", "withdraw"]:
        assert f"portal.article_{step}" in actions


def test_review_rule(county_civil_affairs, county_official, city_civil_affairs, other_county_official, platform_admin):
    article = services.create_article(actor=county_civil_affairs, data=article_data())
    services.submit_article(actor=county_civil_affairs, article=article)
    # The writer's own department may not review, nor may another county (who cannot even see it).
    colleague = staff("civil_affairs", "433124000000", username="hy_mz_2")
    with pytest.raises(Forbidden):
        services.publish_article(actor=colleague, article=article)
    with pytest.raises(Forbidden):
        services.publish_article(actor=county_civil_affairs, article=article)
    with pytest.raises(NotFound):
        services.publish_article(actor=other_county_official, article=article)
    # The other department of the same county, or staff one level up, may.
    services.publish_article(actor=city_civil_affairs, article=article)
    assert article.status == "published"


def test_province_article_reviewed_by_other_department(province_civil_affairs, province_rural_revitalization):
    article = services.create_article(actor=province_civil_affairs, data=article_data(kind="policy"))
    services.submit_article(actor=province_civil_affairs, article=article)
    services.publish_article(actor=province_rural_revitalization, article=article)
    assert article.status == "published"


def test_only_staff_write(org_admin, village_submitter, county_civil_affairs, county_official):
    for actor in (org_admin, village_submitter):
        with pytest.raises(Forbidden):
            services.create_article(actor=actor, data=article_data())
    article = services.create_article(actor=county_civil_affairs, data=article_data())
    with pytest.raises(Forbidden):
        services.submit_article(actor=county_official, article=article)
    with pytest.raises(Forbidden):
        services.update_article(actor=county_official, article=article, changes={"title": "改"})


def test_validation(county_civil_affairs):
    with pytest.raises(ValidationFailed) as exc:
        services.create_article(actor=county_civil_affairs, data=article_data(title=" ", kind="gossip"))
    assert {e.field for e in exc.value.errors} == {"title", "kind"}
    with pytest.raises(ValidationFailed) as exc:
        services.create_article(actor=county_civil_affairs, data=article_data(kind="news", exemplary_case_id=99999))
    assert exc.value.errors[0].field == "exemplary_case_id"
    assert not Article.objects.exists()


def test_stale_version_conflicts(county_civil_affairs):
    from xiangzhen.core.errors import Conflict

    article = services.create_article(actor=county_civil_affairs, data=article_data())
    services.update_article(actor=county_civil_affairs, article=article, changes={"title": "新标题"})
    with pytest.raises(Conflict):
        services.update_article(actor=county_civil_affairs, article=article, changes={"title": "x"}, expected_version=1)


def test_scope(county_civil_affairs, other_county_official, city_civil_affairs):
    article = services.create_article(actor=county_civil_affairs, data=article_data())
    assert list(selectors.articles(city_civil_affairs)) == [article]
    assert not selectors.articles(other_county_official).exists()
    with pytest.raises(NotFound):
        selectors.get_article(other_county_official, article.pk)
    with pytest.raises(NotFound):
        selectors.get_public_article(article.pk)


def test_render_body_keeps_markdown_structure_and_drops_anything_active():
    html = render_body(
        '# 标题\n\n<script>alert(1)</script>\n<img src=x onerror="x()">\n\n第二段**加粗**\n\n'
        "- 一\n- 二\n\n[政策原文](https://www.hunan.gov.cn/) [坏链接](javascript:alert(1))\n\n"
        '<p style="color:red" onclick="x()">带样式</p>'
    )
    assert html.startswith("<h3>标题</h3>")
    assert "<strong>加粗</strong>" in html and "<li>一</li>" in html
    assert 'href="https://www.hunan.gov.cn/"' in html and 'rel="noopener nofollow"' in html
    for active in ("<script", "<img", "onerror", "javascript:", "onclick", "style="):
        assert active not in html
    assert "带样式" in html
