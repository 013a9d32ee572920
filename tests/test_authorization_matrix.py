"""Every API endpoint and every page, for every role, in scope and out of scope.

The endpoints come from the OpenAPI document and the pages from the URL resolver, so a new
endpoint or page is walked automatically; one whose path parameter or body is not described
here fails the test until it is. The rule checked everywhere: anonymous callers are refused,
a record outside the caller's scope answers 404 exactly like a missing one, and nobody but
the roles named for a write can make it succeed.
"""

import io
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from xiangzhen.accounts import services as accounts
from xiangzhen.accounts.tests.factories import staff
from xiangzhen.api import api
from xiangzhen.campaigns.tests.factories import activity_body as campaigns_activity_body
from xiangzhen.matching.models import MatchMilestone
from xiangzhen.organizations import services as organizations
from xiangzhen.organizations.models import Membership

ROLES = [
    "platform_admin",
    "province_civil_affairs",
    "province_rural_revitalization",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
    "other_county_official",
    "village_submitter",
    "org_admin",
    "other_org_admin",
]
# Who can see the 花垣县 organization and what hangs off it.
SEES_ORGANIZATION = {
    "platform_admin",
    "province_civil_affairs",
    "province_rural_revitalization",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
    "org_admin",
}
BLIND_TO_ORGANIZATION = set(ROLES) - SEES_ORGANIZATION
# Path parameters that name a record belonging to the organization.
ORGANIZATION_PARAMS = {"organization_id", "membership_id", "invitation_id", "attachment_id", "offer_id"}
REVIEWERS = {"platform_admin", "county_civil_affairs"}  # civil affairs of the registration region
# Who can see the 十八洞村 demand: region scope. Organizations read demands only through /public/.
SEES_DEMAND = {
    "platform_admin",
    "province_civil_affairs",
    "province_rural_revitalization",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
    "village_submitter",
}
BLIND_TO_DEMAND = set(ROLES) - SEES_DEMAND
DEMAND_PARAMS = {"demand_id"}
DEMAND_EDITORS = {"platform_admin", "county_official"}  # the world's demand is published: the county only
# The world's match is in progress between the 十八洞村 demand side and the 花垣县 organization.
MATCH_PARAMS = {"match_id", "milestone_id"}
BLIND_TO_MATCH = {"other_county_official", "other_org_admin"}
MATCH_RUNNERS = {"org_admin"}  # only the organization records its own work, not even a platform admin
# The world's allocation run is for 湘西州: province and city staff see it; county staff and others do not.
RUN_PARAMS = {"run_id", "item_id"}
RUN_STAFF = {"platform_admin", "province_civil_affairs", "province_rural_revitalization", "city_civil_affairs"}
BLIND_TO_RUN = set(ROLES) - RUN_STAFF
# The world's notification is org_admin's own: nobody else's inbox shows it, not even an admin's.
NOTIFICATION_PARAMS = {"notification_id"}
BLIND_TO_NOTIFICATION = set(ROLES) - {"org_admin"}
# The world's subscription belongs to the 花垣县 organization: its people (and platform admins) only.
SUBSCRIPTION_PARAMS = {"subscription_id"}
BLIND_TO_SUBSCRIPTION = set(ROLES) - {"org_admin", "platform_admin"}
# The world's report is 湘西州's draft (written, not submitted): the city and the province see it.
REPORT_PARAMS = {"report_id"}
BLIND_TO_REPORT = set(ROLES) - {
    "platform_admin",
    "province_civil_affairs",
    "province_rural_revitalization",
    "city_civil_affairs",
}
# 湖南's reporting schedule and period: province staff and platform admins only.
PROVINCE_REPORTING_PARAMS = {"schedule_id", "period_id"}
PROVINCE_REPORTING = {"platform_admin", "province_civil_affairs", "province_rural_revitalization"}
BLIND_TO_PROVINCE_REPORTING = set(ROLES) - PROVINCE_REPORTING
# The world's fund is an active fund of the 花垣县 organization: seen like the organization itself.
FUND_PARAMS = {"fund_id", "project_id"}
# The world's room is a reading room in use at 十八洞村 built by the 花垣县 organization: seen by the
# organization and by staff and submitters whose region holds the village.
FACILITY_PARAMS = {"facility_id"}
BLIND_TO_FACILITY = {"other_county_official", "other_org_admin"}
FACILITY_MOVERS = {"org_admin", "county_official", "county_civil_affairs"}  # builder admin, county staff
# The world's campaign is 花垣县's published relief campaign; its activity is at 十八洞村 (seen by
# the organization, and by staff and submitters whose region holds the place); brands are seen
# like their organization; cases and commendations by the region they belong to (花垣县).
CAMPAIGN_PARAMS = {"campaign_id", "activity_id", "participation_id"}
BLIND_TO_CAMPAIGN = {"other_county_official", "other_org_admin"}
CAMPAIGN_ORGANIZERS = {"platform_admin", "county_civil_affairs", "county_official"}
BRAND_PARAMS = {"brand_id"}
CASE_PARAMS = {"case_id", "commendation_id"}
BLIND_TO_CASE = {"other_county_official", "village_submitter", "org_admin", "other_org_admin"}
# The world's article is 花垣县 civil affairs' published notice: staff of 花垣县 and above see it.
ARTICLE_PARAMS = {"article_id"}
STAFF_SEEING_ORGANIZATION = {
    "province_civil_affairs",
    "province_rural_revitalization",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
}
# The world's pairing is an active pairing of the 花垣县 organization with 十八洞村: seen by the
# organization and by staff and submitters whose region holds the village; the county decides.
PAIRING_PARAMS = {"pairing_id"}
BLIND_TO_PAIRING = {"other_county_official", "other_org_admin"}
PAIRING_DECIDERS = {"platform_admin", "county_official"}
# The world's managed user is a 花垣县 civil affairs staffer: platform admins and the civil affairs
# staff above 花垣县 manage that account; for everyone else it does not exist (docs/accounts.md).
USER_PARAMS = {"user_id"}
USER_MANAGERS = {"platform_admin", "province_civil_affairs", "city_civil_affairs"}
BLIND_TO_USER = set(ROLES) - USER_MANAGERS
# Consumption: the world's product (十八洞村, registered by the county) is listed and its fair
# published, so both are public (`product_id`, `event_id`). A batch is seen like its organization; a
# purchase by the organization and by staff and submitters whose region holds the product's origin.
BATCH_PARAMS = {"batch_id"}
PURCHASE_PARAMS = {"purchase_id"}
# The world's monitored household is in 十八洞村, granted to the 花垣县 organization (masked views only):
# seen by staff and submitters whose region holds the village and by that organization.
HOUSEHOLD_PARAMS = {"household_id"}
BLIND_TO_HOUSEHOLD = {"other_county_official", "other_org_admin"}
BLIND_TO_PURCHASE = {"other_county_official", "other_org_admin"}
PRODUCT_EDITORS = {"platform_admin", "county_official", "county_civil_affairs", "village_submitter"}
EVENT_ORGANIZERS = {
    "platform_admin",
    "province_civil_affairs",
    "province_rural_revitalization",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
}
# Training: the world's training is open (so everyone signed in sees it) and run by the 花垣县 civil
# affairs department: its staff and those above manage it. A member of the 花垣县 organization holds a
# certificate of another (finished) training: seen like the organization; the verification is public.
CERTIFICATE_PARAMS = {"certificate_number"}
# The world's talent is that member, in the pool of the 花垣县 organization: seen like the organization;
# added by its admins or by civil affairs staff whose region holds it; led projects by its admins.
TALENT_PARAMS = {"talent_id"}
TALENT_KEEPERS = {"platform_admin", "org_admin", "province_civil_affairs", "city_civil_affairs", "county_civil_affairs"}
TRAINING_ORGANIZERS = EVENT_ORGANIZERS
DEPARTMENT_STAFF = (EVENT_ORGANIZERS - {"platform_admin"}) | {"other_county_official"}
# Linkage: the world's station is at 双龙镇 (花垣县) and its incubation record is of a 花垣县 rural
# community organization: staff whose region holds them see them. The world's volunteer service is
# organized by the 花垣县 organization at 十八洞村: seen like a match. Civil affairs staff over 花垣县 keep
# stations and incubation; the organizing organization's admin confirms service hours.
LINKAGE_PARAMS = {"station_id", "incubation_id"}
BLIND_TO_LINKAGE = {"other_county_official", "village_submitter", "org_admin", "other_org_admin"}
LINKAGE_SERVICE_PARAMS = {"service_id"}
LINKAGE_CIVIL_AFFAIRS = {"platform_admin", "province_civil_affairs", "city_civil_affairs", "county_civil_affairs"}
# Events (registrations, features, the venture contest): the world's fair has the organization
# registered (seen by the organizers and the organization) and its offer featured (public). The world's
# contest is published; its entry (the organization's) is seen before publication by the organizers,
# the judges (county_official, and a 湘西州 staffer outside the roles) and the entrant only.
EVENT_REGISTRATION_PARAMS = {"registration_id", "entry_id"}
BLIND_TO_EVENT_REGISTRATION = {"other_county_official", "village_submitter", "other_org_admin"}
# Each group of path parameters names records that the listed roles must not see.
SCOPED_PARAMS = [
    (FUND_PARAMS, BLIND_TO_ORGANIZATION),
    (ORGANIZATION_PARAMS, BLIND_TO_ORGANIZATION),
    (DEMAND_PARAMS, BLIND_TO_DEMAND),
    (MATCH_PARAMS, BLIND_TO_MATCH),
    (RUN_PARAMS, BLIND_TO_RUN),
    (NOTIFICATION_PARAMS, BLIND_TO_NOTIFICATION),
    (SUBSCRIPTION_PARAMS, BLIND_TO_SUBSCRIPTION),
    (REPORT_PARAMS, BLIND_TO_REPORT),
    (PROVINCE_REPORTING_PARAMS, BLIND_TO_PROVINCE_REPORTING),
    (USER_PARAMS, BLIND_TO_USER),
    (CAMPAIGN_PARAMS, BLIND_TO_CAMPAIGN),
    (BRAND_PARAMS, BLIND_TO_ORGANIZATION),
    (CASE_PARAMS, BLIND_TO_CASE),
    (ARTICLE_PARAMS, BLIND_TO_CASE),
    (FACILITY_PARAMS, BLIND_TO_FACILITY),
    (PAIRING_PARAMS, BLIND_TO_PAIRING),
    (BATCH_PARAMS, BLIND_TO_ORGANIZATION),
    (PURCHASE_PARAMS, BLIND_TO_PURCHASE),
    (HOUSEHOLD_PARAMS, BLIND_TO_HOUSEHOLD),
    (CERTIFICATE_PARAMS, BLIND_TO_ORGANIZATION),
    (TALENT_PARAMS, BLIND_TO_ORGANIZATION),
    (LINKAGE_PARAMS, BLIND_TO_LINKAGE),
    (LINKAGE_SERVICE_PARAMS, BLIND_TO_MATCH),
    (EVENT_REGISTRATION_PARAMS, BLIND_TO_EVENT_REGISTRATION),  # events
]


