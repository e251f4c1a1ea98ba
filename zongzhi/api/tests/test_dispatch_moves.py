"""/api/v1 moves: list, move, sign, send back, designate, the centre filters of /cases, and
every error; Open311 and the citizen's public timeline after moves."""

import pytest

from zongzhi.accounts.models import Role
from zongzhi.api.tests.conftest import citizen_case
from zongzhi.api.tests.test_staff_cases import assert_error
from zongzhi.cases import deadlines
from zongzhi.dispatch import moves
from zongzhi.dispatch.models.moves import CaseMove, MoveState
from zongzhi.testing.factories import UserFactory, make_case, put_on_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world.east.village, world.east.clerk)


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_move_sign_and_list(world, case, token_client):
    east, county = token_client(world.east.clerk), token_client(world.county_clerk)
    response = _post(east, f"/api/v1/cases/{case.pk}/moves", {"kind": "escalate", "reason": "人多"})
    assert response.status_code == 201, response.content
    body = response.json()
    move = CaseMove.objects.get(pk=body["id"])
    assert body["to_place"] == world.county.code and body["state"] == "pending"
    assert move.sign_due_at == deadlines.current_calendar().add_days(move.moved_at, 1)
    listed = east.get(f"/api/v1/cases/{case.pk}/moves").json()
    assert listed["pending"]["id"] == move.pk and listed["holding_place"] == world.east.place.code
    to_sign = county.get("/api/v1/cases?centre=to_sign").json()
    assert [c["id"] for c in to_sign["items"]] == [case.pk]
    signed = _post(county, f"/api/v1/moves/{move.pk}/sign")
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    listed = county.get(f"/api/v1/cases/{case.pk}/moves").json()
    assert listed["holding_place"] == world.county.code and listed["pending"] is None
    held = county.get("/api/v1/cases?centre=held").json()
    assert [c["id"] for c in held["items"]] == [case.pk]
    assert county.get("/api/v1/cases?centre=to_sign").json()["count"] == 0


def test_move_errors(world, case, token_client):
    east = token_client(world.east.clerk)
    url = f"/api/v1/cases/{case.pk}/moves"
    assert_error(
        _post(east, url, {"kind": "escalate", "reason": " "}), 422, "invalid_input", "reason"
    )
    assert_error(_post(east, url, {"kind": "sideways", "reason": "x"}), 422, "invalid_input")
    assert_error(
        _post(east, url, {"kind": "delegate", "target": "nope", "reason": "x"}),
        422,
        "invalid_input",
        "target",
    )
    assert_error(
        _post(east, url, {"kind": "transfer", "unit": 999999, "reason": "x"}),
        422,
        "invalid_input",
        "unit",
    )
    assert_error(_post(east, url, {"kind": "return", "reason": "x"}), 409, "invalid_transition")
    # A handler on the case still may not move it; one not on it does not see it (404).
    put_on_case(case, unit=world.east.unit)
    handler = token_client(world.east.handler)
    assert_error(_post(handler, url, {"kind": "escalate", "reason": "x"}), 403, "not_permitted")
    west = token_client(world.west.clerk)
    assert_error(_post(west, url, {"kind": "escalate", "reason": "x"}), 404, "not_found")
    assert_error(west.get(f"/api/v1/cases/{case.pk}/moves"), 404, "not_found")
    assert not CaseMove.objects.exists()


