import pytest

from xiangzhen.core.models import AuditEntry, Domain


@pytest.mark.django_db
def test_admin_edits_are_audited(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post("/admin/core/domain/add/", {"code": "digital", "name": "数字乡村", "sort_order": 20})
    assert response.status_code == 302
    domain = Domain.objects.get(code="digital")
    entry = AuditEntry.objects.get(object_type="core.domain", object_id=str(domain.pk))
    assert entry.action == "admin.add"
    assert entry.actor == platform_admin
    assert entry.after["name"] == "数字乡村"


@pytest.mark.django_db
def test_audit_entries_cannot_be_edited_in_admin(client, platform_admin):
    client.force_login(platform_admin)
    entry = AuditEntry.objects.create(action="x", object_type="t", object_id="1", object_repr="r")
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_taxonomies_seeded_from_glossary():
    assert Domain.objects.count() == 12
    assert Domain.objects.filter(name="产业振兴").exists()