# Reads about a published record that anyone signed in may make (the record itself is public).
PUBLISHED_READS = {
    "/api/v1/recommendations/demands/{demand_id}",
    "/api/v1/recommendations/offers/{offer_id}",
    "recommendations/demand/<int:demand_id>/",
    "recommendations/offer/<int:offer_id>/",
}


def is_blind(role: str, params: set[str], path: str) -> bool:
    """Whether `role` must get 404 on this path (public paths show published records to everyone)."""
    if "/public/" in "/" + path or path in PUBLISHED_READS:
        return False
    return any(params & group and role in blind for group, blind in SCOPED_PARAMS)


# A multipart body: one small PNG under the field name `files`.
MULTIPART = "multipart"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# Province indicators (readable by anyone signed in) are kept by the province's civil affairs staff.
EVALUATION_MANAGERS = {"platform_admin", "province_civil_affairs"}

# Writes: the body to send, and the roles that may succeed (everyone else: 403, 404, 409 or 422).
WRITES: dict[tuple[str, str], tuple[Any, set[str]]] = {
    ("POST", "/api/v1/accounts/tokens"): ({"name": "矩阵"}, set(ROLES)),
    ("POST", "/api/v1/accounts/tokens/{token_id}/revoke"): (None, {"platform_admin", "county_official"}),
    ("POST", "/api/v1/accounts/users"): (
        lambda world: {
            "username": "matrix_new",
            "full_name": "矩阵",
            "role": "department_staff",
            "department_id": world["user_department_id"],
        },
        USER_MANAGERS,
    ),
    ("POST", "/api/v1/accounts/users/{user_id}/deactivate"): ({"reason": "矩阵"}, USER_MANAGERS),
    ("POST", "/api/v1/accounts/users/{user_id}/reactivate"): ({}, set()),  # already active
    ("POST", "/api/v1/accounts/users/{user_id}/reset-password"): (None, USER_MANAGERS),
    ("POST", "/api/v1/accounts/users/{user_id}/unlock"): (None, USER_MANAGERS),
    # security (H4): a manager removes a person's authenticator; none to remove still succeeds.
    ("POST", "/api/v1/accounts/users/{user_id}/reset-two-factor"): (None, USER_MANAGERS),
    ("PUT", "/api/v1/regions/{code}/designations"): (
        {"kinds": ["poverty_exited_village"]},
        {"platform_admin", "province_civil_affairs", "province_rural_revitalization"},
    ),
    ("POST", "/api/v1/organizations/"): (None, set()),  # body built per test: needs a fresh credit code
    ("PATCH", "/api/v1/organizations/{organization_id}"): ({"address": "矩阵地址"}, {"platform_admin", "org_admin"}),
    ("POST", "/api/v1/organizations/{organization_id}/approve"): (None, set()),  # already approved: nobody
    ("POST", "/api/v1/organizations/{organization_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/organizations/{organization_id}/resubmit"): (None, set()),
    ("POST", "/api/v1/organizations/{organization_id}/suspend"): (
        {"reason": "矩阵"},
        {"platform_admin", "county_civil_affairs"},
    ),
    ("POST", "/api/v1/organizations/{organization_id}/reinstate"): ({"reason": "矩阵"}, set()),
    ("PATCH", "/api/v1/organizations/{organization_id}/members/{membership_id}"): (
        {"is_active": True},
        {"platform_admin", "org_admin"},
    ),
    ("POST", "/api/v1/organizations/{organization_id}/invitations"): (
        {"full_name": "新成员", "email": "new@example.com", "role": "member"},
        {"platform_admin", "org_admin"},
    ),
    ("POST", "/api/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke"): (
        None,
        {"platform_admin", "org_admin"},
    ),
    # The world's offer is published: only closing it and changing its capacity can succeed.
    ("POST", "/api/v1/offers/"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "title": "矩阵供给",
            "description": "矩阵",
            "domains": ["education"],
            "nationwide": True,
            "capacity_demands": 1,
            "window_start": str(date.today()),
            "window_end": str(date.today() + timedelta(days=365)),
            "aid_mode": "relief",
        },
        {"org_admin"},
    ),
    ("PATCH", "/api/v1/offers/{offer_id}"): ({"capacity_demands": 5}, {"org_admin"}),
    ("POST", "/api/v1/offers/{offer_id}/attachments"): (MULTIPART, {"org_admin"}),
    ("POST", "/api/v1/offers/{offer_id}/submit"): (None, set()),
    ("POST", "/api/v1/offers/{offer_id}/resubmit"): (None, set()),
    ("POST", "/api/v1/offers/{offer_id}/publish"): (None, set()),
    ("POST", "/api/v1/offers/{offer_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/offers/{offer_id}/close"): ({"reason": "矩阵"}, REVIEWERS | {"org_admin"}),
    # An .xlsx upload only: without one, 422 for whoever sees the organization, 404 for the rest.
    ("POST", "/api/v1/offers/import/{organization_id}/preview"): (None, set()),
    ("POST", "/api/v1/offers/import/{organization_id}"): (None, set()),
    ("POST", "/api/v1/demands/"): (
        {
            "title": "矩阵需求",
            "description": "矩阵",
            "region_code": "433124110226",
            "domains": ["education"],
            "deadline": "2099-12-31",
            "contact_name": "石金",
            "contact_phone": "13974300000",
        },
        {"platform_admin", "county_official", "village_submitter"},
    ),
    ("PATCH", "/api/v1/demands/{demand_id}"): ({"budget": "123"}, DEMAND_EDITORS),
    ("POST", "/api/v1/demands/{demand_id}/attachments"): (MULTIPART, DEMAND_EDITORS),
    ("POST", "/api/v1/demands/{demand_id}/submit"): (None, set()),
    ("POST", "/api/v1/demands/{demand_id}/resubmit"): (None, set()),
    ("POST", "/api/v1/demands/{demand_id}/publish"): (None, set()),
    ("POST", "/api/v1/demands/{demand_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/demands/{demand_id}/withdraw"): ({"reason": "矩阵"}, DEMAND_EDITORS),
    ("POST", "/api/v1/demands/import/preview"): (None, set()),  # an .xlsx upload only: 422 or 403
    ("POST", "/api/v1/demands/import"): (None, set()),
    # 点单 and 接单 of the world's free published demand with the world's offer.
    ("POST", "/api/v1/matches/order"): (
        lambda world: {"demand_id": world["demand_id"], "offer_id": world["offer_id"]},
        {"platform_admin", "county_official", "village_submitter"},
    ),
    ("POST", "/api/v1/matches/take"): (
        lambda world: {"demand_id": world["demand_id"], "offer_id": world["offer_id"]},
        {"org_admin"},
    ),
    ("POST", "/api/v1/matches/{match_id}/accept"): (None, set()),
    ("POST", "/api/v1/matches/{match_id}/decline"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/matches/{match_id}/confirm"): (None, set()),
    ("POST", "/api/v1/matches/{match_id}/start"): (None, set()),
    ("POST", "/api/v1/matches/{match_id}/activities"): (
        lambda world: {"date": str(date.today()), "title": "课后辅导", "people_served": 12},
        MATCH_RUNNERS,
    ),
    ("POST", "/api/v1/matches/{match_id}/milestones"): (
        {"title": "第一期培训", "due_date": "2099-01-01"},
        MATCH_RUNNERS,
    ),
    ("POST", "/api/v1/matches/{match_id}/milestones/{milestone_id}/reach"): (
        lambda world: {"done_on": str(date.today())},
        MATCH_RUNNERS,
    ),
    ("POST", "/api/v1/matches/{match_id}/complete"): ({"report": "已完成"}, MATCH_RUNNERS),
    ("POST", "/api/v1/matches/{match_id}/evaluate"): ({"score": 5}, set()),
    # Everyone marks their own inbox read; one notification only by its recipient.
    ("POST", "/api/v1/notifications/read-all"): (None, set(ROLES)),
    ("POST", "/api/v1/notifications/{notification_id}/read"): (None, {"org_admin"}),
    ("POST", "/api/v1/notifications/subscriptions"): (
        lambda world: {"organization_id": world["organization_id"], "domains": ["education"]},
        {"platform_admin", "org_admin"},
    ),
    ("PATCH", "/api/v1/notifications/subscriptions/{subscription_id}"): (
        {"is_active": True},
        {"platform_admin", "org_admin"},
    ),
    # Accepting a recommendation is 点单 for the demand side and 接单 for the offer's organization.
    ("POST", "/api/v1/recommendations/accept"): (
        lambda world: {"demand_id": world["demand_id"], "offer_id": world["offer_id"]},
        {"platform_admin", "county_official", "village_submitter", "org_admin"},
    ),
    ("PUT", "/api/v1/recommendations/weights"): (
        {"province_code": "430000000000", "weights": {"geography": 3}},
        {"platform_admin", "province_civil_affairs", "province_rural_revitalization"},
    ),
    ("POST", "/api/v1/allocation/runs"): ({"region_code": "433100000000"}, RUN_STAFF),
    ("POST", "/api/v1/allocation/items/{item_id}/confirm"): (None, RUN_STAFF),
    ("POST", "/api/v1/allocation/items/{item_id}/drop"): ({"reason": "矩阵"}, RUN_STAFF),
    ("PATCH", "/api/v1/reports/schedules/{schedule_id}"): (
        {"frequency": "half_yearly", "due_month": 6, "due_day": 10},
        PROVINCE_REPORTING,
    ),
    ("POST", "/api/v1/reports/periods/open"): ({"province_code": "430000000000"}, PROVINCE_REPORTING),
    ("POST", "/api/v1/reports/periods/{period_id}/close"): (None, PROVINCE_REPORTING),
    ("PATCH", "/api/v1/reports/{report_id}"): ({"progress": "矩阵进展二"}, {"city_civil_affairs"}),
    ("POST", "/api/v1/reports/{report_id}/submit"): (None, {"city_civil_affairs"}),
    ("POST", "/api/v1/reports/{report_id}/accept"): ({"comment": ""}, set()),  # a draft: nobody
    ("POST", "/api/v1/reports/{report_id}/return"): ({"comment": "矩阵"}, set()),
    ("POST", "/api/v1/matches/{match_id}/cancel"): (
        {"reason": "矩阵"},
        {"platform_admin", "county_official", "org_admin"},
    ),
    # The world's fund is active: the organization records money; only closing is a workflow step left.
    ("POST", "/api/v1/monitoring/"): (
        {
            "village_code": "433124110226",
            "category": "marginal",
            "head_name": "矩阵",
            "head_id_number": "11010519491231002X",
            "risks": ["illness"],
            "income_per_capita": "5000",
            "identified_on": "2026-01-01",
        },
        {"county_official"},
    ),
    ("POST", "/api/v1/monitoring/{household_id}/members"): (
        {"name": "矩阵", "id_number": "11010519491231002X", "relation": "子女"},
        {"county_official"},
    ),
    ("POST", "/api/v1/monitoring/{household_id}/close"): (
        {"status": "risk_eliminated", "on": str(date.today()), "reason": "矩阵"},
        {"county_official"},
    ),
    ("POST", "/api/v1/monitoring/{household_id}/accesses"): (
        lambda world: {"organization_id": world["organization_id"], "until": str(date.today() + timedelta(days=30))},
        {"county_official"},
    ),
    ("POST", "/api/v1/monitoring/{household_id}/assistance"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "kind": "service",
            "what": "矩阵",
            "given_on": str(date.today()),
        },
        {"org_admin"},
    ),
    ("POST", "/api/v1/funds/"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "name": "矩阵基金",
            "founder_kind": "enterprise",
            "founder_name": "矩阵公司",
            "purpose": "矩阵",
            "domains": ["education"],
            "target_regions": ["433124000000"],
        },
        {"org_admin"},
    ),
    ("PATCH", "/api/v1/funds/{fund_id}"): ({"name": "矩阵"}, set()),
    ("POST", "/api/v1/funds/{fund_id}/submit"): (None, set()),
    ("POST", "/api/v1/funds/{fund_id}/resubmit"): (None, set()),
    ("POST", "/api/v1/funds/{fund_id}/approve"): (None, set()),
    ("POST", "/api/v1/funds/{fund_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/funds/{fund_id}/close"): ({"reason": "矩阵"}, REVIEWERS | {"org_admin"}),
    ("POST", "/api/v1/funds/{fund_id}/projects"): (
        lambda world: {"name": "矩阵项目二", "start_date": str(date.today()), "end_date": str(date.today())},
        {"org_admin"},
    ),
    ("POST", "/api/v1/funds/{fund_id}/donations"): (
        lambda world: {
            "donor_kind": "enterprise",
            "donor_name": "矩阵公司",
            "amount": "50.00",
            "donated_on": str(date.today()),
            "channel": "bank",
            "receipt_number": "MATRIX-2",
        },
        {"org_admin"},
    ),
    ("POST", "/api/v1/funds/{fund_id}/disbursements"): (
        lambda world: {
            "amount": "10.00",
            "paid_on": str(date.today()),
            "payee": "十八洞村村委会",
            "purpose": "矩阵",
            "project_number": world["fund_project_number"],
        },
        {"org_admin"},
    ),
    ("POST", "/api/v1/funds/{fund_id}/disclosures"): (
        lambda world: {"period_start": str(date.today()), "period_end": str(date.today()), "text": "矩阵"},
        {"org_admin"},
    ),
    # Campaigns: organizers are the staff of 花垣县; the organization enrolls and records its own work.
    ("POST", "/api/v1/campaigns/"): (
        lambda world: {
            "kind": "relief",
            "name": "矩阵行动二",
            "description": "矩阵",
            "start_date": str(date.today()),
            "end_date": str(date.today() + timedelta(days=30)),
            "region_code": "433124000000",
        },
        CAMPAIGN_ORGANIZERS,
    ),
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): ({"target_activities": 12}, CAMPAIGN_ORGANIZERS),
    ("POST", "/api/v1/campaigns/{campaign_id}/publish"): (None, set()),  # already published
    ("POST", "/api/v1/campaigns/{campaign_id}/close"): (None, CAMPAIGN_ORGANIZERS),
    ("POST", "/api/v1/campaigns/{campaign_id}/enroll"): (  # already enrolled: nobody
        lambda world: {"organization_id": world["organization_id"]},
        set(),
    ),
    ("POST", "/api/v1/campaigns/{campaign_id}/withdraw"): (
        lambda world: {"organization_id": world["organization_id"]},
        {"org_admin"},
    ),
    ("POST", "/api/v1/campaigns/{campaign_id}/activities"): (
        lambda world: campaigns_activity_body(world),
        {"org_admin"},
    ),
    ("PATCH", "/api/v1/campaigns/activities/{activity_id}"): ({"place": "矩阵地点"}, {"org_admin"}),
    ("POST", "/api/v1/campaigns/activities/{activity_id}/photos"): (MULTIPART, {"org_admin"}),
    ("POST", "/api/v1/campaigns/activities/{activity_id}/participations"): ({"hours": "1.5"}, {"org_admin"}),
    ("DELETE", "/api/v1/campaigns/activities/{activity_id}/participations/{participation_id}"): (None, {"org_admin"}),
    # Brands are the organization's admins'; cases and commendations are written by staff who see it.
    ("POST", "/api/v1/brands/"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "name": "矩阵品牌二",
            "description": "矩阵",
            "started_year": 2021,
        },
        {"org_admin"},
    ),
    ("PATCH", "/api/v1/brands/{brand_id}"): ({"description": "矩阵简介"}, {"org_admin"}),
    ("POST", "/api/v1/brands/{brand_id}/status"): ({"status": "retired"}, {"org_admin"}),
    ("POST", "/api/v1/brands/cases"): (
        lambda world: {
            "title": "矩阵案例二",
            "summary": "矩阵",
            "body": "矩阵",
            "organization_id": world["organization_id"],
        },
        STAFF_SEEING_ORGANIZATION,
    ),
    # The world's case is published: only withdrawing it is left (writer's department or reviewers).
    ("PATCH", "/api/v1/brands/cases/{case_id}"): ({"title": "矩阵"}, set()),
    ("POST", "/api/v1/brands/cases/{case_id}/submit"): (None, set()),
    ("POST", "/api/v1/brands/cases/{case_id}/resubmit"): (None, set()),
    ("POST", "/api/v1/brands/cases/{case_id}/publish"): (None, set()),
    ("POST", "/api/v1/brands/cases/{case_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/brands/cases/{case_id}/withdraw"): (
        {"reason": "矩阵"},
        {"platform_admin", "city_civil_affairs", "county_civil_affairs"},
    ),
    ("POST", "/api/v1/brands/commendations"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "year": date.today().year,
            "title": "矩阵表彰二",
            "issuing_department": "矩阵",
            "awarded_on": str(date.today()),
        },
        STAFF_SEEING_ORGANIZATION,
    ),
    ("PATCH", "/api/v1/brands/commendations/{commendation_id}"): (
        {"document_number": "矩阵〔2026〕1号"},
        {"platform_admin", "county_civil_affairs", "county_official"},
    ),
    # The transparency log: reads are public; publishing is for platform admins and province staff;
    # a cosignature must verify under a configured witness key (none in the matrix).
    ("POST", "/api/v1/tlog/checkpoints"): (
        None,
        {"platform_admin", "province_civil_affairs", "province_rural_revitalization"},
    ),
    ("POST", "/api/v1/tlog/checkpoints/{tree_size}/cosignatures"): ({"line": "— witness AAAA"}, set()),
    # Consumption: staff of the origin register and edit products (the world's is listed); the
    # organization's own people record purchases and add invoices.
    ("POST", "/api/v1/consumption/products"): (
        {
            "name": "矩阵腊肉",
            "producer_name": "矩阵合作社",
            "producer_kind": "cooperative",
            "origin_code": "433124110226",
            "category": "meat_egg",
            "unit": "斤",
            "price": "60",
        },
        PRODUCT_EDITORS,
    ),
    ("PATCH", "/api/v1/consumption/products/{product_id}"): ({"price": "99"}, PRODUCT_EDITORS),
    ("POST", "/api/v1/consumption/products/{product_id}/delist"): (None, PRODUCT_EDITORS),
    ("POST", "/api/v1/consumption/products/{product_id}/relist"): (None, set()),  # already listed
    ("POST", "/api/v1/consumption/products/{product_id}/photos"): (MULTIPART, PRODUCT_EDITORS),
    ("POST", "/api/v1/consumption/batches"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "purchases": [
                {
                    "product_id": world["product_id"],
                    "quantity": "1",
                    "purchased_on": str(date.today()),
                    "channel": "direct",
                    "invoice_number": "MATRIX-FP-3",
                }
            ],
        },
        {"org_admin"},
    ),
    ("POST", "/api/v1/consumption/batches/{batch_id}/invoices"): (MULTIPART, {"org_admin"}),
    # Events: organizers are the staff of 花垣县 and above; the world's fair is published and has a
    # sale (so it cannot be cancelled, and 十八洞村 stays on it; 马鞍村 has none and may leave).
    ("POST", "/api/v1/events/"): (
        {
            "kind": "trade_fair",
            "name": "矩阵展销会",
            "region_code": "433124000000",
            "venue": "矩阵会场",
            "organizer": "花垣县",
            "starts_on": str(date.today()),
            "ends_on": str(date.today()),
        },
        EVENT_ORGANIZERS,
    ),
    ("PATCH", "/api/v1/events/{event_id}"): ({"venue": "矩阵会场二"}, EVENT_ORGANIZERS),
    ("POST", "/api/v1/events/{event_id}/publish"): (None, set()),
    ("POST", "/api/v1/events/{event_id}/finish"): (None, EVENT_ORGANIZERS),
    ("POST", "/api/v1/events/{event_id}/cancel"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/events/{event_id}/villages"): (
        lambda world: {"village_code": world["new_village_code"], "booth": "B01"},
        EVENT_ORGANIZERS,
    ),
    ("DELETE", "/api/v1/events/{event_id}/villages/{village_code}"): (None, EVENT_ORGANIZERS),
    # Events — registrations, features, the venture contest. Staff whose region holds a 花垣县 village
    # register it; the organizers check in; the registrant or the organizers cancel.
    ("POST", "/api/v1/events/{event_id}/registrations"): (
        lambda world: {"village_code": world["new_village_code"], "contact_name": "矩阵村干部"},
        EVENT_ORGANIZERS,
    ),
    ("POST", "/api/v1/events/{event_id}/registrations/{registration_id}/check-in"): (None, EVENT_ORGANIZERS),
    ("POST", "/api/v1/events/{event_id}/registrations/{registration_id}/cancel"): (
        None,
        EVENT_ORGANIZERS | {"org_admin"},
    ),
    ("POST", "/api/v1/events/{event_id}/features"): (lambda world: {"demand_id": world["demand_id"]}, EVENT_ORGANIZERS),
    ("DELETE", "/api/v1/events/{event_id}/features/{feature_id}"): (None, EVENT_ORGANIZERS),
    # The contest's weights already sum to 100: another criterion is refused for everyone.
    ("POST", "/api/v1/events/contests/{contest_id}/criteria"): ({"name": "矩阵", "weight": 10, "max_score": 10}, set()),
    ("POST", "/api/v1/events/contests/{contest_id}/judges"): (
        lambda world: {"username": world["judge_username"]},
        EVENT_ORGANIZERS,
    ),
    # The world's criterion has a score: removing it is refused for everyone; its second judge has not
    # scored, so the organizers may remove that judge.
    ("DELETE", "/api/v1/events/contests/{contest_id}/criteria/{criterion_id}"): (None, set()),
    ("DELETE", "/api/v1/events/contests/{contest_id}/judges/{judge_id}"): (None, EVENT_ORGANIZERS),
    ("POST", "/api/v1/events/contests/{contest_id}/entries"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "title": "矩阵参赛项目二",
            "plan": "计划",
            "budget": "1000",
            "target_region_code": "433124110226",
            "domains": ["education"],
        },
        {"org_admin"},
    ),
    ("POST", "/api/v1/events/contests/{contest_id}/entries/{entry_id}/scores"): (
        lambda world: {"scores": {str(world["criterion_id"]): "90"}},
        {"county_official"},  # the only judge among the roles
    ),
    ("POST", "/api/v1/events/contests/{contest_id}/publish-results"): ({"winners": 1}, EVENT_ORGANIZERS),
    ("POST", "/api/v1/training/"): (
        {
            "title": "矩阵培训二",
            "trainer": "矩阵",
            "starts_on": str(date.today()),
            "ends_on": str(date.today()),
            "mode": "online",
            "link": "https://example.cn/m",
            "capacity": 5,
            "hours": "2",
        },
        DEPARTMENT_STAFF,
    ),
    ("POST", "/api/v1/training/{training_id}/open"): (None, set()),
    ("POST", "/api/v1/training/{training_id}/finish"): (None, TRAINING_ORGANIZERS),
    ("POST", "/api/v1/training/{training_id}/cancel"): ({"reason": "矩阵"}, TRAINING_ORGANIZERS),
    ("POST", "/api/v1/training/{training_id}/enrollments"): (
        lambda world: {"organization_id": world["organization_id"]},
        {"org_admin"},
    ),
    ("POST", "/api/v1/training/{training_id}/attendance"): (
        lambda world: {"enrollment_id": world["training_enrollment_id"], "attended": True},
        TRAINING_ORGANIZERS,
    ),
    ("POST", "/api/v1/training/talents"): (
        lambda world: {
            "person_id": world["talent_candidate_id"],
            "organization_id": world["organization_id"],
            "social_work_level": "assistant",
            "social_work_certificate": "SW-MATRIX-2",
            "social_work_year": 2024,
        },
        TALENT_KEEPERS,
    ),
    ("POST", "/api/v1/training/talents/{talent_id}/led-projects"): (
        lambda world: {"match_id": world["match_id"], "role": "项目负责人"},
        {"org_admin", "platform_admin"},
    ),
    # Pairings: the organization proposes (another village: the world's own pairing is live); the
    # county arranges, reviews and ends; the world's pairing is active, so nothing else is left.
    ("POST", "/api/v1/pairings/"): (
        lambda world: {
            "organization_id": world["organization_id"],
            "region_code": "433124110227",
            "start_date": str(date.today()),
            "end_date": str(date.today() + timedelta(days=365)),
            "committed_projects": 1,
        },
        {"org_admin"},
    ),
    ("POST", "/api/v1/pairings/arrange"): (
        lambda world: {
            "organization_credit_code": world["organization"].credit_code,
            "region_code": "433124110227",
            "start_date": str(date.today()),
            "end_date": str(date.today() + timedelta(days=365)),
            "committed_projects": 1,
        },
        PAIRING_DECIDERS,
    ),
    ("POST", "/api/v1/pairings/{pairing_id}/confirm"): ({}, set()),
    ("POST", "/api/v1/pairings/{pairing_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/pairings/{pairing_id}/withdraw"): ({}, set()),
    ("POST", "/api/v1/pairings/{pairing_id}/resubmit"): (
        lambda world: {"start_date": str(date.today()), "end_date": str(date.today()), "committed_projects": 1},
        set(),
    ),
    ("POST", "/api/v1/pairings/{pairing_id}/end"): ({"reason": "矩阵"}, PAIRING_DECIDERS),
    ("POST", "/api/v1/pairings/{pairing_id}/review/start"): ({}, PAIRING_DECIDERS),
    ("POST", "/api/v1/pairings/{pairing_id}/review/conclude"): ({"assessment": "矩阵", "outcome": "ended"}, set()),
    # A refund of the world's donation (1 000 yuan): the organization's admin only.
    ("POST", "/api/v1/funds/{fund_id}/donations/{donation_number}/refunds"): (
        lambda world: {"amount": "10.00", "refunded_on": str(date.today()), "reason": "矩阵"},
        {"org_admin"},
    ),
    # Rooms: registered by the builder's admin or people of the village's county, township or village.
    ("POST", "/api/v1/facilities/"): (
        lambda world: {
            "builder_id": world["organization_id"],
            "kind": "children_room",
            "name": "矩阵宝贝小屋",
            "village": "433124110226",
        },
        FACILITY_MOVERS | {"village_submitter"},
    ),
    ("POST", "/api/v1/facilities/{facility_id}/start"): (None, set()),  # already in use: nobody
    ("POST", "/api/v1/facilities/{facility_id}/open"): (lambda world: {"opened_on": str(date.today())}, set()),
    ("POST", "/api/v1/facilities/{facility_id}/close"): ({"reason": "矩阵"}, FACILITY_MOVERS),
    ("POST", "/api/v1/facilities/{facility_id}/usages"): (
        lambda world: {"used_on": str(date.today()), "kind": "visits", "count": 3},
        FACILITY_MOVERS | {"village_submitter"},
    ),
    # Evaluation: 湖南's indicators, scheme and computing its scores are its civil affairs department's.
    ("POST", "/api/v1/evaluation/indicators"): (
        {
            "province_code": "430000000000",
            "category": "results",
            "code": "matrix",
            "name": "矩阵",
            "weight": "5",
            "formula": "activities / 10",
        },
        EVALUATION_MANAGERS,
    ),
    ("PUT", "/api/v1/evaluation/indicators"): (
        lambda world: {"province_code": "430000000000", "indicators": [{"id": world["indicator_id"], "name": "矩阵"}]},
        EVALUATION_MANAGERS,
    ),
    ("PATCH", "/api/v1/evaluation/indicators/{indicator_id}"): ({"description": "矩阵"}, EVALUATION_MANAGERS),
    ("PUT", "/api/v1/evaluation/scheme"): (
        {"province_code": "430000000000", "rating_points": "60"},
        EVALUATION_MANAGERS,
    ),
    ("POST", "/api/v1/evaluation/scores/compute"): (
        lambda world: {"province_code": "430000000000", "year": world["year"]},
        EVALUATION_MANAGERS,
    ),
    ("POST", "/api/v1/linkage/stations"): (
        {"region": "433124109000", "name": "矩阵社工站", "opened_on": "2025-06-01"},
        LINKAGE_CIVIL_AFFAIRS,
    ),
    ("POST", "/api/v1/linkage/stations/{station_id}/staff"): ({"name": "矩阵", "role": "社工"}, LINKAGE_CIVIL_AFFAIRS),
    ("POST", "/api/v1/linkage/volunteers"): (
        lambda world: {"name": "矩阵", "phone": "13700000000", "organization_id": world["organization_id"]},
        {"platform_admin", "org_admin"},
    ),
    ("POST", "/api/v1/linkage/services"): (
        lambda world: {
            "volunteer_id": world["linkage_volunteer_id"],
            "served_on": "2025-06-01",
            "hours": "2",
            "content": "矩阵",
            "region": "433124110226",
            "organization_id": world["organization_id"],
        },
        {"platform_admin", "org_admin"},
    ),
    ("POST", "/api/v1/linkage/services/{service_id}/confirm"): (None, {"platform_admin", "org_admin"}),
    ("POST", "/api/v1/linkage/services/{service_id}/reject"): ({"reason": "矩阵"}, {"platform_admin", "org_admin"}),
    ("POST", "/api/v1/linkage/incubations"): (
        lambda world: {
            "organization_id": world["linkage_waiting_organization_id"],
            "filed_on": "2025-06-01",
            "incubator_station_id": world["station_id"],
        },
        LINKAGE_CIVIL_AFFAIRS,
    ),
    ("POST", "/api/v1/linkage/incubations/{incubation_id}/move"): ({"stage": "incubating"}, LINKAGE_CIVIL_AFFAIRS),
    # ---- Portal (H2): staff of either department write; the world's article is 花垣县 civil affairs'
    # published notice, so editing, uploading and every review step are refused to all; withdrawing it
    # is for its department and its reviewers (花垣县 rural revitalization, 湘西州 staff, platform admins).
    ("POST", "/api/v1/portal/"): ({"kind": "news", "title": "矩阵文章二", "body": "矩阵"}, DEPARTMENT_STAFF),
    ("PATCH", "/api/v1/portal/{article_id}"): ({"title": "矩阵改"}, set()),
    ("POST", "/api/v1/portal/{article_id}/attachments"): (MULTIPART, set()),
    ("POST", "/api/v1/portal/{article_id}/submit"): (None, set()),
    ("POST", "/api/v1/portal/{article_id}/resubmit"): (None, set()),
    ("POST", "/api/v1/portal/{article_id}/publish"): (None, set()),
    ("POST", "/api/v1/portal/{article_id}/return"): ({"reason": "矩阵"}, set()),
    ("POST", "/api/v1/portal/{article_id}/withdraw"): (
        {"reason": "矩阵"},
        {"platform_admin", "county_civil_affairs", "county_official", "city_civil_affairs"},
    ),
    # ---- end Portal (H2)
}


