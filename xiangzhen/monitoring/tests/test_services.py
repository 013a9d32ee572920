from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from xiangzhen.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.monitoring import selectors, services
from xiangzhen.monitoring.filters import HouseholdFilters
from xiangzhen.monitoring.models import AssistanceRecord, MonitoredHousehold
from xiangzhen.monitoring.tests.factories import (
    HEAD_ID,
    HEAD_NAME,
    HEAD_PHONE,
    MEMBER_ID,
    assistance_data,
    grant,
    household_data,
    make_household,
)
from xiangzhen.monitoring.validation import id_number_problem, with_check_digit
from xiangzhen.stats import rollups

pytestmark = pytest.mark.django_db


def test_id_number_check_digit():
    assert id_number_problem(HEAD_ID) is None
    assert id_number_problem("11010519491231002X") is None  # the standard's own example
    wrong = HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1")
    assert id_number_problem(wrong) == "身份证号校验码不正确，请核对"
    assert id_number_problem("43312419801301002") is not None  # 17 digits
    assert id_number_problem(with_check_digit("43312419801301002")) == "身份证号中的出生日期不存在"


def test_county_staff_record_a_household_encrypted_at_rest(county_official):
    household = make_household(county_official)
    assert household.number.startswith("JC-433124-")
    assert household.status == MonitoredHousehold.Status.MONITORING
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT head_name, head_id_number, phone FROM monitoring_monitoredhousehold WHERE id = %s", [household.pk]
        )
        stored = cursor.fetchone()
        cursor.execute("SELECT name, id_number FROM monitoring_householdmember WHERE household_id = %s", [household.pk])
        member = cursor.fetchone()
    for clear, raw in zip([HEAD_NAME, HEAD_ID, HEAD_PHONE, "龙小明", MEMBER_ID], [*stored, *member], strict=True):
        assert clear not in raw
    fresh = MonitoredHousehold.objects.get(pk=household.pk)
    assert (fresh.head_name, fresh.head_id_number, fresh.phone) == (HEAD_NAME, HEAD_ID, HEAD_PHONE)


def test_validation_messages(county_official):
    with pytest.raises(ValidationFailed, match="校验码"):
        services.create_household(actor=county_official, data=household_data(head_id_number=HEAD_ID[:17] + "X"))
    with pytest.raises(ValidationFailed, match="风险类型"):
        services.create_household(actor=county_official, data=household_data(risks=[]))
    with pytest.raises(ValidationFailed, match="村"):
        services.create_household(actor=county_official, data=household_data(village_code="433124000000"))
    with pytest.raises(ValidationFailed, match="联系电话"):
        services.create_household(actor=county_official, data=household_data(phone="12345"))
    make_household(county_official)
    with pytest.raises(ValidationFailed, match="已登记"):
        services.create_household(actor=county_official, data=household_data())


def test_only_county_rural_revitalization_staff_record(
    county_civil_affairs, other_county_official, village_submitter, platform_admin, org_admin
):
    for user in (county_civil_affairs, village_submitter, platform_admin, org_admin):
        with pytest.raises(Forbidden):
            services.create_household(actor=user, data=household_data())
    with pytest.raises(ValidationFailed, match="不在您所在县"):
        services.create_household(actor=other_county_official, data=household_data())


def test_close_household(county_official, province_rural_revitalization, other_county_official):
    household = make_household(county_official)
    today = timezone.localdate()
    with pytest.raises(Forbidden):
        services.close_household(
            actor=province_rural_revitalization, household=household, status="risk_eliminated", on=today, reason="x"
        )
    with pytest.raises(NotFound):
        services.close_household(
            actor=other_county_official, household=household, status="risk_eliminated", on=today, reason="x"
        )
    with pytest.raises(ValidationFailed, match="原因"):
        services.close_household(actor=county_official, household=household, status="moved_out", on=today, reason="")
    closed = services.close_household(
        actor=county_official, household=household, status="risk_eliminated", on=today, reason="大病报销后收入稳定"
    )
    assert (closed.status, closed.closed_on) == ("risk_eliminated", today)
    with pytest.raises(Conflict):
        services.close_household(actor=county_official, household=closed, status="moved_out", on=today, reason="迁出")


