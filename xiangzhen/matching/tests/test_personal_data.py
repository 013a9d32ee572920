import pytest

from xiangzhen.demands.rules import can_see_personal
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "sees"),
    [("proposed", False), ("accepted", False), ("confirmed", True), ("in_progress", True), ("cancelled", False)],
)
def test_serving_organization_sees_the_contact_once_confirmed(organization, org_admin, other_org_admin, status, sees):
    demand = DemandFactory()
    MatchFactory(
        demand=demand, organization=organization, status=status, cancel_reason="x" if status == "cancelled" else ""
    )
    assert can_see_personal(org_admin, demand) is sees
    assert can_see_personal(other_org_admin, demand) is False


@pytest.mark.django_db
def test_contact_page_is_audited_and_only_for_the_serving_side(client, organization, org_admin, other_org_admin):
    from xiangzhen.core.models import AuditEntry

    demand = DemandFactory()
    match = MatchFactory(demand=demand, organization=organization, status="in_progress")
    client.force_login(org_admin)
    response = client.get(f"/matches/{match.pk}/contact/")
    assert response.status_code == 200
    assert demand.contact_phone in response.content.decode()
    assert AuditEntry.objects.filter(action="demands.view_personal", object_id=str(demand.pk)).count() == 1
    client.force_login(other_org_admin)
    assert client.get(f"/matches/{match.pk}/contact/").status_code == 404


@pytest.mark.django_db
def test_contact_stays_masked_before_confirmation(client, organization, org_admin):
    match = MatchFactory(demand=DemandFactory(), organization=organization, status="accepted")
    client.force_login(org_admin)
    response = client.get(f"/matches/{match.pk}/contact/")
    assert response.status_code == 302
