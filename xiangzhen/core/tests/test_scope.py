import pytest

from xiangzhen.core.errors import NotFound
from xiangzhen.core.scope import get_in_scope, restrict, scope_of
from xiangzhen.organizations.models import Organization


@pytest.mark.django_db
def test_county_official_sees_only_own_county(county_official, organization, other_org_admin):
    visible = restrict(Organization.objects.all(), county_official)
    assert list(visible) == [organization]


@pytest.mark.django_db
def test_out_of_scope_looks_missing(other_county_official, organization):
    with pytest.raises(NotFound):
        get_in_scope(Organization.objects.all(), other_county_official, pk=organization.pk)


@pytest.mark.django_db
def test_province_staff_see_whole_province(province_civil_affairs, organization, other_org_admin):
    assert restrict(Organization.objects.all(), province_civil_affairs).count() == 2


@pytest.mark.django_db
def test_org_member_sees_own_organization(org_admin, organization, other_org_admin):
    assert scope_of(org_admin).organization_ids == {organization.pk}
    assert list(restrict(Organization.objects.all(), org_admin)) == [organization]


@pytest.mark.django_db
def test_anonymous_sees_nothing(organization):
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(Organization.objects.all(), AnonymousUser()).exists()
