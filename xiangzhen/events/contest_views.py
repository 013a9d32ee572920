"""Venture contest pages: the contest (criteria, judges, entries, running ranking, publishing), the entry
form, the judge's scoring form, and the public results table with its Excel export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.models import Domain
from xiangzhen.events import excel, rules, selectors
from xiangzhen.events.forms import CriterionForm, EntryForm, JudgeForm, PublishResultsForm, ScoreForm
from xiangzhen.events.services import contest


@login_required
def contest_page(request: HttpRequest, contest_id: int) -> HttpResponse:
    event = selectors.get_contest(request.user, contest_id)
    can_manage = rules.can_manage(request.user, event)
    open_results = can_manage and not event.results_published_at
    admin_of = list(selectors.administered_by(request.user))
    entries = list(selectors.entries(request.user, event))
    files = selectors.entry_attachments(request.user, entries)
    return render(
        request,
        "events/contest.html",
        {
            "event": event,
            "can_manage": can_manage,
            "is_judge": selectors.is_judge(request.user, event),
            "criteria": selectors.criteria(event),
            "judges": selectors.judges(event),
            "entries": [(e, files.get(e.pk, [])) for e in entries],
            "ranking": selectors.ranking(event) if selectors.can_see_ranking(request.user, event) else None,
            "criterion_form": CriterionForm() if open_results else None,
            "judge_form": JudgeForm() if open_results else None,
            "publish_form": PublishResultsForm() if open_results and event.is_public else None,
            "can_enter": bool(admin_of) and event.status == "published" and not event.results_published_at,
        },
    )


def _manage_post(request: HttpRequest, contest_id: int, form_class: Any, act: Any, done: str) -> HttpResponse:
    event = selectors.get_contest(request.user, contest_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(event, form.cleaned_data)
            messages.success(request, done)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("events:contest", event.pk)


@login_required
@require_POST
def criterion_add(request: HttpRequest, contest_id: int) -> HttpResponse:
    def act(event: Any, c: dict[str, Any]) -> None:
        contest.add_criterion(
            actor=request.user, event=event, name=c["name"], weight=c["weight"], max_score=c["max_score"]
        )

    return _manage_post(request, contest_id, CriterionForm, act, "已添加评分项")


@login_required
@require_POST
def judge_add(request: HttpRequest, contest_id: int) -> HttpResponse:
    def act(event: Any, c: dict[str, Any]) -> None:
        contest.assign_judge(actor=request.user, event=event, username=c["username"])

    return _manage_post(request, contest_id, JudgeForm, act, "已指定评委")


@login_required
@require_POST
def results_publish(request: HttpRequest, contest_id: int) -> HttpResponse:
    def act(event: Any, c: dict[str, Any]) -> None:
        contest.publish_results(actor=request.user, event=event, winners=c["winners"])

    return _manage_post(
        request, contest_id, PublishResultsForm, act, "大赛结果已发布，获奖项目已转入供给项目库（草稿）"
    )


@login_required
def entry_create(request: HttpRequest, contest_id: int) -> HttpResponse:
    event = selectors.get_contest(request.user, contest_id)
    organizations = list(selectors.administered_by(request.user))
    if not organizations:
        messages.error(request, "只有社会组织管理员可以提交参赛项目")
        return redirect("events:contest", event.pk)
    form = EntryForm(
        request.POST or None, request.FILES or None,
        organizations=[(o.pk, o.name) for o in organizations],
        domains=list(Domain.objects.order_by("id").values_list("code", "name")),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        organization = next(o for o in organizations if o.pk == c["organization"])
        data = contest.EntryData(
            title=c["title"], plan=c["plan"], budget=c["budget"], target_region_code=c["target_region"].code,
            domains=list(c["domains"]),
        )  # fmt: skip
        try:
            uploads = [c["attachment"]] if c.get("attachment") else []
            contest.submit_entry(actor=request.user, event=event, organization=organization, data=data, uploads=uploads)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "参赛项目已提交")
            return redirect("events:contest", event.pk)
    return render(request, "events/entry_form.html", {"event": event, "form": form})


@login_required
def entry_score(request: HttpRequest, contest_id: int, entry_id: int) -> HttpResponse:
    event = selectors.get_contest(request.user, contest_id)
    entry = selectors.get_entry(request.user, event, entry_id)
    if not selectors.is_judge(request.user, event):
        raise Http404("参赛项目不存在或无权查看")
    criteria = list(selectors.criteria(event))
    form = ScoreForm(
        request.POST or None, criteria=criteria, initial_scores=selectors.judge_scores(request.user, entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            contest.score_entry(actor=request.user, entry=entry, scores=form.scores())
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存对“{entry.title}”的评分")
            return redirect("events:contest", event.pk)
    files = selectors.entry_attachments(request.user, [entry]).get(entry.pk, [])
    return render(request, "events/score_form.html", {"event": event, "entry": entry, "form": form, "files": files})


def public_results(request: HttpRequest, contest_id: int) -> HttpResponse:
    """The results table, public once published."""
    event = selectors.get_public_contest(contest_id)
    if not event.results_published_at:
        raise Http404("大赛结果尚未发布")
    return render(request, "events/contest_results.html", {"event": event, "ranking": selectors.ranking(event)})


def public_results_export(request: HttpRequest, contest_id: int) -> HttpResponse:
    event = selectors.get_public_contest(contest_id)
    if not event.results_published_at:
        raise Http404("大赛结果尚未发布")
    return download(excel.contest_workbook(event, selectors.ranking(event)), f"{event.number}-大赛结果.xlsx")
