"""Urgent cases run around the clock: out of office hours their reminders and overdue
alerts also go to whoever is on the duty roster (节假日值班表)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zongzhi.cases.choices import RiskGrade
from zongzhi.clock.calendar import WorkingDayCalendar
from zongzhi.clock.models import DutyShift, EscalationRule
from zongzhi.clock.office import is_office_open
from zongzhi.clock.sweep import sweep
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hh=0, mm=0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def roster(world):
    EscalationRule.objects.all().delete()
    # The county's National Day roster: its leader on duty all week, day and night.
    DutyShift.objects.create(
        centre=world.county, person=world.county_leader, starts_at=at(10, 1), ends_at=at(10, 8)
    )


def told(kind: Kind) -> dict[str, str]:
    return {m.recipient_user.username: m.text for m in Message.objects.filter(kind=kind)}


def test_office_hours_follow_the_calendar():
    calendar = WorkingDayCalendar()
    assert is_office_open(at(9, 30, 8, 30), calendar)
    assert not is_office_open(at(9, 30, 17, 30), calendar)
    assert not is_office_open(at(10, 2, 10), calendar)  # National Day
    assert is_office_open(at(10, 10, 10), calendar)  # Saturday 10 October, a 调休 working day


def test_an_urgent_case_on_a_holiday_night_alerts_whoever_is_on_duty(world):
    case = make_case(
        world.east.village, world.east.clerk, now=at(10, 1, 22, 30), risk=RiskGrade.HIGH
    )
    assert case.warn_at == at(10, 2) and case.accept_due_at == at(10, 2, 0, 30)
    sweep(at(10, 2, 0, 5))
    reminded = told(Kind.DEADLINE_REMINDER)
    assert set(reminded) == {"clerk-530402001", "leader-530402001", "leader-county"}
    assert reminded["leader-county"].startswith("【值班提醒】")
    assert not reminded["clerk-530402001"].startswith("【值班提醒】")
    sweep(at(10, 2, 0, 35))
    alerted = told(Kind.DEADLINE_OVERDUE)
    assert set(alerted) == {"clerk-530402001", "leader-530402001", "leader-county"}
    assert "已超期" in alerted["leader-county"] and alerted["leader-county"].startswith("【值班")


def test_an_ordinary_case_on_a_holiday_night_does_not_wake_the_duty_officer(world):
    case = make_case(world.east.village, world.east.clerk, now=at(9, 29, 10))
    assert case.accept_due_at == at(10, 1)  # the end of Wednesday 30 September
    sweep(at(10, 1, 0, 5))
    assert "leader-county" not in told(Kind.DEADLINE_OVERDUE)


def test_an_urgent_case_in_office_hours_goes_to_its_handlers_only(world):
    DutyShift.objects.create(
        centre=world.county, person=world.county_leader, starts_at=at(10, 9), ends_at=at(10, 10)
    )
    make_case(world.east.village, world.east.clerk, now=at(10, 9, 9), risk=RiskGrade.HIGH)
    sweep(at(10, 9, 10, 40))  # Friday 9 October, a working day, office open
    assert "leader-county" not in told(Kind.DEADLINE_REMINDER)
    assert "leader-county" not in told(Kind.DEADLINE_OVERDUE)
