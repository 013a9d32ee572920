"""Every read of articles: staff see their region's subtree (`core.scope`); published ones are public."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import Attachment, AuditEntry
from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.portal.filters import ArticleFilters
from xiangzhen.portal.models import Article


def _base() -> "QuerySet[Article]":
    return Article.objects.select_related("region", "department", "created_by", "reviewed_by")


def articles(user: Any, filters: ArticleFilters | None = None) -> "QuerySet[Article]":
    queryset = restrict(_base(), user)
    return filters.apply(queryset) if filters else queryset


def get_article(user: Any, article_id: Any) -> Article:
    return get_in_scope(_base(), user, pk=article_id)


def public_articles(filters: ArticleFilters | None = None) -> "QuerySet[Article]":
    queryset = _base().filter(status=Article.Status.PUBLISHED)
    if filters is not None:
        filters = filters.model_copy(update={"status": ""})
        queryset = filters.apply(queryset)
    return queryset


def get_public_article(article_id: Any) -> Article:
    try:
        return public_articles().get(pk=int(article_id))
    except (Article.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("文章不存在或尚未发布")) from None


def review_queue(user: Any) -> "QuerySet[Article]":
    """Submitted articles in the user's scope that the user may review (rule in `portal.rules`)."""
    from xiangzhen.portal.rules import can_review

    submitted = articles(user).filter(status=Article.Status.SUBMITTED)
    return submitted.filter(pk__in=[a.pk for a in submitted if can_review(user, a)])


def attachments(article: Article) -> "QuerySet[Attachment]":
    """The article's images and files, oldest first (images are shown, files linked, under the body)."""
    return attachments_of(article).order_by("uploaded_at", "id")


def history(article: Article) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=article._meta.label_lower, object_id=str(article.pk)).select_related(
        "actor"
    )


# ---------------------------------------------------------------- the visitor's home page

HOME_SIZE = 6


def provinces() -> list[tuple[str, str]]:
    from xiangzhen.regions.models import Region

    return list(Region.objects.filter(level="province").order_by("code").values_list("code", "name"))


def default_province() -> str:
    """The province of the newest published demand ("" when there is none: the whole country)."""
    from xiangzhen.demands.models import Demand

    newest = Demand.objects.filter(status=Demand.Status.PUBLISHED).order_by("-published_at", "-id").first()
    return newest.region_id[:2].ljust(12, "0") if newest else ""


def home_blocks(region_code: str) -> dict[str, Any]:
    """What a visitor sees first: published demands in `region_code` ("" = everywhere), offers,
    the public headline figures of this year, exemplary cases, articles and upcoming events."""
    import datetime

    from django.utils import timezone

    from xiangzhen.brands.selectors import public_cases
    from xiangzhen.demands.models import Demand
    from xiangzhen.events.selectors import public_events
    from xiangzhen.offers.selectors import public_offers
    from xiangzhen.regions import codes
    from xiangzhen.stats import presentation
    from xiangzhen.stats.figures import figures

    today = timezone.localdate()
    demands = Demand.objects.filter(status=Demand.Status.PUBLISHED).select_related("region")
    if region_code:
        demands = demands.filter(region__code__range=codes.subtree_bounds(region_code))
    year_figures = figures(region_code, datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))
    return {
        "demands": list(demands.order_by("-published_at", "-id")[:HOME_SIZE]),
        "offers": list(public_offers()[:HOME_SIZE]),
        "figures": presentation.rows(year_figures.as_json())[:6],
        "cases": list(public_cases()[:HOME_SIZE]),
        "articles": list(public_articles()[:HOME_SIZE]),
        "events": list(
            public_events().filter(status="published", ends_on__gte=today).order_by("starts_on")[:HOME_SIZE]
        ),
    }
