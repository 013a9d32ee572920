"""Who a published demand reaches, and that each person gets it once, in the inbox and by e-mail."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from xiangzhen.core.models import AuditEntry
from xiangzhen.demands.models import Demand
from xiangzhen.notifications import selectors, services
from xiangzhen.notifications.models import Notification
from xiangzhen.notifications.tests.conftest import org_with_admin
from xiangzhen.notifications.tests.factories import (
    FENGHUANG,
    GUIZHOU,
    HUAYUAN,
    HUNAN,
    SHIBADONG,
    XIANGXI,
    offer,
    published_demand,
    subscribe,
)
from xiangzhen.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def recipients(demand) -> set[str]:
    return set(Notification.objects.filter(demand=demand).values_list("recipient__username", flat=True))


def test_subscriptions_fit_by_domain_group_and_region():
    fits, fits_admin = org_with_admin("订阅相符", HUAYUAN, "fits")
    subscribe(fits, fits_admin, domains=["education", "health"], groups=["left_behind_children"], regions=[HUAYUAN])
    village, village_admin = org_with_admin("订阅到村", HUAYUAN, "village")
    subscribe(village, village_admin, regions=[SHIBADONG])  # any domain, any group, exactly that village
    other_domain, a = org_with_admin("其他领域", HUAYUAN, "other_domain")
    subscribe(other_domain, a, domains=["health"], regions=[HUAYUAN])
    other_group, a = org_with_admin("其他群体", HUAYUAN, "other_group")
    subscribe(other_group, a, domains=["education"], groups=["empty_nest_elderly"], regions=[HUAYUAN])
    other_area, a = org_with_admin("其他区域", FENGHUANG, "other_area")
    subscribe(other_area, a, domains=["education"], regions=[FENGHUANG])
    no_area, a = org_with_admin("无区域无项目", HUAYUAN, "no_area")
    subscribe(no_area, a)  # area = its offers' service areas, and it has none
    switched_off, a = org_with_admin("已停用", HUAYUAN, "switched_off")
    services.unsubscribe(actor=a, subscription=subscribe(switched_off, a, regions=[HUAYUAN]))
    suspended, a = org_with_admin("已暂停组织", HUAYUAN, "suspended")
    subscribe(suspended, a, regions=[HUAYUAN])
    suspended.status = "suspended"
    suspended.save()

    demand = published_demand()
    result = services.push_demand_published(demand.pk)

    assert recipients(demand) == {"fits", "village"}
    assert result.organizations == 2 and result.created == 2


def test_subscription_without_area_uses_the_offers_service_areas():
    organization, admin = org_with_admin("按项目区域", HUAYUAN, "by_offer_area")
    offer(organization, admin, domains=["health"], regions=[HUAYUAN])  # covers, but another domain
    subscribe(organization, admin, domains=["education"])
    elsewhere, other_admin = org_with_admin("项目在凤凰", FENGHUANG, "offer_elsewhere")
    offer(elsewhere, other_admin, domains=["health"], regions=[FENGHUANG])
    subscribe(elsewhere, other_admin, domains=["education"])

    demand = published_demand()
    services.push_demand_published(demand.pk)

    assert recipients(demand) == {"by_offer_area"}
    assert Notification.objects.get(demand=demand).body.endswith("符合本组织的需求订阅（按项目区域）")


def test_published_offers_that_cover_the_region_and_share_a_domain_fit_without_a_subscription():
    covering, a = org_with_admin("县内项目", HUAYUAN, "covering")
    offer(covering, a, domains=["education"], regions=[HUAYUAN])
    nationwide, a = org_with_admin("全国项目", HUAYUAN, "nationwide")
    offer(nationwide, a, domains=["education"], regions=[], nationwide=True)
    other_domain, a = org_with_admin("其他领域项目", HUAYUAN, "offer_other_domain")
    offer(other_domain, a, domains=["health"], regions=[HUAYUAN])
    draft, a = org_with_admin("草稿项目", HUAYUAN, "offer_draft")
    offer(draft, a, status="draft")
    elsewhere, a = org_with_admin("凤凰项目", FENGHUANG, "offer_fenghuang")
    offer(elsewhere, a, regions=[FENGHUANG])

    demand = published_demand()
    services.push_demand_published(demand.pk)

    assert recipients(demand) == {"covering", "nationwide"}
    assert "与本组织已发布的供给项目相符" in Notification.objects.filter(demand=demand).first().body


def test_cross_level_sharing_reaches_city_and_province_organizations_whose_area_covers_the_county():
    city, city_admin = org_with_admin("湘西州社会组织", XIANGXI, "city_org")
    offer(city, city_admin, regions=[XIANGXI])  # a city-level service area covers its counties
    province, province_admin = org_with_admin("湖南省基金会", HUNAN, "province_org", kind="foundation")
    subscribe(province, province_admin, domains=["education"], regions=[HUNAN])
    other_province, a = org_with_admin("贵州省社会组织", GUIZHOU, "guizhou_org")
    subscribe(other_province, a, regions=[GUIZHOU])
    offer(other_province, a, regions=[GUIZHOU])

    demand = published_demand()  # a county's (花垣县) village demand
    services.push_demand_published(demand.pk)

    assert recipients(demand) == {"city_org", "province_org"}


def test_every_active_member_is_notified_once_even_if_the_push_runs_twice():
    organization, admin = org_with_admin("多人组织", HUAYUAN, "admin1")
    member = MembershipFactory(organization=organization, role="member").user
    member.email = "member@example.com"
    member.save()
    gone = MembershipFactory(organization=organization, role="member", is_active=False).user
    subscribe(organization, admin, regions=[HUAYUAN])
    # The admin also runs a second fitting organization: still one notification for them.
    second = OrganizationFactory(name="第二个组织")
    MembershipFactory(organization=second, user=admin)
    offer(second, admin)

    demand = published_demand()
    first = services.push_demand_published(demand.pk)
    again = services.push_demand_published(demand.pk)

    assert recipients(demand) == {admin.username, member.username}
    assert gone.username not in recipients(demand)
    assert (first.created, first.emailed) == (2, 2)
    assert (again.created, again.emailed) == (0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["admin1@example.com", "member@example.com"]
    assert all(n.emailed_at for n in Notification.objects.filter(demand=demand))
    assert AuditEntry.objects.filter(action="notifications.push", object_id=str(demand.pk)).count() == 1


def test_the_database_allows_one_notification_per_recipient_and_demand(org_admin):
    demand = published_demand()
    Notification.objects.create(recipient=org_admin, kind="demand_published", demand=demand, title="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=org_admin, kind="demand_published", demand=demand, title="t")


def test_people_without_an_address_get_the_inbox_only(organization, org_admin):
    org_admin.email = ""
    org_admin.save()
    subscribe(organization, org_admin, regions=[HUAYUAN])
    demand = published_demand()
    result = services.push_demand_published(demand.pk)
    assert result.created == 1 and result.emailed == 0 and not mail.outbox
    assert selectors.unread_count(org_admin) == 1


def test_a_demand_no_longer_published_is_not_pushed(organization, org_admin):
    subscribe(organization, org_admin, regions=[HUAYUAN])
    demand = published_demand(status=Demand.Status.WITHDRAWN)
    assert services.push_demand_published(demand.pk) == services.PushResult()
    assert services.push_demand_published(999999) == services.PushResult()
    assert not Notification.objects.exists()


def test_a_failing_address_does_not_stop_the_others_and_is_tried_at_most_n_times(smtp_server, settings):
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 3
    organization, admin = org_with_admin("邮件组织", HUAYUAN, "mail_ok")
    broken = MembershipFactory(organization=organization, role="member").user
    broken.email = "broken@example.com"
    broken.save()
    smtp_server.refuse.add("broken@example.com")
    subscribe(organization, admin, regions=[SHIBADONG])
    demand = published_demand()

    result = services.push_demand_published(demand.pk)
    assert (result.created, result.emailed, result.failed, result.retryable) == (2, 1, 1, 1)
    assert [r for r, _, _ in smtp_server.received()] == [["mail_ok@example.com"]]
    for _ in range(5):
        services.send_pending_emails(demand_id=demand.pk)
    failed = Notification.objects.get(recipient=broken)
    assert failed.emailed_at is None and failed.email_attempts == 3 and "550" in failed.email_error
    assert Notification.objects.get(recipient=admin).email_attempts == 1
    assert len(smtp_server.received()) == 1


def test_failed_emails_are_retried_later_by_a_deferred_task(smtp_server, database_tasks):
    from django_tasks_db.models import DBTaskResult

    from xiangzhen.notifications.tasks import push_demand_published

    organization, admin = org_with_admin("重试组织", HUAYUAN, "retry", email="retry@example.com")
    smtp_server.refuse.add("retry@example.com")
    subscribe(organization, admin, regions=[HUAYUAN])
    demand = published_demand()

    outcome = push_demand_published.call(demand.pk)

    assert outcome["failed"] == 1
    retry = DBTaskResult.objects.get(task_path="xiangzhen.notifications.tasks.retry_push_emails")
    assert retry.args_kwargs["args"] == [demand.pk, 1] and retry.run_after > demand.published_at


def test_finding_and_creating_notifications_takes_the_same_queries_for_many_organizations(
    django_assert_max_num_queries,
):
    def orgs(prefix, n):
        for i in range(n):
            organization, admin = org_with_admin(f"{prefix}{i}", HUAYUAN, f"{prefix}{i}")
            subscribe(organization, admin, domains=["education"], regions=[HUAYUAN])
            offer(organization, admin)

    orgs("few", 2)
    first, second = published_demand(), published_demand()
    with django_assert_max_num_queries(20) as few:
        services._create_notifications(first)
    orgs("many", 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert services._create_notifications(second) == (10, 10)
