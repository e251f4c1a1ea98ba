"""Pauses of a case's clock (停止计时): the arithmetic of paused working days, the colour and
overdue state while paused, permissions and the one-open-pause constraint."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from zongzhi.cases import deadlines, services
from zongzhi.cases.choices import Colour, Outcome, RiskGrade
from zongzhi.cases.errors import InvalidTransition, NotPermitted
from zongzhi.cases.workflow import Action
from zongzhi.clock import pauses, tracking
from zongzhi.clock.calendar import WorkingDayCalendar
from zongzhi.clock.models import ClockPause, RequestState
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


def assigned_case(world, reported: datetime, **fields):
    """A case of 玉兴街道 reported at `reported`, accepted and assigned an hour later to the
    township's 司法所 (the lead)."""
    town = world.east
    case = make_case(town.village, town.clerk, now=reported, **fields)
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=reported + timedelta(hours=1))
    services.transition(
        case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=reported + timedelta(hours=1)
    )
    return case


def paused(world, case, start: datetime, reason="等待伤情鉴定结果"):
    pause = pauses.request_pause(case, actor=world.east.handler, reason=reason, now=start)
    return pauses.decide_pause(pause, actor=world.east.leader, approve=True, now=start)


@pytest.mark.django_db
def test_paused_working_days_count_every_working_day_the_pause_touched(world):
    calendar = WorkingDayCalendar()
    days = pauses.paused_working_days
    assert days(at(3, 12, 9), at(3, 12, 11), calendar) == 1  # within one day
    assert days(at(3, 13, 16), at(3, 16, 10), calendar) == 2  # Friday and Monday
    assert days(at(3, 14, 9), at(3, 14, 18), calendar) == 0  # a Saturday
    assert days(at(3, 13, 16), at(3, 16, 0), calendar) == 1  # ends at Monday's 00:00
    # Spring Festival 2026: Sat 14 Feb is a make-up working day, 15–23 Feb are off.
    assert days(at(2, 13, 15), at(2, 24, 9), calendar) == 3
    # National Day 2026: 1–7 Oct off, Sat 10 Oct a make-up working day.
    assert days(at(9, 30, 17), at(10, 12, 9), calendar) == 5


def test_a_pause_over_a_weekend_moves_the_unmet_due_times_two_working_days(world):
    case = assigned_case(world, at(3, 11, 10))
    assert case.meet_due_at == at(3, 17)  # 24:00 Mon 16 Mar
    assert case.resolve_due_at == at(3, 21)  # 24:00 Fri 20 Mar
    assert case.close_due_at == at(4, 2)  # 24:00 Wed 1 Apr
    accept_due = case.accept_due_at
    paused(world, case, at(3, 13, 16))
    pauses.resume(case, actor=world.east.handler, now=at(3, 16, 10))
    case.refresh_from_db()
    assert case.accept_due_at == accept_due  # met before the pause: stays
    assert case.meet_due_at == at(3, 19)  # 24:00 Wed 18 Mar
    assert case.resolve_due_at == at(3, 25)  # 24:00 Tue 24 Mar
    # 24:00 Wed 1 Apr + 2 working days: Thu 2, Fri 3 Apr (清明 4–6 Apr comes after).
    assert case.close_due_at == at(4, 4)
    assert case.next_due_at == at(3, 19) and case.clock_paused_at is None
    pause = ClockPause.objects.get()
    assert pause.paused_working_days == 2 and pause.ended_at == at(3, 16, 10)


def test_a_pause_over_spring_festival_counts_the_make_up_saturday(world):
    case = assigned_case(world, at(2, 10, 10))
    assert case.meet_due_at == at(2, 14)  # 24:00 Fri 13 Feb (Wed 11, Thu 12, Fri 13)
    assert case.resolve_due_at == at(2, 27)  # 11–14 Feb (Sat 14 调休上班), then 24–26 Feb
    paused(world, case, at(2, 13, 15))
    pauses.resume(case, actor=world.east.leader, now=at(2, 24, 9))
    case.refresh_from_db()
    # Paused Fri 13, Sat 14 (调休上班) and Tue 24 Feb: three working days.
    assert case.meet_due_at == at(2, 26)  # 24:00 Fri 13 + Sat 14, Tue 24, Wed 25
    assert case.resolve_due_at == at(3, 3)  # 24:00 Thu 26 + Fri 27, Sat 28 (调休上班), Mon 2


def test_a_pause_within_one_day_moves_one_working_day(world):
    case = assigned_case(world, at(3, 11, 10))
    paused(world, case, at(3, 12, 9))
    pauses.resume(case, actor=world.east.handler, now=at(3, 12, 11))
    case.refresh_from_db()
    assert case.meet_due_at == at(3, 18)  # 24:00 Mon 16 → 24:00 Tue 17
    assert ClockPause.objects.get().paused_working_days == 1


