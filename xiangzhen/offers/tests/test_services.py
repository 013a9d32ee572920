from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.offers import services
from xiangzhen.offers.models import Offer
from xiangzhen.offers.tests.factories import OfferFactory, offer_data
from xiangzhen.organizations.models import Organization

HUAYUAN, FENGHUANG, SHIBADONG = "433124000000", "433123000000", "433124110226"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
YEAR = timezone.localdate().year


def field_errors(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


# ---------------------------------------------------------------- create and numbering


@pytest.mark.django_db
def test_create_numbers_per_county_and_year_and_audits(organization, org_admin):
    first = services.create_offer(actor=org_admin, organization=organization, data=offer_data())
    second = services.create_offer(actor=org_admin, organization=organization, data=offer_data(title="助老服务"))
    assert first.number == f"GJ-433124-{YEAR}-000001"
    assert second.number == f"GJ-433124-{YEAR}-000002"
    assert first.status == Offer.Status.DRAFT and first.created_by == org_admin
    assert [r.code for r in first.service_regions.all()] == [HUAYUAN]
    assert first.capacity_amount == Decimal("80000.00")
    assert " 留守儿童 " in first.search_index
    entry = AuditEntry.objects.get(action="offers.create", object_id=str(first.pk))
    assert entry.region_code == HUAYUAN and entry.actor == org_admin and entry.after["status"] == "draft"


@pytest.mark.django_db
def test_plain_member_may_draft(organization, org_member):
    offer = services.create_offer(actor=org_member, organization=organization, data=offer_data())
    assert offer.organization == organization


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_org_admin", "county_civil_affairs", "county_official", "platform_admin"])
def test_only_members_create(request, organization, role):
    user = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        services.create_offer(actor=user, organization=organization, data=offer_data())
    assert not Offer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"title": "  "}, "title", "请填写项目名称"),
        ({"description": ""}, "description", "请填写项目内容"),
        ({"aid_mode": "gift"}, "aid_mode", "帮扶方式"),
        ({"capacity_demands": 0}, "capacity_demands", "1 至"),
        ({"capacity_demands": "五"}, "capacity_demands", "应为整数"),
        ({"capacity_amount": "-1"}, "capacity_amount", "不能为负数"),
        ({"capacity_amount": "abc"}, "capacity_amount", "应为金额"),
        ({"capacity_amount": "1.005"}, "capacity_amount", "两位小数"),
        ({"window_start": "2026-13-01"}, "window_start", "格式 YYYY-MM-DD"),
        ({"window_start": "2026-05-01", "window_end": "2026-04-01"}, "window_end", "不能早于开始日期"),
        ({"domains": []}, "domains", "至少选择一个服务领域"),
        ({"domains": ["astrology"]}, "domains", "服务领域“astrology”不存在"),
        ({"beneficiary_groups": ["aliens"]}, "beneficiary_groups", "受益群体“aliens”不存在"),
        ({"service_regions": []}, "service_regions", "面向全国"),
        ({"service_regions": ["439999000000"]}, "service_regions", "不存在"),
        ({"service_regions": ["12ab"]}, "service_regions", "格式不正确"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(organization, org_admin, overrides, field, fragment):
    with pytest.raises(ValidationFailed) as info:
        services.create_offer(actor=org_admin, organization=organization, data=offer_data(**overrides))
    assert fragment in field_errors(info.value)[field]
    assert not Offer.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="offers.").exists()


@pytest.mark.django_db
def test_nationwide_needs_no_regions_and_drops_them(organization, org_admin):
    offer = services.create_offer(
        actor=org_admin, organization=organization, data=offer_data(nationwide=True, service_regions=[FENGHUANG])
    )
    assert offer.nationwide and not offer.service_regions.exists()


@pytest.mark.django_db
def test_names_and_prefix_codes_accepted(organization, org_admin):
    offer = services.create_offer(
        actor=org_admin,
        organization=organization,
        data=offer_data(domains=["教育", "health"], beneficiary_groups=["农村留守儿童"], service_regions=["433123"]),
    )
    assert sorted(d.code for d in offer.domains.all()) == ["education", "health"]
    assert [g.code for g in offer.beneficiary_groups.all()] == ["left_behind_children"]
    assert [r.code for r in offer.service_regions.all()] == [FENGHUANG]


@pytest.mark.django_db
def test_attachments_on_create_and_bad_file_rolls_back(organization, org_admin):
    offer = services.create_offer(
        actor=org_admin,
        organization=organization,
        data=offer_data(),
        uploads=[SimpleUploadedFile("现场.png", PNG)],
    )
    assert [a.original_name for a in attachments_of(offer)] == ["现场.png"]
    with pytest.raises(ValidationFailed) as info:
        services.create_offer(
            actor=org_admin,
            organization=organization,
            data=offer_data(title="第二个"),
            uploads=[SimpleUploadedFile("病毒.exe", b"MZ")],
        )
    assert "attachments" in field_errors(info.value)
    assert Offer.objects.count() == 1