def api_operations() -> list[tuple[str, str, bool]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    ops = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            ops.append((method.upper(), path, bool(spec.get("security"))))
    return sorted(ops)


OPERATIONS = api_operations()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tlog_signing_seed):
    """The people and the world, made once for the whole module inside one transaction.

    Each test's own atomic block (pytest-django's) nests inside it as a savepoint, so whatever a
    test writes is rolled back to this world, and the module's end rolls the world back too.
    Building it per test made the matrix take most of the suite's time.
    """
    from django.db import transaction
    from django.test import override_settings

    from conftest import ROLE_MAKERS, make_org_admin, make_organization

    hashers = ["conftest.CheapArgon2PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, TLOG_SIGNING_KEY=tlog_signing_seed),
        transaction.atomic(),
    ):
        organization = make_organization()
        people: dict[str, Any] = {role: make() for role, make in ROLE_MAKERS.items()}
        people["organization"] = organization
        people["org_admin"] = make_org_admin(organization)
        yield people, build_world(organization, people["org_admin"], people["county_official"])
        transaction.set_rollback(True)


@pytest.fixture
def world(db, shared_world):
    return shared_world[1]


def _shared_person(name: str) -> Any:
    @pytest.fixture(name=name)
    def person(db, shared_world):
        return shared_world[0][name]

    return person


