import pytest

from xiangzhen.accounts.models import User
from xiangzhen.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.organizations import services
from xiangzhen.organizations.models import Membership, Organization
from xiangzhen.organizations.tests.factories import OrganizationFactory, credit_code_for, organization_data

PASSWORD = "Long-enough-pw-2026"
HUAYUAN = "433124000000"


def field_errors(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def register(**overrides):
    return services.register_organization(
        data=organization_data(**overrides), username="newadmin", password=PASSWORD, full_name="石文"
    )


@pytest.fixture
def submitted(db):
    return OrganizationFactory(status=Organization.Status.SUBMITTED, region_id=HUAYUAN)


@pytest.mark.django_db
def test_register_creates_submitted_organization_and_its_admin():
    organization = register()
    assert organization.status == Organization.Status.SUBMITTED
    user = User.objects.get(username="newadmin")
    assert user.role == "organization"
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role, membership.is_active) == (user, "admin", True)
    assert [d.code for d in organization.domains.all()] == ["education"]
    entry = AuditEntry.objects.get(action="organizations.register")
    assert entry.actor == user and entry.region_code == HUAYUAN and entry.after["status"] == "submitted"


@pytest.mark.django_db
def test_register_with_bad_fields_creates_nothing():
    with pytest.raises(ValidationFailed) as info:
        register(credit_code="91350100M000100Y43", contact_phone="12345", rating="3A", rating_year=None)
    errors = field_errors(info.value)
    assert "第 1 位应为“5”" in errors["credit_code"]
    assert "联系电话“12345”格式不正确" in errors["contact_phone"]
    assert errors["rating_year"] == "填写了等级评估时，请同时填写评估年度"
    assert not User.objects.filter(username="newadmin").exists()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_register_rejects_duplicate_credit_code(organization):
    with pytest.raises(ValidationFailed) as info:
        register(credit_code=organization.credit_code)
    assert "已在平台登记" in field_errors(info.value)["credit_code"]
    assert not User.objects.filter(username="newadmin").exists()


@pytest.mark.django_db
def test_register_account_errors_roll_back_everything(org_admin):
    with pytest.raises(ValidationFailed) as info:
        services.register_organization(
            data=organization_data(), username="org_admin", password=PASSWORD, full_name="石文"
        )
    assert info.value.errors[0].field == "username"
    assert Organization.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"region_code": "433124110226"}, "region_code", "应为省、市或县级区划"),
        ({"region_code": "439999000000"}, "region_code", "不存在"),
        ({"rating": "3A", "rating_year": 1999}, "rating_year", "2000 年至"),
        ({"founder_type": "veteran"}, "founder_type", "只有农村社区社会组织"),
        ({"domains": ["astrology"]}, "domains", "服务领域“astrology”不存在"),
        ({"name": ""}, "name", "请填写社会组织名称"),
        ({"kind": "company"}, "kind", "请选择社会组织类型"),
    ],
)
def test_profile_rules_name_the_field(overrides, field, fragment):
    with pytest.raises(ValidationFailed) as info:
        register(**overrides)
    assert fragment in field_errors(info.value)[field]


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["13800001234", "0743-7221234", "07437221234", "010-12345678-801"])
def test_phone_formats_accepted(phone):
    assert register(contact_phone=phone).contact_phone == phone


@pytest.mark.django_db
def test_county_civil_affairs_approves_with_audit(county_civil_affairs, submitted):
    services.approve_organization(actor=county_civil_affairs, organization=submitted)
    submitted.refresh_from_db()
    assert submitted.status == "approved" and submitted.version == 2
    assert submitted.reviewed_by == county_civil_affairs
    entry = AuditEntry.objects.get(action="organizations.approve", object_id=str(submitted.pk))
    assert entry.before["status"] == "submitted" and entry.after["status"] == "approved"
    assert entry.before["version"] == 1 and entry.after["version"] == 2


@pytest.mark.django_db
def test_platform_admin_can_review(platform_admin, submitted):
    services.return_organization(actor=platform_admin, organization=submitted, reason="材料不全")
    assert submitted.status == "returned" and submitted.return_reason == "材料不全"


@pytest.mark.django_db
def test_wrong_level_civil_affairs_is_forbidden(city_civil_affairs, province_civil_affairs, submitted):
    for reviewer in (city_civil_affairs, province_civil_affairs):
        with pytest.raises(Forbidden):
            services.approve_organization(actor=reviewer, organization=submitted)
    assert Organization.objects.get(pk=submitted.pk).status == "submitted"


@pytest.mark.django_db
def test_rural_revitalization_staff_of_same_county_cannot_review(county_official, submitted):
    with pytest.raises(Forbidden):
        services.approve_organization(actor=county_official, organization=submitted)


@pytest.mark.django_db
def test_other_county_gets_not_found(other_county_official, submitted):
    with pytest.raises(NotFound):
        services.approve_organization(actor=other_county_official, organization=submitted)


@pytest.mark.django_db
def test_org_admin_cannot_approve_itself(submitted, django_user_model):
    from xiangzhen.organizations.tests.factories import MembershipFactory

    admin = MembershipFactory(organization=submitted).user
    with pytest.raises(Forbidden):
        services.approve_organization(actor=admin, organization=submitted)


@pytest.mark.django_db
def test_return_requires_reason(county_civil_affairs, submitted):
    with pytest.raises(ValidationFailed) as info:
        services.return_organization(actor=county_civil_affairs, organization=submitted, reason="  ")
    assert info.value.errors[0].field == "reason"
    assert "退回修改的原因" in info.value.message


