"""吹哨报到 through /api/v1: the roster, the whistle, report in and back, and every error."""

import pytest

from zongzhi.dispatch.models import SubTask
from zongzhi.testing.factories import make_case

JSON = "application/json"


@pytest.fixture
def case(world, called):
    return make_case(world.east.grid, world.east.clerk)


def test_whistle_list_report_in_and_back(world, called, case, token_client):
    base = f"/api/v1/cases/{case.pk}/sub-tasks"
    clerk = token_client(world.east.clerk)
    assert clerk.get(base).json() == {"sub_tasks": [], "may_whistle": True}
    blown = clerk.post(
        base,
        {
            "units": [called.police.pk, called.tribunal.pk],
            "grid_heads": [world.east.grid_worker.username],
            "note": "请到场联合调处",
            "report_in_hours": 6,
            "report_back_by": "2099-01-05",
        },
        content_type=JSON,
    )
    assert blown.status_code == 200, blown.content
    body = blown.json()
    assert body["event"]["kind"] == "whistled"
    rows = body["roster"]["sub_tasks"]
    assert [r["called"] for r in rows] == [
        "玉兴派出所",
        "红塔区人民法院玉兴人民法庭",
        f"网格长 {world.east.grid_worker}",
    ]
    assert [r["seat"] for r in rows] == ["police-station", "tribunal", "grid-head"]
    assert rows[0]["liaison"] == str(called.police_liaison)
    assert rows[0]["report_in_state"] == "pending" and rows[0]["may_report"] is False

    police = token_client(called.police_liaison)
    listed = police.get(base).json()
    assert listed["may_whistle"] is False and listed["sub_tasks"][0]["may_report"] is True
    task_id = rows[0]["id"]
    reported = police.post(f"{base}/{task_id}/report-in", {"note": "已派员"}, content_type=JSON)
    assert reported.status_code == 200
    assert reported.json()["roster"]["sub_tasks"][0]["report_in_state"] == "met"
    back = police.post(f"{base}/{task_id}/report-back", {"result": "已和解"}, content_type=JSON)
    assert back.status_code == 200 and back.json()["event"]["kind"] == "reported_back"
    assert SubTask.objects.get(pk=task_id).result == "已和解"


def test_api_errors(world, called, case, token_client):
    base = f"/api/v1/cases/{case.pk}/sub-tasks"
    clerk = token_client(world.east.clerk)
    first = clerk.post(base, {"units": [called.police.pk], "note": "到场"}, content_type=JSON)
    task_id = first.json()["roster"]["sub_tasks"][0]["id"]
    for body, status, code in (
        ({"units": [called.police.pk], "note": "再次"}, 409, "invalid_transition"),
        ({"units": [world.west.unit.pk], "note": "x"}, 422, "invalid_input"),
        ({"units": [10**9], "note": "x"}, 422, "invalid_input"),
        ({"grid_heads": ["nobody"], "note": "x"}, 422, "invalid_input"),
        ({"units": [called.bureau.pk], "note": ""}, 422, "invalid_input"),
        ({"units": [called.bureau.pk], "note": "x", "report_in_hours": 0}, 422, "invalid_input"),
        (
            {"units": [called.bureau.pk], "note": "x", "report_back_by": "2026-02-30"},
            422,
            "invalid_input",
        ),
        ({"units": [called.bureau.pk], "note": "x\x00"}, 422, "invalid_input"),
    ):
        response = clerk.post(base, body, content_type=JSON)
        assert response.status_code == status, (body, response.content)
        assert response.json()["error"]["code"] == code
    assert SubTask.objects.count() == 1
    duplicate = clerk.post(base, {"units": [called.police.pk], "note": "x"}, content_type=JSON)
    assert "不能重复吹哨" in duplicate.json()["error"]["message"]

    police = token_client(called.police_liaison)
    refused = police.post(base, {"units": [called.bureau.pk], "note": "x"}, content_type=JSON)
    assert refused.status_code == 403
    # Not the called unit: the clerk may see the case but not report for the police.
    assert clerk.post(f"{base}/{task_id}/report-in", {}, content_type=JSON).status_code == 403
    assert police.post(f"{base}/999999/report-in", {}, content_type=JSON).status_code == 404
    early = police.post(f"{base}/{task_id}/report-back", {"result": "x"}, content_type=JSON)
    assert early.status_code == 409
    police.post(f"{base}/{task_id}/report-in", {}, content_type=JSON)
    empty = police.post(f"{base}/{task_id}/report-back", {"result": " "}, content_type=JSON)
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "result"
    # Outside the area, or not on the case: 404.
    assert token_client(world.west.clerk).get(base).status_code == 404
    assert token_client(called.bureau_liaison).get(base).status_code == 404


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/cases/{case_id}/sub-tasks" in paths
    assert "/api/v1/cases/{case_id}/sub-tasks/{sub_task_id}/report-back" in paths
