"""The escalation sweep: reminders, overdue events, rule actions, versions, sweep times."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zongzhi.cases import deadlines, services
from zongzhi.cases.choices import Outcome, RiskGrade
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.workflow import Action
from zongzhi.clock import tracking
from zongzhi.clock.models import DelayUnit, EscalationAction, EscalationRule, SweepStep
from zongzhi.clock.sweep import sweep
from zongzhi.dispatch.models.moves import CaseMove, MoveKind, MoveState
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import make_case, put_on_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def no_default_rules(db, request):
    # The seeded rules include supervision cards (another branch); each test sets its own.
    if "seeded" not in request.node.name:
        EscalationRule.objects.all().delete()


def told(kind: Kind) -> list[str]:
    rows = Message.objects.filter(kind=kind).order_by("recipient_user__username")
    return [m.recipient_user.username for m in rows]


def events(case, kind: str) -> list[CaseEvent]:
    return list(case.events.filter(kind=kind))


def rule(target: str, delay: int, unit: DelayUnit, action: EscalationAction, **extra):
    return EscalationRule.objects.create(
        name=f"{target} {delay} {unit} {action}",
        milestone=target,
        delay=delay,
        delay_unit=unit,
        action=action,
        **extra,
    )


@pytest.fixture
def case(world):
    # Reported Wednesday 11 March 10:00 at the east township's window: accept is due at the
    # end of Thursday 12 March (red from its start), meet at the end of Monday 16 March.
    return make_case(world.east.village, world.east.clerk, now=at(3, 11, 10))


def test_a_case_without_a_lead_reminds_its_centre_once_before_its_due_time(world, case):
    assert case.next_sweep_at == case.warn_at == at(3, 12)
    assert sweep(at(3, 11, 23)).steps == 0
    report = sweep(at(3, 12, 9))
    assert report.reminders == 1 and report.overdue == 0
    assert told(Kind.DEADLINE_REMINDER) == ["clerk-530402001", "leader-530402001"]
    assert "受理时限将于3月12日24时到期" in Message.objects.first().text
    assert sweep(at(3, 12, 10)).steps == 0  # once
    case.refresh_from_db()
    assert case.next_sweep_at == case.next_due_at == at(3, 13)


def test_the_reminder_goes_to_the_lead_once_assigned(world, case):
    services.transition(case, Action.ACCEPT, actor=world.east.clerk, now=at(3, 11, 11))
    put_on_case(case, unit=world.east.unit)
    case.refresh_from_db()
    assert case.next_sweep_at == case.warn_at == at(3, 16)  # meet: red on its last day
    sweep(at(3, 16, 9))
    assert told(Kind.DEADLINE_REMINDER) == ["handler-530402001"]


def test_at_the_due_time_an_overdue_event_tells_the_lead_and_the_centre_leaders(world, case):
    lead = put_on_case(case, person=world.east.handler)
    report = sweep(at(3, 13, 0, 5))
    assert report.overdue == 1 and report.reminders == 0  # the reminder's time has passed
    (event,) = events(case, "overdue")
    assert event.label == "时限超期" and not event.is_public and event.actor is None
    assert event.data["milestone"] == "accept" and "受理时限已超期" in event.note
    assert told(Kind.DEADLINE_OVERDUE) == ["handler-530402001", "leader-530402001"]
    assert lead.assignee == world.east.handler
    sweep(at(3, 13, 0, 6))
    assert len(events(case, "overdue")) == 1
    case.refresh_from_db()
    assert case.next_sweep_at is None  # no rule left for this milestone


def test_raise_risk_rule_acts_once_after_its_delay(world, case):
    rule("accept", 4, DelayUnit.WORKING_HOURS, EscalationAction.RAISE_RISK)
    sweep(at(3, 13, 0, 5))
    case.refresh_from_db()
    # 4 office hours after the end of Thursday: Friday 08:30 + 4 h.
    assert case.next_sweep_at == at(3, 13, 12, 30) and case.risk == RiskGrade.LOW
    assert sweep(at(3, 13, 12)).escalations == 0
    assert sweep(at(3, 13, 12, 31)).escalations == 1
    case.refresh_from_db()
    assert case.risk == RiskGrade.MEDIUM
    (event,) = events(case, "risk_escalated")
    assert event.data == {
        "from": "low",
        "to": "medium",
        **{k: event.data[k] for k in ("rule", "step")},
    }
    assert told(Kind.ESCALATED) == ["leader-530402001"]
    assert sweep(at(3, 14)).escalations == 0
    assert Case.objects.get(pk=case.pk).risk == RiskGrade.MEDIUM


def test_move_up_rule_escalates_to_the_parent_centre_as_the_system(world, case):
    rule("accept", 1, DelayUnit.WORKING_DAYS, EscalationAction.MOVE_UP)
    sweep(at(3, 13, 1))
    assert not CaseMove.objects.exists()
    sweep(at(3, 14, 1))  # the end of Friday 13 March has passed
    move = CaseMove.objects.get()
    assert move.kind == MoveKind.ESCALATE and move.state == MoveState.PENDING
    assert move.to_place == world.county and move.moved_by is None
    (event,) = events(case, "move_escalate")
    assert event.actor_label == "系统" and event.data["by_sweep"]
    step = SweepStep.objects.get(step__startswith="rule:")
    assert step.outcome == "提级至红塔区（待签收）"
    sweep(at(3, 20))
    assert CaseMove.objects.count() == 1


def test_move_up_is_recorded_as_refused_when_a_move_is_pending(world, case):
    rule("accept", 2, DelayUnit.NATURAL_HOURS, EscalationAction.MOVE_UP)
    from zongzhi.dispatch.moves import move_to_centre

    move_to_centre(case, None, MoveKind.ESCALATE, actor=world.east.clerk, reason="疑难")
    sweep(at(3, 13, 3))
    assert CaseMove.objects.count() == 1
    assert SweepStep.objects.get(step__startswith="rule:").outcome.startswith("未提级")


def test_a_new_clock_version_acts_again(world, case):
    sweep(at(3, 13, 1))
    assert len(events(case, "overdue")) == 1
    # An extension (the pause helper's service) moves the due time and raises the version.
    case.accept_due_at = at(3, 14)
    case.clock_version += 1
    deadlines.refresh_clock(case)
    case.save()
    assert case.next_sweep_at == at(3, 13)  # its new warning time: the sweep looks again
    sweep(at(3, 13, 2))
    assert len(events(case, "overdue")) == 1
    assert told(Kind.DEADLINE_REMINDER) == ["clerk-530402001", "leader-530402001"]
    sweep(at(3, 14, 1))
    assert len(events(case, "overdue")) == 2


def test_reopening_starts_a_new_clock_version(world, case):
    town = world.east
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=at(3, 11, 11))
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=at(3, 11, 11))
    services.transition(case, Action.MEET, actor=town.handler, now=at(3, 11, 12))
    services.transition(
        case,
        Action.CONCLUDE,
        actor=town.handler,
        note="结",
        outcome=Outcome.RESOLVED,
        now=at(3, 12),
    )
    assert case.clock_version == 1
    services.transition(case, Action.REOPEN, actor=None, note="又吵起来了", now=at(3, 13))
    case.refresh_from_db()
    assert case.clock_version == 2 and case.next_sweep_at == case.warn_at


def test_a_rolled_back_sweep_acts_again_next_time(world, case):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sweep(at(3, 13, 1)).overdue == 1
        raise RuntimeError("the worker dies before the batch commits")
    assert not SweepStep.objects.exists() and not events(case, "overdue")
    assert not Message.objects.filter(kind=Kind.DEADLINE_OVERDUE).exists()
    assert sweep(at(3, 13, 1)).overdue == 1
    assert len(events(case, "overdue")) == 1


def test_a_failing_action_is_rolled_back_alone_and_tried_again(world, case, monkeypatch):
    from zongzhi.clock import escalation

    rule("accept", 1, DelayUnit.NATURAL_HOURS, EscalationAction.RAISE_RISK)

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setitem(escalation.ACTIONS, EscalationAction.RAISE_RISK, broken)
    report = sweep(at(3, 13, 2))
    assert report.overdue == 1 and report.failed == 1
    assert SweepStep.objects.count() == 1  # the failed step left no row
    case.refresh_from_db()
    assert case.next_sweep_at == at(3, 13, 2, 10)  # tried again ten minutes later
    monkeypatch.undo()
    assert sweep(at(3, 13, 2, 10)).escalations == 1


def test_nothing_due_is_a_probe_that_touches_no_row(world, case):
    tracking.open_deadline(
        case, kind="test.report_in", label="报到", due_at=at(3, 20), warn_at=at(3, 19)
    )
    with CaptureQueriesContext(connection) as queries:
        report = sweep(at(3, 11, 12))
    assert report.cases == report.deadlines == report.steps == 0
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_an_ended_case_is_not_swept(world, case):
    services.transition(case, Action.REJECT, actor=world.east.clerk, note="不属于受理范围")
    case.refresh_from_db()
    assert case.next_sweep_at is None
    assert sweep(at(4, 30)).steps == 0


def test_deadline_rows_are_swept_too(world, case):
    rule_ = EscalationRule.objects.create(
        name="报到超期2小时升级风险",
        deadline_kind="test.report_in",
        delay=2,
        delay_unit=DelayUnit.NATURAL_HOURS,
        action=EscalationAction.RAISE_RISK,
    )
    deadline = tracking.open_deadline(
        case,
        kind="test.report_in",
        label="司法所报到",
        due_at=at(3, 11, 18),
        warn_at=at(3, 11, 16),
        responsible_unit=world.east.unit,
        now=at(3, 11, 10),
    )
    met = tracking.open_deadline(
        case, kind="test.report_in", label="派出所报到", due_at=at(3, 11, 18)
    )
    tracking.meet_deadline(met, at(3, 11, 12))
    assert deadline.next_sweep_at == at(3, 11, 16) and met.next_sweep_at is None
    assert sweep(at(3, 11, 16, 1)).reminders == 1
    assert told(Kind.DEADLINE_REMINDER) == ["handler-530402001"]
    assert "司法所报到将于3月11日18:00到期" in Message.objects.get().text
    report = sweep(at(3, 11, 18, 1))
    assert report.overdue == 1 and report.deadlines == 1
    (event,) = events(case, "deadline_overdue")
    assert event.data["deadline"] == deadline.pk and event.label == "事项超期"
    # The responsible unit's member and the centre's leaders (no lead yet).
    assert told(Kind.DEADLINE_OVERDUE) == ["handler-530402001", "leader-530402001"]
    sweep(at(3, 11, 20, 1))
    case.refresh_from_db()
    assert case.risk == RiskGrade.MEDIUM
    assert SweepStep.objects.filter(step=f"rule:{rule_.pk}").count() == 1
    deadline.refresh_from_db()
    assert deadline.next_sweep_at is None
    # An extension moves the deadline: a new version, swept afresh.
    tracking.move_deadline(deadline, at(3, 12, 18), at(3, 12, 16))
    assert deadline.version == 2 and deadline.next_sweep_at == at(3, 12, 16)
    sweep(at(3, 12, 18, 1))
    assert len(events(case, "deadline_overdue")) == 2


def test_the_seeded_default_rules_are_few_and_in_working_days():
    rows = EscalationRule.objects.order_by("id")
    assert rows.count() == 4
    assert {r.delay_unit for r in rows} == {DelayUnit.WORKING_DAYS}


def test_the_command_prints_what_it_did(world, case, capsys):
    from django.core.management import call_command

    call_command("sweep_deadlines", "--now", "2026-03-13T00:05")
    out = capsys.readouterr().out
    assert f"{case.number} milestone:accept v1 overdue" in out
    assert "超期告警1" in out


def test_the_scheduled_task_sweeps(world, case, monkeypatch):
    from zongzhi.jobs import tasks

    monkeypatch.setattr("django.utils.timezone.now", lambda: at(3, 13, 1))
    result = tasks.sweep_deadlines.enqueue()
    assert result.return_value["overdue"] == 1


def test_due_times_far_ahead_do_not_count_office_time_on_a_weekend():
    from zongzhi.clock.calendar import WorkingDayCalendar
    from zongzhi.clock.office import add_working_hours

    calendar = WorkingDayCalendar()
    # Friday 16:30 + 3 office hours: 1 h on Friday, then Monday 08:30 + 2 h.
    assert add_working_hours(at(3, 13, 16, 30), 3, calendar) == at(3, 16, 10, 30)
    assert add_working_hours(at(3, 14, 12), 1, calendar) == at(3, 16, 9, 30)
    assert add_working_hours(at(3, 16, 7), 0.5, calendar) == at(3, 16, 9)


def test_a_deadline_moved_earlier_than_its_step_is_swept_at_the_new_time(world, case):
    sweep(at(3, 12, 9))  # reminded; the next step is the due time
    case.refresh_from_db()
    assert case.next_sweep_at == at(3, 13)
    services.change_risk(
        case, RiskGrade.HIGH, actor=world.east.clerk, note="扬言报复", now=at(3, 12, 9, 30)
    )
    case.refresh_from_db()
    assert case.accept_due_at == at(3, 12, 11, 30) and case.clock_version == 2
    assert case.next_sweep_at == case.warn_at == at(3, 12, 11)
    assert sweep(at(3, 12, 11, 31)).overdue == 1
    assert sweep(at(3, 12, 11, 40)).steps == 0
    assert timedelta(0) < case.next_due_at - at(3, 12, 9, 30)


def test_a_paused_cases_deadlines_wait_and_are_swept_after_the_resume(world, case):
    deadline = tracking.open_deadline(
        case, kind="test.report_back", label="住建局反馈", due_at=at(3, 11, 18)
    )
    Case.objects.filter(pk=case.pk).update(clock_paused_at=at(3, 11, 12))  # 停止计时
    assert sweep(at(3, 11, 19)).overdue == 0
    deadline.refresh_from_db()
    assert deadline.next_sweep_at == at(3, 11, 20)  # looked at again an hour later
    Case.objects.filter(pk=case.pk).update(clock_paused_at=None)  # resumed, not moved
    assert sweep(at(3, 11, 20, 1)).overdue == 1
    assert len(events(case, "deadline_overdue")) == 1
