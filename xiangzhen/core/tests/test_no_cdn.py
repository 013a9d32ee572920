import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL_ASSET = re.compile(r"""<(script|link)[^>]+(src|href)=["'](https?:)?//""", re.IGNORECASE)


def test_templates_load_no_external_assets():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.html")
        if EXTERNAL_ASSET.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_api_docs_served_locally(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert not EXTERNAL_ASSET.search(response.content.decode())
    assert "/static/ninja/swagger-ui-bundle.js" in response.content.decode()


@pytest.mark.django_db
def test_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"].startswith("乡振")
    assert "/api/v1/accounts/me" in schema["paths"]


@pytest.mark.django_db
def test_static_assets_are_served_by_the_app(client):
    for asset in ("xiangzhen/site.css", "xiangzhen/htmx.min.js", "ninja/swagger-ui-bundle.js"):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
