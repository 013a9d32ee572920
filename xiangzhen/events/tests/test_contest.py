from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiangzhen.core.attachments import attachments_of
from xiangzhen.core.errors import Forbidden, InvalidTransition, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.events import selectors
from xiangzhen.events.services import contest
from xiangzhen.events.tests.factories import entry_data, make_contest, make_event
from xiangzhen.offers.models import Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def race(county_civil_affairs, county_official, city_civil_affairs):
    """A published contest: 可行性 (weight 60, out of 100) and 创新性 (weight 40, out of 10); two judges."""
    event = make_contest(county_civil_affairs)
    for judge in (county_official, city_civil_affairs):
        contest.assign_judge(actor=county_civil_affairs, event=event, username=judge.username)
    return event


def score(judge, entry, event, feasibility, novelty):
    by_name = {c.name: c.pk for c in selectors.criteria(event)}
    return contest.score_entry(
        actor=judge, entry=entry, scores={by_name["可行性"]: feasibility, by_name["创新性"]: novelty}
    )


def test_weighted_totals_ranking_and_published_winners(
    race, county_civil_affairs, county_official, city_civil_affairs, org_admin, organization, second_org_admin
):
    ours = contest.submit_entry(actor=org_admin, event=race, organization=organization, data=entry_data())
    theirs_org = second_org_admin.memberships.get().organization
    theirs = contest.submit_entry(
        actor=second_org_admin, event=race, organization=theirs_org, data=entry_data(title="村级养老互助点")
    )
    # ours: judge A 80/100·60 + 5/10·40 = 68; judge B 90/100·60 + 10/10·40 = 94 → 81.00
    score(county_official, ours, race, "80", "5")
    score(city_civil_affairs, ours, race, "90", "10")
    # theirs: only judge A scored: 100·60/100 + 0 = 60 (an unscored criterion adds nothing) → 60.00
    contest.score_entry(actor=county_official, entry=theirs, scores={selectors.criteria(race)[0].pk: "100"})
    ranking = selectors.ranking(race)
    assert [(r.entry, r.total, r.judges, r.rank) for r in ranking] == [
        (ours, Decimal("81.00"), 2, 1),
        (theirs, Decimal("60.00"), 1, 2),
    ]
    score(county_official, ours, race, "70", "5")  # editable until published: 62 and 94 → 78
    assert selectors.ranking(race)[0].total == Decimal("78.00")
    with pytest.raises(Forbidden):
        contest.publish_results(actor=org_admin, event=race, winners=1)
    with pytest.raises(ValidationFailed, match="获奖数"):
        contest.publish_results(actor=county_civil_affairs, event=race, winners=3)
    winners = contest.publish_results(actor=county_civil_affairs, event=race, winners=1)
    assert winners == [ours]
    ours.refresh_from_db()
    assert ours.is_winner and ours.rank == 1 and ours.total == Decimal("78.00")
    offer = ours.offer
    assert offer.status == Offer.Status.DRAFT and offer.organization == organization
    assert offer.number.startswith("GJ-") and offer.capacity_amount == Decimal("80000.00")
    assert [d.code for d in offer.domains.all()] == ["education"]
    assert AuditEntry.objects.filter(action="events.publish_results").exists()
    assert AuditEntry.objects.filter(object_type="offers.offer", object_id=str(offer.pk)).exists()
    theirs.refresh_from_db()
    assert not theirs.is_winner and theirs.offer is None
    # Frozen: no more scores, criteria or second publication.
    with pytest.raises(InvalidTransition, match="已发布"):
        score(county_official, ours, race, "10", "1")
    with pytest.raises(InvalidTransition, match="已发布"):
        contest.publish_results(actor=county_civil_affairs, event=race, winners=1)
    race.refresh_from_db()
    assert [r.rank for r in selectors.ranking(race)] == [1, 2]
    assert list(selectors.entries(second_org_admin, race)) == [ours, theirs]  # public after publication


def test_who_scores_what(race, county_official, org_admin, organization, other_county_official, county_civil_affairs):
    entry = contest.submit_entry(actor=org_admin, event=race, organization=organization, data=entry_data())
    with pytest.raises(Forbidden, match="评委"):
        score(other_county_official, entry, race, "50", "5")
    contest.assign_judge(actor=county_civil_affairs, event=race, username=org_admin.username)
    with pytest.raises(Forbidden, match="本人所在组织"):
        score(org_admin, entry, race, "50", "5")
    with pytest.raises(ValidationFailed, match="0 到 10"):
        score(county_official, entry, race, "50", "11")
    assert selectors.entries(other_county_official, race).count() == 0  # before publication: not theirs


def test_criteria_weights_and_entries_are_checked(county_civil_affairs, org_admin, organization):
    race = make_contest(county_civil_affairs, criteria=(("可行性", "60", "100"),))
    with pytest.raises(ValidationFailed, match="最多还能设 40"):
        contest.add_criterion(actor=county_civil_affairs, event=race, name="创新性", weight="50", max_score="10")
    entry = contest.submit_entry(actor=org_admin, event=race, organization=organization, data=entry_data())
    contest.assign_judge(actor=county_civil_affairs, event=race, username=county_civil_affairs.username)
    contest.score_entry(actor=county_civil_affairs, entry=entry, scores={race.criteria.get().pk: "90"})
    with pytest.raises(ValidationFailed, match="权重之和应为 100，当前为 60"):
        contest.publish_results(actor=county_civil_affairs, event=race, winners=1)
    with pytest.raises(ValidationFailed) as caught:
        contest.submit_entry(
            actor=org_admin, event=race, organization=organization,
            data=entry_data(title="", budget="-1", target_region_code="1", domains=[]),
        )  # fmt: skip
    assert {e.field for e in caught.value.errors} == {"title", "budget", "target_region_code", "domains"}
    fair = make_event(county_civil_affairs, name="不是大赛")
    with pytest.raises(InvalidTransition, match="只有公益创投大赛"):
        contest.add_criterion(actor=county_civil_affairs, event=fair, name="x", weight="10", max_score="10")


