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
# A Monday in an ordinary fortnight (no holiday until Qingming, 4–6 April 2026).
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


def midnight(month: int, day: int) -> datetime:
    """00:00 of a day in 2026: the end (24:00) of the day before."""
    return datetime(2026, month, day, tzinfo=SHANGHAI)


def test_due_times_are_1_3_7_15_working_days_from_the_report(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    assert case.reported_at == REPORTED
    # The report day does not count; each ends at 24:00 of its Nth working day.
    assert case.accept_due_at == midnight(3, 4)  # end of Tue 3 March
    assert case.meet_due_at == midnight(3, 6)  # end of Thu 5 March
    assert case.resolve_due_at == midnight(3, 12)  # end of Wed 11 March
    assert case.close_due_at == midnight(3, 24)  # end of Mon 23 March
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
    assert case.accept_due_at == midnight(3, 4)
    assert case.next_due_at == case.accept_due_at


def test_a_new_case_is_not_red_until_its_acceptance_nears(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    # Accept by the end of the next working day; red for that whole day.
    assert case.warn_at == midnight(3, 3)
    assert db_colour(case, REPORTED) == Colour.NORMAL
    assert db_colour(case, midnight(3, 3) - SECOND) == Colour.NORMAL
    assert db_colour(case, midnight(3, 3)) == Colour.RED


@pytest.mark.parametrize(
    ("milestone_action", "due_field", "warning"),
    [
        # Meet: red on its last working day; resolve: on its last two (no weekend between).
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


def test_green_yellow_after_conclusion_and_never_red_while_awaiting_closure(world):
    green = make_case(world.east.village, world.east.clerk, now=REPORTED)
    yellow = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(green, world, Outcome.RESOLVED, REPORTED + HOUR)
    resolve(yellow, world, Outcome.UNRESOLVED, REPORTED + HOUR)
    now = REPORTED + timedelta(days=2)
    assert db_colour(green, now) == Colour.GREEN
    assert db_colour(yellow, now) == Colour.YELLOW
    # Past the 7-day resolve deadline and the 15-day close deadline, not yet closed: the light
    # stays with the outcome; the unmet close deadline shows as overdue instead.
    for case, colour in ((green, Colour.GREEN), (yellow, Colour.YELLOW)):
        for later in (
            case.resolve_due_at + HOUR,
            case.close_due_at - HOUR,
            case.close_due_at + HOUR,
        ):
            assert db_colour(case, later) == colour
        assert case.next_due_at == case.close_due_at and case.warn_at is None
        assert deadlines.is_overdue(case, case.close_due_at + HOUR)
        late = Case.objects.filter(deadlines.overdue_q(case.close_due_at + HOUR), pk=case.pk)
        assert late.exists()
    services.transition(green, Action.CLOSE, actor=world.east.clerk, note="回访", now=now)
    assert green.next_due_at is None
    assert db_colour(green, REPORTED + timedelta(days=400)) == Colour.GREEN


def test_concluding_meets_the_milestone_whatever_the_outcome(world):
    green = make_case(world.east.village, world.east.clerk, now=REPORTED)
    yellow = make_case(world.east.village, world.east.clerk, now=REPORTED)
    at = REPORTED + timedelta(days=3)
    resolve(green, world, Outcome.RESOLVED, at)
    resolve(yellow, world, Outcome.UNRESOLVED, at)
    for case in (green, yellow):
        case.refresh_from_db()
        assert case.concluded_at == at
        rows = {r["milestone"]: r for r in deadlines.milestone_state(case, at + timedelta(days=9))}
        assert rows["resolve"]["state"] == "met" and rows["resolve"]["done"] == at
    # Only substantive resolution (实质化解) is resolved.
    assert green.resolved_at == at and deadlines.resolution_of(green).resolved
    assert yellow.resolved_at is None and not deadlines.resolution_of(yellow).resolved
    assert deadlines.resolution_of(yellow).concluded
    resolved = Case.objects.filter(deadlines.resolved_q())
    assert list(resolved.values_list("pk", flat=True)) == [green.pk]
    unresolved = Case.objects.filter(deadlines.concluded_unresolved_q())
    assert list(unresolved.values_list("pk", flat=True)) == [yellow.pk]


def test_reopen_clears_the_conclusion(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(case, world, Outcome.RESOLVED, REPORTED + HOUR)
    services.transition(
        case, Action.CLOSE, actor=world.east.clerk, note="回访", now=REPORTED + 2 * HOUR
    )
    reopened_at = REPORTED + timedelta(days=10)
    services.transition(case, Action.REOPEN, actor=world.east.clerk, note="复发", now=reopened_at)
    case.refresh_from_db()
    assert case.concluded_at is None and case.resolved_at is None and case.closed_at is None
    assert db_colour(case, reopened_at) == Colour.NORMAL
    # The fresh resolve deadline can turn the reopened case red again.
    assert db_colour(case, case.resolve_due_at - HOUR) == Colour.RED


def test_rejected_case_has_ended_with_no_overdue_milestone(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    services.transition(case, Action.REJECT, actor=world.east.clerk, note="重复", now=REPORTED)
    later = REPORTED + timedelta(days=30)
    assert case.next_due_at is None and not case.is_open
    assert db_colour(case, later) == Colour.REJECTED
    states = {r["milestone"]: r["state"] for r in deadlines.milestone_state(case, later)}
    assert "overdue" not in states.values() and "due_soon" not in states.values()
    assert states["accept"] == states["meet"] == states["resolve"] == "stopped"
    assert not Case.objects.filter(deadlines.open_q(), pk=case.pk).exists()
    assert not Case.objects.filter(deadlines.overdue_q(later), pk=case.pk).exists()
    counts = colour_counts(Case.objects.all(), now=later)
    assert counts[Colour.NORMAL] == 0 and counts[Colour.REJECTED] == 1


def test_reopen_restarts_the_resolve_and_close_clock(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(case, world, Outcome.RESOLVED, REPORTED + HOUR)
    reopened_at = REPORTED + timedelta(days=10)  # Thu 12 March
    services.transition(case, Action.REOPEN, actor=None, note="又吵起来了", now=reopened_at)
    assert case.resolve_due_at == midnight(3, 24)  # 7th working day: Mon 23 March
    assert case.close_due_at == midnight(4, 3)  # 15th: Thu 2 April
    assert case.next_due_at == case.resolve_due_at
    assert case.accepted_at is not None and case.parties_met_at is not None


def test_milestone_state_marks_late_and_overdue(world):
    case = make_case(world.east.village, world.east.clerk, now=REPORTED)
    services.transition(
        case, Action.ACCEPT, actor=world.east.clerk, now=REPORTED + timedelta(days=2)
    )
    rows = {
        r["milestone"]: r["state"]
        for r in deadlines.milestone_state(case, REPORTED + timedelta(days=4))
    }
    assert rows == {"accept": "late", "meet": "overdue", "resolve": "open", "close": "open"}


def test_colour_counts_are_counted_by_the_database(world):
    make_case(world.east.village, world.east.clerk, now=REPORTED)
    other = make_case(world.east.village, world.east.clerk, now=REPORTED)
    resolve(other, world, Outcome.RESOLVED, REPORTED)
    counts = colour_counts(Case.objects.all(), now=REPORTED + timedelta(hours=20))
    assert counts == {"red": 1, "yellow": 0, "green": 1, "normal": 0, "rejected": 0}


def test_due_times_skip_a_holiday_and_its_weekend(world):
    # Qingming 2026: 4–6 April off (State Council notice 国办发明电〔2025〕7号).
    friday = datetime(2026, 4, 3, 9, 0, tzinfo=SHANGHAI)
    case = make_case(world.east.village, world.east.clerk, now=friday)
    assert case.accept_due_at == midnight(4, 8)  # end of Tue 7 April
    assert case.warn_at == midnight(4, 7)
