"""Staff endpoints: list, read, create, transition, timeline, actions; area scoping."""

import pytest

from zongzhi.cases.choices import Source, Status
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import Action
from zongzhi.intake.models import SubmissionReceipt
from zongzhi.privacy.masking import mask_id_number, mask_name, mask_phone
from zongzhi.testing.factories import DisputeTypeFactory, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    east = make_case(world.east.village, world.east.clerk, title="东边的邻里纠纷")
    west = make_case(world.west.village, world.west.clerk, title="西边的邻里纠纷")
    return east, west


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    if field:
        assert body["error"]["field"] == field
    return body["error"]


def new_case_payload(world, **extra):
    payload = {
        "dispute_type": world.dispute_type.code,
        "place": world.east.village.code,
        "title": "宅基地边界争议",
        "description": "两户因院墙位置发生争执，要求重新确认边界。",
        "parties": [{"name": "赵大山", "phone": "13800001111", "id_number": "530402198001011233"}],
    }
    return {**payload, **extra}


# List


def test_list_shows_own_area_only(world, cases, token_client):
    east, west = cases
    response = token_client(world.east.clerk).get("/api/v1/cases")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1
    assert [item["number"] for item in body["items"]] == [east.number]
    item = body["items"][0]
    assert item["status"] == Status.REPORT and item["status_label"] == "上报待受理"
    assert item["dispute_type"] == {"code": "neighbourhood", "name": "邻里纠纷"}
    assert item["colour"] in {"red", "normal"}


def test_county_leader_lists_both_townships(world, cases, token_client):
    body = token_client(world.county_leader).get("/api/v1/cases").json()
    assert body["count"] == 2


def test_list_filters_match_the_queue(world, cases, token_client):
    east, _ = cases
    wages = DisputeTypeFactory(code="wages", name="欠薪")
    other = make_case(world.east.grid, world.east.clerk, dispute_type=wages, title="拖欠工资")
    api = token_client(world.county_leader)

    def numbers(query):
        response = api.get("/api/v1/cases", query)
        assert response.status_code == 200, response.content
        return {item["number"] for item in response.json()["items"]}

    assert numbers({"dispute_type": "wages"}) == {other.number}
    assert numbers({"place": world.east.place.code}) == {east.number, other.number}
    assert numbers({"q": "工资"}) == {other.number}
    assert numbers({"q": "赵大山"}) == set()
    assert numbers({"status": "assess"}) == set()
    assert numbers({"source": Source.WINDOW}) == {east.number, other.number} | {cases[1].number}
    assert numbers({"created_from": "2000-01-01", "created_to": "2000-01-02"}) == set()