def test_assistance_only_on_granted_households(county_official, organization, org_admin, other_org_admin):
    household = make_household(county_official)
    with pytest.raises(Forbidden):
        services.record_assistance(
            actor=org_admin, household=household, organization_id=organization.pk, data=assistance_data()
        )
    assert selectors.households(org_admin).count() == 0
    grant(county_official, household, organization)
    assert list(selectors.households(org_admin)) == [household]
    record = services.record_assistance(
        actor=org_admin, household=household, organization_id=organization.pk, data=assistance_data()
    )
    assert record.amount == Decimal("2000.00")
    other = other_org_admin.memberships.get().organization_id
    with pytest.raises(Forbidden):
        services.record_assistance(
            actor=other_org_admin, household=household, organization_id=other, data=assistance_data()
        )
    with pytest.raises(Forbidden):  # a member of another organization cannot file under this one
        services.record_assistance(
            actor=other_org_admin, household=household, organization_id=organization.pk, data=assistance_data()
        )
    with pytest.raises(Forbidden):  # county staff see assistance, they do not record it
        services.record_assistance(
            actor=county_official, household=household, organization_id=organization.pk, data=assistance_data()
        )
    assert list(selectors.assistance(county_official, household)) == [record]
    assert list(selectors.assistance(org_admin)) == [record]
    assert list(selectors.assistance(other_org_admin)) == []
    assert rollups.differences() == []


def test_expired_grant_ends_access(county_official, organization, org_admin):
    household = make_household(county_official)
    access = grant(county_official, household, organization)
    access.until = timezone.localdate() - timedelta(days=1)
    access.save()
    assert selectors.households(org_admin).count() == 0
    with pytest.raises(Forbidden):
        services.record_assistance(
            actor=org_admin, household=household, organization_id=organization.pk, data=assistance_data()
        )
    assert AssistanceRecord.objects.count() == 0


def test_reveal_is_logged_and_county_only(county_official, province_rural_revitalization, village_submitter):
    household = make_household(county_official)
    with pytest.raises(Forbidden):
        services.reveal_personal(actor=province_rural_revitalization, household=household)
    with pytest.raises(Forbidden):
        services.reveal_personal(actor=village_submitter, household=household)
    services.reveal_personal(actor=county_official, household=household)
    entries = AuditEntry.objects.filter(action="monitoring.view_personal", object_id=str(household.pk))
    assert [e.actor for e in entries] == [county_official]
    full = selectors.personal_view(county_official, household, reveal=True)
    assert (full.head_name, full.head_id_number, full.masked) == (HEAD_NAME, HEAD_ID, False)
    # Asking is not enough: a role that may not see it gets masks even with reveal=True.
    masked = selectors.personal_view(province_rural_revitalization, household, reveal=True)
    assert masked.masked and HEAD_NAME not in masked.head_name and masked.head_id_number != HEAD_ID
    assert masked.members[0].id_number == MEMBER_ID[:4] + "*" * 10 + MEMBER_ID[-4:]


def test_audit_trail_never_holds_personal_data(county_official, organization, org_admin):
    household = make_household(county_official)
    grant(county_official, household, organization)
    services.reveal_personal(actor=county_official, household=household)
    text = str(list(AuditEntry.objects.values_list("object_repr", "before", "after", "note")))
    for secret in (HEAD_NAME, HEAD_ID, HEAD_PHONE, "龙小明", MEMBER_ID):
        assert secret not in text


def test_filters(county_official):
    a = make_household(county_official)
    b = make_household(
        county_official,
        head_id_number=with_check_digit("43312419900202005"),
        category="sudden",
        risks=["disaster"],
    )

    def numbers(**params):
        return {h.number for h in selectors.households(county_official, HouseholdFilters.model_validate(params))}

    assert numbers(category="sudden") == {b.number}
    assert numbers(risk="education") == {a.number}
    assert numbers(risk="disaster") == {b.number}
    assert numbers(q=a.number[-6:]) == {a.number}
    assert numbers(status="moved_out") == set()
    assert numbers(region="433124") == {a.number, b.number}
    assert numbers(q=HEAD_NAME) == set()  # never a search by name
