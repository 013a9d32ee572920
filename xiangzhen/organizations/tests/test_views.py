import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from xiangzhen.accounts.models import User
from xiangzhen.core.models import Domain
from xiangzhen.organizations import excel, selectors, services
from xiangzhen.organizations.models import Invitation, Membership, Organization
from xiangzhen.organizations.tests.factories import OrganizationFactory, credit_code_for

PASSWORD = "Long-enough-pw-2026"
HUAYUAN = "433124000000"
ROLES = [
    "platform_admin",
    "province_civil_affairs",
    "city_civil_affairs",
    "county_civil_affairs",
    "county_official",
    "org_admin",
]


def registration_form(**overrides):
    data = {
        "name": "花垣县巾帼互助会",
        "credit_code": credit_code_for("social_group"),
        "kind": "social_group",
        "region_code": HUAYUAN,
        "registration_authority": "花垣县民政局",
        "domains": ["education", "health"],
        "rating": "",
        "contact_name": "麻秀",
        "contact_phone": "13974300001",
        "username": "maxiu",
        "full_name": "麻秀",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_render_for_each_role(client, request, role, organization):
    user = request.getfixturevalue(role)
    client.force_login(user)
    listing = client.get(reverse("organizations:list"))
    assert listing.status_code == 200
    assert organization.name in listing.content.decode()
    detail = client.get(reverse("organizations:detail", args=[organization.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert organization.credit_code in page
    reviewer = role in ("platform_admin", "county_civil_affairs")
    assert (reverse("organizations:review", args=[organization.pk]) in page) == reviewer
    assert (reverse("organizations:members", args=[organization.pk]) in page) == (
        role in ("platform_admin", "org_admin")
    )
    assert ("批量导入" in listing.content.decode()) == (role.endswith("civil_affairs") or role == "platform_admin")


@pytest.mark.django_db
def test_out_of_scope_detail_is_404(client, other_county_official, organization):
    client.force_login(other_county_official)
    assert client.get(reverse("organizations:detail", args=[organization.pk])).status_code == 404
    assert client.get(reverse("organizations:list")).content.decode().count(organization.name) == 0


@pytest.mark.django_db
def test_list_filters_from_query_string(client, county_civil_affairs, organization):
    OrganizationFactory(name="花垣县枢纽型联合会", is_hub=True)
    client.force_login(county_civil_affairs)
    page = client.get(reverse("organizations:list") + "?is_hub=true").content.decode()
    assert "花垣县枢纽型联合会" in page and organization.name not in page
    bad = client.get(reverse("organizations:list") + "?kind=company&q=助农")
    assert bad.status_code == 200 and organization.name in bad.content.decode()


@pytest.mark.django_db
def test_list_page_query_count(client, province_civil_affairs, django_assert_max_num_queries):
    for organization in OrganizationFactory.create_batch(20):
        organization.domains.set(Domain.objects.all()[:2])
    client.force_login(province_civil_affairs)
    client.get(reverse("organizations:list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("organizations:list"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_public_registration(client):
    page = client.get(reverse("organizations:register"))
    assert page.status_code == 200 and "统一社会信用代码" in page.content.decode()
    response = client.post(reverse("organizations:register"), registration_form())
    assert response.status_code == 302, response.content.decode()
    organization = Organization.objects.get(name="花垣县巾帼互助会")
    assert organization.status == "submitted"
    assert Membership.objects.get(organization=organization).user.username == "maxiu"


@pytest.mark.django_db
def test_public_registration_shows_field_errors(client):
    response = client.post(
        reverse("organizations:register"), registration_form(credit_code="91350100M000100Y43", password2="other")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "两次输入的密码不一致" in page
    assert not Organization.objects.exists()
    response = client.post(reverse("organizations:register"), registration_form(credit_code="91350100M000100Y43"))
    assert "社会组织由民政部门登记，第 1 位应为“5”" in response.content.decode()
    assert not User.objects.filter(username="maxiu").exists()


@pytest.mark.django_db
def test_review_page_approves_and_returns(client, county_civil_affairs):
    organization = OrganizationFactory(status="submitted")
    client.force_login(county_civil_affairs)
    url = reverse("organizations:review", args=[organization.pk])
    assert client.get(url).status_code == 200
    missing_reason = client.post(url, {"action": "return", "reason": "", "version": 1})
    assert "请填写退回修改的原因" in missing_reason.content.decode()
    assert client.post(url, {"action": "return", "reason": "补材料", "version": 1}).status_code == 302
    organization.refresh_from_db()
    assert organization.status == "returned"
    stale = client.post(url, {"action": "approve", "reason": "", "version": 1}, follow=True)
    assert "当前状态为“已退回”，不能执行“审核通过”" in stale.content.decode()


@pytest.mark.django_db
def test_review_page_forbidden_for_wrong_level(client, city_civil_affairs, organization):
    client.force_login(city_civil_affairs)
    assert client.get(reverse("organizations:review", args=[organization.pk])).status_code == 403


@pytest.mark.django_db
def test_edit_and_resubmit_page(client, org_admin, organization):
    Organization.objects.filter(pk=organization.pk).update(status="returned", return_reason="请补充地址")
    client.force_login(org_admin)
    url = reverse("organizations:edit", args=[organization.pk])
    page = client.get(url).content.decode()
    assert "请补充地址" in page and "保存并重新提交" in page
    form = {k: v for k, v in services.OrganizationData.of(organization).as_dict().items() if v not in (None, False)}
    form.update(address="花垣镇民主路 8 号", version=1, resubmit="1")
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    organization.refresh_from_db()
    assert organization.address == "花垣镇民主路 8 号" and organization.status == "submitted"


@pytest.mark.django_db
def test_approved_org_cannot_change_credit_code_in_form(client, org_admin, organization):
    client.force_login(org_admin)
    url = reverse("organizations:edit", args=[organization.pk])
    form = {k: v for k, v in services.OrganizationData.of(organization).as_dict().items() if v not in (None, False)}
    form.update(credit_code=credit_code_for(), version=1)
    assert client.post(url, form).status_code == 302
    organization.refresh_from_db()
    assert organization.credit_code != form["credit_code"]  # the field is disabled: the posted value is ignored


@pytest.mark.django_db
def test_members_page_invite_and_accept(client, org_admin, organization, django_capture_on_commit_callbacks):
    client.force_login(org_admin)
    url = reverse("organizations:members", args=[organization.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:invite", args=[organization.pk]),
            {"full_name": "李四", "email": "li@example.com", "role": "member"},
        )
    assert response.status_code == 302
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    path = link[link.index("/organizations/") :]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "李四" in page.content.decode()
    joined = client.post(path, {"username": "lisi", "password": PASSWORD, "password2": PASSWORD})
    assert joined.status_code == 302
    assert Membership.objects.get(user__username="lisi").organization == organization
    used = client.get(path)
    assert used.status_code == 410 and "不能重复使用" in used.content.decode()
    assert client.get(reverse("organizations:accept_invitation", args=["nonsense"])).status_code == 404


@pytest.mark.django_db
def test_members_page_forbidden_for_plain_member(client, organization):
    from xiangzhen.organizations.tests.factories import MembershipFactory

    member = MembershipFactory(organization=organization, role="member").user
    client.force_login(member)
    assert client.get(reverse("organizations:members", args=[organization.pk])).status_code == 403


@pytest.mark.django_db
def test_member_update_page_protects_last_admin(client, org_admin, organization):
    client.force_login(org_admin)
    membership = Membership.objects.get(user=org_admin)
    response = client.post(
        reverse("organizations:member_update", args=[organization.pk, membership.pk]), {"is_active": "0"}, follow=True
    )
    assert "唯一的管理员" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.django_db
def test_import_page_preview_then_confirm(client, county_civil_affairs):
    client.force_login(county_civil_affairs)
    template = client.get(reverse("organizations:template"))
    assert template["Content-Type"] == excel.CONTENT_TYPE
    upload = io.BytesIO(template.content)
    upload.name = "template.xlsx"
    preview = client.post(reverse("organizations:import"), {"file": upload})
    page = preview.content.decode()
    assert "确认导入" in page and excel.EXAMPLE.credit_code in page
    assert not Organization.objects.exists()
    digest = preview.context["digest"]
    confirmed = client.post(reverse("organizations:import"), {"confirm": "1", "digest": digest})
    assert confirmed.status_code == 302
    assert Organization.objects.get(credit_code=excel.EXAMPLE.credit_code).status == "approved"


@pytest.mark.django_db
def test_import_page_shows_row_errors(client, county_civil_affairs):
    client.force_login(county_civil_affairs)
    book = load_workbook(io.BytesIO(excel.template_workbook(selectors.domain_names())))
    book.worksheets[0].cell(row=2, column=2).value = "123"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "bad.xlsx"
    page = client.post(reverse("organizations:import"), {"file": out}).content.decode()
    assert "第 2 行" in page and "应为 18 位" in page and "确认导入" not in page


@pytest.mark.django_db
def test_import_page_forbidden_for_rural_revitalization(client, county_official):
    client.force_login(county_official)
    assert client.get(reverse("organizations:import")).status_code == 403


@pytest.mark.django_db
def test_export_page_download(client, county_civil_affairs, organization):
    client.force_login(county_civil_affairs)
    response = client.get(reverse("organizations:export") + "?q=助农")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [organization.name]


@pytest.mark.django_db
def test_invitation_row_states(org_admin, organization):
    invitation, _ = services.invite_member(
        actor=org_admin, organization=organization, full_name="王五", email="w@example.com", role="member"
    )
    assert not invitation.is_expired
    assert Invitation.objects.count() == 1
