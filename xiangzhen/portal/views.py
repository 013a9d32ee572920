"""Article pages: the staff list, form, detail with its workflow, and the public list and page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters
from xiangzhen.portal import excel, rules, selectors, services
from xiangzhen.portal.filters import ArticleFilters
from xiangzhen.portal.forms import ArticleForm
from xiangzhen.portal.models import Article
from xiangzhen.portal.rendering import render_body


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ArticleFilters)
    return render(
        request,
        "portal/article_list.html",
        {
            "page": paginate(request, selectors.articles(request.user, filters)), "query": query_without_page(request),
            "filters": filters, "public": False, "statuses": Article.Status.choices, "kinds": Article.Kind.choices,
            "can_create": rules.staff_department(request.user) is not None,
            "reviewing": selectors.review_queue(request.user).count(),
        },
    )  # fmt: skip


@login_required
def article_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = ArticleFilters.from_params(request.GET)
    return download(excel.articles_workbook(selectors.articles(request.user, filters)), "文章.xlsx")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/article_list.html",
        {"page": paginate(request, selectors.review_queue(request.user)), "query": query_without_page(request),
         "queue": True},
    )  # fmt: skip


def _form_page(request: HttpRequest, form: ArticleForm, save: Any, title: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            article = save(form)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存：%(number)s") % {"number": article.number})
            return redirect("portal:detail", article.pk)
    return render(request, "portal/article_form.html", {"form": form, "title": title})


@login_required
def article_create(request: HttpRequest) -> HttpResponse:
    if rules.staff_department(request.user) is None:
        raise PermissionDenied
    form = ArticleForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda f: services.create_article(actor=request.user, data=f.to_data(), uploads=f.cleaned_data["attachments"]),
        _("撰写文章"),
    )


@login_required
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.get_article(request.user, article_id)
    if not rules.can_edit(request.user, article):
        raise PermissionDenied
    form = ArticleForm(request.POST or None, request.FILES or None, initial=ArticleForm.initial_for(article))

    def save(f: ArticleForm) -> Article:
        return services.update_article(
            actor=request.user, article=article, changes=f.to_data().as_dict(),
            expected_version=f.cleaned_data.get("version") or article.version, uploads=f.cleaned_data["attachments"],
        )  # fmt: skip

    return _form_page(request, form, save, _("修改文章"))


def _actions(user: Any, article: Article) -> list[tuple[str, str]]:
    labels = services.WORKFLOW.transitions
    return [(action, labels[action].label) for action in rules.allowed_actions(user, article)]


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.get_article(request.user, article_id)
    return render(
        request,
        "portal/article_detail.html",
        {
            "article": article, "body": render_body(article.body), "actions": _actions(request.user, article),
            "attachments": selectors.attachments(article),
            "can_edit": rules.can_edit(request.user, article),
            "history": selectors.history(article)[:30],
        },
    )  # fmt: skip


@login_required
@require_POST
def article_act(request: HttpRequest, article_id: int) -> HttpResponse:
    """One workflow step from the detail page: submit, resubmit, publish, return or withdraw."""
    article = selectors.get_article(request.user, article_id)
    action = request.POST.get("action", "")
    if action not in dict(_actions(request.user, article)):
        raise PermissionDenied
    try:
        services.SERVICES[action](
            actor=request.user, article=article, reason=request.POST.get("reason", ""),
            expected_version=int(request.POST.get("version", article.version)),
        )  # fmt: skip
        messages.success(request, _("已%(label)s") % {"label": services.WORKFLOW.transitions[action].label})
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("提交的数据不正确"))
    return redirect("portal:detail", article.pk)


def public_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, ArticleFilters)
    return render(
        request,
        "portal/article_list.html",
        {
            "page": paginate(request, selectors.public_articles(filters)), "query": query_without_page(request),
            "filters": filters, "public": True, "kinds": Article.Kind.choices,
        },
    )  # fmt: skip


def public_export(request: HttpRequest) -> HttpResponse:
    filters, _problems = ArticleFilters.from_params(request.GET)
    return download(excel.articles_workbook(selectors.public_articles(filters), public=True), "文章（公开）.xlsx")


def public_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.get_public_article(article_id)
    return render(
        request,
        "portal/article_detail.html",
        {"article": article, "body": render_body(article.body), "public": True,
         "attachments": selectors.attachments(article)},
    )  # fmt: skip


REGION_COOKIE = "xz_region"


def visitor_region(request: HttpRequest) -> tuple[str, bool]:
    """The region the visitor chose (a province, city or county; "" for the whole country) and
    whether they chose it just now. Remembered in a cookie; by default the province of the newest
    published demand."""
    picked = request.GET.get("region")
    if picked is not None:
        return selectors.home_region(picked.strip()) or "", True
    remembered = selectors.home_region(request.COOKIES.get(REGION_COOKIE))
    return (selectors.default_province() if remembered is None else remembered), False


def home(request: HttpRequest) -> HttpResponse:
    """The visitor's home page (also `/` for visitors who are not signed in)."""
    region, picked = visitor_region(request)
    response = render(
        request,
        "portal/home.html",
        {"region": region, "chooser": selectors.chooser(region), **selectors.home_blocks(region)},
    )
    if picked:
        response.set_cookie(REGION_COOKIE, region, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def open_data(request: HttpRequest) -> HttpResponse:
    from xiangzhen.portal.opendata import DATASETS

    return render(request, "portal/open_data.html", {"datasets": DATASETS.values()})


def open_data_file(request: HttpRequest, open_dataset: str, open_format: str) -> HttpResponse:
    from django.http import Http404

    from xiangzhen.portal import opendata

    dataset = opendata.DATASETS.get(open_dataset)
    if dataset is None or open_format not in ("csv", "json"):
        raise Http404
    slug = dataset.slug
    if open_format == "json":
        return HttpResponse(opendata.as_json(dataset), content_type="application/json; charset=utf-8")
    response = HttpResponse("\ufeff" + opendata.as_csv(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="xiangzhen-{slug}.csv"'
    return response
