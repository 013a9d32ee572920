"""The inbox: own notifications only (others' answer 404), unread first, read marks, pages and API."""

import pytest
from django.urls import reverse

from xiangzhen.notifications import selectors, services
from xiangzhen.notifications.models import Notification
from xiangzhen.notifications.tests.factories import HUAYUAN, published_demand, subscribe

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications"


def notify(user, demand=None, title="新需求：测试", **kwargs):
    demand = demand or published_demand()
    return Notification.objects.create(
        recipient=user, kind="demand_published", demand=demand, title=title, url=f"/demands/public/{demand.pk}/",
        **kwargs,
    )  # fmt: skip


def test_unread_first_then_newest(org_admin):
    old_unread = notify(org_admin, title="旧的未读")
    read = notify(org_admin, title="已读")
    services.mark_read(actor=org_admin, notification=read)
    new_unread = notify(org_admin, title="新的未读")
    assert list(selectors.inbox(org_admin)) == [new_unread, old_unread, read]
    assert selectors.unread_count(org_admin) == 2


def test_mark_read_and_all_read_touch_only_own_notifications(org_admin, other_org_admin):
    mine, theirs = notify(org_admin), notify(other_org_admin)
    notify(org_admin)
    with pytest.raises(Exception, match="通知不存在"):
        services.mark_read(actor=org_admin, notification=theirs)
    assert services.mark_all_read(actor=org_admin) == 2
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None and mine.read_at is not None
    assert services.mark_all_read(actor=org_admin) == 0


def test_api_lists_own_notifications_and_others_are_404(client, org_admin, other_org_admin):
    mine, theirs = notify(org_admin, title="我的通知"), notify(other_org_admin, title="别人的通知")
    client.force_login(org_admin)
    listing = client.get(API + "/").json()
    assert [n["title"] for n in listing["items"]] == ["我的通知"] and listing["count"] == 1
    assert client.post(f"{API}/{theirs.pk}/read").status_code == 404
    assert client.post(f"{API}/999999/read").status_code == 404
    read = client.post(f"{API}/{mine.pk}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    notify(org_admin)
    assert client.post(f"{API}/read-all").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_needs_login(client):
    assert client.get(API + "/").status_code == 401


def test_inbox_page_shows_marks_and_opens(client, org_admin, other_org_admin):
    demand = published_demand(title="十八洞村留守儿童课后辅导")
    mine = notify(org_admin, demand=demand, title="新需求：十八洞村留守儿童课后辅导")
    theirs = notify(other_org_admin, title="别人的通知")
    client.force_login(org_admin)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "新需求：十八洞村留守儿童课后辅导" in page and "别人的通知" not in page
    assert reverse("notifications:subscriptions") in page  # admins get to their subscriptions from here
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("notifications:inbox") in home and 'aria-label="未读">1</span>' in home

    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    opened = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == f"/demands/public/{demand.pk}/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    notify(org_admin)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert selectors.unread_count(org_admin) == 0


def test_inbox_page_and_api_queries_do_not_grow_with_the_list(client, org_admin, django_assert_max_num_queries):
    subscribe(org_admin.memberships.get().organization, org_admin, regions=[HUAYUAN])
    for _ in range(3):
        services.push_demand_published(published_demand().pk)
    client.force_login(org_admin)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("notifications:inbox"))
    with django_assert_max_num_queries(8) as few_api:
        client.get(API + "/")
    for _ in range(12):
        services.push_demand_published(published_demand().pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("notifications:inbox")).status_code == 200
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert client.get(API + "/").json()["count"] == 15


def test_anonymous_inbox_redirects_to_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_badge_is_cached_and_dropped_when_notifications_change(
    client, org_admin, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    notify(org_admin)
    client.force_login(org_admin)
    assert 'aria-label="未读">1</span>' in client.get(reverse("notifications:inbox")).content.decode()
    subscribe(org_admin.memberships.get().organization, org_admin, regions=[HUAYUAN])
    with django_capture_on_commit_callbacks(execute=True):
        services.push_demand_published(published_demand().pk)
    assert 'aria-label="未读">2</span>' in client.get(reverse("notifications:inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:read_all"))
    assert 'aria-label="未读"' not in client.get(reverse("notifications:inbox")).content.decode()