# The conftest fixtures of the same names would make these people a second time; here each role
# is the one the shared world was built with.
for _name in [*ROLES, "organization", "other_county_civil_affairs"]:
    globals()[f"_{_name}_fixture"] = _shared_person(_name)


def build_world(organization, org_admin, county_official):
    from xiangzhen.brands.tests.factories import matrix_world as brands_matrix_world
    from xiangzhen.campaigns.tests.factories import matrix_world as campaigns_matrix_world
    from xiangzhen.consumption.tests.factories import matrix_world as consumption_matrix_world
    from xiangzhen.demands.tests.factories import DemandFactory
    from xiangzhen.evaluation.tests.factories import matrix_world as evaluation_matrix_world
    from xiangzhen.events.tests.factories import matrix_world as events_matrix_world
    from xiangzhen.facilities.tests.factories import matrix_world as facilities_matrix_world
    from xiangzhen.funds.tests.factories import matrix_world as funds_matrix_world
    from xiangzhen.linkage.tests.factories import matrix_world as linkage_matrix_world
    from xiangzhen.matching.tests.factories import DemandFactory as PublishedDemandFactory
    from xiangzhen.matching.tests.factories import MatchFactory
    from xiangzhen.monitoring.tests.factories import matrix_world as monitoring_matrix_world
    from xiangzhen.notifications import services as notifications
    from xiangzhen.notifications.models import Notification
    from xiangzhen.offers.tests.factories import OfferFactory
    from xiangzhen.pairings.tests.factories import matrix_world as pairings_matrix_world
    from xiangzhen.portal.tests.factories import matrix_world as portal_matrix_world
    from xiangzhen.reporting.tests.factories import matrix_world as reporting_matrix_world
    from xiangzhen.training.tests.factories import matrix_world as training_matrix_world

    token, _ = accounts.create_api_token(actor=county_official, name="县级对接")
    demand = DemandFactory(status="published")
    offer_id = OfferFactory(organization=organization, created_by=org_admin, status="published").pk
    match = MatchFactory(
        demand=PublishedDemandFactory(status="in_progress"), organization=organization, status="in_progress"
    )
    invitation, _ = organizations.invite_member(
        actor=org_admin, organization=organization, full_name="待加入", email="wait@example.com", role="member"
    )
    managed_user = staff("civil_affairs", "433124000000", username="hy_mz_matrix")
    return {
        "user_id": managed_user.pk,
        "user_department_id": managed_user.department_id,
        "organization_id": organization.pk,
        "membership_id": Membership.objects.get(organization=organization, user=org_admin).pk,
        "invitation_id": invitation.pk,
        "token_id": token.pk,
        "offer_id": offer_id,
        "code": "433124110226",
        "demand_id": demand.pk,
        "notification_id": Notification.objects.create(
            recipient=org_admin, kind="demand_published", demand=demand, title="矩阵通知"
        ).pk,
        "subscription_id": notifications.subscribe(
            actor=org_admin, organization=organization, data=notifications.SubscriptionData(domains=["education"])
        ).pk,
        "match_id": match.pk,
        "milestone_id": MatchMilestone.objects.create(
            match=match, title="第一期培训", due_date=date.today(), created_by=org_admin
        ).pk,
        "organization": organization,
        **tlog_world(),  # first to append, so its checkpoint covers exactly its three leaves
        **allocation_world(county_official, organization, org_admin, offer_id),
        **funds_matrix_world(organization, org_admin),
        **training_matrix_world(organization, org_admin),
        **campaigns_matrix_world(organization, org_admin),
        **brands_matrix_world(organization, org_admin),
        **portal_matrix_world(),
        **facilities_matrix_world(organization, org_admin),
        **pairings_matrix_world(organization, org_admin, county_official),
        **consumption_matrix_world(organization, org_admin, county_official),
        **events_matrix_world(organization, org_admin, county_official),  # after consumption: uses its fair
        **monitoring_matrix_world(organization, org_admin, county_official),
        **reporting_matrix_world(),
        **linkage_matrix_world(organization, org_admin),
        **evaluation_matrix_world(),  # last: it scores the organization from everything above
    }


