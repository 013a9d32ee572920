"""The events API (/api/v1/events): thin wiring from HTTP to selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.consumption import selectors as consumption_selectors
from xiangzhen.core.errors import Forbidden
from xiangzhen.core.excel import download
from xiangzhen.core.schemas import ReasonIn
from xiangzhen.events import excel, selectors, services
from xiangzhen.events.filters import EventFilters
from xiangzhen.events.models import Event
from xiangzhen.events.schemas import (
    ContestResultsOut,
    CriterionIn,
    CriterionOut,
    EntryIn,
    EntryOut,
    EventIn,
    EventOut,
    EventPatch,
    FairSalesOut,
    FeatureIn,
    FeatureOut,
    JudgeIn,
    JudgeOut,
    PublishResultsIn,
    RegistrationIn,
    RegistrationOut,
    ResultsOut,
    ScoresIn,
    VillageIn,
    VillageOut,
)
from xiangzhen.events.services import attendance, contest
from xiangzhen.events.validation import EventData
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["活动与会展"])


def _sales(event: Any) -> dict[str, Any]:
    sales = consumption_selectors.fair_sales(event)
    return {
        "event_id": event.pk, "number": event.number, "name": event.name,
        "purchase_count": sales.purchase_count, "total": sales.total,
        "villages": [row.__dict__ for row in sales.villages],
    }  # fmt: skip


# ---------------------------------------------------------------- public (no login)


@router.get("/public", response=list[EventOut], auth=None, summary="已发布的活动与会展（无需登录）")
@paginate(PageNumberPagination, page_size=20)
def list_public_events(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    return selectors.public_events(filters)


@router.get("/public/export", auth=None, summary="导出已发布的活动为 Excel（无需登录）")
def export_public_events(request: HttpRequest, filters: Query[EventFilters]) -> HttpResponse:
    return download(excel.events_workbook(selectors.public_events(filters)), "events-public.xlsx")


@router.get("/public/{int:event_id}", response=EventOut, auth=None, summary="活动详情（无需登录）")
def get_public_event(request: HttpRequest, event_id: int) -> Any:
    return selectors.get_public_event(event_id)


@router.get("/public/{int:event_id}/villages", response=list[VillageOut], auth=None, summary="参展村（无需登录）")
def list_public_villages(request: HttpRequest, event_id: int) -> Any:
    return selectors.participations(selectors.get_public_event(event_id))


@router.get(
    "/public/{int:event_id}/sales", response=FairSalesOut, auth=None, summary="展销会各参展村销售额与合计（无需登录）"
)
def public_fair_sales(request: HttpRequest, event_id: int) -> Any:
    return _sales(selectors.get_public_event(event_id))


def _results(event: Event) -> dict[str, Any]:
    figures = selectors.results(event)
    return {
        "event_id": event.pk, "number": event.number, "name": event.name,
        "registrations": figures.registrations,
        "by_kind": [{"key": key, "label": label, "count": n} for key, (label, n) in
                    zip(("organization", "village"), figures.by_kind, strict=True)],
        "checked_in": figures.checked_in, "featured_demands": figures.featured_demands,
        "featured_offers": figures.featured_offers, "matches": figures.matches,
        "matches_by_status": [{"key": key, "label": label, "count": n} for key, label, n in figures.by_status],
        "committed_amount": figures.committed_amount, "people_to_serve": figures.people_to_serve,
        "completed": figures.completed,
    }  # fmt: skip


def _contest_results(event: Event) -> dict[str, Any]:
    published = bool(event.results_published_at)
    return {
        "event_id": event.pk,
        "published": published,
        "winner_count": event.winner_count,
        "ranking": [
            {
                "entry_id": row.entry.pk,
                "organization_name": row.entry.organization.name,
                "title": row.entry.title,
                "total": row.total,
                "judges": row.judges,
                "rank": row.rank,
                "is_winner": row.entry.is_winner if published else False,
                "offer_number": row.entry.offer.number if row.entry.offer else None,
            }
            for row in selectors.ranking(event)
        ],
    }


@router.get(
    "/public/{int:event_id}/features", response=list[FeatureOut], auth=None, summary="活动推介的需求与供给（无需登录）"
)
def list_public_features(request: HttpRequest, event_id: int) -> Any:
    return selectors.features(selectors.get_public_event(event_id))


@router.get("/public/{int:event_id}/results", response=ResultsOut, auth=None, summary="活动成果（无需登录）")
def public_results(request: HttpRequest, event_id: int) -> Any:
    return _results(selectors.get_public_event(event_id))


@router.get(
    "/public/contests/{int:contest_id}/results", response=ContestResultsOut, auth=None,
    summary="公益创投大赛结果（发布后公开，无需登录）",
)  # fmt: skip
def public_contest_results(request: HttpRequest, contest_id: int) -> Any:
    event = selectors.get_public_contest(contest_id)
    if not event.results_published_at:
        raise Forbidden("大赛结果尚未发布")
    return _contest_results(event)


# ---------------------------------------------------------------- staff


@router.get("/", response=list[EventOut], summary="辖区内的和已发布的活动（可筛选）")
@paginate(PageNumberPagination, page_size=20)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    return selectors.event_list(request.user, filters)


@router.get("/export", summary="导出当前筛选结果为 Excel")
def export_events(request: HttpRequest, filters: Query[EventFilters]) -> HttpResponse:
    return download(excel.events_workbook(selectors.event_list(request.user, filters)), "events.xlsx")


@router.post("/", response={201: EventOut}, summary="创建活动（草稿；本辖区部门工作人员）")
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    event = services.create_event(actor=request.user, data=EventData(**payload.dict()))
    return Status(201, selectors.get_event(request.user, event.pk))


@router.get("/{int:event_id}", response=EventOut, summary="活动详情")
def get_event(request: HttpRequest, event_id: int) -> Any:
    return selectors.get_event(request.user, event_id)


@router.patch("/{int:event_id}", response=EventOut, summary="修改活动（草稿和已发布的）")
def update_event(request: HttpRequest, event_id: int, payload: EventPatch) -> Any:
    event = selectors.get_event(request.user, event_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_event(actor=request.user, event=event, changes=changes, expected_version=version)
    return selectors.get_event(request.user, event_id)


def _act(request: HttpRequest, event_id: int, action: str, reason: str = "", version: int | None = None) -> Any:
    event = selectors.get_event(request.user, event_id)
    services.TRANSITION_SERVICES[action](actor=request.user, event=event, reason=reason, expected_version=version)
    return selectors.get_event(request.user, event_id)


@router.post("/{int:event_id}/publish", response=EventOut, summary="发布")
def publish(request: HttpRequest, event_id: int, version: int | None = None) -> Any:
    return _act(request, event_id, "publish", version=version)


@router.post("/{int:event_id}/finish", response=EventOut, summary="结束")
def finish(request: HttpRequest, event_id: int, version: int | None = None) -> Any:
    return _act(request, event_id, "finish", version=version)


@router.post("/{int:event_id}/cancel", response=EventOut, summary="取消（须填写原因）")
def cancel(request: HttpRequest, event_id: int, payload: ReasonIn) -> Any:
    return _act(request, event_id, "cancel", payload.reason, payload.version)


@router.get("/{int:event_id}/villages", response=list[VillageOut], summary="参展村")
def list_villages(request: HttpRequest, event_id: int) -> Any:
    return selectors.participations(selectors.get_event(request.user, event_id))


@router.post("/{int:event_id}/villages", response={201: VillageOut}, summary="添加参展村（组织方）")
def add_village(request: HttpRequest, event_id: int, payload: VillageIn) -> Any:
    event = selectors.get_event(request.user, event_id)
    participation = services.add_village(
        actor=request.user, event=event, village_code=payload.village_code, booth=payload.booth
    )
    return Status(201, participation)


@router.api_operation(
    ["DELETE"], "/{int:event_id}/villages/{village_code}", response={204: None}, summary="移出参展村（无销售时）"
)
def remove_village(request: HttpRequest, event_id: int, village_code: str) -> Any:
    event = selectors.get_event(request.user, event_id)
    services.remove_village(actor=request.user, event=event, village_code=village_code)
    return Status(204, None)


@router.get("/{int:event_id}/sales", response=FairSalesOut, summary="展销会各参展村销售额与合计")
def fair_sales(request: HttpRequest, event_id: int) -> Any:
    return _sales(selectors.get_event(request.user, event_id))


# ---------------------------------------------------------------- registrations and check-in


@router.get(
    "/{int:event_id}/registrations", response=list[RegistrationOut], summary="报名名单（组织方看全部，报名方看自己的）"
)
def list_registrations(request: HttpRequest, event_id: int) -> Any:
    return selectors.registrations(request.user, selectors.get_event(request.user, event_id))


@router.post(
    "/{int:event_id}/registrations", response={201: RegistrationOut}, summary="报名（社会组织成员或村所在辖区工作人员）"
)
def register(request: HttpRequest, event_id: int, payload: RegistrationIn) -> Any:
    event = selectors.get_event(request.user, event_id)
    organization = (
        organization_selectors.get_organization(request.user, payload.organization_id)
        if payload.organization_id is not None
        else None
    )
    registration = attendance.register(
        actor=request.user, event=event, organization=organization, village_code=payload.village_code,
        contact_name=payload.contact_name, contact_phone=payload.contact_phone,
    )  # fmt: skip
    return Status(201, registration)


@router.get("/{int:event_id}/registrations/export", summary="导出报名名单为 Excel（组织方；联系电话打码）")
def export_registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    rows = selectors.registration_sheet(request.user, event)
    return download(excel.registrations_workbook(event, rows), f"{event.number}-registrations.xlsx")


@router.post(
    "/{int:event_id}/registrations/{int:registration_id}/check-in", response=RegistrationOut, summary="签到（组织方）"
)
def check_in(request: HttpRequest, event_id: int, registration_id: int) -> Any:
    event = selectors.get_event(request.user, event_id)
    registration = selectors.get_registration(request.user, event, registration_id)
    return attendance.check_in(actor=request.user, registration=registration)


@router.post(
    "/{int:event_id}/registrations/{int:registration_id}/cancel", response=RegistrationOut,
    summary="取消报名（报名方或组织方）",
)  # fmt: skip
def cancel_registration(request: HttpRequest, event_id: int, registration_id: int) -> Any:
    event = selectors.get_event(request.user, event_id)
    registration = selectors.get_registration(request.user, event, registration_id)
    return attendance.cancel_registration(actor=request.user, registration=registration)


# ---------------------------------------------------------------- featured demands and offers, results


@router.get("/{int:event_id}/features", response=list[FeatureOut], summary="推介的需求与供给")
def list_features(request: HttpRequest, event_id: int) -> Any:
    return selectors.features(selectors.get_event(request.user, event_id))


@router.post("/{int:event_id}/features", response={201: FeatureOut}, summary="推介一个需求或供给项目（组织方）")
def add_feature(request: HttpRequest, event_id: int, payload: FeatureIn) -> Any:
    event = selectors.get_event(request.user, event_id)
    feature = attendance.add_feature(
        actor=request.user, event=event, demand_id=payload.demand_id, offer_id=payload.offer_id
    )
    return Status(201, selectors.features(event).get(pk=feature.pk))


@router.api_operation(
    ["DELETE"], "/{int:event_id}/features/{int:feature_id}", response={204: None}, summary="移除推介项目（组织方）"
)
def remove_feature(request: HttpRequest, event_id: int, feature_id: int) -> Any:
    event = selectors.get_event(request.user, event_id)
    attendance.remove_feature(actor=request.user, event=event, feature_id=feature_id)
    return Status(204, None)


@router.get("/{int:event_id}/results", response=ResultsOut, summary="活动成果：报名、签到、推介、活动对接")
def results(request: HttpRequest, event_id: int) -> Any:
    return _results(selectors.get_event(request.user, event_id))


@router.get("/{int:event_id}/results/export", summary="导出活动成果为 Excel")
def export_results(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.get_event(request.user, event_id)
    return download(excel.results_workbook(event, selectors.results(event)), f"{event.number}-results.xlsx")


# ---------------------------------------------------------------- the venture contest


@router.get("/contests/{int:contest_id}/criteria", response=list[CriterionOut], summary="大赛评分项")
def list_criteria(request: HttpRequest, contest_id: int) -> Any:
    return selectors.criteria(selectors.get_contest(request.user, contest_id))


@router.post("/contests/{int:contest_id}/criteria", response={201: CriterionOut}, summary="添加评分项（组织方）")
def add_criterion(request: HttpRequest, contest_id: int, payload: CriterionIn) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    criterion = contest.add_criterion(
        actor=request.user, event=event, name=payload.name, weight=payload.weight, max_score=payload.max_score
    )
    return Status(201, criterion)


@router.api_operation(
    ["DELETE"], "/contests/{int:contest_id}/criteria/{int:criterion_id}", response={204: None},
    summary="删除评分项（组织方；尚无评委打分时）",
)  # fmt: skip
def remove_criterion(request: HttpRequest, contest_id: int, criterion_id: int) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    contest.remove_criterion(actor=request.user, event=event, criterion_id=criterion_id)
    return Status(204, None)


@router.get("/contests/{int:contest_id}/judges", response=list[JudgeOut], summary="大赛评委")
def list_judges(request: HttpRequest, contest_id: int) -> Any:
    return selectors.judges(selectors.get_contest(request.user, contest_id))


@router.post("/contests/{int:contest_id}/judges", response={201: JudgeOut}, summary="指定评委（组织方）")
def assign_judge(request: HttpRequest, contest_id: int, payload: JudgeIn) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    return Status(201, contest.assign_judge(actor=request.user, event=event, username=payload.username))


@router.api_operation(
    ["DELETE"], "/contests/{int:contest_id}/judges/{int:judge_id}", response={204: None},
    summary="移除评委（组织方；该评委尚未评分时）",
)  # fmt: skip
def remove_judge(request: HttpRequest, contest_id: int, judge_id: int) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    contest.remove_judge(actor=request.user, event=event, judge_id=judge_id)
    return Status(204, None)


@router.get(
    "/contests/{int:contest_id}/entries",
    response=list[EntryOut],
    summary="参赛项目（组织方、评委看全部，参赛组织看自己的）",
)
def list_entries(request: HttpRequest, contest_id: int) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    return selectors.entries(request.user, event).prefetch_related("domains")


@router.post("/contests/{int:contest_id}/entries", response={201: EntryOut}, summary="提交参赛项目（社会组织管理员）")
def submit_entry(request: HttpRequest, contest_id: int, payload: EntryIn) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    organization = organization_selectors.get_organization(request.user, payload.organization_id)
    data = contest.EntryData(
        title=payload.title, plan=payload.plan, budget=payload.budget, target_region_code=payload.target_region_code,
        domains=payload.domains,
    )  # fmt: skip
    return Status(201, contest.submit_entry(actor=request.user, event=event, organization=organization, data=data))


@router.post("/contests/{int:contest_id}/entries/{int:entry_id}/scores", response={204: None}, summary="评委评分")
def score_entry(request: HttpRequest, contest_id: int, entry_id: int, payload: ScoresIn) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    entry = selectors.get_entry(request.user, event, entry_id)
    contest.score_entry(actor=request.user, entry=entry, scores=dict(payload.scores))
    return Status(204, None)


@router.get(
    "/contests/{int:contest_id}/results", response=ContestResultsOut, summary="大赛排名（组织方、评委；发布后所有人）"
)
def contest_results(request: HttpRequest, contest_id: int) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    if not (event.results_published_at or selectors.can_see_ranking(request.user, event)):
        raise Forbidden("大赛结果尚未发布，发布前只有组织方和评委可以查看排名")
    return _contest_results(event)


@router.post("/contests/{int:contest_id}/publish-results", response=ContestResultsOut, summary="发布大赛结果（组织方）")
def publish_results(request: HttpRequest, contest_id: int, payload: PublishResultsIn) -> Any:
    event = selectors.get_contest(request.user, contest_id)
    contest.publish_results(actor=request.user, event=event, winners=payload.winners)
    return _contest_results(selectors.get_contest(request.user, contest_id))


@router.get("/contests/{int:contest_id}/results/export", summary="导出大赛排名为 Excel（组织方、评委；发布后所有人）")
def export_contest_results(request: HttpRequest, contest_id: int) -> HttpResponse:
    event = selectors.get_contest(request.user, contest_id)
    if not (event.results_published_at or selectors.can_see_ranking(request.user, event)):
        raise Forbidden("大赛结果尚未发布，发布前只有组织方和评委可以查看排名")
    return download(excel.contest_workbook(event, selectors.ranking(event)), f"{event.number}-contest.xlsx")
