import pytest

from xiangzhen.core.models import AuditEntry
from xiangzhen.organizations.demo import seed_demo_organizations
from xiangzhen.organizations.models import Membership, Organization


@pytest.mark.django_db
def test_seed_demo_is_realistic_and_idempotent(platform_admin):
    seeded = seed_demo_organizations(actor=platform_admin, password="Xiangzhen-2026")
    statuses = sorted(o.status for o, _ in seeded)
    assert statuses == ["approved", "approved", "approved", "approved", "returned", "submitted"]
    assert {o.kind for o, _ in seeded} == {"social_group", "foundation", "social_service_agency"}
    for organization, username in seeded:
        assert Membership.objects.get(organization=organization, role="admin").user.username == username
    entries = AuditEntry.objects.count()
    again = seed_demo_organizations(actor=platform_admin, password="Xiangzhen-2026")
    assert [o.pk for o, _ in again] == [o.pk for o, _ in seeded]
    assert Organization.objects.count() == 6 and AuditEntry.objects.count() == entries
