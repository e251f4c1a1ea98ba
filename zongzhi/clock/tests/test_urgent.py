"""Urgent (high-risk) cases count their accept and meet milestones in natural hours."""

from datetime import datetime
from zoneinfo import ZoneInfo

from zongzhi.cases import deadlines, services
from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


def test_a_high_risk_case_runs_through_the_national_day_night(world):
    case = make_case(
        world.east.village, world.east.clerk, now=at(10, 1, 22, 30), risk=RiskGrade.HIGH
    )
    assert case.accept_due_at == at(10, 2, 0, 30)  # 2 natural hours, on a holiday night
    assert case.meet_due_at == at(10, 2, 0, 30)  # attended on site within 120 minutes
    assert case.warn_at == at(10, 2, 0, 0)  # red for the last quarter
    # Resolving stays in working days: 8, 9, Sat 10 (调休), 12–15 Oct.
    assert case.resolve_due_at == at(10, 16)
    rows = {r["milestone"]: r["state"] for r in deadlines.milestone_state(case, at(10, 2))}
    assert rows["accept"] == "due_soon"


def test_the_attendance_target_is_configurable(world, settings):
    settings.ZONGZHI_URGENT_ATTEND_MINUTES = 15
    settings.ZONGZHI_URGENT_ACCEPT_HOURS = 1
    case = make_case(world.east.village, world.east.clerk, now=at(10, 3, 3), risk=RiskGrade.HIGH)
    assert case.accept_due_at == at(10, 3, 4)
    assert case.meet_due_at == at(10, 3, 3, 15)


def test_raising_to_high_brings_unmet_due_times_forward_once(world):
    clerk = world.east.clerk
    case = make_case(world.east.village, clerk, now=at(9, 30, 10))
    assert case.accept_due_at == at(10, 9) and case.meet_due_at == at(10, 11)
    resolve_due = case.resolve_due_at
    services.change_risk(case, RiskGrade.HIGH, actor=clerk, note="扬言报复", now=at(10, 1, 20))
    case.refresh_from_db()
    assert case.accept_due_at == case.meet_due_at == at(10, 1, 22)
    assert case.resolve_due_at == resolve_due
    assert case.next_due_at == at(10, 1, 22) and case.warn_at == at(10, 1, 21, 30)
    # Lowering does not extend; raising again later does not move anything either.
    services.change_risk(case, RiskGrade.MEDIUM, actor=clerk, note="已稳控", now=at(10, 1, 20, 30))
    services.change_risk(case, RiskGrade.HIGH, actor=clerk, note="再次激化", now=at(10, 1, 21))
    case.refresh_from_db()
    assert case.accept_due_at == case.meet_due_at == at(10, 1, 22)


def test_raising_an_accepted_case_moves_only_the_meet_milestone(world):
    town = world.east
    case = make_case(town.village, town.clerk, now=at(9, 30, 10))
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=at(9, 30, 11))
    accept_due = case.accept_due_at
    services.change_risk(case, RiskGrade.HIGH, actor=town.clerk, note="持械", now=at(10, 2, 9))
    case.refresh_from_db()
    assert case.accept_due_at == accept_due
    assert case.meet_due_at == case.next_due_at == at(10, 2, 11)
