import json
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiangzhen.funds import services
from xiangzhen.funds.models import Donation, Fund
from xiangzhen.funds.tests.conftest import donate
from xiangzhen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_api_create_submit_and_record(client, organization, org_admin, county_civil_affairs):
    client.force_login(org_admin)
    body = {
        "organization_id": organization.pk, "name": "教育基金", "founder_kind": "enterprise", "founder_name": "某公司",
        "purpose": "助学", "domains": ["education"], "target_regions": ["433124000000"],
    }  # fmt: skip
    created = client.post("/api/v1/funds/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    fund_id = created.json()["id"]
    assert client.post(f"/api/v1/funds/{fund_id}/submit").json()["status"] == "submitted"
    client.force_login(county_civil_affairs)
    assert [f["id"] for f in client.get("/api/v1/funds/review-queue").json()["items"]] == [fund_id]
    assert client.post(f"/api/v1/funds/{fund_id}/approve").json()["status"] == "active"
    client.force_login(org_admin)
    donation = {"donor_kind": "individual", "donor_name": "石爱心", "amount": "88.80", "donated_on": str(date.today()),
                "channel": "platform", "anonymous": True, "transaction_number": "T-1"}  # fmt: skip
    response = client.post(f"/api/v1/funds/{fund_id}/donations", json.dumps(donation), content_type="application/json")
    assert response.status_code == 201
    again = client.post(f"/api/v1/funds/{fund_id}/donations", json.dumps(donation), content_type="application/json")
    assert again.status_code == 422 and "已登记过" in again.json()["detail"]
    public = client.get(f"/api/v1/funds/public/{fund_id}").json()
    assert public["total_income"] == "88.80" and public["balance"] == "88.80"
    listed = client.get(f"/api/v1/funds/public/{fund_id}/donations").json()["items"]
    assert listed[0]["donor"] == "爱心人士（匿名）"
    assert "石爱心" not in json.dumps(listed, ensure_ascii=False)


def test_overdraw_is_a_problem_document_naming_the_available_amount(client, fund, org_admin, project):
    donate(fund, org_admin, amount="100")
    client.force_login(org_admin)
    body = {"amount": "150", "paid_on": str(date.today()), "payee": "村委会", "purpose": "教材",
            "project_number": project.number}  # fmt: skip
    response = client.post(f"/api/v1/funds/{fund.pk}/disbursements", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "¥100.00" in response.json()["detail"]


def test_public_pages_mask_donors_and_hide_drafts(client, fund, organization, org_admin):
    from xiangzhen.funds.tests.conftest import fund_data

    draft_fund = services.create_fund(actor=org_admin, organization=organization, data=fund_data(name="草稿基金"))
    donate(fund, org_admin, donor_name="石爱心")
    page = client.get(f"/funds/public/{fund.pk}/").content.decode()
    assert "石**" in page and "石爱心" not in page and "龙**" in page
    assert client.get(f"/funds/public/{draft_fund.pk}/").status_code == 404
    listing = client.get("/funds/public/").content.decode()
    assert fund.name in listing


def test_receipt_page_has_a_qr_code_and_a_verifiable_file(client, fund, org_admin):
    donation = donate(fund, org_admin)
    page = client.get(f"/funds/public/receipts/{donation.number}/")
    assert page.status_code == 200 and b"<svg" in page.content
    document = json.loads(client.get(f"/funds/public/receipts/{donation.number}/download/").content)
    assert document["donation"]["number"] == donation.number
    assert document["inclusion_proof"] is not None and "checkpoint" in document
    assert "石爱心" not in json.dumps(document, ensure_ascii=False)


def test_organization_records_a_donation_from_the_page(client, fund, org_member):
    client.force_login(org_member)
    response = client.post(
        f"/funds/{fund.pk}/donations/new/",
        {
            "donor_kind": "enterprise",
            "donor_name": "湘西某公司",
            "amount": "500",
            "donated_on": date.today().isoformat(),
            "channel": "bank",
            "receipt_number": "P-1",
        },
    )
    assert response.status_code == 302
    assert Donation.objects.get(receipt_number="P-1").amount == 500
    detail = client.get(f"/funds/{fund.pk}/").content.decode()
    assert "湘西某公司" in detail and "500.00" in detail


def test_disclosure_reminders_are_sent_once(fund, org_admin, county_civil_affairs):
    Fund.objects.filter(pk=fund.pk).update(activated_at=timezone.now() - timezone.timedelta(days=120))
    first = services.send_disclosure_reminders()
    assert first >= 2  # the member, and civil affairs since it is overdue
    assert services.send_disclosure_reminders() == 0
    assert Notification.objects.filter(recipient=county_civil_affairs, key__startswith="disclosure:").exists()
    call_command("remind_disclosures")


def test_disclosure_export_lists_the_records(client, fund, org_admin):
    from xiangzhen.funds.validation import DisclosureData

    services.publish_disclosure(
        actor=org_admin, fund=fund, data=DisclosureData(period_start=date.today(), period_end=date.today(), text="进展")
    )
    client.force_login(org_admin)
    response = client.get(f"/funds/{fund.pk}/disclosures/export/")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def test_pages_render_for_the_organization_and_its_reviewers(client, fund, project, org_admin, county_civil_affairs):
    donate(fund, org_admin, amount="100")
    client.force_login(org_admin)
    for url in (
        "/funds/", f"/funds/{fund.pk}/", f"/funds/{fund.pk}/donations/new/", f"/funds/{fund.pk}/disbursements/new/",
        f"/funds/{fund.pk}/projects/new/", f"/funds/{fund.pk}/disclosures/new/", f"/funds/{fund.pk}/donations/import/",
        "/funds/new/", "/funds/donations/template/", f"/funds/public/projects/{project.pk}/",
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url
    client.force_login(county_civil_affairs)
    assert client.get("/funds/review/").status_code == 200
    assert client.get(f"/funds/{fund.pk}/review/").status_code == 200
    assert client.get(f"/funds/{fund.pk}/donations/new/").status_code == 403