# Roles without a region scope over 花垣县 (staff tools answer them 404 for its county).
BLIND_TO_HUAYUAN = {"other_county_official", "village_submitter", "org_admin", "other_org_admin"}
REGION_QUERY_ENDPOINTS = {"/api/v1/matches/duplicates"}
# Required query parameters of GET endpoints.
QUERIES = {
    "/api/v1/regions/search": "?q=花垣",
    "/api/v1/matches/duplicates": "?county=433124000000",
    "/api/v1/tlog/proof/inclusion": "?index=1&tree_size=3",
    "/api/v1/tlog/proof/consistency": "?first=3&second=3",
}
# The transparency log is public by design: its leaves name organizations by their unified social
# credit code (public registration data), so the log's reads are not checked for the world's code.
PUBLIC_LOG_READS = {"/api/v1/tlog/entries", "/api/v1/tlog/current"}


def tlog_world() -> dict[str, Any]:
    """Three test leaves and a checkpoint signed over them (public data: no scope applies)."""
    from xiangzhen.tlog import services as tlog
    from xiangzhen.tlog.tests.support import TEST_KIND, append_test_leaves

    append_test_leaves(3)
    tlog.publish_checkpoint(actor=None)
    return {"tree_size": 3, "kind": TEST_KIND, "number": "T-1"}


