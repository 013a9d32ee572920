import datetime

import pytest

from xiangzhen.matching.models import MatchMilestone
from xiangzhen.matching.tests.factories import DemandFactory, MatchFactory


@pytest.fixture
def running(organization):
    return MatchFactory(demand=DemandFactory(status="in_progress"), organization=organization, status="in_progress")


@pytest.mark.django_db
def test_organization_sets_and_reaches_a_milestone_through_the_api(client, org_admin, running):
    client.force_login(org_admin)
    due = str(datetime.date.today() + datetime.timedelta(days=30))
    created = client.post(
        f"/api/v1/matches/{running.pk}/milestones", {"title": "完成第一期培训", "due_date": due},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    milestone_id = created.json()["id"]
    today = str(datetime.date.today())
    reached = client.post(
        f"/api/v1/matches/{running.pk}/milestones/{milestone_id}/reach", {"done_on": today},
        content_type="application/json",
    )  # fmt: skip
    assert reached.json()["done_on"] == today
    again = client.post(
        f"/api/v1/matches/{running.pk}/milestones/{milestone_id}/reach", {"done_on": today},
        content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 409
    assert "已于" in again.json()["detail"]


@pytest.mark.django_db
def test_only_the_organization_sets_milestones(client, county_official, running):
    client.force_login(county_official)
    response = client.post(
        f"/api/v1/matches/{running.pk}/milestones", {"title": "x", "due_date": "2030-01-01"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not MatchMilestone.objects.exists()


@pytest.mark.django_db
def test_milestone_pages(client, org_admin, running):
    client.force_login(org_admin)
    assert "添加里程碑" in client.get(f"/matches/{running.pk}/").content.decode()
    response = client.post(f"/matches/{running.pk}/milestones/", {"title": "入户走访", "due_date": "2030-01-01"})
    assert response.status_code == 302
    milestone = MatchMilestone.objects.get(match=running)
    client.post(f"/matches/{running.pk}/milestones/{milestone.pk}/reach/")
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date.today()
