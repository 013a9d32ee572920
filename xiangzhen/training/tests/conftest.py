import pytest

from xiangzhen.training.tests.factories import hub_with_admin


@pytest.fixture
def hub(db):
    return hub_with_admin()
