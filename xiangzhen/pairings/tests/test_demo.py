import pytest
from django.core.management import call_command

from xiangzhen.pairings import progress, selectors
from xiangzhen.pairings.models import Pairing

pytestmark = pytest.mark.django_db


def test_seed_demo_pairs_the_demo_organization_with_shibadong_once():
    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")
    statuses = dict(Pairing.objects.values_list("region__name", "status"))
    assert statuses == {"十八洞村": "active", "排碧板栗村": "active", "双龙镇": "proposed"}
    shibadong = Pairing.objects.get(region__name="十八洞村")
    assert shibadong.organization.name == "花垣县十八洞助农服务中心"
    figures = progress.pairing_progress(shibadong)
    assert all(f.achieved >= 0 for f in figures.figures)
    from xiangzhen.accounts.models import User

    report = selectors.key_village_report(User.objects.get(username="hy_xiangzhen"))
    assert report.total >= 5 and report.gap >= 1 and report.paired >= 2
