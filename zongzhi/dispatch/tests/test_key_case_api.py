"""包保, 一案三交 and 一案一策 in /api/v1: success and every refusal, one error shape."""

import pytest

from zongzhi.cases.choices import RiskGrade
from zongzhi.dispatch.models import Duty, KeyCase, PlanItem
from zongzhi.testing.factories import make_case, three_people_for


@pytest.fixture
def people(world):
    return three_people_for(world.east, world.county)


def test_coverage_lists_rows_of_the_callers_area_with_filters(world, people, token_client):
    client = token_client(world.county_clerk)
    rows = client.get("/api/v1/coverage").json()
    assert {r["kind"] for r in rows} == set(people)
    by_place = client.get(f"/api/v1/coverage?place={world.east.village.code}").json()
    assert len(by_place) == 4 and by_place[0]["place"] == world.east.place.code
    by_cadre = client.get(f"/api/v1/coverage?cadre={people['political_legal'].username}").json()
    assert [r["title"] for r in by_cadre] == ["法院副院长"]
    kind = client.get("/api/v1/coverage?kind=county_leader").json()
    assert [r["cadre"] for r in kind] == [people["county_leader"].username]
    # Beside the caller's area: nothing.
    assert token_client(world.west.clerk).get("/api/v1/coverage").json() == []


def test_coverage_refuses_bad_filters(world, people, token_client):
    client = token_client(world.west.clerk)
    for query, field in (
        (f"place={world.east.place.code}", "place"),
        ("place=000", "place"),
        ("cadre=nobody", "cadre"),
        ("kind=boss", "kind"),
        ("on=2026-13-01", "on"),
    ):
        response = client.get(f"/api/v1/coverage?{query}")
        assert response.status_code == 422, query
        assert response.json()["error"]["field"] == field


def test_key_status_duties_and_acting_on_a_duty(world, people, token_client):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    body = token_client(world.east.leader).get(f"/api/v1/cases/{case.pk}/key").json()
    assert body["key"] and body["reason"] == "high_risk" and len(body["duties"]) == 4
    duty = Duty.objects.get(case=case, role="political_legal")
    url = f"/api/v1/cases/{case.pk}/duties/{duty.pk}/done"
    wrong = token_client(people["county_leader"]).post(
        url, {"note": "x"}, content_type="application/json"
    )
    assert wrong.status_code == 403 and wrong.json()["error"]["code"]
    own = token_client(people["political_legal"])
    empty = own.post(url, {"note": ""}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "note"
    done = own.post(url, {"note": "已下沉"}, content_type="application/json")
    assert done.status_code == 200
    row = next(d for d in done.json()["duties"] if d["id"] == duty.pk)
    assert row["state"] == "met" and row["done_note"] == "已下沉"
    again = own.post(url, {"note": "再次"}, content_type="application/json")
    assert again.status_code == 409
    missing = own.post(
        f"/api/v1/cases/{case.pk}/duties/999999/done",
        {"note": "a"},
        content_type="application/json",
    )
    assert missing.status_code == 422


def test_mark_key_through_the_api(world, people, token_client):
    case = make_case(world.east.grid, world.east.clerk)
    assert token_client(world.east.leader).get(f"/api/v1/cases/{case.pk}/key").json() == {
        "key": False,
        "reason": None,
        "reason_label": None,
        "note": "",
        "handed_at": None,
        "township": None,
        "missing": [],
        "duties": [],
        "plan": [],
    }
    url = f"/api/v1/cases/{case.pk}/key"
    refused = token_client(world.east.clerk).post(
        url, {"note": "a"}, content_type="application/json"
    )
    assert refused.status_code == 403
    leader = token_client(world.east.leader)
    assert leader.post(url, {"note": ""}, content_type="application/json").status_code == 422
    assert (
        leader.post(url, {"note": "领导批示"}, content_type="application/json").json()["reason"]
        == "leader"
    )
    assert leader.post(url, {"note": "再次"}, content_type="application/json").status_code == 409
    assert KeyCase.objects.filter(case=case).count() == 1
    outside = token_client(world.west.leader).post(
        url, {"note": "a"}, content_type="application/json"
    )
    assert outside.status_code == 404


def test_plan_items_through_the_api(world, people, token_client):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    leader = token_client(world.east.leader)
    url = f"/api/v1/cases/{case.pk}/plan"
    bad = leader.post(
        url,
        {"measure": "走访", "person": "nobody", "due_on": "2099-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "person"
    bad_date = leader.post(
        url,
        {"measure": "走访", "person": world.east.handler.username, "due_on": "soon"},
        content_type="application/json",
    )
    assert bad_date.status_code == 422 and bad_date.json()["error"]["field"] == "due_on"
    ok = leader.post(
        url,
        {"measure": "约谈", "person": world.east.handler.username, "due_on": "2099-01-01"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["plan"][0]["measure"] == "约谈"
    item = PlanItem.objects.get(case=case)
    assert [i["id"] for i in leader.get(url).json()] == [item.pk]
    done = token_client(world.east.handler).post(
        f"{url}/{item.pk}/done", {"note": "已约谈"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["plan"][0]["state"] == "met"
    clerk = token_client(world.east.clerk).post(
        url,
        {"measure": "x", "person": world.east.handler.username, "due_on": "2099-01-01"},
        content_type="application/json",
    )
    assert clerk.status_code == 403