def test_a_pause_within_a_weekend_moves_nothing_but_raises_the_version(world):
    case = assigned_case(world, at(3, 11, 10))
    version = case.clock_version
    paused(world, case, at(3, 14, 9))
    pauses.resume(case, actor=world.east.handler, now=at(3, 14, 18))
    case.refresh_from_db()
    assert case.meet_due_at == at(3, 17)
    assert case.clock_version == version + 2  # started, resumed
    assert not case.events.filter(kind="clock_shifted").exists()


def test_while_paused_the_case_is_neither_red_nor_overdue_and_turns_red_after(world):
    case = assigned_case(world, at(3, 11, 10))
    assert case.colour(at(3, 16, 9)) == Colour.RED  # the meet milestone's last day
    paused(world, case, at(3, 16, 8))
    case.refresh_from_db()
    assert case.next_due_at is None and case.warn_at is None
    assert case.colour(at(3, 20)) == Colour.NORMAL  # past the old due time, not overdue
    rows = {r["milestone"]: r["state"] for r in deadlines.milestone_state(case, at(3, 20))}
    assert rows["meet"] == rows["resolve"] == "paused"
    pauses.resume(case, actor=world.east.handler, now=at(3, 20, 9))
    case.refresh_from_db()
    # Paused Mon 16 … Fri 20 (5 days): 24:00 Mon 16 → 24:00 Mon 23, red on Mon 23.
    assert case.meet_due_at == at(3, 24)
    assert case.colour(at(3, 20, 10)) == Colour.NORMAL
    assert case.colour(at(3, 23, 9)) == Colour.RED


def test_a_due_time_already_passed_when_the_pause_started_does_not_move(world):
    case = assigned_case(world, at(3, 11, 10))
    paused(world, case, at(3, 18, 9))  # the meet milestone was due 24:00 Mon 16
    pauses.resume(case, actor=world.east.handler, now=at(3, 18, 10))
    case.refresh_from_db()
    assert case.meet_due_at == at(3, 17)
    assert case.resolve_due_at == at(3, 24)  # 24:00 Fri 20 + Wed 18 → 24:00 Mon 23
    assert case.next_due_at == at(3, 17) and case.colour(at(3, 18, 11)) == Colour.RED


def test_an_urgent_case_moves_its_natural_hour_milestones_by_the_natural_length(world):
    town = world.east
    case = make_case(town.village, town.clerk, now=at(3, 11, 10), risk=RiskGrade.HIGH)
    assert case.accept_due_at == at(3, 11, 12)
    pause = pauses.request_pause(case, actor=town.clerk, reason="当事人住院", now=at(3, 11, 10, 30))
    note = "紧急案件须先到场处置"
    pauses.decide_pause(pause, actor=town.leader, approve=False, note=note, now=at(3, 11, 10, 40))
    assert ClockPause.objects.get().state == RequestState.REFUSED
    pause = pauses.request_pause(case, actor=town.clerk, reason="当事人住院", now=at(3, 11, 11))
    pauses.decide_pause(pause, actor=town.leader, approve=True, now=at(3, 11, 11))
    pauses.resume(case, actor=town.clerk, now=at(3, 11, 14, 30))
    case.refresh_from_db()
    assert case.accept_due_at == at(3, 11, 15, 30)  # 12:00 + 3.5 hours
    assert case.resolve_due_at == at(3, 24)  # working days: 24:00 Fri 20 + Wed 11 → Mon 23


def test_a_due_time_set_during_the_pause_stays_as_set(world):
    town = world.east
    case = make_case(town.village, town.clerk, now=at(3, 11, 10))
    pause = pauses.request_pause(case, actor=town.clerk, reason="等待鉴定", now=at(3, 11, 11))
    pauses.decide_pause(pause, actor=town.leader, approve=True, now=at(3, 11, 11))
    services.change_risk(case, RiskGrade.HIGH, actor=town.clerk, note="扬言报复", now=at(3, 12, 9))
    case.refresh_from_db()
    assert case.accept_due_at == at(3, 12, 11) and case.next_due_at is None
    pauses.resume(case, actor=town.clerk, now=at(3, 12, 10))
    case.refresh_from_db()
    assert case.accept_due_at == at(3, 12, 11)  # set during the pause: kept
    assert case.next_due_at == at(3, 12, 11)


