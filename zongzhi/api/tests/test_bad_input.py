"""Bad input on the JSON API and Open311 is refused with the channel's error, never a 500."""

import pytest

from zongzhi.api.tests.test_open311_requests import form, post
from zongzhi.api.tests.test_public import REPORTS, report
from zongzhi.cases.models import Case

pytestmark = pytest.mark.django_db
NUL = "\x00"


def assert_api_error(response, status, field=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] and error["message"]
    if field:
        assert error["field"] == field


def assert_open311_error(response, status):
    assert response.status_code == status, response.content
    assert response.json()[0]["code"] == status


@pytest.mark.parametrize("field", ["description", "place", "contact_name", "dispute_type"])
def test_public_report_json_with_nul_is_422(world, client, field):
    body = report(world, **{field: f"漏水{NUL}"})
    response = client.post(REPORTS, body, content_type="application/json")
    assert_api_error(response, 422, field)
    assert not Case.objects.exists()


def test_public_report_with_other_control_character_is_422(world, client):
    response = client.post(
        REPORTS, report(world, description="漏水\x07"), content_type="application/json"
    )
    assert_api_error(response, 422, "description")
    assert "控制字符" in response.json()["error"]["message"]


def test_public_report_keeps_tabs_and_newlines(world, client):
    body = report(world, description="第一行\n第二行\r\n\t缩进")
    response = client.post(REPORTS, body, content_type="application/json")
    assert response.status_code == 201


def test_public_report_form_with_nul_is_422(world, client):
    response = client.post(REPORTS, report(world, description=f"漏水{NUL}"))
    assert_api_error(response, 422, "description")


def test_staff_case_with_nul_is_422(world, token_client):
    body = {
        "dispute_type": world.dispute_type.code,
        "place": world.east.village.code,
        "title": f"占道{NUL}",
        "description": "说明",
        "parties": [{"name": f"张{NUL}三"}],
    }
    api = token_client(world.east.clerk)
    response = api.post("/api/v1/cases", body, content_type="application/json")
    assert_api_error(response, 422, "title")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/places?parent=%00",
        "/api/v1/cases?q=%00",
        "/api/v1/cases?dispute_type=a%00",
        "/api/v1/public/cases/lookup?code=%00&phone_last4=1234",
        "/api/v1/public/cases/AB%00CD/timeline?phone_last4=1234",
    ],
)
def test_api_nul_in_url_is_400_json(world, token_client, url):
    response = token_client(world.east.clerk).get(url)
    assert_api_error(response, 400)


@pytest.mark.parametrize(
    "query",
    [
        "page=%C2%B2",
        "page_size=%C2%B2",
        "page=99999999999999999999999",
        "created_to=9999-12-31",
        "created_from=0001-01-01",
        "created_from=2026-13-45",
        "created_from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01",
    ],
)
def test_api_case_list_bad_numbers_and_dates_are_422(world, token_client, query):
    response = token_client(world.east.clerk).get(f"/api/v1/cases?{query}")
    assert_api_error(response, 422)


def test_api_case_list_accepts_a_sane_date_range(world, token_client):
    response = token_client(world.east.clerk).get(
        "/api/v1/cases?created_from=2026-01-01&created_to=2099-12-31"
    )
    assert response.status_code == 200


# Open311


@pytest.mark.parametrize(
    "field", ["description", "address_string", "device_id", "attribute[township]", "first_name"]
)
def test_open311_post_with_nul_is_400(world, client, open311_key, field):
    response = post(client, form(world, open311_key, **{field: f"玉兴{NUL}"}))
    assert_open311_error(response, 400)
    assert field in response.json()[0]["description"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("count", ["²", "٣", "99999999999999999999999", "-3"])
def test_open311_people_count_only_ascii_digits(world, client, open311_key, count):
    response = post(client, form(world, open311_key, **{"attribute[people_count]": count}))
    assert_open311_error(response, 400)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "page=%C2%B2",
        "page_size=%C2%B2",
        "page=99999999999999999999999",
        "start_date=2026-13-45",
        "end_date=9999-12-31",
        "start_date=0001-01-01T00:00:00%2B08:00",
        "service_code=%00",
        "status=%00",
    ],
)
def test_open311_get_bad_params_are_400(world, client, query):
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert_open311_error(response, 400)


@pytest.mark.parametrize(
    "path",
    ["/open311/v2/requests/AB%00.json", "/open311/v2/services/a%00b.json"],
)
def test_open311_nul_in_path_is_400(world, client, path):
    assert_open311_error(client.get(path), 400)


def test_open311_nul_in_xml_path_answers_xml(world, client):
    response = client.get("/open311/v2/requests/AB%00.xml")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/xml")


@pytest.mark.parametrize(
    "url", ["/api/v1/cases/99999999999999999999", "/api/v1/cases/%C2%B2", "/api/v1/cases/-1"]
)
def test_api_odd_case_ids_are_4xx(world, token_client, url):
    response = token_client(world.east.clerk).get(url)
    assert 400 <= response.status_code < 500


def test_api_transition_with_huge_unit_is_4xx(world, token_client):
    from zongzhi.testing.factories import make_case

    case = make_case(world.east.village, world.east.clerk)
    body = {"action": "assign", "unit": 10**30, "assignee": "x\x00"}
    response = token_client(world.east.clerk).post(
        f"/api/v1/cases/{case.pk}/transitions", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_idempotency_key_with_nul_is_400(world, client):
    response = client.post(
        REPORTS, report(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k\x00"
    )
    assert_api_error(response, 400, "Idempotency-Key")
    assert not Case.objects.exists()


def test_open311_post_idempotency_key_with_nul_is_400(world, client, open311_key):
    response = post(client, form(world, open311_key), HTTP_IDEMPOTENCY_KEY="k\x00")
    assert_open311_error(response, 400)


DEEP_JSON = "[" * 20000 + "]" * 20000


def test_public_report_with_deeply_nested_json_is_400(world, client):
    # json.loads raises RecursionError, not ValueError, on such a body.
    response = client.post(REPORTS, DEEP_JSON, content_type="application/json")
    assert_api_error(response, 400)
    assert not Case.objects.exists()


@pytest.mark.parametrize("body", ["{", DEEP_JSON])
def test_unparsable_json_is_refused_in_chinese(world, client, body):
    response = client.post("/api/v1/public/cases/lookup", body, content_type="application/json")
    assert_api_error(response, 400)
    assert response.json()["error"]["message"].startswith("提交内容")
