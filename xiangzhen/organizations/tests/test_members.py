from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from xiangzhen.core.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from xiangzhen.core.models import AuditEntry
from xiangzhen.organizations import services
from xiangzhen.organizations.models import Invitation, Membership
from xiangzhen.organizations.tests.factories import MembershipFactory

PASSWORD = "Long-enough-pw-2026"


def invite(org_admin, organization, email="li@example.com", role="member"):
    return services.invite_member(
        actor=org_admin,
        organization=organization,
        full_name="李四",
        email=email,
        role=role,
        link_base="https://xz.example/",
    )


@pytest.mark.django_db
def test_invitation_stores_only_a_hash_and_mails_the_link_after_commit(
    org_admin, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, secret = invite(org_admin, organization)
    assert secret not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["li@example.com"]
    assert f"https://xz.example/organizations/invitations/{secret}/" in mail.outbox[0].body
    assert organization.name in mail.outbox[0].subject


@pytest.mark.django_db
def test_no_mail_when_invitation_rolls_back(org_admin, organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        services.invite_member(actor=org_admin, organization=organization, full_name="李四", email="bad", role="member")
    assert mail.outbox == []


@pytest.mark.django_db
def test_accept_creates_account_and_membership(org_admin, organization):
    invitation, secret = invite(org_admin, organization, role="admin")
    membership = services.accept_invitation(secret=secret, username="lisi", password=PASSWORD)
    assert membership.organization == organization and membership.role == "admin"
    assert membership.user.full_name == "李四" and membership.user.email == "li@example.com"
    assert membership.user.role == "organization"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditEntry.objects.filter(action="organizations.accept_invitation", actor=membership.user).exists()


@pytest.mark.django_db
def test_reused_link_is_refused(org_admin, organization):
    _, secret = invite(org_admin, organization)
    services.accept_invitation(secret=secret, username="lisi", password=PASSWORD)
    with pytest.raises(InvalidTransition) as info:
        services.accept_invitation(secret=secret, username="lisi2", password=PASSWORD)
    assert "被接受，链接不能重复使用" in info.value.message


@pytest.mark.django_db
def test_expired_link_is_refused(org_admin, organization):
    invitation, secret = invite(org_admin, organization)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidTransition) as info:
        services.accept_invitation(secret=secret, username="lisi", password=PASSWORD)
    assert "已过期" in info.value.message
    assert not Membership.objects.filter(user__username="lisi").exists()


@pytest.mark.django_db
def test_revoked_link_is_refused(org_admin, organization):
    invitation, secret = invite(org_admin, organization)
    services.revoke_invitation(actor=org_admin, invitation=invitation)
    with pytest.raises(InvalidTransition) as info:
        services.accept_invitation(secret=secret, username="lisi", password=PASSWORD)
    assert "已被组织管理员撤销" in info.value.message


@pytest.mark.django_db
def test_unknown_link_is_not_found(db):
    with pytest.raises(NotFound):
        services.accept_invitation(secret="nope", username="lisi", password=PASSWORD)


@pytest.mark.django_db
def test_weak_password_keeps_invitation_usable(org_admin, organization):
    invitation, secret = invite(org_admin, organization)
    with pytest.raises(ValidationFailed) as info:
        services.accept_invitation(secret=secret, username="lisi", password="123")
    assert info.value.errors[0].field == "password"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_accepted_invitation_cannot_be_revoked(org_admin, organization):
    invitation, secret = invite(org_admin, organization)
    services.accept_invitation(secret=secret, username="lisi", password=PASSWORD)
    with pytest.raises(InvalidTransition):
        services.revoke_invitation(actor=org_admin, invitation=invitation)


@pytest.mark.django_db
def test_duplicate_pending_invitation_is_refused(org_admin, organization):
    invite(org_admin, organization)
    with pytest.raises(ValidationFailed) as info:
        invite(org_admin, organization, email="LI@example.com")
    assert info.value.errors[0].field == "email"


@pytest.mark.django_db
def test_only_admins_invite(organization, county_civil_affairs, other_org_admin):
    member = MembershipFactory(organization=organization, role="member").user
    with pytest.raises(Forbidden):
        invite(member, organization)
    with pytest.raises(Forbidden):
        invite(county_civil_affairs, organization)
    with pytest.raises(NotFound):
        invite(other_org_admin, organization)


@pytest.mark.django_db
def test_last_admin_cannot_be_demoted_or_deactivated(org_admin, organization):
    membership = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationFailed) as info:
        services.change_member_role(actor=org_admin, membership=membership, role="member")
    assert info.value.errors[0].field == "role" and "唯一的管理员" in info.value.message
    with pytest.raises(ValidationFailed) as info:
        services.set_member_active(actor=org_admin, membership=membership, is_active=False)
    assert info.value.errors[0].field == "is_active"
    membership.refresh_from_db()
    assert membership.role == "admin" and membership.is_active


@pytest.mark.django_db
def test_admin_changes_roles_and_deactivates_when_another_admin_remains(org_admin, organization):
    other = MembershipFactory(organization=organization, role="member")
    services.change_member_role(actor=org_admin, membership=other, role="admin")
    mine = Membership.objects.get(user=org_admin)
    services.change_member_role(actor=org_admin, membership=mine, role="member")
    other.refresh_from_db()
    services.set_member_active(actor=other.user, membership=mine, is_active=False)
    mine.refresh_from_db()
    assert (mine.role, mine.is_active) == ("member", False)
    assert AuditEntry.objects.filter(action="organizations.deactivate_member").count() == 1
    # The deactivated person no longer sees the organization.
    from xiangzhen.accounts.models import User
    from xiangzhen.core.scope import restrict
    from xiangzhen.organizations.models import Organization

    assert not restrict(Organization.objects.all(), User.objects.get(pk=org_admin.pk)).exists()
