import json

from xiangzhen.reporting.tests.conftest import XIANGXI


def call(client, method, url, body=None):
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


def test_write_submit_return_resubmit_accept_over_the_api(
    client, report, city_civil_affairs, province_civil_affairs, province_rural_revitalization
):
    url = f"/api/v1/reports/{report.pk}"
    client.force_login(city_civil_affairs)
    texts = {"progress": "进展", "difficulties": "困难", "practices": "做法", "version": report.version}
    assert call(client, "PATCH", url, texts).status_code == 200
    submitted = call(client, "POST", f"{url}/submit").json()
    assert submitted["status"] == "submitted" and submitted["figures_frozen"] is True
    assert submitted["edit_blocked_reason"]
    client.force_login(province_civil_affairs)
    response = call(client, "POST", f"{url}/return", {"comment": ""})
    assert response.status_code == 422 and response["Content-Type"].startswith("application/problem+json")
    returned = call(client, "POST", f"{url}/return", {"comment": "补充数据"}).json()
    assert returned["status"] == "returned" and returned["reviewed_by"] == str(province_civil_affairs)
    client.force_login(city_civil_affairs)
    assert call(client, "POST", f"{url}/submit").json()["status"] == "submitted"
    client.force_login(province_rural_revitalization)
    accepted = call(client, "POST", f"{url}/accept", {"comment": "好"}).json()
    assert [h["action"] for h in accepted["history"]] == ["submit", "return", "resubmit", "accept"]
    assert accepted["history"][-1]["actor_name"] == province_rural_revitalization.full_name


def test_period_summary_over_the_api(client, period, province_civil_affairs, city_civil_affairs):
    client.force_login(province_civil_affairs)
    data = client.get(f"/api/v1/reports/periods/{period.pk}").json()
    assert data["expected"] == 14 and data["submitted"] == 0 and data["reporting_rate"] == "0.0%"
    client.force_login(city_civil_affairs)
    assert client.get(f"/api/v1/reports/periods/{period.pk}").status_code == 404


def test_report_list_is_scoped(client, period, city_civil_affairs, province_civil_affairs):
    client.force_login(city_civil_affairs)
    items = client.get("/api/v1/reports/").json()["items"]
    assert [i["region_code"] for i in items] == [XIANGXI]
    client.force_login(province_civil_affairs)
    assert client.get("/api/v1/reports/").json()["count"] == 14