def allocation_world(proposer, organization, org_admin, offer_id) -> dict[str, int]:
    """A 湘西州 run proposing a published demand of 十八洞村 to the organization's offer."""
    from django.utils import timezone

    from xiangzhen.allocation.models import AllocationRun, ProposalItem
    from xiangzhen.matching.tests.factories import DemandFactory as PublishedDemandFactory

    run = AllocationRun.objects.create(region_id="433100000000", created_by=proposer, created_at=timezone.now())
    demand = PublishedDemandFactory()
    item = ProposalItem.objects.create(run=run, demand=demand, offer_id=offer_id, score=1.5)
    return {"run_id": run.pk, "item_id": item.pk}


def fill(path: str, world: dict[str, Any]) -> tuple[str, set[str]]:
    params = set(re.findall(r"{(\w+)}", path))
    unknown = params - world.keys()
    assert not unknown, f"{path}: describe {unknown} in the authorization matrix"
    url = re.sub(r"{(\w+)}", lambda m: str(world[m.group(1)]), path) + QUERIES.get(path, "")
    return url, params


def call(client, method: str, url: str, body: Any, world: dict[str, Any] | None = None):
    if callable(body):
        body = body(world)
    if body == MULTIPART:
        return client.post(url, {"files": [SimpleUploadedFile("matrix.png", PNG, content_type="image/png")]})
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def response_text(response) -> str:
    """The visible text of a response: JSON or HTML as is, an Excel export cell by cell."""
    if "spreadsheetml" in response["Content-Type"]:
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        rows = (row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
        return " ".join(str(value) for row in rows for value in row)
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "secured"), OPERATIONS)
def test_anonymous_is_refused(client, world, method, path, secured):
    url, _ = fill(path, world)
    response = call(client, method, url, WRITES.get((method, path), (None, set()))[0], world)
    if secured:
        assert response.status_code == 401, (method, path)
        assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "secured"), OPERATIONS)
