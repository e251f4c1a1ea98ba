"""13715 due times and the red/yellow/green light, at the boundary times, in the database."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zongzhi.cases import deadlines, services
from zongzhi.cases.choices import Colour, Outcome, Status
from zongzhi.cases.models import Case
from zongzhi.cases.selectors import colour_counts
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import make_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORTED = datetime(2026, 3, 2, 16, 30, tzinfo=SHANGHAI)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def db_colour(case: Case, now: datetime) -> Colour:
    """The colour as the database computes it, via both the filter and the annotation."""
    matches = [c for c in Colour if Case.objects.filter(deadlines.colour_q(c, now), pk=case.pk)]
    annotated = (
        Case.objects.filter(pk=case.pk)
        .annotate(c=deadlines.colour_expression(now))
        .values_list("c", flat=True)
        .get()
    )
    assert len(matches) == 1, f"colour filters overlap or miss: {matches}"
    assert matches[0] == annotated == case.colour(now)
    return matches[0]


def test_due_times_are_1_3_7_15_days_from_the_report(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    assert case.reported_at == REPORTED
    assert case.accept_due_at == REPORTED + timedelta(days=1)
    assert case.meet_due_at == REPORTED + timedelta(days=3)
    assert case.resolve_due_at == REPORTED + timedelta(days=7)
    assert case.close_due_at == REPORTED + timedelta(days=15)
    assert case.next_due_at == case.accept_due_at


def test_a_visit_record_has_no_clock_until_reported(world):
    case = make_case(world.east.grid, world.east.grid_worker, initial_status=Status.VISIT)
    assert case.reported_at is None and case.next_due_at is None
    services.transition(case, Action.SCREEN, actor=world.east.grid_worker, now=REPORTED)
    assert case.reported_at is None
    services.transition(case, Action.REPORT, actor=world.east.grid_worker, now=REPORTED)
    case.refresh_from_db()
    assert case.status == Status.REPORT
    assert case.reported_at == REPORTED
    assert case.accept_due_at == REPORTED + timedelta(days=1)
    assert case.next_due_at == case.accept_due_at


def test_a_new_case_is_not_red_until_its_acceptance_nears(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    # Accept within 24 h; red from 6 h before that deadline.
    assert case.warn_at == REPORTED + timedelta(hours=18)
    assert db_colour(case, REPORTED) == Colour.NORMAL
    assert db_colour(case, REPORTED + timedelta(hours=18) - SECOND) == Colour.NORMAL
    assert db_colour(case, REPORTED + timedelta(hours=18)) == Colour.RED


@pytest.mark.parametrize(
    ("milestone_action", "due_field", "warning"),
    [
        (Action.ACCEPT, "meet_due_at", timedelta(hours=24)),
        (Action.MEET, "resolve_due_at", timedelta(hours=48)),
    ],
)
def test_red_and_overdue_at_the_boundaries(world, milestone_action, due_field, warning):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    town = world.east
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=REPORTED + HOUR)
    if milestone_action == Action.MEET:
        services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=REPORTED)
        services.transition(case, Action.MEET, actor=town.handler, now=REPORTED + HOUR)
    due = getattr(case, due_field)
    assert case.next_due_at == due
    assert db_colour(case, due - warning - SECOND) == Colour.NORMAL
    assert db_colour(case, due - warning) == Colour.RED
    assert not Case.objects.filter(deadlines.overdue_q(due), pk=case.pk).exists()
    assert Case.objects.filter(deadlines.overdue_q(due + SECOND), pk=case.pk).exists()
    assert db_colour(case, due + timedelta(days=30)) == Colour.RED


def resolve(case, world, outcome, at):
    town = world.east
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=at)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=at)
    services.transition(case, Action.MEET, actor=town.handler, now=at)
    services.transition(
        case, Action.CONCLUDE, actor=town.handler, note="结", outcome=outcome, now=at
    )


def test_green_yellow_after_conclusion_and_red_again_if_not_closed_in_time(world):
    green = make_case(world.east.village, world.east.clerk, now=REPORTED)
    yellow = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(green, world, Outcome.RESOLVED, REPORTED + HOUR)
    resolve(yellow, world, Outcome.UNRESOLVED, REPORTED + HOUR)
    now = REPORTED + timedelta(days=2)
    assert db_colour(green, now) == Colour.GREEN
    assert db_colour(yellow, now) == Colour.YELLOW
    # Concluded but not closed as the 15-day close deadline nears: red (临期).
    assert db_colour(green, green.close_due_at - HOUR) == Colour.RED
    services.transition(green, Action.CLOSE, actor=world.east.clerk, note="回访", now=now)
    assert green.next_due_at is None
    assert db_colour(green, REPORTED + timedelta(days=400)) == Colour.GREEN


def test_rejected_case_is_neither_red_nor_green(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    services.transition(case, Action.REJECT, actor=world.east.clerk, note="重复", now=REPORTED)
    assert case.next_due_at is None
    assert db_colour(case, REPORTED + timedelta(days=30)) == Colour.NORMAL


def test_reopen_restarts_the_resolve_and_close_clock(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(case, world, Outcome.RESOLVED, REPORTED + HOUR)
    reopened_at = REPORTED + timedelta(days=10)
    services.transition(case, Action.REOPEN, actor=None, note="又吵起来了", now=reopened_at)
    assert case.resolve_due_at == reopened_at + timedelta(days=7)
    assert case.close_due_at == reopened_at + timedelta(days=15)
    assert case.next_due_at == case.resolve_due_at
    assert case.accepted_at is not None and case.parties_met_at is not None


def test_milestone_state_marks_late_and_overdue(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    services.transition(
        case, Action.ACCEPT, actor=world.east.clerk, now=REPORTED + timedelta(days=2)
    )
    rows = {
        r["milestone"]: r["state"]
        for r in services.milestone_state(case, REPORTED + timedelta(days=4))
    }
    assert rows == {"accept": "late", "meet": "overdue", "resolve": "open", "close": "open"}


def test_colour_counts_are_counted_by_the_database(world):
    make_case(world.east.village, world.east.clerk, now=REPORTED)
    other = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(other, world, Outcome.RESOLVED, REPORTED)
    counts = colour_counts(Case.objects.all(), now=REPORTED + timedelta(hours=20))
    assert counts == {"red": 1, "yellow": 0, "green": 1, "normal": 0}


def test_a_calendar_can_replace_calendar_days(monkeypatch, world):
    class NoWeekends:
        def add_days(self, start, days):
            current = start
            while days:
                current += timedelta(days=1)
                if current.weekday() < 5:
                    days -= 1
            return current

    monkeypatch.setattr(deadlines, "current_calendar", NoWeekends)
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=SHANGHAI)
    case = make_case(world.east.village, world.east.clerk, now=friday)
    assert case.accept_due_at == datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI)
