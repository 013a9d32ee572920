import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from xiangzhen.training import services
from xiangzhen.training.models import Enrollment, Training
from xiangzhen.training.tests.factories import member_of, open_training

pytestmark = pytest.mark.django_db


def _completed(organizer, organization, username="xiaoming"):
    training = open_training(organizer, title="乡村社会工作方法")
    member = member_of(organization, username)
    member.full_name = "石小明"
    member.save()
    enrollment = services.enroll(actor=member, training=training, organization_id=organization.pk)
    services.finish_training(actor=organizer, training=training)
    return member, services.record_attendance(actor=organizer, enrollment=enrollment, attended=True, completed=True)


def test_api_create_open_enroll_and_attend(client, county_civil_affairs, organization, org_admin):
    client.force_login(county_civil_affairs)
    today = timezone.localdate()
    body = {
        "title": "线上公益项目设计", "trainer": "田老师", "starts_on": str(today), "ends_on": str(today),
        "mode": "online", "link": "https://meeting.example.cn/123", "capacity": 1, "hours": "3",
    }  # fmt: skip
    created = client.post("/api/v1/training/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    training_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert client.post(f"/api/v1/training/{training_id}/open").json()["status"] == "open"

    client.force_login(org_admin)
    enrolled = client.post(
        f"/api/v1/training/{training_id}/enrollments",
        {"organization_id": organization.pk},
        content_type="application/json",
    )
    assert enrolled.status_code == 201, enrolled.content
    member = member_of(organization, "late")
    full = client.post(
        f"/api/v1/training/{training_id}/enrollments",
        {"organization_id": organization.pk, "attendee_id": member.pk},
        content_type="application/json",
    )
    assert full.status_code == 409 or full.status_code == 400
    assert "名额已满" in full.content.decode()
    refused = client.post(
        f"/api/v1/training/{training_id}/attendance",
        {"enrollment_id": enrolled.json()["id"], "attended": True},
        content_type="application/json",
    )
    assert refused.status_code == 403

    client.force_login(county_civil_affairs)
    marked = client.post(
        f"/api/v1/training/{training_id}/attendance",
        {"enrollment_id": enrolled.json()["id"], "attended": True, "hours": "2.5"},
        content_type="application/json",
    )
    assert marked.status_code == 200 and marked.json()["attended_hours"] == "2.5"
    listed = client.get("/api/v1/training/?mode=online").json()
    assert [t["id"] for t in listed["items"]] == [training_id]


def test_drafts_are_hidden_from_organizations(client, county_civil_affairs, org_admin):
    training = services.create_training(
        actor=county_civil_affairs,
        data=services.TrainingData(
            title="草稿培训", trainer="龙老师", starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=1), mode="in_person", place="县城", capacity=5, hours="2",
        ),
    )  # fmt: skip
    client.force_login(org_admin)
    assert client.get(f"/api/v1/training/{training.pk}").status_code == 404
    assert client.get(f"/training/{training.pk}/").status_code == 404
    assert "草稿培训" not in client.get("/training/").content.decode()


def test_pages_enroll_mark_and_export(client, county_civil_affairs, organization, org_admin):
    training = open_training(county_civil_affairs)
    member = member_of(organization, "xiaoming")
    client.force_login(org_admin)
    page = client.get(f"/training/{training.pk}/").content.decode()
    assert f'value="{member.pk}:{organization.pk}"' in page
    client.post(f"/training/{training.pk}/enroll/", {"who": f"{member.pk}:{organization.pk}"})
    enrollment = Enrollment.objects.get(training=training)
    assert enrollment.attendee == member and enrollment.enrolled_by == org_admin

    client.force_login(county_civil_affairs)
    client.post(f"/training/{training.pk}/act/", {"action": "finish", "version": training.version})
    assert Training.objects.get(pk=training.pk).status == Training.Status.FINISHED
    client.post(
        f"/training/{training.pk}/attendance/",
        {"enrollment_id": enrollment.pk, "attended": "on", "hours": "12", "completed": "on"},
    )
    enrollment.refresh_from_db()
    assert enrollment.completed and enrollment.certificate_number
    export = client.get(f"/training/{training.pk}/enrollments/export/")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == str(member) and rows[1][5] == enrollment.certificate_number
    listing = client.get("/training/export/?q=社会工作")
    titles = [r[1] for r in load_workbook(io.BytesIO(listing.content)).active.iter_rows(values_only=True)]
    assert titles == ["课程名称", "社会工作实务培训"]


def test_the_creation_form_offers_the_hub(client, hub):
    organization, admin = hub
    client.force_login(admin)
    assert f'<option value="{organization.pk}">' in client.get("/training/new/").content.decode()
    today = str(timezone.localdate())
    response = client.post(
        "/training/new/",
        {
            "organizer": organization.pk, "title": "枢纽组织能力提升", "trainer": "麻老师", "starts_on": today,
            "ends_on": today, "mode": "in_person", "place": "孵化中心", "capacity": 20, "hours": "6",
        },
    )  # fmt: skip
    training = Training.objects.get()
    assert response.status_code == 302 and training.organizer_organization == organization


def test_certificate_page_word_file_and_public_check(client, county_civil_affairs, organization, other_org_admin):
    member, enrollment = _completed(county_civil_affairs, organization)
    number = enrollment.certificate_number
    client.force_login(member)
    assert "石小明" in client.get(f"/training/certificates/{number}/").content.decode()
    word = client.get(f"/training/certificates/{number}/download/")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "石小明" in text and number in text and "乡村社会工作方法" in text
    client.force_login(other_org_admin)
    assert client.get(f"/training/certificates/{number}/").status_code == 404

    client.logout()
    public = client.get(f"/training/public/verify/{number}/").content.decode()
    assert "石**" in public and "石小明" not in public and "乡村社会工作方法" in public
    assert organization.name not in public
    assert client.get("/training/public/verify/?number=ZS-X").status_code == 404
    checked = client.get(f"/api/v1/training/public/certificates/{number}").json()
    assert checked == {
        "certificate_number": number, "name_masked": "石**", "course": "乡村社会工作方法",
        "completed_on": str(enrollment.training.ends_on),
    }  # fmt: skip
