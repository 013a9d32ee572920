"""Subscriptions: organization admins manage their own, audited; everyone else is refused or sees nothing."""

import pytest
from django.urls import reverse

from xiangzhen.core.errors import Forbidden, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.notifications.models import Subscription
from xiangzhen.notifications.services import SubscriptionData, subscribe, unsubscribe, update_subscription
from xiangzhen.notifications.tests.factories import FENGHUANG, HUAYUAN, SHIBADONG

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications/subscriptions"


def test_admin_subscribes_updates_and_deactivates_with_an_audit_trail(organization, org_admin):
    data = SubscriptionData(domains=["education"], beneficiary_groups=["left_behind_children"], regions=["433124"])
    subscription = subscribe(actor=org_admin, organization=organization, data=data)
    assert [r.code for r in subscription.regions.all()] == [HUAYUAN]
    update_subscription(actor=org_admin, subscription=subscription, data=SubscriptionData(regions=[SHIBADONG]))
    unsubscribe(actor=org_admin, subscription=subscription)
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.domains.count() == 0
    actions = list(AuditEntry.objects.filter(object_id=str(subscription.pk)).values_list("action", flat=True))
    assert sorted(actions) == [
        "notifications.subscribe",
        "notifications.update_subscription",
        "notifications.update_subscription",
    ]


def test_only_the_organizations_admins_may_subscribe(organization, org_member, other_org_admin, county_civil_affairs):
    with pytest.raises(Forbidden):
        subscribe(actor=org_member, organization=organization, data=SubscriptionData())
    with pytest.raises(NotFound):
        subscribe(actor=other_org_admin, organization=organization, data=SubscriptionData())
    with pytest.raises(Forbidden):
        subscribe(actor=county_civil_affairs, organization=organization, data=SubscriptionData())
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("domains", SubscriptionData(domains=["no_such_domain"])),
        ("beneficiary_groups", SubscriptionData(beneficiary_groups=["nobody"])),
        ("regions", SubscriptionData(regions=["12345"])),
        ("regions", SubscriptionData(regions=["433124999999"])),
    ],
)
def test_unknown_codes_are_refused(organization, org_admin, field, data):
    with pytest.raises(ValidationFailed) as raised:
        subscribe(actor=org_admin, organization=organization, data=data)
    assert raised.value.errors[0].field == field


def test_api_create_list_patch_and_scope(client, organization, org_admin, other_org_admin):
    client.force_login(org_admin)
    body = {"organization_id": organization.pk, "domains": ["education"], "regions": [HUAYUAN, FENGHUANG]}
    created = client.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["domains"] == ["education"] and [r["code"] for r in data["regions"]] == [FENGHUANG, HUAYUAN]
    sid = data["id"]
    patched = client.patch(f"{API}/{sid}", {"is_active": False, "regions": []}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["is_active"] is False and patched.json()["regions"] == []
    assert patched.json()["domains"] == ["education"]  # untouched fields stay
    assert client.get(API).json()["count"] == 1

    client.force_login(other_org_admin)
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{sid}").status_code == 404
    assert client.patch(f"{API}/{sid}", {"is_active": True}, content_type="application/json").status_code == 404
    assert client.post(API, body, content_type="application/json").status_code == 404


def test_api_member_cannot_write(client, organization, org_admin, org_member):
    subscription = subscribe(actor=org_admin, organization=organization, data=SubscriptionData())
    client.force_login(org_member)
    assert client.get(API).json()["count"] == 1
    response = client.patch(f"{API}/{subscription.pk}", {"is_active": False}, content_type="application/json")
    assert response.status_code == 403
    response = client.post(API, {"organization_id": organization.pk}, content_type="application/json")
    assert response.status_code == 403


def test_subscription_pages_create_edit_and_deactivate(client, organization, org_admin):
    client.force_login(org_admin)
    url = reverse("notifications:subscriptions")
    page = client.get(url).content.decode()
    assert "新建订阅" in page and 'name="region_1"' in page and 'name="region_5"' in page
    response = client.post(
        url,
        {
            "organization": organization.pk,
            "domains": ["education", "health"],
            "beneficiary_groups": ["left_behind_children"],
            "region_1": HUAYUAN,
            "region_2": FENGHUANG,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    subscription = Subscription.objects.get()
    assert {r.code for r in subscription.regions.all()} == {HUAYUAN, FENGHUANG}
    listing = client.get(url).content.decode()
    assert "花垣县" in listing and "教育" in listing

    edit = reverse("notifications:subscription_edit", args=[subscription.pk])
    assert HUAYUAN in client.get(edit).content.decode()
    response = client.post(edit, {"organization": organization.pk, "region_1": SHIBADONG, "is_active": "on"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert [r.code for r in subscription.regions.all()] == [SHIBADONG] and subscription.domains.count() == 0

    assert client.post(reverse("notifications:deactivate", args=[subscription.pk])).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active


def test_subscription_pages_are_for_admins_only(client, organization, org_admin, org_member, other_org_admin):
    subscription = subscribe(actor=org_admin, organization=organization, data=SubscriptionData())
    client.force_login(org_member)
    assert client.get(reverse("notifications:subscriptions")).status_code == 403
    assert client.get(reverse("notifications:subscription_edit", args=[subscription.pk])).status_code == 403
    client.force_login(other_org_admin)
    assert client.get(reverse("notifications:subscription_edit", args=[subscription.pk])).status_code == 404
    assert client.post(reverse("notifications:deactivate", args=[subscription.pk])).status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active
