import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiangzhen.consumption.models import Purchase, PurchaseBatch
from xiangzhen.consumption.tests.conftest import buy
from xiangzhen.consumption.tests.factories import SHIBADONG, purchase
from xiangzhen.core.attachments import attachments_of

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_registers_a_product_and_records_a_batch(client, county_official, organization, org_admin):
    client.force_login(county_official)
    body = {
        "name": "十八洞村腊肉", "producer_name": "十八洞村腊肉加工坊", "producer_kind": "household_enterprise",
        "origin_code": SHIBADONG, "category": "meat_egg", "unit": "斤", "price": "68",
    }  # fmt: skip
    created = post(client, "/api/v1/consumption/products", body)
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    photos = client.post(
        f"/api/v1/consumption/products/{product_id}/photos", {"files": [SimpleUploadedFile("a.png", PNG)]}
    )
    assert photos.status_code == 201 and len(photos.json()) == 1
    client.force_login(org_admin)
    lines = [{"product_id": product_id, "quantity": "5", "purchased_on": str(date.today()), "channel": "ecommerce",
              "invoice_number": "API-1"}]  # fmt: skip
    response = post(client, "/api/v1/consumption/batches", {"organization_id": organization.pk, "purchases": lines})
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["total_amount"] == "340.00" and batch["purchases"][0]["by_member"] is False
    again = post(client, "/api/v1/consumption/batches", {"organization_id": organization.pk, "purchases": lines})
    assert again.status_code == 422 and "已登记过" in again.json()["detail"]
    totals = client.get("/api/v1/consumption/totals").json()
    assert totals["amount"] == "340.00" and totals["by_buyer"][0]["label"] == organization.name
    export = client.get("/api/v1/consumption/totals/export")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [c.value for c in sheet[2]] == [organization.name, 1, 340]


def test_the_catalogue_is_public_and_searchable(client, product):
    page = client.get("/consumption/catalogue/?q=猕猴桃")
    assert page.status_code == 200 and "十八洞村猕猴桃" in page.content.decode()
    assert "十八洞村猕猴桃" not in client.get("/consumption/catalogue/?q=苗绣").content.decode()
    assert client.get(f"/consumption/catalogue/{product.pk}/").status_code == 200
    items = client.get("/api/v1/consumption/public/products?category=fruit_vegetable").json()["items"]
    assert [i["number"] for i in items] == [product.number]
    export = client.get("/consumption/catalogue/export/")
    assert load_workbook(io.BytesIO(export.content)).worksheets[0]["A2"].value == product.number


def test_the_purchase_page_preselects_the_product_and_records_one_batch(client, product, organization, org_admin):
    client.force_login(org_admin)
    page = client.get(f"/consumption/purchases/new/?product={product.pk}")
    assert page.status_code == 200
    assert f'<option value="{product.pk}" selected>' in page.content.decode()
    form = {
        "organization": organization.pk, "member": "", "purchased_on": str(date.today()), "channel": "direct",
        "event": "", "campaign": "", "invoice_number": "PAGE-1",
        "invoices": SimpleUploadedFile("invoice.png", PNG, content_type="image/png"),
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "10",
        "lines-0-product": product.pk, "lines-0-quantity": "3", "lines-0-amount": "",
        "lines-1-product": product.pk, "lines-1-quantity": "1", "lines-1-amount": "",
    }  # fmt: skip
    response = client.post("/consumption/purchases/new/", form)
    assert response.status_code == 200 and "同一发票上的同一产品" in response.content.decode()
    form["lines-1-product"] = ""
    form["lines-1-quantity"] = ""
    form["invoices"] = SimpleUploadedFile("invoice.png", PNG, content_type="image/png")
    response = client.post("/consumption/purchases/new/", form)
    batch = PurchaseBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/consumption/batches/{batch.pk}/"
    assert batch.total_amount == 264 and attachments_of(batch).count() == 1
    detail = client.get(response["Location"]).content.decode()
    assert batch.number in detail and "invoice.png" in detail


def test_member_pages_and_out_of_scope_batches(client, product, organization, org_admin, other_org_admin):
    batch = buy(org_admin, organization, purchase(product))
    client.force_login(other_org_admin)
    assert client.get(f"/consumption/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/api/v1/consumption/purchases/{batch.purchases.get().pk}").status_code == 404
    assert client.get("/api/v1/consumption/purchases").json()["items"] == []
    client.force_login(org_admin)
    for url in ("/consumption/purchases/", "/consumption/totals/", "/consumption/batches/", "/consumption/products/"):
        assert client.get(url).status_code == 200, url
    export = client.get("/consumption/purchases/export/")
    row = [c.value for c in load_workbook(io.BytesIO(export.content)).worksheets[0][2]]
    assert row[0] == Purchase.objects.get().number and organization.credit_code not in map(str, row)


def test_the_fair_page_shows_sales_per_village_and_total(client, fair, product, organization, org_admin):
    buy(org_admin, organization, purchase(product, channel="fair", event=fair.pk, amount="300"))
    page = client.get(f"/events/public/{fair.pk}/").content.decode()
    assert "十八洞村" in page and "300.00" in page
    sales = client.get(f"/api/v1/events/public/{fair.pk}/sales").json()
    assert sales["total"] == "300.00" and sales["villages"][0]["village_code"] == SHIBADONG
    export = client.get(f"/events/public/{fair.pk}/sales/export/")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert sheet["E2"].value == 300 and sheet["E3"].value == 300


def test_import_page_previews_then_confirms(client, product, organization, org_admin):
    from xiangzhen.consumption import excel

    client.force_login(org_admin)
    content = excel.template_workbook(product.number)
    upload = SimpleUploadedFile("采购.xlsx", content)
    preview = client.post("/consumption/purchases/import/", {"organization": organization.pk, "file": upload})
    assert preview.status_code == 200 and not Purchase.objects.exists()
    digest = preview.context["digest"]
    done = client.post(
        "/consumption/purchases/import/", {"organization": organization.pk, "digest": digest, "confirm": "1"}
    )
    assert done.status_code == 302 and Purchase.objects.count() == 1
