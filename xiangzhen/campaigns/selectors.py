"""Every read of campaigns and activities, already scoped.

A campaign is seen by signed-in people whose region lies inside its region or above it (staff and
village/township submitters), by the people of organizations registered inside its region, and by
platform admins. Drafts are seen only by staff whose region contains the campaign's (the organizers
and the levels above). Published and closed campaigns are public (no login) with their progress.

An activity is scoped like any record by `core.scope`: its organization's people, and staff and
submitters whose region contains the activity's place (the county of the place sees it). Others
see a campaign's totals, not other organizations' activity records.
"""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from xiangzhen.campaigns.filters import ActivityFilters, CampaignFilters, EnrollmentFilters
from xiangzhen.campaigns.models import Activity, ActivityBeneficiary, Campaign, Enrollment, Participation
from xiangzhen.campaigns.progress import with_progress
from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.core.models import AuditEntry
from xiangzhen.core.scope import get_in_scope, restrict, scope_of
from xiangzhen.organizations.models import Organization
from xiangzhen.regions import codes

PUBLIC_STATUSES = (Campaign.Status.PUBLISHED, Campaign.Status.CLOSED)


def _lineage(code: str) -> list[str]:
    """The region and every ancestor code of it."""
    return [code, *codes.ancestor_codes(code)]


def visibility(user: Any) -> Q:
    """The condition a campaign must meet to be seen by `user` (see the module docstring)."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    published = Q(status__in=PUBLIC_STATUSES)
    condition = Q(pk__in=[])
    if scope.region_code:
        below = Q(region__code__range=codes.subtree_bounds(scope.region_code))
        above = Q(region_id__in=codes.ancestor_codes(scope.region_code))
        condition |= published & (below | above)
        if user.role == "department_staff":
            condition |= Q(status=Campaign.Status.DRAFT) & below
    if scope.organization_ids:
        org_regions = set(
            Organization.objects.filter(pk__in=sorted(scope.organization_ids)).values_list("region_id", flat=True)
        )
        lineage = sorted({code for region in org_regions for code in _lineage(region)})
        condition |= published & Q(region_id__in=lineage)
    return condition


def _base() -> "QuerySet[Campaign]":
    return Campaign.objects.select_related("region", "created_by")


def campaigns(user: Any) -> "QuerySet[Campaign]":
    return _base().filter(visibility(user))


def campaign_list(user: Any, filters: CampaignFilters | None = None) -> "QuerySet[Campaign]":
    queryset = campaigns(user)
    return with_progress(filters.apply(queryset) if filters else queryset)


def get_campaign(user: Any, campaign_id: Any) -> Campaign:
    try:
        return with_progress(campaigns(user)).get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("专项行动不存在或无权查看")) from None


def public_campaigns(filters: CampaignFilters | None = None) -> "QuerySet[Campaign]":
    queryset = _base().filter(status__in=PUBLIC_STATUSES)
    return with_progress(filters.apply(queryset) if filters else queryset)


def get_public_campaign(campaign_id: Any) -> Campaign:
    try:
        return public_campaigns().get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("专项行动不存在或尚未发布")) from None


def enrollable_campaigns(organization: Organization) -> "QuerySet[Campaign]":
    """Published campaigns whose region contains the organization's registration region."""
    return _base().filter(status=Campaign.Status.PUBLISHED, region_id__in=_lineage(organization.region_id))


# ---------------------------------------------------------------- enrollments


def enrollments(campaign: Campaign, filters: EnrollmentFilters | None = None) -> "QuerySet[Enrollment]":
    """The organizations of a campaign the caller has fetched (names only are shown to everyone)."""
    queryset = Enrollment.objects.filter(campaign=campaign).select_related(
        "organization", "organization__region", "enrolled_by"
    )
    return filters.apply(queryset) if filters else queryset


def enrollment_of(campaign: Campaign, organization: Organization) -> Enrollment | None:
    return Enrollment.objects.filter(campaign=campaign, organization=organization).first()


def my_enrollments(user: Any, campaign: Campaign) -> "QuerySet[Enrollment]":
    """The enrollments in `campaign` of the organizations the user belongs to."""
    scope = scope_of(user)
    return enrollments(campaign).filter(organization_id__in=sorted(scope.organization_ids))


# ---------------------------------------------------------------- activities


def _activity_base() -> "QuerySet[Activity]":
    return Activity.objects.select_related(
        "campaign", "organization", "region", "brand", "recorded_by"
    ).prefetch_related(Prefetch("beneficiaries", queryset=ActivityBeneficiary.objects.select_related("group")))


def activities(user: Any, filters: ActivityFilters | None = None) -> "QuerySet[Activity]":
    """Activities the user may read record by record (their organizations', or in their region)."""
    queryset = restrict(_activity_base(), user)
    return filters.apply(queryset) if filters else queryset


def campaign_activities(user: Any, campaign: Campaign, filters: ActivityFilters | None = None) -> "QuerySet[Activity]":
    return activities(user, filters).filter(campaign=campaign)


def get_activity(user: Any, activity_id: Any) -> Activity:
    return get_in_scope(_activity_base(), user, pk=activity_id)


def public_activities(campaign: Campaign, filters: ActivityFilters | None = None) -> "QuerySet[Activity]":
    """The activities of a published campaign as the public sees them (no recorder, no participants)."""
    queryset = (
        Activity.objects.filter(campaign=campaign, campaign__status__in=PUBLIC_STATUSES)
        .select_related("organization", "region", "brand", "campaign")
        .prefetch_related(Prefetch("beneficiaries", queryset=ActivityBeneficiary.objects.select_related("group")))
    )
    return filters.apply(queryset) if filters else queryset


def participations(activity: Activity) -> "QuerySet[Participation]":
    return Participation.objects.filter(activity=activity).select_related("user")


def get_participation(user: Any, activity: Activity, participation_id: Any) -> Participation:
    return get_in_scope(
        Participation.objects.select_related("user", "activity", "activity__organization"),
        user,
        pk=participation_id,
        activity=activity,
    )


def member_user(activity: Activity, user_id: Any) -> Any:
    """An active member of the activity's organization, for an org admin recording their hours.
    Anyone else is refused as not a member (Forbidden), whether or not the account exists."""
    from xiangzhen.organizations.models import Membership

    membership = (
        Membership.objects.filter(organization_id=activity.organization_id, user_id=user_id, is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Forbidden(_("只能为本组织的成员登记参与"))
    return membership.user


def history(instance: Campaign | Activity) -> "QuerySet[AuditEntry]":
    return AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk)).select_related(
        "actor"
    )