# ---------------------------------------------------------------- editing


@pytest.mark.django_db
def test_member_edits_draft_with_version_guard(draft_offer, org_member):
    updated = services.update_offer(
        actor=org_member, offer=draft_offer, changes={"title": "助学计划", "service_regions": [SHIBADONG]}
    )
    assert updated.title == "助学计划" and updated.version == 2
    assert " 助学 " in updated.search_index
    assert [r.code for r in updated.service_regions.all()] == [SHIBADONG]
    entry = AuditEntry.objects.get(action="offers.update")
    assert entry.before["title"] == "农村留守儿童课后辅导" and entry.after["title"] == "助学计划"
    with pytest.raises(Conflict):
        services.update_offer(actor=org_member, offer=draft_offer, changes={"title": "旧页面"}, expected_version=1)


@pytest.mark.django_db
def test_published_offer_only_capacity_and_window_by_admin(published_offer, org_admin, org_member):
    end = timezone.localdate() + timedelta(days=400)
    updated = services.update_offer(
        actor=org_admin, offer=published_offer, changes={"capacity_demands": 10, "window_end": end.isoformat()}
    )
    assert (updated.capacity_demands, updated.window_end, updated.status) == (10, end, "published")
    with pytest.raises(ValidationFailed) as info:
        services.update_offer(actor=org_admin, offer=updated, changes={"title": "换个名字"})
    assert "不能修改项目名称" in field_errors(info.value)["title"]
    with pytest.raises(Forbidden):
        services.update_offer(actor=org_member, offer=updated, changes={"capacity_demands": 2})


@pytest.mark.django_db
def test_submitted_and_closed_are_not_editable(submitted_offer, org_admin, organization):
    with pytest.raises(InvalidTransition):
        services.update_offer(actor=org_admin, offer=submitted_offer, changes={"title": "x"})
    closed = OfferFactory(organization=organization, status=Offer.Status.CLOSED)
    with pytest.raises(InvalidTransition):
        services.update_offer(actor=org_admin, offer=closed, changes={"capacity_demands": 9})


@pytest.mark.django_db
def test_reviewer_cannot_edit(organization, county_civil_affairs, platform_admin):
    returned = OfferFactory(organization=organization, status=Offer.Status.RETURNED)
    for reviewer in (county_civil_affairs, platform_admin):
        with pytest.raises(Forbidden):
            services.update_offer(actor=reviewer, offer=returned, changes={"title": "x"})


# ---------------------------------------------------------------- workflow


