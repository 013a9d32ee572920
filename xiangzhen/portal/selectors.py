"""Every read of articles: staff see their region's subtree (`core.scope`); published ones are public."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import NotFound
from xiangzhen.core.models import Attachment, AuditEntry
from xiangzhen.core.scope import get_in_scope, restrict
from xiangzhen.portal.filters import ArticleFilters
from xiangzhen.portal.models import Article
from xiangzhen.regions import codes


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
ARTICLES_PER_KIND = 3
CHOOSER_LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Chooser:
    """Where the visitor is: the chosen region's path (province first) and the regions one level
    below it that they may choose next (provinces when nothing is chosen; none below a county)."""

    path: list[tuple[str, str]]
    options: list[tuple[str, str]]


def chooser(region_code: str) -> Chooser:
    from xiangzhen.regions.models import Region

    if not region_code:
        return Chooser([], provinces())
    wanted = [*codes.ancestor_codes(region_code), region_code]
    path = list(Region.objects.filter(code__in=wanted).order_by("code").values_list("code", "name"))
    if codes.level_of(region_code) == codes.Level.COUNTY:
        return Chooser(path, [])
    options = Region.objects.filter(parent_id=region_code).order_by("code").values_list("code", "name")
    return Chooser(path, list(options))


def provinces() -> list[tuple[str, str]]:
    from xiangzhen.regions.models import Region

    return list(Region.objects.filter(level="province").order_by("code").values_list("code", "name"))


def home_region(code: str | None) -> str | None:
    """`code` if it names a province, city or county that exists; "" for the whole country;
    None when it is not a region a visitor may choose."""
    from xiangzhen.regions.models import Region

    if code == "":
        return ""
    if not code or not codes.CODE_PATTERN.match(code) or codes.level_of(code) not in CHOOSER_LEVELS:
        return None
    return code if Region.objects.filter(pk=code).exists() else None


def default_province() -> str:
    """The province of the newest published demand ("" when there is none: the whole country)."""
    from xiangzhen.demands.models import Demand

    newest = Demand.objects.filter(status=Demand.Status.PUBLISHED).order_by("-published_at", "-id").first()
    return newest.region_id[:2].ljust(12, "0") if newest else ""


def latest_by_kind(per_kind: int = ARTICLES_PER_KIND) -> list[tuple[str, list[Article]]]:
    """The newest published articles of each kind, in one query (a row number per kind)."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    ranked = public_articles().annotate(
        rank=Window(RowNumber(), partition_by=F("kind"), order_by=[F("published_at").desc(), F("id").desc()])
    )
    grouped: dict[str, list[Article]] = {}
    for article in ranked.filter(rank__lte=per_kind).order_by("kind", "rank"):
        grouped.setdefault(article.kind, []).append(article)
    return [(label, grouped[kind]) for kind, label in Article.Kind.choices if kind in grouped]


def home_blocks(region_code: str) -> dict[str, Any]:
    """What a visitor sees first, for `region_code` ("" = the whole country): published demands
    there first and then elsewhere, published offers serving it, this year's public headline
    figures, exemplary cases, the newest articles of each kind and upcoming events.

    A bounded number of queries whatever the data (tested)."""
    import datetime

    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from xiangzhen.brands.selectors import public_cases
    from xiangzhen.demands.models import Demand
    from xiangzhen.events.selectors import public_events
    from xiangzhen.offers.filters import covering_condition
    from xiangzhen.offers.models import Offer
    from xiangzhen.offers.selectors import public_offers
    from xiangzhen.stats import presentation
    from xiangzhen.stats.figures import figures

    today = timezone.localdate()
    published = Demand.objects.filter(status=Demand.Status.PUBLISHED).select_related("region")
    newest = ("-published_at", "-id")
    offers = public_offers()
    if region_code:
        bounds = codes.subtree_bounds(region_code)
        near = list(published.filter(region__code__range=bounds).order_by(*newest)[:HOME_SIZE])
        elsewhere = []
        if len(near) < HOME_SIZE:
            elsewhere = list(published.exclude(region__code__range=bounds).order_by(*newest)[: HOME_SIZE - len(near)])
        through = Offer.service_regions.through
        inside = through.objects.filter(offer_id=OuterRef("pk"), region__code__range=bounds)
        offers = offers.filter(covering_condition(region_code) | Q(Exists(inside)))
    else:
        near, elsewhere = list(published.order_by(*newest)[:HOME_SIZE]), []
    year_figures = figures(region_code, datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))
    return {
        "near_demands": near,
        "other_demands": elsewhere,
        "offers": list(offers.order_by("-published_at", "-id")[:HOME_SIZE]),
        "figures": presentation.rows(year_figures.as_json())[:6],
        "cases": list(public_cases().order_by("-published_at", "-id")[:HOME_SIZE]),
        "articles_by_kind": latest_by_kind(),
        "events": list(
            public_events()
            .filter(status="published", ends_on__gte=today)
            .select_related("region")
            .order_by("starts_on", "id")[:HOME_SIZE]
        ),
    }
