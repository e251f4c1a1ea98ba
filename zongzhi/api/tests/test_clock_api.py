"""/api/v1 pauses and extensions: request, decide, resume, the history, and every error."""

import pytest

from zongzhi.api.tests.test_staff_cases import assert_error
from zongzhi.cases import services
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, frozen_now):
    town = world.east
    case = make_case(town.village, town.clerk, now=frozen_now)
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=frozen_now)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=frozen_now)
    return case


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_pause_approve_resume_and_history(world, case, token_client):
    handler, leader = token_client(world.east.handler), token_client(world.east.leader)
    response = _post(handler, f"/api/v1/cases/{case.pk}/pauses", {"reason": "等待伤情鉴定"})
    assert response.status_code == 201, response.content
    pause = response.json()
    assert pause["kind"] == "pause" and pause["state"] == "pending"
    assert pause["approver_place"] == world.east.place.code
    decided = _post(leader, f"/api/v1/pauses/{pause['id']}/decision", {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["started_at"] is not None
    assert handler.get(f"/api/v1/cases/{case.pk}").json()["next_due_at"] is None
    resumed = _post(handler, f"/api/v1/cases/{case.pk}/pauses/resume", {"note": "鉴定已出"})
    # Approved and resumed at the same (frozen) moment: no working time paused.
    assert resumed.status_code == 200 and resumed.json()["paused_working_days"] == 0
    clock = handler.get(f"/api/v1/cases/{case.pk}/clock").json()
    assert clock["paused"] is False and clock["clock_version"] == 3
    assert [item["kind"] for item in clock["items"]] == ["pause"]
    assert clock["extendable_milestone"] == "meet"


def test_extension_approved_with_fewer_days(world, case, token_client):
    handler, leader = token_client(world.east.handler), token_client(world.east.leader)
    url = f"/api/v1/cases/{case.pk}/extensions"
    created = _post(handler, url, {"days": 3, "reason": "当事人外出务工"})
    assert created.status_code == 201, created.content
    ext = created.json()
    assert ext["milestone"] == "meet" and ext["days_requested"] == 3
    body = {"decision": "approve", "days": 2, "note": "先延两天"}
    decided = _post(leader, f"/api/v1/extensions/{ext['id']}/decision", body)
    assert decided.status_code == 200, decided.content
    assert decided.json()["days_granted"] == 2 and decided.json()["due_after"]
    detail = handler.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["milestones"][1]["extended_days"] == 2
    assert_error(_post(handler, url, {"days": 1, "reason": "再延"}), 409, "invalid_transition")


def test_errors(world, case, token_client):
    handler, leader = token_client(world.east.handler), token_client(world.east.leader)
    url = f"/api/v1/cases/{case.pk}/extensions"
    assert_error(_post(handler, url, {"days": 0, "reason": "x"}), 422, "invalid_input", "days")
    assert_error(_post(handler, url, {"days": 3}), 422, "invalid_input", "reason")
    assert_error(_post(handler, url, {"days": 2, "reason": " "}), 422, "invalid_input", "reason")
    outsider = token_client(world.west.handler)
    pauses_url = f"/api/v1/cases/{case.pk}/pauses"
    assert_error(_post(outsider, pauses_url, {"reason": "理由"}), 404, "not_found")
    analyst = token_client(world.analyst)
    assert_error(_post(analyst, pauses_url, {"reason": "理由"}), 403, "not_permitted")
    pause = _post(handler, pauses_url, {"reason": "理由"}).json()
    decision = f"/api/v1/pauses/{pause['id']}/decision"
    assert_error(_post(handler, decision, {"decision": "approve"}), 403, "not_permitted")
    assert_error(_post(leader, decision, {"decision": "maybe"}), 422, "invalid_input")
    assert_error(_post(leader, decision, {"decision": "refuse"}), 422, "invalid_input", "note")
    assert_error(_post(outsider, decision, {"decision": "approve"}), 404, "not_found")
    assert_error(
        _post(leader, "/api/v1/pauses/999999/decision", {"decision": "approve"}), 404, "not_found"
    )
    resume = f"/api/v1/cases/{case.pk}/pauses/resume"
    assert_error(_post(handler, resume), 409, "invalid_transition")
    assert _post(leader, decision, {"decision": "refuse", "note": "不同意"}).status_code == 200
    assert_error(_post(leader, decision, {"decision": "approve"}), 409, "invalid_transition")


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases/{case_id}/clock",
        "/api/v1/cases/{case_id}/pauses",
        "/api/v1/pauses/{pause_id}/decision",
        "/api/v1/cases/{case_id}/pauses/resume",
        "/api/v1/cases/{case_id}/extensions",
        "/api/v1/extensions/{extension_id}/decision",
    ):
        assert path in paths