def test_list_paging(world, token_client):
    for _ in range(3):
        make_case(world.east.village, world.east.clerk)
    body = token_client(world.east.clerk).get("/api/v1/cases", {"page": 2, "page_size": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 1 and body["page_size"] == 2


def test_list_refuses_invalid_filters(world, token_client):
    api = token_client(world.east.clerk)
    assert_error(api.get("/api/v1/cases", {"status": "nope"}), 422, "invalid_input", "status")
    assert_error(api.get("/api/v1/cases", {"dispute_type": "nope"}), 422, "invalid_input")
    outside = api.get("/api/v1/cases", {"place": world.west.place.code})
    assert_error(outside, 422, "invalid_input", "place")
    backwards = api.get("/api/v1/cases", {"created_from": "2026-02-01", "created_to": "2026-01-01"})
    assert_error(backwards, 422, "invalid_input", "created_to")


def test_unauthenticated_and_bad_tokens_are_refused(world, client):
    assert_error(client.get("/api/v1/cases"), 401, "unauthenticated")
    bad = client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer zzt_wrong")
    assert_error(bad, 401, "unauthenticated")


# Read


def test_read_masks_parties(world, frozen_now, cases, token_client):
    east, _ = cases
    response = token_client(world.east.clerk).get(f"/api/v1/cases/{east.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == east.number
    stored = east.parties.get(role="applicant")
    applicant = body["parties"][0]
    assert applicant["name"] == mask_name(stored.name) != stored.name
    assert applicant["phone"] == mask_phone(stored.phone)
    assert applicant["id_number"] == mask_id_number(stored.id_number)
    for secret in (stored.phone, stored.id_number, stored.address):
        assert secret not in response.content.decode()
    assert {a["action"] for a in body["actions"]} == {"accept", "reject"}
    assert [m["milestone"] for m in body["milestones"]] == ["accept", "meet", "resolve", "close"]
    assert body["next_due_label"].startswith("剩余 ")
    # Reported Wed 11 March 10:00: resolve due at the end of Fri 20 March, close of Wed 1 April.
    assert [m["due_label"] for m in body["milestones"]][2:] == ["剩余 9天", "剩余 21天"]


def test_read_unknown_case_is_404(world, token_client):
    assert_error(token_client(world.east.clerk).get("/api/v1/cases/999999"), 404, "not_found")


# Create


def test_create_registers_as_the_caller(world, token_client):
    response = token_client(world.east.clerk).post(
        "/api/v1/cases", new_case_payload(world), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert case.created_by == world.east.clerk and case.source == Source.WINDOW
    assert body["parties"][0]["name"] == "赵**"


def test_create_retry_with_same_key_returns_first_case(world, token_client):
    api = token_client(world.east.clerk)
    headers = {"HTTP_IDEMPOTENCY_KEY": "staff-1"}
    payload = new_case_payload(world)
    first = api.post("/api/v1/cases", payload, content_type="application/json", **headers)
    again = api.post("/api/v1/cases", payload, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1 and SubmissionReceipt.objects.count() == 1
    other = api.post(
        "/api/v1/cases",
        new_case_payload(world, title="另一件事"),
        content_type="application/json",
        **headers,
    )
    assert_error(other, 409, "idempotency_conflict")
    assert Case.objects.count() == 1


def test_create_errors(world, token_client):
    api = token_client(world.east.clerk)

    def post(user_api, **extra):
        return user_api.post(
            "/api/v1/cases", new_case_payload(world, **extra), content_type="application/json"
        )

    assert_error(post(api, dispute_type="nope"), 422, "invalid_input", "dispute_type")
    assert_error(post(api, place=world.west.village.code), 422, "invalid_input", "place")
    assert_error(post(api, title=""), 422, "invalid_input", "title")
    handler = token_client(world.east.handler)
    assert_error(post(handler), 403, "not_permitted")
    assert Case.objects.count() == 0


# Transition, timeline, actions


def test_transition_accept_then_assign(world, cases, token_client):
    east, _ = cases
    api = token_client(world.east.clerk)
    url = f"/api/v1/cases/{east.pk}/transitions"
    response = api.post(url, {"action": "accept"}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["case"]["status"] == Status.ASSESS
    assert body["event"]["kind"] == "accept" and body["event"]["label"] == "受理"
    assigned = api.post(
        url, {"action": "assign", "unit": world.east.unit.pk}, content_type="application/json"
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["case"]["assignments"][0]["unit"] == world.east.unit.name


def test_transition_errors(world, cases, token_client):
    east, _ = cases
    url = f"/api/v1/cases/{east.pk}/transitions"
    clerk = token_client(world.east.clerk)

    def post(api, payload):
        return api.post(url, payload, content_type="application/json")

    assert_error(post(clerk, {"action": "conclude"}), 409, "invalid_transition")
    assert_error(post(clerk, {"action": "reject"}), 422, "invalid_input", "note")
    assert_error(post(clerk, {"action": "fly"}), 422, "invalid_input", "action")
    assert_error(post(token_client(world.analyst), {"action": "accept"}), 403, "not_permitted")
    post(clerk, {"action": "accept"})
    assert_error(post(clerk, {"action": "assign", "unit": 999999}), 422, "invalid_input", "unit")
    assert_error(post(clerk, {"action": "assign", "assignee": "nobody"}), 422, "invalid_input")
    east.refresh_from_db()
    assert east.status == Status.ASSESS


def test_timeline_and_actions(world, cases, token_client):
    east, _ = cases
    api = token_client(world.east.clerk)
    api.post(
        f"/api/v1/cases/{east.pk}/transitions",
        {"action": "accept", "note": "已电话联系申请人"},
        content_type="application/json",
    )
    events = api.get(f"/api/v1/cases/{east.pk}/timeline").json()
    assert [e["kind"] for e in events] == ["created", "accept"]
    assert events[1]["note"] == "已电话联系申请人"
    actions = api.get(f"/api/v1/cases/{east.pk}/actions").json()
    assert {a["action"] for a in actions} == {Action.ASSIGN, Action.REJECT}
    assert all(a["label"] for a in actions)


# Area scoping: a west-township token never reaches an east-township case.


def test_west_token_cannot_reach_east_case(world, cases, token_client):
    east, west = cases
    api = token_client(world.west.leader)
    listed = api.get("/api/v1/cases").json()
    assert east.number not in {item["number"] for item in listed["items"]}
    assert listed["count"] == 1
    searched = api.get("/api/v1/cases", {"q": east.number}).json()
    assert searched["count"] == 0
    assert_error(api.get(f"/api/v1/cases/{east.pk}"), 404, "not_found")
    assert_error(api.get(f"/api/v1/cases/{east.pk}/timeline"), 404, "not_found")
    assert_error(api.get(f"/api/v1/cases/{east.pk}/actions"), 404, "not_found")
    moved = api.post(
        f"/api/v1/cases/{east.pk}/transitions",
        {"action": "accept"},
        content_type="application/json",
    )
    assert_error(moved, 404, "not_found")
    east.refresh_from_db()
    assert east.status == Status.REPORT
    assert api.get(f"/api/v1/cases/{west.pk}").status_code == 200


def test_account_without_a_node_sees_nothing(world, cases, token_client):
    nowhere = UserFactory(username="nowhere", place=None)
    assert_error(token_client(nowhere).get("/api/v1/cases"), 401, "unauthenticated")


# Session auth respects CSRF.


def test_session_auth_reads_and_requires_csrf_for_writes(world, cases):
    from django.test import Client

    east, _ = cases
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.east.clerk)
    assert browser.get("/api/v1/cases").json()["count"] == 1
    url = f"/api/v1/cases/{east.pk}/transitions"
    refused = browser.post(url, {"action": "accept"}, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")
    token = "a" * 32
    browser.cookies["csrftoken"] = token
    accepted = browser.post(
        url, {"action": "accept"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200, accepted.content


def test_token_post_needs_no_csrf(world, cases, token_client):
    east, _ = cases
    api = token_client(world.east.clerk)
    api.cookies["sessionid"] = "stale"
    response = api.post(
        f"/api/v1/cases/{east.pk}/transitions",
        {"action": "accept"},
        content_type="application/json",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("source", [Source.CITIZEN, Source.OPEN311])
def test_staff_cannot_file_under_a_citizen_channel(world, token_client, source):
    response = token_client(world.east.clerk).post(
        "/api/v1/cases", new_case_payload(world, source=source), content_type="application/json"
    )
    assert_error(response, 422, "invalid_input", "source")
    assert not Case.objects.exists()


def test_party_id_numbers_and_phones_are_checked_as_at_the_window(world, token_client):
    client = token_client(world.east.clerk)
    for party, field in [
        ({"name": "赵大山", "id_number": "530402198001011234"}, "id_number"),  # bad checksum
        ({"name": "赵大山", "phone": "12345"}, "phone"),
    ]:
        response = client.post(
            "/api/v1/cases",
            new_case_payload(world, parties=[party]),
            content_type="application/json",
        )
        assert_error(response, 422, "invalid_input", field)
    assert not Case.objects.exists()


def _concluded(world, outcome):
    from zongzhi.cases import services

    town = world.east
    case = make_case(town.village, town.clerk)
    services.transition(case, Action.ACCEPT, actor=town.clerk)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit)
    services.transition(case, Action.MEET, actor=town.handler)
    services.transition(case, Action.CONCLUDE, actor=town.handler, note="结", outcome=outcome)
    return case


def test_read_shows_conclusion_and_the_citizens_rating(world, token_client):
    from zongzhi.cases.choices import Outcome
    from zongzhi.intake import services as intake

    case = _concluded(world, Outcome.UNRESOLVED)
    intake.rate(case, 2, "还是没解决")
    body = token_client(world.east.clerk).get(f"/api/v1/cases/{case.pk}").json()
    assert body["colour"] == "yellow"
    assert body["concluded_at"] is not None and body["resolved_at"] is None
    assert [(r["round"], r["score"], r["comment"]) for r in body["ratings"]] == [
        (0, 2, "还是没解决")
    ]
    assert {m["milestone"]: m["state"] for m in body["milestones"]}["resolve"] == "met"


def test_read_rejected_case_is_ended_without_overdue_milestones(world, token_client):
    from datetime import timedelta

    from django.utils import timezone

    from zongzhi.cases import services

    reported = timezone.now() - timedelta(days=10)
    case = make_case(world.east.village, world.east.clerk, now=reported)
    services.transition(case, Action.REJECT, actor=world.east.clerk, note="重复", now=reported)
    body = token_client(world.east.clerk).get(f"/api/v1/cases/{case.pk}").json()
    assert body["colour"] == "rejected" and body["overdue"] is False
    assert "overdue" not in {m["state"] for m in body["milestones"]}


def test_assignment_errors_do_not_tell_whether_a_name_exists_elsewhere(world, cases, token_client):
    east, _ = cases
    url = f"/api/v1/cases/{east.pk}/transitions"
    clerk = token_client(world.east.clerk)
    clerk.post(url, {"action": "accept"}, content_type="application/json")
    inactive = UserFactory(place=world.east.place, role="mediator", is_active=False)
    answers = []
    for username in ("nobody-at-all", world.west.handler.username, inactive.username):
        for action in ("assign", "send_back"):
            response = clerk.post(
                url, {"action": action, "assignee": username}, content_type="application/json"
            )
            answers.append((response.status_code, response.json()))
    assert all(answer == answers[0] for answer in answers), answers
    assert answers[0][0] == 422 and answers[0][1]["error"]["field"] == "assignee"
    units = []
    for unit in (999999, world.west.unit.pk):
        response = clerk.post(
            url, {"action": "assign", "unit": unit}, content_type="application/json"
        )
        units.append((response.status_code, response.json()))
    assert units[0] == units[1] and units[0][0] == 422
    east.refresh_from_db()
    assert east.status == Status.ASSESS and not east.assignments.exists()
