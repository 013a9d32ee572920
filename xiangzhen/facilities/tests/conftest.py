import pytest

from xiangzhen.facilities.tests.factories import room_in_use


@pytest.fixture
def room(organization, org_admin):
    return room_in_use(organization, org_admin)


@pytest.fixture
def livestream_room(organization, org_admin):
    return room_in_use(organization, org_admin, kind="livestream_room", name="十八洞村直播小屋")