@pytest.mark.django_db
def test_full_workflow(draft_offer, org_member, org_admin, county_civil_affairs):
    services.submit_offer(actor=org_member, offer=draft_offer)
    assert draft_offer.status == "submitted"
    services.return_offer(actor=county_civil_affairs, offer=draft_offer, reason="请补充服务区域")
    assert (draft_offer.status, draft_offer.return_reason) == ("returned", "请补充服务区域")
    assert draft_offer.reviewed_by == county_civil_affairs
    services.resubmit_offer(actor=org_member, offer=draft_offer)
    services.publish_offer(actor=county_civil_affairs, offer=draft_offer)
    assert draft_offer.status == "published" and draft_offer.published_at is not None
    assert draft_offer.return_reason == "" and draft_offer.is_public
    services.close_offer(actor=org_admin, offer=draft_offer)
    assert draft_offer.status == "closed" and draft_offer.closed_at is not None and draft_offer.is_public
    actions = list(
        AuditEntry.objects.filter(object_id=str(draft_offer.pk), action__startswith="offers.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["offers.submit", "offers.return", "offers.resubmit", "offers.publish", "offers.close"]
    assert AuditEntry.objects.get(action="offers.return").note == "请补充服务区域"
    assert set(AuditEntry.objects.filter(action__startswith="offers.").values_list("region_code", flat=True)) == {
        HUAYUAN
    }


ILLEGAL = [
    (status, action)
    for status in Offer.Status.values
    for action in services.WORKFLOW.transitions
    if status not in services.WORKFLOW.transitions[action].sources
]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused(organization, org_admin, county_civil_affairs, status, action):
    offer = OfferFactory(organization=organization, status=status)
    actor = county_civil_affairs if action in ("publish", "return") else org_admin
    if status == "draft" and action in ("publish", "return", "close"):
        actor = org_admin if action == "close" else county_civil_affairs
        if actor == county_civil_affairs:  # drafts are private to the organization
            with pytest.raises(NotFound):
                services.TRANSITION_SERVICES[action](actor=actor, offer=offer, reason="原因")
            return
    with pytest.raises(InvalidTransition) as info:
        services.TRANSITION_SERVICES[action](actor=actor, offer=offer, reason="原因")
    assert "不能执行" in info.value.message
    offer.refresh_from_db()
    assert offer.status == status and offer.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["submitted", "returned", "suspended"])
def test_unapproved_organization_cannot_submit(organization, org_admin, status):
    Organization.objects.filter(pk=organization.pk).update(status=status)
    offer = OfferFactory(organization=Organization.objects.get(pk=organization.pk))
    with pytest.raises(InvalidTransition) as info:
        services.submit_offer(actor=org_admin, offer=offer)
    assert "只有审核通过的社会组织才能提交" in info.value.message
    offer.refresh_from_db()
    assert offer.status == "draft"


@pytest.mark.django_db
def test_cannot_submit_an_expired_window(organization, org_admin):
    past = timezone.localdate() - timedelta(days=30)
    offer = OfferFactory(organization=organization, window_start=past - timedelta(days=30), window_end=past)
    with pytest.raises(ValidationFailed) as info:
        services.submit_offer(actor=org_admin, offer=offer)
    assert "window_end" in field_errors(info.value)


@pytest.mark.django_db
def test_return_requires_a_reason(submitted_offer, county_civil_affairs):
    with pytest.raises(ValidationFailed) as info:
        services.return_offer(actor=county_civil_affairs, offer=submitted_offer, reason="  ")
    assert field_errors(info.value)["reason"] == "请填写退回修改的原因"
    submitted_offer.refresh_from_db()
    assert submitted_offer.status == "submitted"


@pytest.mark.django_db
def test_reviewer_close_requires_reason_but_org_admin_does_not(published_offer, county_civil_affairs, org_admin):
    with pytest.raises(ValidationFailed):
        services.close_offer(actor=county_civil_affairs, offer=published_offer)
    services.close_offer(actor=county_civil_affairs, offer=published_offer, reason="组织已注销")
    assert published_offer.close_reason == "组织已注销"


@pytest.mark.django_db
def test_plain_member_cannot_close(published_offer, org_member):
    with pytest.raises(Forbidden):
        services.close_offer(actor=org_member, offer=published_offer)


# ---------------------------------------------------------------- roles in and out of scope


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["province_civil_affairs", "city_civil_affairs", "county_official", "org_admin"])
def test_only_the_registration_region_reviews(request, submitted_offer, role):
    """Province and city civil affairs see the offer but did not register the organization."""
    with pytest.raises(Forbidden):
        services.publish_offer(actor=request.getfixturevalue(role), offer=submitted_offer)


@pytest.mark.django_db
def test_platform_admin_reviews(submitted_offer, platform_admin):
    services.publish_offer(actor=platform_admin, offer=submitted_offer)
    assert submitted_offer.status == "published"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_county_civil_affairs", "other_county_official", "other_org_admin"])
def test_out_of_scope_is_not_found(request, submitted_offer, role):
    user = request.getfixturevalue(role)
    for action in ("publish", "return", "submit", "close"):
        with pytest.raises(NotFound):
            services.TRANSITION_SERVICES[action](actor=user, offer=submitted_offer, reason="x")
    with pytest.raises(NotFound):
        services.update_offer(actor=user, offer=submitted_offer, changes={"title": "x"})
    submitted_offer.refresh_from_db()
    assert submitted_offer.status == "submitted"


@pytest.mark.django_db
def test_other_org_admin_cannot_submit_our_draft(draft_offer, other_org_admin):
    with pytest.raises(NotFound):
        services.submit_offer(actor=other_org_admin, offer=draft_offer)


# ---------------------------------------------------------------- concurrency


@pytest.mark.django_db
def test_concurrent_publish_and_return_second_gets_conflict(submitted_offer, county_civil_affairs, platform_admin):
    stale = Offer.objects.get(pk=submitted_offer.pk)
    services.publish_offer(actor=county_civil_affairs, offer=submitted_offer)
    with pytest.raises(Conflict):
        services.return_offer(actor=platform_admin, offer=stale, reason="晚了一步")
    fresh = Offer.objects.get(pk=submitted_offer.pk)
    assert fresh.status == "published" and fresh.version == 2
    assert AuditEntry.objects.filter(action__startswith="offers.").count() == 1


@pytest.mark.django_db
def test_stale_version_from_a_page_is_conflict(submitted_offer, county_civil_affairs):
    with pytest.raises(Conflict):
        services.publish_offer(actor=county_civil_affairs, offer=submitted_offer, expected_version=0)