def test_contest_pages_and_api(client, race, county_civil_affairs, county_official, org_admin, organization):
    client.force_login(org_admin)
    assert client.get(f"/events/contests/{race.pk}/entries/new/").status_code == 200
    response = client.post(
        f"/api/v1/events/contests/{race.pk}/entries",
        {"organization_id": organization.pk, "title": "四点半课堂", "plan": "计划", "budget": "1000",
         "target_region_code": "433124110226", "domains": ["education"]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert client.get(f"/api/v1/events/contests/{race.pk}/results").status_code == 403  # not yet published
    client.force_login(county_official)
    page = client.get(f"/events/contests/{race.pk}/entries/{entry_id}/score/")
    assert page.status_code == 200
    fields = {c.name: f"c{c.pk}" for c in selectors.criteria(race)}
    client.post(
        f"/events/contests/{race.pk}/entries/{entry_id}/score/", {fields["可行性"]: "80", fields["创新性"]: "10"}
    )
    client.force_login(county_civil_affairs)
    assert "当前排名" in client.get(f"/events/contests/{race.pk}/").content.decode()
    client.post(f"/events/contests/{race.pk}/publish-results/", {"winners": "1"})
    client.logout()
    public = client.get(f"/events/public/contests/{race.pk}/").content.decode()
    assert "四点半课堂" in public and "获奖" in public
    assert client.get(f"/api/v1/events/public/contests/{race.pk}/results").json()["ranking"][0]["total"] == "88.00"
    assert client.get(f"/events/public/contests/{race.pk}/export/").status_code == 200


def test_a_criterion_or_a_judge_is_removed_through_the_api_until_scoring_started(
    client, race, county_civil_affairs, county_official, city_civil_affairs, org_admin, organization,
    other_county_official,
):  # fmt: skip
    criteria = {c.name: c for c in selectors.criteria(race)}
    judges = {j.user: j for j in selectors.judges(race)}
    entry = contest.submit_entry(actor=org_admin, event=race, organization=organization, data=entry_data())
    contest.score_entry(actor=county_official, entry=entry, scores={criteria["可行性"].pk: "80"})
    criterion_url = f"/api/v1/events/contests/{race.pk}/criteria/{{}}"
    judge_url = f"/api/v1/events/contests/{race.pk}/judges/{{}}"
    # Only the organizers: staff of another county see the published contest but may not change it.
    client.force_login(other_county_official)
    refused = client.delete(criterion_url.format(criteria["创新性"].pk))
    assert refused.status_code == 403 and "管理该大赛" in refused.json()["detail"]
    # Scoring started on 可行性 and by county_official: both stay, with the reason in Chinese.
    client.force_login(county_civil_affairs)
    refused = client.delete(criterion_url.format(criteria["可行性"].pk))
    assert refused.status_code == 409 and refused.json()["detail"] == "评分项“可行性”已有评委打分，不能删除"
    refused = client.delete(judge_url.format(judges[county_official].pk))
    assert refused.status_code == 409 and "已开始评分，不能移除" in refused.json()["detail"]
    assert client.delete(criterion_url.format(criteria["创新性"].pk)).status_code == 204
    assert client.delete(judge_url.format(judges[city_civil_affairs].pk)).status_code == 204
    assert [c.name for c in selectors.criteria(race)] == ["可行性"]
    assert [j.user for j in selectors.judges(race)] == [county_official]
    assert client.delete(judge_url.format(judges[city_civil_affairs].pk)).status_code == 404  # already gone
    assert AuditEntry.objects.filter(action="events.remove_judge").exists()
    assert AuditEntry.objects.filter(action="events.remove_criterion").exists()
    assert not selectors.is_judge(city_civil_affairs, race)


def test_entry_attachments_are_listed_for_those_who_may_download_them(
    client, settings, tmp_path, race, county_civil_affairs, county_official, org_admin, organization,
    other_org_admin, province_civil_affairs,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    plan = SimpleUploadedFile("项目计划书.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    entry = contest.submit_entry(
        actor=org_admin, event=race, organization=organization, data=entry_data(), uploads=[plan]
    )
    attachment = attachments_of(entry).get()
    link = f"/attachments/{attachment.pk}/"
    contest.assign_judge(actor=county_civil_affairs, event=race, username=other_org_admin.username)
    # The entrant, the organizers and a judge of the contest's region see the file and may download it.
    for person in (org_admin, county_civil_affairs, province_civil_affairs, county_official):
        client.force_login(person)
        page = client.get(f"/events/contests/{race.pk}/").content.decode()
        assert link in page and "项目计划书.pdf" in page, person
        assert client.get(link).status_code == 200, person
    assert link in client.get(f"/events/contests/{race.pk}/entries/{entry.pk}/score/").content.decode()
    # A judge from another organization sees the entry but `downloadable` refuses the file: no link.
    client.force_login(other_org_admin)
    page = client.get(f"/events/contests/{race.pk}/").content.decode()
    assert entry.title in page and link not in page
    assert link not in client.get(f"/events/contests/{race.pk}/entries/{entry.pk}/score/").content.decode()
    assert client.get(link).status_code == 404
