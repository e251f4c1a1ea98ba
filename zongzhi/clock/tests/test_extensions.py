"""Extensions (延期) of a case's next milestone: the arithmetic, the cap, once per milestone
(held by the database), approval with fewer days, refusal, permissions and events."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from zongzhi.cases import services
from zongzhi.cases.choices import Colour, Milestone, RiskGrade
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.workflow import Action
from zongzhi.clock import extensions
from zongzhi.clock.models import Extension, RequestState
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


T = at(3, 12, 9)  # a Thursday: the case below is in its meet milestone


def assigned_case(world, reported: datetime, **fields):
    town = world.east
    case = make_case(town.village, town.clerk, now=reported, **fields)
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=reported + timedelta(hours=1))
    services.transition(
        case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=reported + timedelta(hours=1)
    )
    return case


def test_an_extension_moves_its_milestone_and_later_ones_only_when_passed(world):
    town = world.east
    case = assigned_case(world, at(3, 11, 10))
    assert case.meet_due_at == at(3, 17) and case.resolve_due_at == at(3, 21)
    ext = extensions.request_extension(
        case, actor=town.handler, days=3, reason="当事人外出务工，需约定见面时间", now=at(3, 12, 9)
    )
    assert ext.milestone == Milestone.MEET and ext.state == RequestState.PENDING
    version = case.clock_version
    extensions.decide_extension(ext, actor=town.leader, approve=True, days=2, now=at(3, 12, 10))
    case.refresh_from_db()
    ext.refresh_from_db()
    assert ext.days_granted == 2 and ext.due_before == at(3, 17) and ext.due_after == at(3, 19)
    assert case.meet_due_at == at(3, 19)  # 24:00 Mon 16 → 24:00 Wed 18
    assert case.resolve_due_at == at(3, 21)  # still after it: kept
    assert case.next_due_at == at(3, 19) and case.clock_version == version + 1
    assert case.colour(at(3, 16, 9)) == Colour.NORMAL  # no longer its last day


def test_extending_across_national_day_counts_the_make_up_saturday(world):
    town = world.east
    case = assigned_case(world, at(9, 22, 10))
    services.transition(case, Action.MEET, actor=town.handler, now=at(9, 22, 15))
    # Resolve: 23, 24, 28, 29, 30 Sep, 8, 9 Oct (Fri 25 is 中秋) → 24:00 Fri 9 Oct.
    assert case.resolve_due_at == at(10, 10)
    close_due = case.close_due_at
    ext = extensions.request_extension(
        case, actor=town.clerk, days=7, reason="等待伤情鉴定", now=at(9, 30, 9)
    )
    extensions.decide_extension(ext, actor=town.leader, approve=True, now=at(9, 30, 10))
    case.refresh_from_db()
    # + Sat 10 (调休上班), 12, 13, 14, 15, 16, 19 Oct → 24:00 Mon 19 Oct.
    assert case.resolve_due_at == at(10, 20)
    assert case.close_due_at == close_due == at(10, 21)  # still after it: kept
    shifted = case.events.get(kind="clock_shifted")
    assert shifted.note == "化解时限批准延长7个工作日：化解时限 2026-10-09 24:00 → 2026-10-19 24:00"


def test_a_later_milestone_never_falls_before_the_extended_one(world):
    case = assigned_case(world, at(3, 11, 10))
    case.close_due_at = at(3, 23)  # as if an earlier change had brought it near
    changes = extensions.extended_due_times(
        case, Milestone.RESOLVE, 3, extensions.WorkingDayCalendar()
    )
    assert changes == {Milestone.RESOLVE: at(3, 26), Milestone.CLOSE: at(3, 26)}


def test_the_cap_is_the_milestone_own_length(world):
    case = assigned_case(world, at(3, 11, 10))
    for days in (0, 4, -1):
        with pytest.raises(InvalidInput):
            extensions.request_extension(
                case, actor=world.east.handler, days=days, reason="理由", now=at(3, 12, 9)
            )
    ext = extensions.request_extension(
        case, actor=world.east.handler, days=3, reason="理由", now=at(3, 12, 9)
    )
    with pytest.raises(InvalidInput):  # more than asked
        extensions.decide_extension(ext, actor=world.east.leader, approve=True, days=4)
    assert not Extension.objects.filter(state=RequestState.APPROVED).exists()


def test_once_per_milestone_held_by_the_database_and_again_after_a_refusal(world):
    town = world.east
    case = assigned_case(world, at(3, 11, 10))
    ext = extensions.request_extension(case, actor=town.handler, days=1, reason="理由", now=T)
    with pytest.raises(InvalidTransition):
        extensions.request_extension(case, actor=town.clerk, days=1, reason="理由", now=T)
    extensions.decide_extension(ext, actor=town.leader, approve=False, note="理由不充分", now=T)
    again = extensions.request_extension(case, actor=town.handler, days=2, reason="补充理由", now=T)
    extensions.decide_extension(again, actor=town.leader, approve=True, now=T)
    with pytest.raises(InvalidTransition, match="只能延期一次"):
        extensions.request_extension(case, actor=town.handler, days=1, reason="再延", now=T)
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(
            case=case,
            milestone=Milestone.MEET,
            days_requested=1,
            reason="绕过检查",
            requested_by=town.clerk,
            requested_at=at(3, 12, 9),
            approver_place=town.place,
        )


def test_no_extension_of_an_overdue_or_urgent_milestone(world):
    town = world.east
    case = assigned_case(world, at(3, 11, 10))
    with pytest.raises(InvalidTransition, match="已超期"):
        extensions.request_extension(
            case, actor=town.handler, days=1, reason="理由", now=at(3, 18, 9)
        )
    urgent = make_case(town.village, town.clerk, now=at(3, 11, 10), risk=RiskGrade.HIGH)
    with pytest.raises(InvalidTransition, match="自然时间"):
        extensions.request_extension(
            urgent, actor=town.clerk, days=1, reason="理由", now=at(3, 11, 10, 30)
        )


def test_extension_permissions_and_notices(world):
    town, other = world.east, world.west
    case = assigned_case(world, at(3, 11, 10))
    with pytest.raises(NotPermitted):
        extensions.request_extension(case, actor=other.handler, days=1, reason="理由", now=T)
    ext = extensions.request_extension(case, actor=town.handler, days=1, reason="理由", now=T)
    assert Message.objects.filter(kind=Kind.CLOCK_REQUEST, recipient_user=town.leader).exists()
    for refused in (town.handler, town.clerk, other.leader, world.county_leader):
        with pytest.raises(NotPermitted):
            extensions.decide_extension(ext, actor=refused, approve=True, now=T)
    with pytest.raises(InvalidInput):  # a refusal gives its reason
        extensions.decide_extension(ext, actor=town.leader, approve=False, note=" ", now=T)
    extensions.decide_extension(ext, actor=town.leader, approve=False, note="可先电话联系", now=T)
    message = Message.objects.get(kind=Kind.CLOCK_DECISION, recipient_user=town.handler)
    assert "不予延期" in message.text and "可先电话联系" in message.text
    with pytest.raises(InvalidTransition):
        extensions.decide_extension(ext, actor=town.leader, approve=True, now=T)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["extension_requested", "extension_refused"]


def test_an_extension_approved_during_a_pause_still_moves_with_the_pause(world):
    from zongzhi.clock import pauses

    town = world.east
    case = assigned_case(world, at(3, 11, 10))
    pause = pauses.request_pause(case, actor=town.handler, reason="等待鉴定", now=at(3, 12, 9))
    pauses.decide_pause(pause, actor=town.leader, approve=True, now=at(3, 12, 9))
    ext = extensions.request_extension(
        case, actor=town.handler, days=2, reason="外出务工", now=at(3, 12, 10)
    )
    extensions.decide_extension(ext, actor=town.leader, approve=True, now=at(3, 12, 11))
    case.refresh_from_db()
    assert case.meet_due_at == at(3, 19)  # 24:00 Mon 16 + 2 → 24:00 Wed 18
    pauses.resume(case, actor=town.handler, now=at(3, 13, 9))  # Thu 12, Fri 13: two days
    case.refresh_from_db()
    assert case.meet_due_at == at(3, 21)  # 24:00 Wed 18 + 2 → 24:00 Fri 20