def test_every_role_on_every_endpoint(request, client, world, role, method, path, secured):
    user = request.getfixturevalue(role)
    client.force_login(user)
    url, params = fill(path, world)
    if method == "GET":
        body = None
    else:
        assert (method, path) in WRITES, f"{method} {path}: add it to WRITES with its body and allowed roles"
        body, allowed = WRITES[(method, path)]
    response = call(client, method, url, body, world)
    status = response.status_code
    if is_blind(role, params, path) or (path in REGION_QUERY_ENDPOINTS and role in BLIND_TO_HUAYUAN):
        assert status == 404, f"{role} {method} {url} → {status}: out of scope must look missing"
        return
    if "token_id" in params and role not in {"platform_admin", "county_official"}:
        assert status == 404, f"{role} revoked someone else's token: {status}"
        return
    if method == "GET":
        assert status in (200, 403), f"{role} GET {url} → {status}"
        if not params and role in BLIND_TO_ORGANIZATION and status == 200 and path not in PUBLIC_LOG_READS:
            assert world["organization"].credit_code not in response_text(response), (
                f"{role} sees the 花垣县 organization in {url}"
            )
        return
    if role in allowed:
        assert status < 300, f"{role} {method} {url} → {status}: this role should succeed"
    elif status < 300:
        raise AssertionError(f"{role} {method} {url} succeeded but should not")
    elif status == 404:
        # A write whose body names a record outside the caller's scope (an organization to file under).
        blind_somewhere = set().union(*(blind for _, blind in SCOPED_PARAMS))
        assert role in blind_somewhere, f"{role} {method} {url} → 404 on a record in scope"
    else:
        assert status in (400, 403, 409, 422), f"{role} {method} {url} → {status}"
        assert response["Content-Type"].startswith("application/problem+json")