@pytest.mark.django_db
def test_return_edit_resubmit_approve_cycle(county_civil_affairs):
    organization = register()
    admin = User.objects.get(username="newadmin")
    services.return_organization(actor=county_civil_affairs, organization=organization, reason="请补充业务主管单位")
    with pytest.raises(Forbidden):
        services.resubmit_organization(actor=county_civil_affairs, organization=organization)
    organization = services.update_organization(
        actor=admin, organization=organization, changes={"supervising_unit": "花垣县农业农村局"}
    )
    services.resubmit_organization(actor=admin, organization=organization)
    assert organization.status == "submitted" and organization.return_reason == ""
    services.approve_organization(actor=county_civil_affairs, organization=organization)
    actions = list(
        AuditEntry.objects.filter(object_id=str(organization.pk), object_type="organizations.organization")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "organizations.register",
        "organizations.return",
        "organizations.update",
        "organizations.resubmit",
        "organizations.approve",
    ]
    assert AuditEntry.objects.get(action="organizations.return").note == "请补充业务主管单位"


@pytest.mark.django_db
def test_suspend_and_reinstate_need_reason(county_civil_affairs, organization):
    with pytest.raises(ValidationFailed):
        services.suspend_organization(actor=county_civil_affairs, organization=organization, reason="")
    services.suspend_organization(actor=county_civil_affairs, organization=organization, reason="年检未通过")
    assert organization.status == "suspended"
    services.reinstate_organization(actor=county_civil_affairs, organization=organization, reason="已整改")
    assert organization.status == "approved"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("approved", "approve"),
        ("approved", "return"),
        ("returned", "approve"),
        ("submitted", "suspend"),
        ("submitted", "reinstate"),
        ("suspended", "suspend"),
    ],
)
def test_illegal_transitions_are_refused(platform_admin, status, action):
    organization = OrganizationFactory(status=status)
    service = services.TRANSITION_SERVICES[action]
    with pytest.raises(InvalidTransition) as info:
        service(actor=platform_admin, organization=organization, reason="原因")
    assert "不能执行" in info.value.message
    assert Organization.objects.get(pk=organization.pk).status == status


@pytest.mark.django_db
def test_resubmit_only_from_returned(org_admin, organization):
    with pytest.raises(InvalidTransition):
        services.resubmit_organization(actor=org_admin, organization=organization)


@pytest.mark.django_db
def test_concurrent_reviewers_cannot_both_win(county_civil_affairs, platform_admin, submitted):
    first = Organization.objects.get(pk=submitted.pk)
    stale = Organization.objects.get(pk=submitted.pk)
    services.approve_organization(actor=county_civil_affairs, organization=first)
    with pytest.raises(Conflict):
        services.return_organization(actor=platform_admin, organization=stale, reason="重复")
    current = Organization.objects.get(pk=submitted.pk)
    assert current.status == "approved" and current.version == 2
    assert AuditEntry.objects.filter(object_id=str(submitted.pk)).count() == 1


@pytest.mark.django_db
def test_expected_version_mismatch_is_conflict(county_civil_affairs, submitted):
    with pytest.raises(Conflict):
        services.approve_organization(actor=county_civil_affairs, organization=submitted, expected_version=7)


@pytest.mark.django_db
def test_org_admin_edits_profile_with_audit(org_admin, organization):
    updated = services.update_organization(
        actor=org_admin, organization=organization, changes={"contact_phone": "0743-7221234", "domains": ["health"]}
    )
    assert updated.contact_phone == "0743-7221234" and updated.version == 2
    entry = AuditEntry.objects.get(action="organizations.update")
    assert entry.before == {"contact_phone": "13800000000", "domains": [], "version": 1}
    assert entry.after["contact_phone"] == "0743-7221234" and entry.after["version"] == 2


@pytest.mark.django_db
def test_stale_edit_is_conflict(org_admin, organization):
    stale = Organization.objects.get(pk=organization.pk)
    services.update_organization(actor=org_admin, organization=organization, changes={"address": "新地址"})
    with pytest.raises(Conflict):
        services.update_organization(actor=org_admin, organization=stale, changes={"address": "旧地址"})


@pytest.mark.django_db
def test_org_cannot_change_credit_code_after_approval_but_admin_can(org_admin, platform_admin, organization):
    new_code = credit_code_for()
    with pytest.raises(ValidationFailed) as info:
        services.update_organization(actor=org_admin, organization=organization, changes={"credit_code": new_code})
    assert info.value.errors[0].field == "credit_code"
    assert "审核通过后不能自行修改统一社会信用代码" in info.value.message
    updated = services.update_organization(
        actor=platform_admin, organization=organization, changes={"credit_code": new_code}
    )
    assert updated.credit_code == new_code


@pytest.mark.django_db
def test_only_org_admin_or_platform_admin_edit(county_civil_affairs, other_org_admin, organization):
    with pytest.raises(Forbidden):
        services.update_organization(actor=county_civil_affairs, organization=organization, changes={"address": "x"})
    with pytest.raises(NotFound):
        services.update_organization(actor=other_org_admin, organization=organization, changes={"address": "x"})


@pytest.mark.django_db
def test_plain_member_cannot_edit(organization):
    from xiangzhen.organizations.tests.factories import MembershipFactory

    member = MembershipFactory(organization=organization, role="member").user
    with pytest.raises(Forbidden):
        services.update_organization(actor=member, organization=organization, changes={"address": "x"})


@pytest.mark.django_db
def test_logged_in_org_user_registers_another_organization(org_admin):
    organization = services.create_organization(actor=org_admin, data=organization_data(name="第二个组织"))
    assert Membership.objects.get(organization=organization).user == org_admin
    from xiangzhen.core.scope import scope_of

    assert organization.pk in scope_of(org_admin).organization_ids


@pytest.mark.django_db
def test_staff_cannot_register_through_create(county_civil_affairs):
    with pytest.raises(Forbidden):
        services.create_organization(actor=county_civil_affairs, data=organization_data())
