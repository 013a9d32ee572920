import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.demands import selectors, services
from xiangzhen.demands.models import Demand
from xiangzhen.demands.tests.factories import SHIBADONG, DemandFactory, demand_data

S = Demand.Status


def field_errors(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


@pytest.mark.django_db
def test_submitter_creates_draft_with_number_and_index(village_submitter):
    demand = services.create_demand(actor=village_submitter, data=demand_data())
    year = timezone.localdate().year
    assert demand.number == f"XQ-433124-{year}-000001"
    assert demand.status == S.DRAFT and demand.entered_by == village_submitter
    assert " 留守儿童 " in demand.search_index
    assert [(b.group.code, b.head_count) for b in demand.beneficiaries.all()] == [("left_behind_children", 30)]
    second = services.create_demand(actor=village_submitter, data=demand_data(title="第二个"))
    assert second.number == f"XQ-433124-{year}-000002"
    entry = AuditEntry.objects.get(action="demands.create", object_id=str(demand.pk))
    assert entry.region_code == SHIBADONG and entry.actor == village_submitter
    assert "13974300000" not in str(entry.after)  # personal data is not copied into the trail


@pytest.mark.django_db
def test_create_with_submit_goes_to_review(village_submitter):
    demand = services.create_demand(actor=village_submitter, data=demand_data(), submit=True)
    assert demand.status == S.SUBMITTED


@pytest.mark.django_db
def test_submitter_cannot_create_outside_own_village(village_submitter, fenghuang_village):
    with pytest.raises(ValidationFailed) as info:
        services.create_demand(actor=village_submitter, data=demand_data(region_code=fenghuang_village))
    assert "不在您的管辖范围内" in field_errors(info.value)["region_code"]
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_submitter_cannot_publish_directly(village_submitter):
    with pytest.raises(Forbidden):
        services.create_demand(actor=village_submitter, data=demand_data(), publish=True)
    assert not Demand.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["org_admin", "province_rural_revitalization", "county_civil_affairs"])
def test_other_roles_cannot_create(request, role):
    with pytest.raises(Forbidden):
        services.create_demand(actor=request.getfixturevalue(role), data=demand_data())


@pytest.mark.django_db
def test_county_official_creates_and_publishes_at_county_level(county_official):
    demand = services.create_demand(actor=county_official, data=demand_data(region_code="433124000000"), publish=True)
    assert demand.status == S.PUBLISHED and demand.published_by == county_official
    assert demand.published_at is not None and demand.is_public


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"title": ""}, "title", "请填写需求标题"),
        ({"region_code": "433100000000"}, "region_code", "应为县、乡镇或村"),
        ({"region_code": "433124999999"}, "region_code", "不存在"),
        ({"domains": []}, "domains", "至少选择一个领域"),
        ({"domains": ["astrology"]}, "domains", "领域“astrology”不存在"),
        ({"beneficiaries": {"left_behind_children": 0}}, "beneficiaries", "大于 0 的整数"),
        ({"beneficiaries": {"外星人": 3}}, "beneficiaries", "受益群体“外星人”不存在"),
        ({"budget": Decimal("-1")}, "budget", "不能为负数"),
        ({"budget": "很多"}, "budget", "应为数字"),
        ({"aid_mode": "gift"}, "aid_mode", "帮扶方式"),
        ({"deadline": datetime.date(2020, 1, 1)}, "deadline", "已过"),
        (
            {"period_start": datetime.date(2030, 5, 1), "period_end": datetime.date(2030, 4, 1)},
            "period_end",
            "不能早于开始日期",
        ),
        ({"contact_phone": "12345"}, "contact_phone", "格式不正确"),
    ],
)
def test_rules_name_the_field(village_submitter, overrides, field, fragment):
    with pytest.raises(ValidationFailed) as info:
        services.create_demand(actor=village_submitter, data=demand_data(**overrides))
    assert fragment in field_errors(info.value)[field]
    assert not Demand.objects.exists()


@pytest.mark.django_db
def test_on_behalf_requires_consent_and_name(village_submitter):
    with pytest.raises(ValidationFailed) as info:
        services.create_demand(
            actor=village_submitter, data=demand_data(on_behalf_of_household=True, household_name="龙大爷")
        )
    assert "须经农户本人同意" in field_errors(info.value)["household_consent"]
    with pytest.raises(ValidationFailed) as info:
        services.create_demand(
            actor=village_submitter, data=demand_data(on_behalf_of_household=True, household_consent=True)
        )
    assert "农户姓名" in field_errors(info.value)["household_name"]
    demand = services.create_demand(
        actor=village_submitter,
        data=demand_data(on_behalf_of_household=True, household_name="龙大爷", household_consent=True),
    )
    demand.refresh_from_db()
    assert demand.household_name == "龙大爷" and demand.household_consent and demand.entered_by == village_submitter
    assert AuditEntry.objects.get(action="demands.create").note == "代农户填报，农户已同意"


