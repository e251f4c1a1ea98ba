"""Open311 POST requests, GET requests (filters, paging), GET one request, GET token."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from zongzhi.api.models import Open311Client, Open311Submission
from zongzhi.api.open311.requests import WITHHELD
from zongzhi.api.tests.conftest import citizen_case
from zongzhi.api.tests.test_open311_services import assert_spec_error
from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Outcome, Source
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import Action
from zongzhi.intake import limits
from zongzhi.intake.models import SubmissionReceipt
from zongzhi.intake.ratelimit import Rate
from zongzhi.testing.factories import make_case

pytestmark = pytest.mark.django_db
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
]  # fmt: skip


def form(world, key, **extra):
    data = {
        "api_key": key,
        "jurisdiction_id": "zongzhi.local",
        "service_code": world.dispute_type.code,
        "address_string": "玉兴路12号",
        "description": "小区内有人长期占用消防通道停车，协商无果。",
        "first_name": "芳",
        "last_name": "王",
        "device_id": "device-1",
        "account_id": "acct-9",
        "attribute[phone]": "13987654321",
        "attribute[township]": world.east.place.code,
        "attribute[people_count]": "3",
        "media_url": "https://example.org/photo.jpg",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, fmt="json", **headers):
    return client.post(f"/open311/v2/requests.{fmt}", data, **headers)


# POST


def test_post_creates_case_json(world, client, open311_key):
    response = post(client, form(world, open311_key))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (row,) = response.json()
    assert list(row) == ["service_request_id", "service_notice", "account_id"]
    case = Case.objects.get(number=row["service_request_id"])
    assert isinstance(row["service_request_id"], str)
    assert row["account_id"] == "acct-9" and case.query_code in row["service_notice"]
    assert case.source == Source.OPEN311 and case.place == world.east.place
    assert case.people_count == 3 and case.location_text == "玉兴路12号"
    party = case.parties.get()
    assert party.name == "王芳" and party.phone == "13987654321"
    record = Open311Submission.objects.get(case=case)
    assert record.media_url == "https://example.org/photo.jpg" and record.device_id == "device-1"


def test_post_xml_and_phone_from_top_level(world, client, open311_key):
    data = form(world, open311_key, **{"attribute[phone]": None, "phone": "13911112222"})
    response = post(client, data, fmt="xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    case = Case.objects.get(number=request.findtext("service_request_id"))
    assert case.parties.get().phone == "13911112222"


def test_post_places_by_lat_long_when_no_township(world, client, open311_key):
    world.west.place.latitude, world.west.place.longitude = 24.35, 102.54
    world.west.place.save()
    world.east.place.latitude, world.east.place.longitude = 24.40, 102.60
    world.east.place.save()
    data = form(
        world, open311_key, **{"attribute[township]": None, "lat": "24.351", "long": "102.541"}
    )
    response = post(client, data)
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.place == world.west.place
    assert str(case.latitude) == "24.351000"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_or_with_bad_api_key_is_403(world, client, open311_key, fmt):
    assert_spec_error(post(client, form(world, None), fmt), fmt, 403)
    bad = post(client, form(world, "o311_wrong"), fmt)
    assert bad.status_code == 403
    assert "api_key" in assert_spec_error(bad, fmt, 403)
    Open311Client.objects.update(is_active=False)
    assert post(client, form(world, open311_key), fmt).status_code == 403
    assert Case.objects.count() == 0


def test_key_of_another_jurisdiction_is_403(world, client):
    _, raw = Open311Client.issue("外地", "elsewhere.gov")
    assert post(client, form(world, raw)).status_code == 403


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"service_code": None}, 400),
        ({"service_code": "nope"}, 404),
        ({"jurisdiction_id": "other.gov"}, 404),
        ({"address_string": None}, 400),
        ({"address_string": None, "lat": "24.3"}, 400),
        ({"address_string": None, "lat": "abc", "long": "102"}, 400),
        ({"attribute[phone]": None}, 400),
        ({"attribute[phone]": "call me maybe"}, 400),
        ({"attribute[township]": "000000"}, 400),
        ({"attribute[township]": None}, 400),
        ({"attribute[people_count]": "many"}, 400),
        ({"description": ""}, 400),
        ({"description": "长" * 2001}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
        ({"device_id": "d" * 300}, 400),
    ],
)
def test_post_refusals_store_nothing(world, client, open311_key, change, status):
    for fmt in ("json", "xml"):
        response = post(client, form(world, open311_key, **change), fmt)
        assert response.status_code == status, response.content
        assert_spec_error(response, fmt, status)
    assert Case.objects.count() == 0


def test_retry_with_idempotency_key_returns_first_request(world, client, open311_key):
    first = post(client, form(world, open311_key), HTTP_IDEMPOTENCY_KEY="o-1")
    again = post(client, form(world, open311_key), HTTP_IDEMPOTENCY_KEY="o-1")
    assert first.json() == again.json()
    assert Case.objects.count() == 1 and Open311Submission.objects.count() == 1
    other = post(client, form(world, open311_key, description="别的事"), HTTP_IDEMPOTENCY_KEY="o-1")
    assert other.status_code == 400
    assert Case.objects.count() == 1


def test_identical_resend_from_same_device_is_a_retry(world, client, open311_key):
    first = post(client, form(world, open311_key))
    again = post(client, form(world, open311_key), fmt="xml")
    number = first.json()[0]["service_request_id"]
    assert ElementTree.fromstring(again.content).findtext("request/service_request_id") == number
    assert Case.objects.count() == 1
    post(client, form(world, open311_key, device_id="device-2"))
    post(client, form(world, open311_key, description="另一件事：路灯坏了，夜里有人摔倒。"))
    assert Case.objects.count() == 3


def test_resend_after_the_window_is_a_new_request(world, client, open311_key, monkeypatch):
    post(client, form(world, open311_key))
    SubmissionReceipt.objects.update(created_at=timezone.now() - timedelta(hours=1))
    later = time.time() + 3600
    monkeypatch.setattr("zongzhi.api.open311.submit.time", SimpleNamespace(time=lambda: later))
    assert post(client, form(world, open311_key)).status_code == 200
    assert Case.objects.count() == 2


def test_crash_mid_request_leaves_nothing(world, client, open311_key, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Open311Submission.objects, "create", explode)
    client.raise_request_exception = False
    response = post(client, form(world, open311_key))
    assert response.status_code == 500
    assert Case.objects.count() == 0 and SubmissionReceipt.objects.count() == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_rate_limit_refuses_with_chinese_message(world, client, open311_key, monkeypatch, fmt):
    monkeypatch.setattr(limits, "REPORT_PER_PHONE", Rate(1, 3600))
    assert post(client, form(world, open311_key), fmt).status_code == 200
    refused = post(client, form(world, open311_key, description="第二件事情，需要调解。"), fmt)
    assert refused.status_code == 429
    assert "提交次数已达上限" in assert_spec_error(refused, fmt, 429)
    assert int(refused["Retry-After"]) > 0
    assert Case.objects.count() == 1


# GET requests


@pytest.fixture
def filed(world):
    open_case = citizen_case(world)
    closed = citizen_case(world, source=Source.OPEN311, phone="13911110000")
    clerk, handler = world.east.clerk, world.east.handler
    case_services.transition(closed, Action.ACCEPT, actor=clerk)
    case_services.transition(closed, Action.ASSIGN, actor=clerk, unit=world.east.unit)
    case_services.transition(closed, Action.MEET, actor=handler)
    case_services.transition(
        closed, Action.CONCLUDE, actor=handler, note="已调解", outcome=Outcome.RESOLVED
    )
    case_services.transition(closed, Action.CLOSE, actor=clerk, note="回访满意")
    walk_in = make_case(world.east.village, world.east.clerk)
    return open_case, closed, walk_in


def numbers_json(client, **params):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 200, response.content
    return [row["service_request_id"] for row in response.json()]


def test_get_requests_json(world, client, filed):
    open_case, closed, walk_in = filed
    response = client.get("/open311/v2/requests.json")
    rows = response.json()
    assert [r["service_request_id"] for r in rows] == [closed.number, open_case.number]
    by_id = {r["service_request_id"]: r for r in rows}
    row = by_id[open_case.number]
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["status_notes"] == "当前环节：上报待受理"
    # The public feed withholds the dispute's own words: they name people and homes.
    assert row["service_code"] == "neighbourhood" and row["address"] == "玉兴街道一村"
    assert row["description"] == WITHHELD and open_case.description not in response.text
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"] == (
        timezone.localtime(open_case.next_due_at).isoformat(timespec="seconds")
    )
    assert row["agency_responsible"] is None
    done = by_id[closed.number]
    assert done["status"] == "closed" and done["status_notes"] == "已结案（实质化解）"
    closed.refresh_from_db()
    assert done["expected_datetime"] == (
        timezone.localtime(closed.close_due_at).isoformat(timespec="seconds")
    )
    assert done["updated_datetime"] == (
        timezone.localtime(closed.closed_at).isoformat(timespec="seconds")
    )
    assert done["agency_responsible"] is None  # closing ends the assignment
    text = response.content.decode()
    for secret in ("王芳", "13987654321", "13911110000", "4321"):
        assert secret not in text
    assert walk_in.number not in text


def test_get_requests_xml(world, client, filed):
    response = client.get("/open311/v2/requests.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 2
    assert [child.tag for child in requests[0]] == REQUEST_FIELDS
    assert requests[0].findtext("status") == "closed"
    assert requests[1].findtext("requested_datetime").endswith("+08:00")
    assert requests[1].find("media_url").text is None


def test_get_requests_filters(world, client, filed):
    open_case, closed, walk_in = filed
    assert numbers_json(client, status="open") == [open_case.number]
    assert numbers_json(client, status="closed") == [closed.number]
    assert numbers_json(client, status="open,closed") == [closed.number, open_case.number]
    assert numbers_json(client, service_code="wages") == []
    assert numbers_json(client, service_code="wages,neighbourhood") == [
        closed.number,
        open_case.number,
    ]
    ids = f"{open_case.number},{walk_in.number}"
    assert numbers_json(client, service_request_id=ids, status="closed") == [open_case.number]
    now = timezone.localtime()
    old = {"start_date": "2001-01-01T00:00:00+08:00", "end_date": "2001-02-01T00:00:00Z"}
    assert numbers_json(client, **old) == []
    recent = {"start_date": (now - timedelta(days=1)).isoformat(), "end_date": now.isoformat()}
    assert len(numbers_json(client, **recent)) == 2
    assert numbers_json(client, page_size=1) == [closed.number]
    assert numbers_json(client, page_size=1, page=2) == [open_case.number]
    assert numbers_json(client, page_size=1, page=3) == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
        {"page_size": "5000"},
        {"page": "0"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_requests_bad_filters_are_400(world, client, params, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", params)
    assert response.status_code == 400
    assert_spec_error(response, fmt, 400)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_requests_unknown_jurisdiction_is_404(world, client, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", {"jurisdiction_id": "x.gov"})
    assert_spec_error(response, fmt, 404)


# GET one request, GET token


def test_get_one_request(world, client, filed):
    open_case, _, walk_in = filed
    response = client.get(f"/open311/v2/requests/{open_case.number}.json")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["service_request_id"] == open_case.number and list(row) == REQUEST_FIELDS
    xml = client.get(f"/open311/v2/requests/{open_case.number}.xml")
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == open_case.number
    for fmt in ("json", "xml"):
        missing = client.get(f"/open311/v2/requests/530402-2000-000001.{fmt}")
        assert missing.status_code == 404
        assert_spec_error(missing, fmt, 404)
        hidden = client.get(f"/open311/v2/requests/{walk_in.number}.{fmt}")
        assert hidden.status_code == 404


def test_get_request_shows_agency_and_media(world, client, open311_key):
    response = post(client, form(world, open311_key))
    number = response.json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    case_services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    case_services.transition(case, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    (row,) = client.get(f"/open311/v2/requests/{number}.json", {"api_key": open311_key}).json()
    assert row["agency_responsible"] == world.east.unit.name
    assert row["media_url"] == "https://example.org/photo.jpg"
    assert row["status_notes"] == "当前环节：交办"


def test_token_lookup(world, client, filed):
    open_case, _, walk_in = filed
    response = client.get(f"/open311/v2/tokens/{open_case.query_code}.json")
    assert response.status_code == 200
    assert response.json() == [
        {"service_request_id": open_case.number, "token": open_case.query_code}
    ]
    xml = client.get(f"/open311/v2/tokens/{open_case.query_code}.xml")
    request = ElementTree.fromstring(xml.content).find("request")
    assert [c.tag for c in request] == ["service_request_id", "token"]
    for fmt in ("json", "xml"):
        assert_spec_error(client.get(f"/open311/v2/tokens/NOPE2345.{fmt}"), fmt, 404)
    assert client.get(f"/open311/v2/tokens/{walk_in.query_code}.json").status_code == 404


def test_token_lookup_is_rate_limited(world, client, filed, monkeypatch):
    monkeypatch.setattr(limits, "TOKEN_LOOKUP_PER_IP", Rate(2, 600))
    for _ in range(2):
        client.get("/open311/v2/tokens/AAAAAAAA.json")
    response = client.get(f"/open311/v2/tokens/{filed[0].query_code}.json")
    assert response.status_code == 429
    assert "查询过于频繁" in assert_spec_error(response, "json", 429)


def test_unsupported_method_is_refused(world, client):
    response = client.delete("/open311/v2/requests.json")
    assert response.status_code == 400
    assert_spec_error(response, "json", 405)


def test_the_filing_client_sees_its_own_words_and_nobody_else_does(world, client, open311_key):
    response = post(client, form(world, open311_key))
    number = response.json()[0]["service_request_id"]
    _, other_key = Open311Client.issue("另一个App", "zongzhi.local")
    path = f"/open311/v2/requests/{number}.json"
    own = client.get(path, {"api_key": open311_key}).json()[0]
    assert own["description"] == "小区内有人长期占用消防通道停车，协商无果。"
    assert own["address"] == "玉兴路12号"
    for params in ({}, {"api_key": other_key}):
        row = client.get(path, params).json()[0]
        assert row["description"] == WITHHELD and row["address"] != "玉兴路12号"
    assert client.get(path, {"api_key": "wrong"}).status_code == 403


def test_public_feed_rounds_the_point_and_hides_media(world, client, open311_key):
    data = form(world, open311_key, lat="24.351234", long="102.541234")
    number = post(client, data).json()[0]["service_request_id"]
    (public,) = client.get(f"/open311/v2/requests/{number}.json").json()
    assert (public["lat"], public["long"], public["media_url"]) == (24.35, 102.54, None)
    (own,) = client.get(f"/open311/v2/requests/{number}.json", {"api_key": open311_key}).json()
    assert (own["lat"], own["long"]) == (24.351234, 102.541234)
