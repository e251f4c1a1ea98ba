"""Routing in the staff API: the suggestion, accept, override, and every error."""

import pytest

from zongzhi.cases import services
from zongzhi.cases.choices import RiskGrade, Status
from zongzhi.cases.workflow import Action
from zongzhi.dispatch.models import RoutingDecision, RoutingRule
from zongzhi.dispatch.moves import pending_move
from zongzhi.testing.factories import make_case, put_on_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def high_case(world):
    return make_case(world.east.village, world.east.clerk, risk=RiskGrade.HIGH, people_count=30)


def url(case, tail=""):
    return f"/api/v1/cases/{case.pk}/routing{tail}"


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert error["field"] == field
    return error


def test_read_the_suggestion_with_its_reasons(world, high_case, token_client):
    body = token_client(world.east.clerk).get(url(high_case)).json()
    assert body["holding"]["code"] == world.east.place.code
    assert body["holding"]["level"] == "township"
    suggestion = body["suggestion"]
    assert suggestion["rule_name"] == "高风险 → 县级"
    assert suggestion["reasons"] == ["风险等级为高"]
    assert suggestion["centre"] == {
        "code": world.county.code,
        "name": "红塔区",
        "level": "county",
        "level_label": "县（市、区）",
    }
    assert body["may_route"] is True and body["refusal"] is None and body["decisions"] == []


def test_a_handler_reads_but_may_not_route(world, high_case, token_client):
    put_on_case(high_case, unit=world.east.unit)  # need-to-know: only cases it is on
    client = token_client(world.east.handler)
    body = client.get(url(high_case)).json()
    assert body["may_route"] is False and "不能分流" in body["refusal"]
    assert_error(
        client.post(url(high_case, "/accept"), {}, "application/json"), 403, "not_permitted"
    )


def test_accept(world, high_case, token_client):
    client = token_client(world.east.clerk)
    rule = RoutingRule.objects.get(name="高风险 → 县级")
    response = client.post(url(high_case, "/accept"), {"rule": rule.pk}, "application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    # The township holds it until the county signs for the move; meanwhile no more routing.
    assert body["holding"]["level"] == "township" and body["may_route"] is False
    assert "等待接收中心签收" in body["refusal"]
    assert body["decisions"][0]["outcome"] == "accepted"
    assert body["decisions"][0]["rule_name"] == "高风险 → 县级"
    assert pending_move(high_case).to_place == world.county


def test_accept_errors(world, high_case, token_client):
    client = token_client(world.east.clerk)
    RoutingRule.objects.update(is_active=False)
    assert_error(
        client.post(url(high_case, "/accept"), {}, "application/json"), 422, "invalid_input"
    )
    rule = RoutingRule.objects.create(name="兜底", target_level=3, is_active=True)
    stale = client.post(url(high_case, "/accept"), {"rule": rule.pk + 1}, "application/json")
    assert_error(stale, 409, "invalid_transition")
    bad = client.post(url(high_case, "/accept"), {"rule": "x"}, "application/json")
    assert_error(bad, 422, "invalid_input", "rule")
    assert not RoutingDecision.objects.exists()


def test_override(world, high_case, token_client):
    client = token_client(world.east.clerk)
    services.transition(high_case, Action.ACCEPT, actor=world.east.clerk)
    payload = {
        "unit": world.east.unit.pk,
        "assignee": world.east.handler.username,
        "reason": "就地化解",
    }
    response = client.post(url(high_case, "/override"), payload, "application/json")
    assert response.status_code == 200, response.content
    decision = response.json()["decisions"][0]
    assert decision["outcome"] == "overridden" and decision["reason"] == "就地化解"
    assert decision["unit_name"] == world.east.unit.name
    assert decision["handler"] == world.east.handler.username
    high_case.refresh_from_db()
    assert high_case.status == Status.ASSIGN


def test_override_to_a_level(world, high_case, token_client):
    client = token_client(world.east.clerk)
    payload = {"level": "city", "reason": "涉及多县"}
    body = client.post(url(high_case, "/override"), payload, "application/json").json()
    assert body["decisions"][0]["centre"]["level"] == "city"
    # 提级 goes one centre up at a time: to the county, which routes it on.
    assert pending_move(high_case).to_place == world.county


@pytest.mark.parametrize(
    ("payload", "status", "code", "field"),
    [
        ({"level": "city", "reason": ""}, 422, "invalid_input", "reason"),
        ({"reason": "理由"}, 422, "invalid_input", "level"),
        ({"level": "province", "reason": "理由"}, 422, "invalid_input", "level"),
        ({"unit": 999999, "reason": "理由"}, 422, "invalid_input", "unit"),
        ({"assignee": "nobody", "reason": "理由"}, 422, "invalid_input", "assignee"),
        ({"level": "city", "reason": "a\x00b"}, 422, "invalid_input", "reason"),
    ],
)
def test_override_errors(world, high_case, token_client, payload, status, code, field):
    client = token_client(world.east.clerk)
    response = client.post(url(high_case, "/override"), payload, "application/json")
    assert_error(response, status, code, field)
    assert not RoutingDecision.objects.exists()


def test_override_with_another_townships_unit_is_refused(world, high_case, token_client):
    client = token_client(world.east.clerk)
    payload = {"unit": world.west.unit.pk, "reason": "理由"}
    response = client.post(url(high_case, "/override"), payload, "application/json")
    assert_error(response, 422, "invalid_input", "unit")


def test_another_townships_clerk_gets_404_everywhere(world, high_case, token_client):
    client = token_client(world.west.clerk)
    assert_error(client.get(url(high_case)), 404, "not_found")
    for tail, payload in [("/accept", {}), ("/override", {"level": "city", "reason": "x"})]:
        assert_error(
            client.post(url(high_case, tail), payload, "application/json"), 404, "not_found"
        )
    assert not RoutingDecision.objects.exists()


def test_anonymous_gets_401(high_case, client):
    assert_error(client.get(url(high_case)), 401, "unauthenticated")


def test_routing_paths_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/cases/{case_id}/routing"]) == {"get"}
    assert set(paths["/api/v1/cases/{case_id}/routing/accept"]) == {"post"}
    assert set(paths["/api/v1/cases/{case_id}/routing/override"]) == {"post"}
