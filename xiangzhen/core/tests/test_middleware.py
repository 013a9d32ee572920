from django.http import HttpResponse
from django.test import RequestFactory

from xiangzhen.core.errors import Forbidden, NotFound
from xiangzhen.core.middleware import ServiceErrorsMiddleware

middleware = ServiceErrorsMiddleware(lambda request: HttpResponse("ok"))


def test_not_found_from_a_page_view_answers_404():
    request = RequestFactory().get("/demands/1/")
    assert middleware.process_exception(request, NotFound("需求项目不存在")).status_code == 404


def test_forbidden_from_a_page_view_answers_403():
    request = RequestFactory().get("/matches/duplicates/")
    assert middleware.process_exception(request, Forbidden("只有县级工作人员可以查看")).status_code == 403


def test_other_errors_are_left_to_django():
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("boom")) is None


def test_an_out_of_scope_page_looks_missing_end_to_end(client, other_county_official, db):
    client.force_login(other_county_official)
    assert client.get("/organizations/999999/").status_code == 404
