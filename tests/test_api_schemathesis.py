"""Schemathesis over the whole API (issue 9): no server error and no schema violation.

Every operation in the OpenAPI document the API serves at /api/v1/openapi.json is called with
requests generated from its own schema, as a platform admin with a read-write token and as an
anonymous caller, against the WSGI application in-process (no network). Each answer must not be a
5xx, must use a status code and content type the document lists, and must match the documented
body schema (errors are RFC 9457 problem documents, listed on every operation by
`xiangzhen.core.problems.document_errors`).

A third pass sends malformed requests (Schemathesis' negative mode) as the admin: they must be
refused with a documented problem document, never a 5xx.

Bounded and repeatable: a few examples per operation (5 as the admin, 2 for the other passes),
derandomized, no shrinking, no example database. Raise XIANGZHEN_SCHEMATHESIS_EXAMPLES to dig deeper.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from xiangzhen.api import api

EXAMPLES = int(os.environ.get("XIANGZHEN_SCHEMATHESIS_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.config.generation.update(modes=["positive"], max_examples=EXAMPLES, deterministic=True, database="none")
# Malformed requests (wrong types, missing fields, values out of range): refused, never a 5xx.
negative = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
negative.config.generation.update(modes=["negative"], max_examples=EXAMPLES, deterministic=True, database="none")
APP = get_wsgi_application()


@pytest.fixture(scope="module")
def _one_connection():
    """Requests go through the real WSGI handler, whose end-of-request hook would close the test's
    database connection (and its transaction): keep it open, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db, platform_admin) -> str:
    from xiangzhen.accounts import services

    _, secret = services.create_api_token(actor=platform_admin, name="schemathesis", scope="write")
    return secret


def bounded(examples: int) -> settings:
    """A fixed number of examples, the same ones every run, no shrinking, no example database."""
    return settings(
        max_examples=max(1, examples),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.mark.django_db
@schema.parametrize()
@bounded(EXAMPLES)
def test_api_as_platform_admin(case, admin_token, _one_connection):
    case.call_and_validate(app=APP, headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@bounded(EXAMPLES // 2)  # most answers are 401: fewer examples show the same
def test_api_anonymously(case, _one_connection):
    case.call_and_validate(app=APP, checks=CHECKS)


@pytest.mark.django_db
@negative.parametrize()
@bounded(EXAMPLES // 2)
def test_api_refuses_malformed_requests_cleanly(case, admin_token, _one_connection):
    case.call_and_validate(
        app=APP,
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=[not_a_server_error, content_type_conformance],
    )


def test_the_served_document_is_the_one_tested(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json()["paths"].keys() == schema.raw_schema["paths"].keys()


@pytest.mark.django_db
def test_the_checks_are_live(admin_token, _one_connection, platform_admin):
    """The calls reach the application as the admin, and a response the document does not
    describe fails: the fuzzing above could have found something."""
    from schemathesis.core.failures import FailureGroup

    case = schema["/api/v1/accounts/me"]["GET"].Case()
    response = case.call_and_validate(app=APP, headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
    assert response.status_code == 200 and response.json()["username"] == platform_admin.username
    document = api.get_openapi_schema(path_prefix="/api/v1")
    me = document["paths"]["/api/v1/accounts/me"]["get"]["responses"][200]["content"]["application/json"]
    me["schema"] = {"type": "object", "required": ["no_such_field"]}
    wrong = schemathesis.openapi.from_dict(document)
    with pytest.raises(FailureGroup):
        wrong["/api/v1/accounts/me"]["GET"].Case().call_and_validate(
            app=APP, headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS
        )
    anonymous = schema["/api/v1/accounts/me"]["GET"].Case().call_and_validate(app=APP, checks=CHECKS)
    assert anonymous.status_code == 401
