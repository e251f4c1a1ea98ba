"""/api/v1 supervision cards: list, issue, reply, close, and every error they return."""

from datetime import datetime

import pytest

from zongzhi.api.tests.test_staff_cases import assert_error
from zongzhi.cases.choices import Status
from zongzhi.cases.tests.test_state_machine import case_at
from zongzhi.dispatch import cards
from zongzhi.dispatch.models.cards import SupervisionCard

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return case_at(world, Status.RESOLVE)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_issue_reply_close_and_list(world, case, token_client, frozen_now):
    county, handler = token_client(world.county_leader), token_client(world.east.handler)
    url = f"/api/v1/cases/{case.pk}/cards"
    assert county.get(url).json() == {"may_issue": True, "cards": []}
    assert handler.get(url).json()["may_issue"] is False

    response = _post(county, url, {"grade": "red", "text": "限期化解，电话13812345678"})
    assert response.status_code == 201, response.content
    body = response.json()
    card_id = body["card"]["id"]
    assert body["card"]["grade"] == "red" and body["card"]["state"] == "issued"
    assert body["card"]["issued_at_status"] == "resolve"
    assert moment(body["card"]["reply_due_at"]) == moment("2026-03-13T00:00:00+08:00")
    assert "13812345678" not in body["card"]["text"]  # free text is masked
    assert body["event"]["kind"] == "card_issued"
    listed = handler.get(url).json()["cards"]
    assert [c["id"] for c in listed] == [card_id] and listed[0]["may_reply"] is True

    replied = _post(handler, f"{url}/{card_id}/reply", {"reply": "已组织调解"})
    assert replied.status_code == 200, replied.content
    assert replied.json()["card"]["state"] == "replied"
    assert replied.json()["card"]["reply_deadline_state"] == "met"
    assert county.get(url).json()["cards"][0]["may_close"] is True

    closed = _post(county, f"{url}/{card_id}/close", {"verdict": "satisfied"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["card"]["state"] == "closed"
    assert closed.json()["card"]["verdict"] == "satisfied"
    case.refresh_from_db()
    assert case.status == Status.RESOLVE


def test_issue_with_a_reply_date(world, case, token_client, frozen_now):
    county = token_client(world.county_clerk)
    url = f"/api/v1/cases/{case.pk}/cards"
    body = _post(county, url, {"grade": "yellow", "text": "督办", "reply_by": "2026-03-20"}).json()
    assert moment(body["card"]["reply_due_at"]) == moment("2026-03-21T00:00:00+08:00")
    assert_error(
        _post(county, url, {"grade": "yellow", "text": "督办", "reply_by": "2026-03-10"}),
        422,
        "invalid_input",
        "reply_due_at",
    )
    assert_error(
        _post(county, url, {"grade": "yellow", "text": "督办", "reply_by": "2026-13-01"}),
        422,
        "invalid_input",
        "reply_by",
    )


def test_errors(world, case, token_client):
    county, east = token_client(world.county_leader), token_client(world.east.leader)
    west = token_client(world.west.clerk)
    url = f"/api/v1/cases/{case.pk}/cards"
    assert_error(_post(east, url, {"grade": "red", "text": "督办"}), 403, "not_permitted")
    assert_error(west.get(url), 404, "not_found")  # outside the caller's area
    assert_error(_post(county, url, {"grade": "purple", "text": "督办"}), 422, "invalid_input")
    assert_error(_post(county, url, {"grade": "red", "text": " "}), 422, "invalid_input", "text")
    assert_error(_post(county, url, {"grade": "red", "text": "a\x00b"}), 422, "invalid_input")
    assert_error(_post(county, url, {"grade": "red", "text": "督" * 2001}), 422, "invalid_input")
    assert SupervisionCard.objects.count() == 0

    card = cards.issue_card(case, by=world.county_leader, grade="ordinary", text="督办")
    reply_url, close_url = f"{url}/{card.pk}/reply", f"{url}/{card.pk}/close"
    assert_error(_post(county, close_url, {"verdict": "satisfied"}), 409, "invalid_transition")
    assert_error(_post(county, reply_url, {"reply": "回复"}), 403, "not_permitted")
    assert_error(_post(east, reply_url, {"reply": ""}), 422, "invalid_input", "reply")
    assert _post(east, reply_url, {"reply": "回复"}).status_code == 200
    assert_error(_post(east, reply_url, {"reply": "回复"}), 409, "invalid_transition")
    assert_error(_post(east, close_url, {"verdict": "satisfied"}), 403, "not_permitted")
    assert_error(_post(county, close_url, {"verdict": "maybe"}), 422, "invalid_input", "verdict")
    assert_error(_post(county, close_url, {"verdict": "unsatisfied"}), 422, "invalid_input", "note")
    assert_error(_post(county, f"{url}/999999/reply", {"reply": "x"}), 404, "not_found")
    other = case_at(world, Status.ASSESS)
    assert_error(
        _post(county, f"/api/v1/cases/{other.pk}/cards/{card.pk}/reply", {"reply": "x"}),
        404,
        "not_found",
    )


def test_no_card_on_an_ended_case(world, token_client):
    closed = case_at(world, Status.CLOSED)
    county = token_client(world.county_leader)
    url = f"/api/v1/cases/{closed.pk}/cards"
    assert county.get(url).json()["may_issue"] is False
    assert_error(_post(county, url, {"grade": "red", "text": "督办"}), 409, "invalid_transition")