def page_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("api/", "admin/")):
                continue
            found.extend(page_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def page_url(route: str, world: dict[str, Any]) -> tuple[str, set[str]]:
    params = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
    values = {**world, "secret": "no-such-invitation", "attachment_id": 0, "action": "confirm"}
    unknown = params - values.keys()
    assert not unknown, f"{route}: describe {unknown} in the authorization matrix"
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route), params


# Published records have public detail pages; the matrix's offer is published.
PUBLIC_WHEN_PUBLISHED = {
    "offers/<int:offer_id>/",
    "matches/demand/<int:demand_id>/",  # a published demand's coverage; the matches shown are scoped
    "matches/take/<int:demand_id>/",  # organizations take published demands
}


def route_params(route: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route))


SCOPED_PAGES = [
    (route, role)
    for route in page_patterns()
    if route not in PUBLIC_WHEN_PUBLISHED
    for role in ROLES
    if is_blind(role, route_params(route), route)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), SCOPED_PAGES)
def test_out_of_scope_pages_look_missing(request, client, world, route, role):
    client.force_login(request.getfixturevalue(role))
    url, _ = page_url(route, world)
    response = client.get(url)
    if response.status_code == 405:  # an action that only accepts POST: try the action itself
        response = client.post(url)
    assert response.status_code == 404, f"{role} {response.request['REQUEST_METHOD']} {url}"


PUBLIC_PAGES = {
    "accounts/login/",
    "accounts/logout/",
    "organizations/register/",
    "i18n/setlang/",
    "offers/public/",
    "offers/public/export/",
    "demands/public/",
    "demands/public/export/",
    "demands/public/<int:demand_id>/",
    "funds/public/",
    "funds/public/export/",
    "funds/public/<int:fund_id>/",
    "funds/public/<int:fund_id>/donations/export/",
    "funds/public/<int:fund_id>/disclosures/export/",
    "funds/public/projects/<int:project_id>/",
    "funds/public/receipts/<str:donation_number>/",
    "funds/public/receipts/<str:donation_number>/download/",
    "tlog/",
    "tlog/export/",
    "tlog/lookup/",
    "tlog/how-to-verify/",
    "tlog/key.txt",
    "consumption/catalogue/",
    "consumption/catalogue/export/",
    "consumption/catalogue/<int:product_id>/",
    "events/public/",
    "events/public/export/",
    "events/public/<int:event_id>/",
    "events/public/<int:event_id>/sales/export/",
    "events/public/<int:event_id>/results/export/",
    "events/public/contests/<int:contest_id>/",
    "events/public/contests/<int:contest_id>/export/",
    "training/public/verify/",
    "training/public/verify/<str:certificate_number>/",
    "tlog/checkpoints/",
    "tlog/checkpoints/<int:tree_size>/",
    "facilities/public/",
    "facilities/public/export/",
    "facilities/public/<int:facility_id>/",
    "campaigns/public/",
    "campaigns/public/export/",
    "campaigns/public/<int:campaign_id>/",
    "brands/public/",
    "brands/public/export/",
    "brands/public/<int:brand_id>/",
    "brands/cases/public/",
    "brands/cases/public/export/",
    "brands/cases/public/<int:case_id>/",
    "stats/public/",
    "portal/public/",
    "portal/public/export/",
    "portal/public/<int:article_id>/",
    "portal/feeds/articles/rss/",
    "portal/feeds/articles/atom/",
    "portal/feeds/demands/rss/",
    "portal/feeds/demands/atom/",
    "portal/",
    "",  # Portal (H2): `/` is the portal's visitor home for those not signed in
    "portal/open-data/",
    "portal/open-data/<slug:open_dataset>.<str:open_format>",
    # Operations (xiangzhen/ops): probes need no login and say almost nothing; /metrics answers only
    # a scraper on the machine itself (the test client is one) or one holding the metrics token.
    "healthz",
    "readyz",
    "metrics",
}


@pytest.mark.django_db
@pytest.mark.parametrize("route", page_patterns())
def test_pages_need_login_unless_public(client, world, route):
    url, _ = page_url(route, world)
    response = client.get(url)
    if (
        route in PUBLIC_PAGES | PUBLIC_WHEN_PUBLISHED
        or "invitations/<" in route
        or route.startswith(("static", "media"))
    ):
        assert response.status_code < 500
    else:
        assert response.status_code in (302, 404, 405), f"anonymous GET {url} → {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