@pytest.mark.django_db
def test_household_name_is_encrypted_at_rest(village_submitter):
    from django.db import connection

    services.create_demand(
        actor=village_submitter,
        data=demand_data(on_behalf_of_household=True, household_name="龙大爷", household_consent=True),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT household_name, contact_phone FROM demands_demand")
        raw_name, raw_phone = cursor.fetchone()
    assert "龙大爷" not in raw_name and "13974300000" not in raw_phone


@pytest.mark.django_db
def test_database_rejects_negative_budget_and_missing_consent():
    with pytest.raises(IntegrityError):
        DemandFactory(budget=-5)


@pytest.mark.django_db
def test_database_rejects_reversed_period():
    with pytest.raises(IntegrityError):
        DemandFactory(period_start=datetime.date(2030, 5, 1), period_end=datetime.date(2030, 4, 1))


@pytest.mark.django_db
def test_full_review_cycle_with_audit(village_submitter, county_official):
    demand = services.create_demand(actor=village_submitter, data=demand_data(), submit=True)
    with pytest.raises(ValidationFailed) as info:
        services.return_demand(actor=county_official, demand=demand, reason=" ")
    assert info.value.errors[0].field == "reason"
    services.return_demand(actor=county_official, demand=demand, reason="请补充人数")
    assert demand.status == S.RETURNED and demand.return_reason == "请补充人数"
    demand = services.update_demand(
        actor=village_submitter, demand=demand, changes={"beneficiaries": {"left_behind_children": 32}}
    )
    services.resubmit_demand(actor=village_submitter, demand=demand)
    assert demand.return_reason == ""
    services.publish_demand(actor=county_official, demand=demand)
    assert demand.status == S.PUBLISHED and demand.published_by == county_official
    actions = list(
        AuditEntry.objects.filter(object_type="demands.demand", object_id=str(demand.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "demands.create", "demands.submit", "demands.return", "demands.update", "demands.resubmit", "demands.publish"
    ]  # fmt: skip
    steps = [(e["label"], e["to"]) for e in selectors.timeline(demand)]
    assert steps[-1] == ("审核发布", "已发布") and ("退回修改", "已退回") in steps


@pytest.mark.django_db
def test_submitter_cannot_review(village_submitter, submitted_demand):
    with pytest.raises(Forbidden):
        services.publish_demand(actor=village_submitter, demand=submitted_demand)
    with pytest.raises(Forbidden):
        services.return_demand(actor=village_submitter, demand=submitted_demand, reason="x")


@pytest.mark.django_db
def test_province_staff_read_but_cannot_publish(province_rural_revitalization, submitted_demand):
    assert selectors.get_demand(province_rural_revitalization, submitted_demand.pk) == submitted_demand
    with pytest.raises(Forbidden):
        services.publish_demand(actor=province_rural_revitalization, demand=submitted_demand)


@pytest.mark.django_db
def test_civil_affairs_of_same_county_cannot_publish(county_civil_affairs, submitted_demand):
    with pytest.raises(Forbidden):
        services.publish_demand(actor=county_civil_affairs, demand=submitted_demand)


@pytest.mark.django_db
def test_other_county_gets_not_found(other_county_official, submitted_demand):
    with pytest.raises(NotFound):
        selectors.get_demand(other_county_official, submitted_demand.pk)
    with pytest.raises(NotFound):
        services.publish_demand(actor=other_county_official, demand=submitted_demand)
    with pytest.raises(NotFound):
        services.update_demand(actor=other_county_official, demand=submitted_demand, changes={"title": "x"})


@pytest.mark.django_db
def test_submitter_does_not_see_other_county(village_submitter, fenghuang_demand, submitted_demand):
    visible = list(selectors.demands(village_submitter))
    assert visible == [submitted_demand]
    with pytest.raises(NotFound):
        selectors.get_demand(village_submitter, fenghuang_demand.pk)


@pytest.mark.django_db
def test_org_user_has_no_scoped_library_but_reads_public(org_admin, published_demand, submitted_demand):
    assert list(selectors.demands(org_admin)) == []
    assert list(selectors.public_demands()) == [published_demand]
    with pytest.raises(NotFound):
        selectors.get_public_demand(submitted_demand.pk)


@pytest.mark.django_db
def test_concurrent_publish_and_return_second_gets_conflict(county_official, platform_admin, submitted_demand):
    stale = Demand.objects.get(pk=submitted_demand.pk)
    services.return_demand(actor=county_official, demand=submitted_demand, reason="先退回")
    with pytest.raises(Conflict):
        services.publish_demand(actor=platform_admin, demand=stale)
    assert Demand.objects.get(pk=submitted_demand.pk).status == S.RETURNED
    assert not AuditEntry.objects.filter(action="demands.publish").exists()


@pytest.mark.django_db
def test_concurrent_publish_twice_second_gets_conflict(county_official, submitted_demand):
    stale = Demand.objects.get(pk=submitted_demand.pk)
    services.publish_demand(actor=county_official, demand=submitted_demand)
    with pytest.raises(Conflict):
        services.publish_demand(actor=county_official, demand=stale)


@pytest.mark.django_db
def test_expected_version_guards_edits(county_official, submitted_demand):
    services.update_demand(
        actor=county_official, demand=submitted_demand, changes={"title": "新标题"}, expected_version=1
    )
    with pytest.raises(Conflict):
        services.update_demand(
            actor=county_official, demand=submitted_demand, changes={"title": "x"}, expected_version=1
        )


@pytest.mark.django_db
def test_submitter_edits_only_draft_or_returned(village_submitter, county_official, published_demand):
    with pytest.raises(Forbidden):
        services.update_demand(actor=village_submitter, demand=published_demand, changes={"title": "改"})
    updated = services.update_demand(actor=county_official, demand=published_demand, changes={"title": "县里改标题"})
    assert updated.title == "县里改标题" and " 标题 " in updated.search_index


@pytest.mark.django_db
def test_withdraw_rules(village_submitter, county_official, published_demand, submitted_demand):
    with pytest.raises(Forbidden):
        services.withdraw_demand(actor=village_submitter, demand=published_demand, reason="不需要了")
    with pytest.raises(ValidationFailed):
        services.withdraw_demand(actor=village_submitter, demand=submitted_demand, reason="")
    services.withdraw_demand(actor=village_submitter, demand=submitted_demand, reason="已解决")
    services.withdraw_demand(actor=county_official, demand=published_demand, reason="重复")
    assert submitted_demand.status == published_demand.status == S.WITHDRAWN


# Every (status, action) pair that is not in the table is refused, whatever the role.
ALL_ACTIONS = list(services.WORKFLOW.transitions)
ILLEGAL = [
    (status, action)
    for status in S.values
    for action in ALL_ACTIONS
    if status not in services.WORKFLOW.transitions[action].sources
]


def _act(actor, demand, action):
    if action in services.MATCHING_ACTIONS:
        return services.mark_demand(actor=actor, demand=demand, action=action)
    if action == "expire":
        return services.expire_demand(actor=actor, demand=demand)
    service = services.TRANSITION_SERVICES[action]
    kwargs = {"reason": "原因"} if action in services.REASON_ACTIONS else {}
    return service(actor=actor, demand=demand, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused(platform_admin, status, action):
    demand = DemandFactory(status=status, deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises((InvalidTransition, ValidationFailed)) as info:
        _act(platform_admin, demand, action)
    if action != "expire":
        assert isinstance(info.value, InvalidTransition)
        assert re.search(r"当前状态为“.+”，不能执行", info.value.message)
    assert Demand.objects.get(pk=demand.pk).status == status


@pytest.mark.django_db
def test_matching_app_moves_the_demand_to_evaluated(published_demand):
    for action, status in [("match", S.MATCHED), ("start", S.IN_PROGRESS), ("complete", S.COMPLETED)]:
        services.mark_demand(demand=published_demand, action=action)
        assert published_demand.status == status
    services.mark_demand(demand=published_demand, action="evaluate", note="村民满意")
    assert published_demand.status == S.EVALUATED and published_demand.is_public
    with pytest.raises(ValidationFailed):
        services.mark_demand(demand=published_demand, action="publish")


@pytest.mark.django_db
def test_expire_overdue_published_demands(county_official):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = DemandFactory(status=S.PUBLISHED, deadline=yesterday)
    current = DemandFactory(status=S.PUBLISHED)
    draft_overdue = DemandFactory(status=S.DRAFT, deadline=yesterday)
    with pytest.raises(ValidationFailed):
        services.expire_demand(actor=county_official, demand=current)
    call_command("expire_demands")
    statuses = dict(Demand.objects.values_list("pk", "status"))
    assert statuses == {overdue.pk: S.EXPIRED, current.pk: S.PUBLISHED, draft_overdue.pk: S.DRAFT}
    assert AuditEntry.objects.get(action="demands.expire").actor is None


@pytest.mark.django_db
def test_reveal_personal_is_logged_and_limited(county_official, province_rural_revitalization, published_demand):
    view = selectors.personal_view(county_official, published_demand)
    assert view.masked and view.contact_phone == "139****0000"
    services.reveal_personal(actor=county_official, demand=published_demand)
    assert selectors.personal_view(county_official, published_demand, reveal=True).contact_phone == "13974300000"
    assert AuditEntry.objects.filter(action="demands.view_personal", actor=county_official).count() == 1
    with pytest.raises(Forbidden):
        services.reveal_personal(actor=province_rural_revitalization, demand=published_demand)
    assert selectors.personal_view(province_rural_revitalization, published_demand, reveal=True).masked


@pytest.mark.django_db
def test_priority_flags_from_designations_of_region_and_ancestors(published_demand):
    from xiangzhen.regions.models import Designation

    assert published_demand.priority_flags == []
    Designation.objects.create(region_id="433124000000", kind="national_key_county")
    Designation.objects.create(region_id=SHIBADONG, kind="poverty_exited_village")
    fresh = Demand.objects.get(pk=published_demand.pk)
    assert fresh.priority_flags == ["国家乡村振兴重点帮扶县", "脱贫村"]
