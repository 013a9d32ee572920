import pytest

from xiangzhen.offers.models import Offer
from xiangzhen.offers.tests.factories import OfferFactory

FENGHUANG = "433123000000"


@pytest.fixture
def draft_offer(organization, org_admin):
    return OfferFactory(organization=organization, created_by=org_admin, title="农村留守儿童课后辅导")


@pytest.fixture
def submitted_offer(organization, org_admin):
    return OfferFactory(organization=organization, created_by=org_admin, status=Offer.Status.SUBMITTED)


@pytest.fixture
def published_offer(organization, org_admin):
    return OfferFactory(organization=organization, created_by=org_admin, status=Offer.Status.PUBLISHED)