def test_sign_send_back_and_designate_errors(world, case, token_client):
    move = moves.move_to_centre(case, None, "escalate", actor=world.east.clerk, reason="x")
    west = token_client(world.west.clerk)
    assert_error(_post(west, f"/api/v1/moves/{move.pk}/sign"), 404, "not_found")
    assert_error(
        _post(west, f"/api/v1/moves/{move.pk}/send-back", {"reason": "x"}), 404, "not_found"
    )
    assert_error(_post(west, "/api/v1/moves/999999/sign"), 404, "not_found")
    east = token_client(world.east.clerk)
    assert_error(_post(east, f"/api/v1/moves/{move.pk}/sign"), 403, "not_permitted")
    county = token_client(world.county_clerk)
    assert_error(
        _post(county, f"/api/v1/moves/{move.pk}/send-back", {"reason": ""}),
        422,
        "invalid_input",
        "reason",
    )
    sent = _post(county, f"/api/v1/moves/{move.pk}/send-back", {"reason": "乡镇能办"})
    assert sent.status_code == 200 and sent.json()["send_back_reason"] == "乡镇能办"
    assert_error(_post(county, f"/api/v1/moves/{move.pk}/sign"), 409, "invalid_transition")
    designate = f"/api/v1/cases/{case.pk}/designate"
    body = {"target": world.east.place.code, "reason": "街道办"}
    assert_error(_post(county, designate, body), 409, "invalid_transition")
    again = moves.move_to_centre(case, None, "escalate", actor=world.east.clerk, reason="y")
    moves.send_back(again, world.county_clerk, "乡镇能办")
    assert_error(_post(east, designate, body), 403, "not_permitted")
    assert_error(_post(county, designate, {"target": "nope", "reason": "x"}), 422, "invalid_input")
    response = _post(token_client(world.county_leader), designate, body)
    assert response.status_code == 201, response.content
    assert response.json()["binding"] is True and response.json()["state"] == MoveState.SIGNED


def test_watched_filter_lists_what_the_county_handed_down(world, token_client):
    case = make_case(world.east.village, world.county_clerk)
    move = moves.move_to_centre(
        case, world.east.place, "delegate", actor=world.county_clerk, reason="属地办理"
    )
    county = token_client(world.county_clerk)
    assert county.get("/api/v1/cases?centre=watched").json()["count"] == 0
    moves.sign_for(move, world.east.clerk)
    assert [c["id"] for c in county.get("/api/v1/cases?centre=watched").json()["items"]] == [
        case.pk
    ]
    assert county.get("/api/v1/cases?centre=held").json()["count"] == 0
    east = token_client(world.east.clerk)
    assert east.get("/api/v1/cases?centre=held").json()["count"] == 1
    assert_error(county.get("/api/v1/cases?centre=nonsense"), 422, "invalid_input", "centre")


def test_open311_and_the_public_timeline_stay_right_after_moves(world, client):
    case = citizen_case(world)
    assert case.holding_place == world.east.place
    move = moves.move_to_centre(case, None, "escalate", actor=world.east.clerk, reason="王芳要求")
    moves.sign_for(move, world.county_clerk)
    service_request = client.get(f"/open311/v2/requests/{case.number}.json").json()[0]
    assert service_request["status"] == "open"
    assert "王芳" not in str(service_request)
    timeline = client.post(
        "/api/v1/public/cases/timeline",
        {"code": case.query_code, "phone_last4": "4321"},
        content_type="application/json",
    ).json()
    labels = [row["label"] for row in timeline]
    assert "已转县级综治中心办理" in labels and "提级" not in labels
    assert "王芳要求" not in str(timeline)


def test_the_openapi_schema_lists_the_move_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/cases/{case_id}/moves"]) == {"get", "post"}
    for path in (
        "/moves/{move_id}/sign",
        "/moves/{move_id}/send-back",
        "/cases/{case_id}/designate",
    ):
        assert set(paths["/api/v1" + path]) == {"post"}


def test_a_city_leader_designates_with_a_token(world, token_client):
    case = make_case(world.east.village, world.county_clerk)
    for _ in range(2):
        moves.send_back(
            moves.move_to_centre(
                case, world.east.place, "delegate", actor=world.county_clerk, reason="x"
            ),
            world.east.clerk,
            "人手不足",
        )
    city = token_client(UserFactory(role=Role.CENTRE_LEADER, place=world.city))
    response = _post(
        city,
        f"/api/v1/cases/{case.pk}/designate",
        {"target": world.east.place.code, "reason": "属地"},
    )
    assert response.status_code == 201 and response.json()["state"] == "pending"
