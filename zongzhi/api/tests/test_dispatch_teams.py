"""/api/v1 cross-area teams: read, create, add and remove members, plan, a member's part, and
every error; a member reaches the team's case through the API and nothing else."""

import pytest

from zongzhi.accounts.models import Role
from zongzhi.api.tests.test_staff_cases import assert_error
from zongzhi.cases import services
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import teams
from zongzhi.dispatch.models.teams import TeamMember
from zongzhi.testing.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    case = make_case(world.east.village, world.east.clerk, title="两街道交界处水源纠纷")
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    return case


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _create(world, case, token_client, **extra):
    body = {
        "leader": world.east.leader.username,
        "members": [world.west.leader.username, world.west.handler.username],
        "plan": "联合勘查水源，分头做工作。",
        "target_days": 10,
        **extra,
    }
    return _post(token_client(world.east.leader), f"/api/v1/cases/{case.pk}/team", body)


def test_create_read_change_and_remove(world, case, token_client):
    response = _create(world, case, token_client)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["event"]["kind"] == "team_created"
    team = body["team"]
    assert [m["role"] for m in team["members"]] == ["leader", "member", "member"]
    assert team["target_due_at"] and team["plan"] == "联合勘查水源，分头做工作。"
    sides = {m["username"]: m["side"] for m in team["members"]}
    assert "凤凰街道司法所" in sides[world.west.handler.username]

    member_api = token_client(world.west.handler)
    read = member_api.get(f"/api/v1/cases/{case.pk}/team")
    assert read.status_code == 200 and len(read.json()["members"]) == 3
    assert member_api.get(f"/api/v1/cases/{case.pk}").status_code == 200
    part = _post(member_api, f"/api/v1/cases/{case.pk}/team/part", {"note": "已调取水源资料"})
    assert part.status_code == 200 and part.json()["event"]["kind"] == "team_part"

    leader_api = token_client(world.east.leader)
    added = _post(
        leader_api,
        f"/api/v1/cases/{case.pk}/team/members",
        {"username": world.west.clerk.username, "role": "liaison"},
    )
    assert added.status_code == 200, added.content
    plan = _post(
        leader_api, f"/api/v1/cases/{case.pk}/team/plan", {"plan": "新方案", "target_days": 3}
    )
    assert plan.status_code == 200 and plan.json()["team"]["plan"] == "新方案"
    row = TeamMember.objects.get(user=world.west.clerk)
    removed = _post(
        leader_api, f"/api/v1/cases/{case.pk}/team/members/{row.pk}/remove", {"reason": "调整"}
    )
    assert removed.status_code == 200
    assert world.west.clerk.username not in {
        m["username"] for m in removed.json()["team"]["members"]
    }


def test_errors_are_structured_and_change_nothing(world, case, token_client, frozen_now):
    base = f"/api/v1/cases/{case.pk}/team"
    leader_api = token_client(world.east.leader)
    assert_error(leader_api.get(base), 404, "not_found")
    assert_error(
        _create(world, case, token_client, leader="nobody"), 422, "invalid_input", "leader"
    )
    assert_error(
        _create(world, case, token_client, members=[world.east.handler.username]),
        422,
        "invalid_input",
        "members",
    )
    assert_error(_create(world, case, token_client, target_days=0), 422, "invalid_input")
    assert_error(_create(world, case, token_client, plan="a\x00b"), 422, "invalid_input")
    clerk = token_client(world.east.clerk)
    body = {"leader": world.east.leader.username, "members": [world.west.leader.username]}
    assert_error(_post(clerk, base, body), 403, "not_permitted")
    assert teams.team_of(case) is None
    assert_error(_post(leader_api, f"{base}/plan", {"plan": "x"}), 409, "invalid_transition")
    assert _create(world, case, token_client).status_code == 200
    assert_error(_create(world, case, token_client), 409, "invalid_transition")
    assert_error(
        _post(leader_api, f"{base}/members", {"username": world.west.leader.username}),
        422,
        "invalid_input",
    )
    assert_error(
        _post(leader_api, f"{base}/members", {"username": "x", "role": "boss"}),
        422,
        "invalid_input",
    )
    assert_error(
        _post(leader_api, f"{base}/members/999999/remove", {"reason": "x"}), 422, "invalid_input"
    )
    assert_error(_post(clerk, f"{base}/part", {"note": "不是成员"}), 403, "not_permitted")
    member_api = token_client(world.west.leader)
    assert_error(
        _post(member_api, f"{base}/members", {"username": world.west.clerk.username}),
        403,
        "not_permitted",
    )
    assert TeamMember.objects.filter(team__case=case).count() == 3


def test_outsiders_and_members_elsewhere_get_404(world, case, token_client):
    _create(world, case, token_client)
    neighbour = make_case(world.east.village, world.east.clerk, title="玉兴的另一件纠纷")
    member_api = token_client(world.west.handler)
    assert member_api.get(f"/api/v1/cases/{neighbour.pk}").status_code == 404
    assert member_api.get(f"/api/v1/cases/{neighbour.pk}/team").status_code == 404
    listed = member_api.get("/api/v1/cases").json()
    assert [item["id"] for item in listed["items"]] == [case.pk]
    stranger = UserFactory(username="stranger", role=Role.CENTRE_LEADER, place=world.west.place)
    assert token_client(stranger).get(f"/api/v1/cases/{case.pk}/team").status_code == 404
    # A member does not take the case's steps through the API either.
    response = _post(
        token_client(world.west.leader),
        f"/api/v1/cases/{case.pk}/transitions",
        {"action": "reject", "note": "越权不予受理"},
    )
    assert_error(response, 403, "not_permitted")
    case.refresh_from_db()
    assert case.is_open
