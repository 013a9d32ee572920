import pytest

from xiangzhen.consumption import services
from xiangzhen.consumption.tests.factories import SHIBADONG, make_campaign, make_fair, product_data, purchase


@pytest.fixture
def product(county_official):
    return services.create_product(actor=county_official, data=product_data())


@pytest.fixture
def fair(county_official, product):
    return make_fair(county_official, [SHIBADONG])


@pytest.fixture
def campaign(organization, county_official):
    return make_campaign(county_official, organization=organization)


def buy(actor, organization, *lines, **kwargs):
    return services.record_purchases(actor=actor, organization=organization, purchases=list(lines), **kwargs)


__all__ = ["buy", "purchase"]
