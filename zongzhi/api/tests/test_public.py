"""Public endpoints: file a report (JSON, multipart), look it up, timeline, rate, reopen."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zongzhi.api.tests.conftest import citizen_case, png_bytes
from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Outcome, Source, Status
from zongzhi.cases.models import Case, CaseAttachment
from zongzhi.cases.workflow import Action
from zongzhi.intake import limits
from zongzhi.intake.models import CitizenRating, RateCounter
from zongzhi.intake.ratelimit import Rate
from zongzhi.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/public/reports"


def report(world, **extra):
    return {
        "dispute_type": world.dispute_type.code,
        "place": world.east.village.code,
        "description": "楼上住户长期漏水，协商多次未果。",
        "contact_name": "王芳",
        "contact_phone": "13987654321",
        **extra,
    }


def post_json(client, data, **headers):
    return client.post(REPORTS, data, content_type="application/json", **headers)


LOOKUP = "/api/v1/public/cases/lookup"
TIMELINE = "/api/v1/public/cases/timeline"


def post_lookup(client, body, url=LOOKUP, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert error["field"] == field
    return error


# Filing


def test_json_report_is_filed(world, client):
    response = post_json(client, report(world))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["case_number"])
    assert body["query_code"] == case.query_code and body["created"] is True
    assert body["status"] == Status.REPORT and "查询码" in body["message"]
    assert case.source == Source.CITIZEN
    assert case.parties.get().phone == "13987654321"


def test_multipart_report_with_photos(world, client):
    photo = SimpleUploadedFile("scene.png", png_bytes(), content_type="image/png")
    response = client.post(REPORTS, {**report(world), "photos": [photo]})
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.attachments.get().content_type == "image/png"


def test_retry_with_same_key_returns_first_case(world, client):
    first = post_json(client, report(world), HTTP_IDEMPOTENCY_KEY="k-1")
    again = post_json(client, report(world), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["case_number"] == again.json()["case_number"]
    assert again.json()["created"] is False
    assert Case.objects.count() == 1
    other = post_json(client, report(world, description="另一件事"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert_error(other, 409, "idempotency_conflict")
    assert Case.objects.count() == 1


def test_invalid_reports_are_refused_and_nothing_stored(world, client):
    assert_error(
        post_json(client, report(world, description="长" * 2001)),
        422,
        "invalid_input",
        "description",
    )
    assert_error(
        post_json(client, report(world, contact_phone="")), 422, "invalid_input", "contact_phone"
    )
    assert_error(
        post_json(client, report(world, dispute_type="nope")), 422, "invalid_input", "dispute_type"
    )
    assert_error(post_json(client, report(world, place="000")), 422, "invalid_input", "place")
    assert_error(
        post_json(client, report(world, place=world.county.code)), 422, "invalid_input", "place"
    )
    bad_json = client.post(REPORTS, "{not json", content_type="application/json")
    assert_error(bad_json, 400, "invalid_json")
    assert_error(post_json(client, ["a list"]), 400, "invalid_json")
    huge = post_json(client, report(world, title="x" * limits.MAX_JSON_BYTES))
    assert_error(huge, 400, "too_large")
    assert Case.objects.count() == 0


def test_photos_are_checked_and_refusals_store_nothing(world, client, monkeypatch):
    fake = SimpleUploadedFile("scene.jpg", b"just some text, not a picture", "image/jpeg")
    assert_error(client.post(REPORTS, {**report(world), "photos": [fake]}), 400, "file_type")
    monkeypatch.setattr(limits, "MAX_PHOTO_BYTES", 50)
    big = SimpleUploadedFile("big.png", png_bytes((64, 64)), content_type="image/png")
    assert_error(client.post(REPORTS, {**report(world), "photos": [big]}), 400, "file_too_large")
    monkeypatch.setattr(limits, "MAX_PHOTO_BYTES", 5 * 1024 * 1024)
    many = [SimpleUploadedFile(f"{i}.png", png_bytes(), "image/png") for i in range(7)]
    assert_error(client.post(REPORTS, {**report(world), "photos": many}), 400, "too_many_files")
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0


def test_rate_limit_per_ip(world, client, monkeypatch):
    monkeypatch.setattr(limits, "REPORT_PER_IP", Rate(2, 3600))
    for n in range(2):
        phone = f"1398765432{n}"
        assert post_json(client, report(world, contact_phone=phone)).status_code == 201
    refused = post_json(client, report(world, contact_phone="13900000000"))
    error = assert_error(refused, 429, "rate_limited")
    assert "频繁" in error["message"]
    assert int(refused["Retry-After"]) > 0
    assert Case.objects.count() == 2


def test_rate_limit_per_phone(world, client, monkeypatch):
    monkeypatch.setattr(limits, "REPORT_PER_PHONE", Rate(1, 3600))
    assert post_json(client, report(world)).status_code == 201
    other_ip = post_json(client, report(world, description="又一件事"), REMOTE_ADDR="10.0.0.9")
    error = assert_error(other_ip, 429, "rate_limited")
    assert "手机号" in error["message"]
    assert Case.objects.count() == 1


# Following the case


@pytest.fixture
def filed(world):
    return citizen_case(world)


def test_lookup_by_code_and_phone(world, client, filed):
    response = post_lookup(client, {"code": filed.query_code.lower(), "phone_last4": "4321"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["case_number"] == filed.number
    assert body["applicant"] == "王*"
    assert body["status_label"] == "上报待受理" and body["can_rate"] is False
    assert "13987654321" not in response.content.decode()


def test_lookup_with_wrong_phone_is_404(world, client, filed):
    response = post_lookup(client, {"code": filed.query_code, "phone_last4": "0000"})
    assert_error(response, 404, "not_found")
    assert_error(post_lookup(client, {"code": "X"}), 422, "invalid_input")
    assert_error(post_lookup(client, {"code": "X", "phone_last4": "12a4"}), 422, "invalid_input")


def test_lookup_and_timeline_take_code_and_digits_in_the_body_never_the_url(world, client, filed):
    query = {"code": filed.query_code, "phone_last4": "4321"}
    assert client.get(LOOKUP, query).status_code == 405
    old_timeline = f"/api/v1/public/cases/{filed.query_code}/timeline"
    assert client.get(old_timeline, {"phone_last4": "4321"}).status_code in (404, 405)
    # Not as a form either, nor with the digits in the query string.
    assert client.post(LOOKUP, query).status_code in (400, 422)
    in_url = f"{TIMELINE}?code={filed.query_code}&phone_last4=4321"
    assert client.post(in_url, {}, content_type="application/json").status_code == 422
    assert post_lookup(client, query).status_code == 200
    assert post_lookup(client, query, TIMELINE).status_code == 200


def test_lookups_are_rate_limited_per_ip(world, client, filed, monkeypatch):
    monkeypatch.setattr(limits, "LOOKUP_PER_IP", Rate(3, 600))
    for _ in range(3):
        post_lookup(client, {"code": "ABCDEFGH", "phone_last4": "1234"})
    right = post_lookup(client, {"code": filed.query_code, "phone_last4": "4321"})
    error = assert_error(right, 429, "rate_limited")
    assert "查询过于频繁" in error["message"]


def test_public_timeline_masks_staff_and_hides_their_notes(world, client, filed):
    clerk = UserFactory(
        username="clerk-named", display_name="李明华", role="window_clerk", place=world.east.place
    )
    case_services.transition(filed, Action.ACCEPT, actor=clerk, note="约谈了被申请人赵小兵")
    response = post_lookup(client, {"code": filed.query_code, "phone_last4": "4321"}, TIMELINE)
    assert response.status_code == 200
    events = response.json()
    assert [e["label"] for e in events] == ["登记", "受理"]
    assert events[1]["actor"] == "李**（综合受理窗口）"
    assert events[1]["note"] == ""
    text = response.content.decode()
    assert "李明华" not in text and "赵小兵" not in text
    wrong = post_lookup(client, {"code": filed.query_code, "phone_last4": "9999"}, TIMELINE)
    assert_error(wrong, 404, "not_found")


def conclude(world, case):
    clerk, handler = world.east.clerk, world.east.handler
    case_services.transition(case, Action.ACCEPT, actor=clerk)
    case_services.transition(case, Action.ASSIGN, actor=clerk, unit=world.east.unit)
    case_services.transition(case, Action.MEET, actor=handler)
    case_services.transition(
        case, Action.CONCLUDE, actor=handler, note="达成协议", outcome=Outcome.RESOLVED
    )


def test_rating_after_conclusion(world, client, filed):
    url = f"/api/v1/public/cases/{filed.query_code}/rating"
    early = client.post(url, {"phone_last4": "4321", "score": 5}, content_type="application/json")
    assert_error(early, 409, "invalid_transition")
    conclude(world, filed)
    bad = client.post(url, {"phone_last4": "4321", "score": 6}, content_type="application/json")
    assert_error(bad, 422, "invalid_input", "score")
    rated = client.post(
        url, {"phone_last4": "4321", "score": 5, "comment": "满意"}, content_type="application/json"
    )
    assert rated.status_code == 201, rated.content
    assert rated.json()["can_rate"] is False
    again = client.post(url, {"phone_last4": "4321", "score": 4}, content_type="application/json")
    assert_error(again, 409, "invalid_transition")
    assert CitizenRating.objects.count() == 1


def test_reopen_after_conclusion(world, client, filed):
    url = f"/api/v1/public/cases/{filed.query_code}/reopen"
    payload = {"phone_last4": "4321", "reason": "对方没有按协议修好水管"}
    assert_error(
        client.post(url, payload, content_type="application/json"), 409, "invalid_transition"
    )
    conclude(world, filed)
    empty = client.post(url, {"phone_last4": "4321", "reason": ""}, content_type="application/json")
    assert_error(empty, 422, "invalid_input", "reason")
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.RESOLVE
    filed.refresh_from_db()
    assert filed.reopen_count == 1


def test_catalogues(world, client):
    types = client.get("/api/v1/public/dispute-types").json()
    assert "neighbourhood" in {t["code"] for t in types}
    assert set(types[0]) == {"code", "name", "description"}
    towns = client.get("/api/v1/public/places", {"parent": world.county.code}).json()
    assert {t["code"] for t in towns} == {world.east.place.code, world.west.place.code}
    assert client.get("/api/v1/public/places", {"parent": "nope"}).status_code == 404


def test_counters_store_only_digests(world, client):
    post_json(client, report(world))
    buckets = " ".join(RateCounter.objects.values_list("bucket", flat=True))
    assert "13987654321" not in buckets and "127.0.0.1" not in buckets


def test_crash_while_storing_photos_leaves_nothing(world, client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("storage unavailable")

    monkeypatch.setattr(case_services, "add_attachment", explode)
    client.raise_request_exception = False
    photo = SimpleUploadedFile("scene.png", png_bytes(), content_type="image/png")
    response = client.post(REPORTS, {**report(world), "photos": [photo]}, HTTP_IDEMPOTENCY_KEY="c")
    assert response.status_code == 500
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0
    monkeypatch.undo()
    photo.seek(0)
    retried = client.post(REPORTS, {**report(world), "photos": [photo]}, HTTP_IDEMPOTENCY_KEY="c")
    assert retried.status_code == 201 and Case.objects.count() == 1


def test_guessing_phone_digits_of_a_known_code_from_many_addresses_is_stopped(world, client, filed):
    for n in range(limits.LOOKUP_PER_CODE.limit):
        guess = {"code": filed.query_code, "phone_last4": f"{n:04d}"}
        assert post_lookup(client, guess, REMOTE_ADDR=f"10.0.0.{n}").status_code == 404
    right = {"code": filed.query_code, "phone_last4": "4321"}
    response = post_lookup(client, right, REMOTE_ADDR="10.0.1.1")
    assert "尝试次数过多" in assert_error(response, 429, "rate_limited")["message"]


def test_phone_limit_is_shared_across_channels_and_country_codes(world, client, monkeypatch):
    monkeypatch.setattr(limits, "REPORT_PER_PHONE", Rate(1, 86400))
    first = post_json(client, report(world, contact_phone="13911112222"))
    assert first.status_code == 201
    again = post_json(
        client, report(world, contact_phone="+86 139 1111 2222", description="另一件事")
    )
    assert_error(again, 429, "rate_limited")
    assert Case.objects.count() == 1


def test_a_retry_of_a_stored_report_is_answered_even_over_the_limit(world, client, monkeypatch):
    monkeypatch.setattr(limits, "REPORT_PER_IP", Rate(1, 3600))
    first = post_json(client, report(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201
    retry = post_json(client, report(world), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert retry.status_code == 200 and retry.json()["query_code"] == first.json()["query_code"]


def test_oversized_body_is_refused_before_it_is_read(world, client):
    response = client.post(
        "/api/v1/public/reports",
        data=b"x",
        content_type="multipart/form-data; boundary=zz",
        CONTENT_LENGTH=str(limits.MAX_REQUEST_BYTES + 1),
    )
    assert_error(response, 413, "too_large")
    assert not Case.objects.exists()
