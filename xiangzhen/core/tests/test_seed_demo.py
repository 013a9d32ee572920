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
    assert Demand.objects.filter(status="published").count() == 2
    match = Match.objects.get()
    assert match.status == "in_progress" and match.activities.count() == 1
    assert match.demand.status == "in_progress"