def test_the_case_own_deadlines_move_and_legal_periods_do_not(world, monkeypatch):
    case = assigned_case(world, at(3, 11, 10))
    calendar = WorkingDayCalendar()
    report_in = tracking.open_deadline(
        case,
        kind="dispatch.report_in",
        label="报到",
        due_at=calendar.add_working_days(at(3, 11, 11), 2),
        warn_at=at(3, 13),
        now=at(3, 11, 11),
    )
    hours = tracking.open_deadline(
        case, kind="dispatch.reply", label="回复", due_at=at(3, 12, 15), now=at(3, 11, 11)
    )
    legal = tracking.open_deadline(
        case, kind="mediation.confirm", label="申请司法确认", due_at=at(4, 11), now=at(3, 11, 11)
    )
    monkeypatch.setattr(pauses, "LEGAL_KINDS", {"mediation.confirm"})
    paused(world, case, at(3, 12, 9))
    pauses.resume(case, actor=world.east.handler, now=at(3, 12, 11))
    for row in (report_in, hours, legal):
        row.refresh_from_db()
    # 24:00 Fri 13 → 24:00 Mon 16, its warning from 00:00 Fri 13 to 00:00 Mon 16.
    assert report_in.due_at == at(3, 17) and report_in.warn_at == at(3, 16)
    assert report_in.version == 2
    assert hours.due_at == at(3, 12, 17)  # natural: +2 hours
    assert legal.due_at == at(4, 11) and legal.version == 1


def test_pause_permissions(world):
    town, other = world.east, world.west
    case = assigned_case(world, at(3, 11, 10))
    for outsider in (other.handler, other.leader, town.grid_worker, world.analyst):
        with pytest.raises(NotPermitted):
            pauses.request_pause(case, actor=outsider, reason="理由", now=at(3, 12, 9))
    pause = pauses.request_pause(case, actor=town.handler, reason="理由", now=at(3, 12, 9))
    for refused in (town.handler, town.clerk, other.leader, world.county_leader):
        with pytest.raises(NotPermitted):
            pauses.decide_pause(pause, actor=refused, approve=True, now=at(3, 12, 10))
    # A leader's own request goes to the centre above.
    pauses.decide_pause(pause, actor=town.leader, approve=False, note="不同意", now=at(3, 12, 10))
    own = pauses.request_pause(case, actor=town.leader, reason="理由", now=at(3, 12, 11))
    assert own.approver_place == world.county
    with pytest.raises(NotPermitted):
        pauses.decide_pause(own, actor=town.leader, approve=True, now=at(3, 12, 12))
    pauses.decide_pause(own, actor=world.county_leader, approve=True, now=at(3, 12, 12))
    with pytest.raises(NotPermitted):
        pauses.resume(case, actor=other.handler, now=at(3, 12, 13))


def test_one_open_pause_per_case_held_by_the_database(world):
    case = assigned_case(world, at(3, 11, 10))
    pause = pauses.request_pause(case, actor=world.east.handler, reason="理由", now=at(3, 12, 9))
    with pytest.raises(InvalidTransition):
        pauses.request_pause(case, actor=world.east.clerk, reason="理由", now=at(3, 12, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        ClockPause.objects.create(
            case=case,
            reason="绕过检查",
            requested_by=world.east.clerk,
            requested_at=at(3, 12, 9),
            approver_place=world.east.place,
        )
    pauses.decide_pause(pause, actor=world.east.leader, approve=True, now=at(3, 12, 10))
    with pytest.raises(InvalidTransition):
        pauses.request_pause(case, actor=world.east.clerk, reason="理由", now=at(3, 12, 11))
    pauses.resume(case, actor=world.east.handler, now=at(3, 12, 12))
    pauses.request_pause(case, actor=world.east.clerk, reason="再次申请", now=at(3, 12, 13))


def test_a_paused_case_is_not_closed_before_resuming(world):
    case = assigned_case(world, at(3, 11, 10))
    town = world.east
    services.transition(case, Action.MEET, actor=town.handler, now=at(3, 11, 12))
    services.transition(
        case,
        Action.CONCLUDE,
        actor=town.handler,
        outcome=Outcome.RESOLVED,
        note="已调解",
        now=at(3, 11, 13),
    )
    paused(world, case, at(3, 12, 9), reason="等待回访对象出院")
    assert Action.CLOSE not in [t.action for t in services.permitted_actions(case, town.clerk)]
    with pytest.raises(InvalidTransition):
        services.transition(
            case, Action.CLOSE, actor=town.clerk, note="回访满意", now=at(3, 12, 10)
        )


def test_timeline_events_notifications_and_version(world):
    case = assigned_case(world, at(3, 11, 10))
    version = case.clock_version
    paused(world, case, at(3, 12, 9))
    case.refresh_from_db()
    assert case.clock_version == version + 1
    pauses.resume(case, actor=world.east.handler, note="鉴定结果已出", now=at(3, 13, 9))
    case.refresh_from_db()
    assert case.clock_version == version + 2
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-5:] == [
        "pause_requested",
        "pause_approved",
        "clock_paused",
        "clock_resumed",
        "clock_shifted",
    ]
    shifted = case.events.get(kind="clock_shifted")
    assert "见面时限 2026-03-16 24:00 → 2026-03-18 24:00" in shifted.note
    assert not shifted.is_public
    assert Message.objects.filter(
        kind=Kind.CLOCK_REQUEST, recipient_user=world.east.leader
    ).exists()
    assert Message.objects.filter(
        kind=Kind.CLOCK_DECISION, recipient_user=world.east.handler
    ).exists()
