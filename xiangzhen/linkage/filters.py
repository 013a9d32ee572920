"""The filters shared by the linkage pages, API and exports."""

from django.db.models import Q, QuerySet
from pydantic import field_validator

from xiangzhen.core.filters import PageFilters, one_of
from xiangzhen.linkage.models import IncubationRecord, VolunteerService
from xiangzhen.organizations.models import Organization
from xiangzhen.regions.codes import subtree_bounds


class LinkageFilters(PageFilters):
    """Keyword, region subtree and status (service status or incubation stage; founder type)."""

    q: str = ""
    region: str = ""
    status: str = ""
    founder_type: str = ""

    @field_validator("founder_type")
    @classmethod
    def _founder(cls, value: str) -> str:
        return one_of(value, list(Organization.FounderType.values))

    def apply(self, queryset: QuerySet, *, region_field: str, name_field: str) -> QuerySet:
        if self.q:
            queryset = queryset.filter(Q(**{f"{name_field}__icontains": self.q}))
        if self.region:
            queryset = queryset.filter(**{f"{region_field}__range": subtree_bounds(self.region)})
        return queryset


class ServiceFilters(LinkageFilters):
    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return one_of(value, list(VolunteerService.Status.values))


class IncubationFilters(LinkageFilters):
    @field_validator("status")
    @classmethod
    def _stage(cls, value: str) -> str:
        return one_of(value, list(IncubationRecord.Stage.values))
