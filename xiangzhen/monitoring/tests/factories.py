"""Monitoring test data, made through the services (so numbers, hashes and tallies are real)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xiangzhen.monitoring import services
from xiangzhen.monitoring.models import MonitoredHousehold
from xiangzhen.monitoring.validation import with_check_digit

SHIBADONG = "433124110226"
HEAD_NAME = "龙秀英"
HEAD_ID = with_check_digit("43312419800101002")
HEAD_PHONE = "13974312345"
MEMBER_NAME = "龙小明"
MEMBER_ID = with_check_digit("43312420100505003")


def household_data(**overrides: Any) -> services.HouseholdData:
    values: dict[str, Any] = {
        "village_code": SHIBADONG,
        "category": MonitoredHousehold.Category.MARGINAL,
        "head_name": HEAD_NAME,
        "head_id_number": HEAD_ID,
        "phone": HEAD_PHONE,
        "risks": ["illness", "education"],
        "income_per_capita": Decimal("5600.00"),
        "identified_on": timezone.localdate() - timedelta(days=30),
    }
    return services.HouseholdData(**(values | overrides))


def make_household(county_official: Any, **overrides: Any) -> MonitoredHousehold:
    """A 十八洞村 household with one member, recorded by 花垣县 rural revitalization staff."""
    household = services.create_household(actor=county_official, data=household_data(**overrides))
    services.add_member(
        actor=county_official,
        household=household,
        data=services.MemberData(name=MEMBER_NAME, id_number=MEMBER_ID, relation="子女", education="小学"),
    )
    return household


def grant(county_official: Any, household: MonitoredHousehold, organization: Any, days: int = 90) -> Any:
    return services.grant_access(
        actor=county_official,
        household=household,
        organization_id=organization.pk,
        until=timezone.localdate() + timedelta(days=days),
    )


def assistance_data(**overrides: Any) -> services.AssistanceData:
    values: dict[str, Any] = {
        "kind": "money",
        "what": "医疗救助金",
        "given_on": timezone.localdate(),
        "amount": Decimal("2000.00"),
    }
    return services.AssistanceData(**(values | overrides))


def matrix_world(organization: Any, org_admin: Any, county_official: Any) -> dict[str, Any]:
    """A 十八洞村 household granted to the 花垣县 organization, which recorded one assistance."""
    household = make_household(county_official, head_id_number=with_check_digit("43312419700303004"))
    grant(county_official, household, organization)
    services.record_assistance(
        actor=org_admin, household=household, organization_id=organization.pk, data=assistance_data()
    )
    return {"household_id": household.pk}
