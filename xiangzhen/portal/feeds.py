"""RSS and Atom feeds of published articles and published demands.

A demand's item carries only what its public page shows first: title, number, region, deadline
and budget — never contacts, household data or the people who entered or reviewed it.
"""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from xiangzhen.demands.models import Demand
from xiangzhen.portal import selectors
from xiangzhen.portal.models import Article

FEED_SIZE = 30


class ArticlesRss(Feed):
    title = "乡振 · 最新发布"
    description = "已发布的政策、规划、通知公告、新闻动态、典型案例和表彰"

    def link(self) -> str:
        return reverse("portal:public")

    def items(self) -> "QuerySet[Article]":
        return selectors.public_articles()[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return f"【{item.get_kind_display()}】{item.title}"

    def item_description(self, item: Article) -> str:
        # Readers treat a description as HTML: the author's text goes in escaped, as text.
        return escape(item.summary or item.body[:200])

    def item_link(self, item: Article) -> str:
        return reverse("portal:public_detail", args=[item.pk])

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at


class ArticlesAtom(ArticlesRss):
    feed_type = Atom1Feed
    subtitle = ArticlesRss.description


class DemandsRss(Feed):
    title = "乡振 · 最新乡村需求"
    description = "已发布的乡村振兴需求项目（不含联系人等个人信息）"

    def link(self) -> str:
        return reverse("demands:public_list")

    def items(self) -> Any:
        return (
            Demand.objects.filter(status=Demand.Status.PUBLISHED)
            .select_related("region")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Demand) -> str:
        return f"{item.title}（{item.region.name}）"

    def item_description(self, item: Demand) -> str:
        return escape(
            f"编号 {item.number}；所在区划 {item.region.name}；所需资金 {item.budget} 元；征集截止 {item.deadline}"
        )

    def item_link(self, item: Demand) -> str:
        return reverse("demands:public_detail", args=[item.pk])

    def item_pubdate(self, item: Demand) -> datetime | None:
        return item.published_at


class DemandsAtom(DemandsRss):
    feed_type = Atom1Feed
    subtitle = DemandsRss.description
