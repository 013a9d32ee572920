import pytest
from django.core.management import call_command

from xiangzhen.accounts.models import User
from xiangzhen.demands.models import Demand
from xiangzhen.matching.models import Match
from xiangzhen.offers.models import Offer
from xiangzhen.organizations.models import Organization


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_province_once():
    call_command("seed_demo", "--quiet")
    counts = (User.objects.count(), Organization.objects.count(), Demand.objects.count(), Offer.objects.count())
    call_command("seed_demo", "--quiet")
    assert (User.objects.count(), Organization.objects.count(), Demand.objects.count(), Offer.objects.count()) == counts
    assert User.objects.get(username="hy_xiangzhen").department.name == "花垣县乡村振兴局"
    # Two of 十八洞村's (the third is matched) and the relocation site's follow-up demand.
    assert Demand.objects.filter(status="published").count() == 3
    match = Match.objects.get()
    assert match.status == "in_progress" and match.activities.count() == 1
    assert match.demand.status == "in_progress"


@pytest.mark.django_db
def test_seed_demo_fills_the_portal_training_linkage_and_monitoring_once(client):
    from xiangzhen.linkage.models import IncubationRecord, SocialWorkStation, Volunteer, VolunteerService
    from xiangzhen.monitoring.models import AssistanceRecord, HouseholdAccess, HouseholdMember, MonitoredHousehold
    from xiangzhen.monitoring.validation import id_number_problem
    from xiangzhen.portal.models import Article
    from xiangzhen.regions.models import Designation
    from xiangzhen.training.models import Enrollment, LedProject, Talent, Training

    models = [
        Article, Training, Enrollment, Talent, LedProject, SocialWorkStation, Volunteer, VolunteerService,
        IncubationRecord, MonitoredHousehold, HouseholdMember, HouseholdAccess, AssistanceRecord, Demand,
    ]  # fmt: skip
    call_command("seed_demo", "--quiet")
    counts = [m.objects.count() for m in models]
    call_command("seed_demo", "--quiet")
    assert [m.objects.count() for m in models] == counts
    # Portal: every kind published, a second department reviewed each, one still in review.
    published = Article.objects.filter(status="published")
    assert set(published.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert published.filter(title="湖南省动员引导社会组织参与乡村振兴的实施意见", kind="policy").exists()
    assert all(a.reviewed_by.department_id != a.department_id for a in published)
    assert Article.objects.filter(status="submitted").count() == 1
    # Training: a finished training with attendance and one certificate; a talent leading the match.
    finished = Training.objects.get(status="finished")
    assert finished.enrollments.filter(attended=True).count() == 2
    certified = [e.certificate_number for e in finished.enrollments.all() if e.certificate_number]
    assert len(certified) == 1 and finished.enrollments.get(completed=True).certificate_number == certified[0]
    assert LedProject.objects.get().match == Match.objects.get()
    # Linkage: the 双龙镇 station with staff, confirmed volunteer hours, an incubation record.
    station = SocialWorkStation.objects.get(region_id="433124110000")
    assert station.staff.count() == 2
    assert VolunteerService.objects.filter(status="confirmed").count() == 3
    assert IncubationRecord.objects.get().stage == "registered"
    # Monitoring: two 十八洞村 households with valid-format, never-issued ID numbers; one granted and helped.
    households = MonitoredHousehold.objects.filter(village_id="433124110226")
    assert households.count() == 2
    for number in [h.head_id_number for h in households] + list(
        HouseholdMember.objects.values_list("id_number", flat=True)
    ):
        assert id_number_problem(number) is None and number[14:17] == "000"
    assert HouseholdAccess.objects.get().organization.name == "花垣县十八洞助农服务中心"
    assert AssistanceRecord.objects.count() == 1
    # A relocation site in 花垣县 with its follow-up demand, published.
    site = Designation.objects.get(kind="relocation_site").region_id
    assert site.startswith("433124") and Demand.objects.get(region_id=site).status == "published"
    # The visitor's front door shows the demo records.
    page = client.get("/").content.decode()
    shown = [
        "十八洞村猕猴桃种植技术培训",
        "湖南省动员引导社会组织参与乡村振兴的实施意见",
        "苗乡书香",
        "十八洞助农服务中心",
    ]
    for text in shown:
        assert text in page, text


@pytest.mark.django_db
def test_seed_demo_runs_the_demo_events_once(client):
    from xiangzhen.events import selectors
    from xiangzhen.events.demo import CONTEST, FINISHED, UPCOMING
    from xiangzhen.events.models import ContestCriterion, ContestJudge, Event, EventFeature, EventRegistration

    models = [Event, EventRegistration, EventFeature, ContestCriterion, ContestJudge]
    call_command("seed_demo", "--quiet")
    counts = [m.objects.count() for m in models]
    call_command("seed_demo", "--quiet")
    assert [m.objects.count() for m in models] == counts
    upcoming = Event.objects.get(name=UPCOMING)
    assert upcoming.status == "published" and upcoming.region_id == "433124000000" and "项目路演" in upcoming.agenda
    assert upcoming.registrations.filter(status="registered").count() == 2
    featured = {"demand" if f.demand_id else "offer" for f in upcoming.features.all()}
    assert featured == {"demand", "offer"}
    expo = Event.objects.get(name=FINISHED)
    finished = selectors.results(expo)
    assert expo.status == "finished"
    assert (finished.registrations, finished.checked_in) == (2, 2)
    assert finished.featured_demands >= 1 and finished.featured_offers >= 1
    race = Event.objects.get(name=CONTEST)
    assert sum(c.weight for c in race.criteria.all()) == 100 and race.judges.count() == 2
    assert selectors.ranking(race)[0].total is not None
    # The visitor's front door lists the upcoming fair.
    assert UPCOMING in client.get("/").content.decode()
