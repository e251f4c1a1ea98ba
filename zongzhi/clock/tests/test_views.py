"""The case page's clock panel: the request and decision forms for those who may use them,
"已暂停计时" with its reason, refusals as messages, the approver's home list, and the
unconfirmed-calendar mark on due times."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from zongzhi.cases import services
from zongzhi.cases.workflow import Action
from zongzhi.clock import extensions, pauses
from zongzhi.clock.display import UNCONFIRMED_NOTE
from zongzhi.clock.models import CalendarYear, ClockPause, RequestState
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def case(world, frozen_now):
    town = world.east
    case = make_case(town.village, town.clerk, now=frozen_now)
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=frozen_now)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=frozen_now)
    return case


def page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()


def test_the_handler_asks_the_leader_approves_and_the_page_shows_the_pause(client, world, case):
    town = world.east
    body = page(client, town.handler, case)
    assert 'id="form-clock-pause"' in body and 'id="form-clock-extension"' in body
    assert 'id="form-clock-pause-decide"' not in body
    url = reverse("clock:pause_request", args=[case.pk])
    response = client.post(url, {"reason": "等待伤情鉴定结果"})
    assert response.status_code == 302
    pause = ClockPause.objects.get()
    body = page(client, town.leader, case)
    assert 'id="form-clock-pause-decide"' in body and "等待伤情鉴定结果" in body
    decide = reverse("clock:pause_decide", args=[case.pk, pause.pk])
    client.post(decide, {"decision": "approve", "note": "同意"})
    pause.refresh_from_db()
    assert pause.state == RequestState.APPROVED
    body = page(client, town.handler, case)
    assert 'id="clock-paused"' in body and "已暂停计时" in body and "等待伤情鉴定结果" in body
    assert 'id="form-clock-resume"' in body and 'id="form-clock-pause"' not in body
    client.post(reverse("clock:pause_resume", args=[case.pk]), {"reason": "鉴定结果已出"})
    case.refresh_from_db()
    assert case.clock_paused_at is None and case.next_due_at is not None


def test_refusals_come_back_as_messages_of_their_form(client, world, case):
    town = world.east
    client.force_login(town.handler)
    client.post(reverse("clock:pause_request", args=[case.pk]), {"reason": "  "})
    body = client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()
    assert "停止计时理由不能为空" in body
    client.post(reverse("clock:extension_request", args=[case.pk]), {"days": "9", "reason": "x"})
    body = client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()
    assert "延期天数应为1至3个工作日" in body
    client.post(reverse("clock:extension_request", args=[case.pk]), {"days": "３", "reason": "x"})
    body = client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()
    assert "延期天数应为整数" in body
    assert not ClockPause.objects.exists() and not case.extensions.exists()


def test_others_see_no_forms_and_cannot_post(client, world, case):
    body = page(client, world.east.grid_worker, case)
    assert 'id="form-clock-pause"' not in body and 'id="form-clock-extension"' not in body
    client.force_login(world.west.leader)
    response = client.post(reverse("clock:pause_request", args=[case.pk]), {"reason": "理由"})
    assert response.status_code == 404
    assert not ClockPause.objects.exists()


def test_the_approver_home_lists_pending_requests(client, world, case, frozen_now):
    town = world.east
    extensions.request_extension(case, actor=town.handler, days=2, reason="当事人外出务工")
    client.force_login(town.leader)
    body = client.get(reverse("workbench:home")).content.decode()
    assert 'id="clock-awaiting"' in body and "见面延期2个工作日" in body
    client.force_login(town.clerk)
    assert 'id="clock-awaiting"' not in client.get(reverse("workbench:home")).content.decode()


def test_an_approved_extension_is_marked_on_its_milestone(client, world, case):
    town = world.east
    ext = extensions.request_extension(case, actor=town.handler, days=2, reason="外出务工")
    extensions.decide_extension(ext, actor=town.leader, approve=True, days=1)
    body = page(client, town.handler, case)
    assert "已延期1个工作日" in body
    assert 'id="form-clock-extension"' not in body  # once per milestone


def test_due_times_in_an_unconfirmed_year_are_marked(client, world, monkeypatch):
    moment = datetime(2026, 12, 18, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    town = world.east
    case = make_case(town.village, town.clerk, now=moment)
    assert case.resolve_due_at.year == 2026 and case.close_due_at.year == 2027
    body = page(client, town.clerk, case)
    assert body.count(UNCONFIRMED_NOTE) == 1  # the close milestone only
    api = client.get(f"/api/v1/cases/{case.pk}").json()
    marks = {m["milestone"]: m["calendar_confirmed"] for m in api["milestones"]}
    assert marks == {"accept": True, "meet": True, "resolve": True, "close": False}
    assert api["milestones"][3]["calendar_note"] == UNCONFIRMED_NOTE
    CalendarYear.objects.create(year=2027, confirmed=True)
    assert UNCONFIRMED_NOTE not in page(client, town.clerk, case)


def test_a_paused_case_reads_paused_in_the_api(client, world, case, frozen_now):
    town = world.east
    pause = pauses.request_pause(case, actor=town.handler, reason="当事人住院")
    pauses.decide_pause(pause, actor=town.leader, approve=True)
    client.force_login(town.clerk)
    body = client.get(f"/api/v1/cases/{case.pk}").json()
    assert body["clock_paused_at"] is not None and body["clock_pause_reason"] == "当事人住院"
    assert body["next_due_at"] is None and body["overdue"] is False
    states = {m["milestone"]: (m["state"], m["paused"]) for m in body["milestones"]}
    assert states["meet"] == ("paused", True) and states["accept"] == ("met", False)


def test_a_move_due_in_an_unconfirmed_year_is_marked(client, world, monkeypatch):
    from zongzhi.dispatch import moves
    from zongzhi.dispatch.models.moves import MoveKind

    moment = datetime(2026, 12, 31, 10, tzinfo=SHANGHAI)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    town = world.east
    case = make_case(town.village, town.clerk, now=moment)
    moves.move_to_centre(case, None, MoveKind.ESCALATE, actor=town.clerk, reason="人多", now=moment)
    body = page(client, town.clerk, case)
    assert 'id="pending-move"' in body
    assert body.count(UNCONFIRMED_NOTE) == 5  # the four milestones and the signing
