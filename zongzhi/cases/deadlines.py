"""Deadlines 13715 and the red/yellow/green light, in one place.

Accept within 1 day of the report, meet the parties within 3, resolve within 7, close within 15.
Due times are stored on the case; `next_due_at` is the due time of the next milestone not yet
reached and `warn_at` the moment that milestone turns red (临期), so that "red" and "overdue"
are index-friendly comparisons in the database.

The days are working days of the one calendar (zongzhi.clock.calendar: the report day does not
count, a period ends at 24:00 of its Nth working day, 调休 included). A case turns red (临期) for
the last working days of its milestone: the due day itself for accept and meet, the last 2 for
resolve, the last 3 for close (WARNING_WORKING_DAYS). An urgent case (high risk) counts its
accept and meet milestones in natural hours around the clock (settings
ZONGZHI_URGENT_ACCEPT_HOURS, ZONGZHI_URGENT_ATTEND_MINUTES) and turns red for the last quarter
of each; its resolve and close milestones stay in working days, since mediation itself runs in
office hours.

Two rules live here beside the clock, each read through one function:
- open or ended (`is_open`, `open_q`): a closed or rejected case has ended; its clock stops
  and no milestone of it is overdue.
- concluded or resolved (`resolution_of`, `resolved_q`, `concluded_unresolved_q`): concluding
  (化解办结) meets the 7-day milestone whatever its outcome (`concluded_at`); only substantive
  resolution (实质化解) sets `resolved_at`. A concluded case keeps its green or yellow light
  and never turns red.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import CharField, Q, Value, When

from zongzhi.cases.choices import OPEN_STATUSES, Colour, Milestone, Outcome, RiskGrade, Status

MILESTONE_DAYS: dict[Milestone, int] = {
    Milestone.ACCEPT: 1,
    Milestone.MEET: 3,
    Milestone.RESOLVE: 7,
    Milestone.CLOSE: 15,
}
# For how many of its last working days each milestone is red (临期): about a quarter of its
# span, at least its last day, so that a case just reported is not red at once.
WARNING_WORKING_DAYS: dict[Milestone, int] = {
    Milestone.ACCEPT: 1,
    Milestone.MEET: 1,
    Milestone.RESOLVE: 2,
    Milestone.CLOSE: 3,
}
# The milestones an urgent case counts in natural time.
URGENT_MILESTONES = (Milestone.ACCEPT, Milestone.MEET)
# The case fields holding each milestone's due time and the time it was reached.
DUE_FIELD = {m: f"{m.value}_due_at" for m in Milestone}
DONE_FIELD = {
    Milestone.ACCEPT: "accepted_at",
    Milestone.MEET: "parties_met_at",
    Milestone.RESOLVE: "concluded_at",
    Milestone.CLOSE: "closed_at",
}


class Calendar(Protocol):
    def add_days(self, start: datetime, days: int) -> datetime: ...

    def start_of_last_working_days(self, due: datetime, days: int) -> datetime: ...


def current_calendar(place=None) -> Calendar:
    """The working-day calendar for cases in `place` (its local holidays included)."""
    from zongzhi.clock.calendar import WorkingDayCalendar

    return WorkingDayCalendar(place)


def urgent_spans() -> dict[Milestone, timedelta]:
    """Natural-time spans of an urgent case's accept and meet (on-site attendance) milestones."""
    return {
        Milestone.ACCEPT: timedelta(hours=settings.ZONGZHI_URGENT_ACCEPT_HOURS),
        Milestone.MEET: timedelta(minutes=settings.ZONGZHI_URGENT_ATTEND_MINUTES),
    }


def is_urgent(case) -> bool:
    """Whether the case runs around the clock: a high-risk case (研判为高风险)."""
    return case.risk == RiskGrade.HIGH


@dataclass(frozen=True)
class DueTimes:
    accept: datetime
    meet: datetime
    resolve: datetime
    close: datetime

    def as_fields(self) -> dict[str, datetime]:
        return {DUE_FIELD[m]: getattr(self, m.value) for m in Milestone}


def compute_due_times(
    start: datetime, calendar: Calendar | None = None, *, urgent: bool = False, place=None
) -> DueTimes:
    """The four due times for a case reported (or reopened) at `start`; for an urgent case
    accept and meet count natural time from `start`."""
    calendar = calendar or current_calendar(place)
    due = {m.value: calendar.add_days(start, d) for m, d in MILESTONE_DAYS.items()}
    if urgent:
        due.update({m.value: start + span for m, span in urgent_spans().items()})
    return DueTimes(**due)


def urgent_due_updates(case, now: datetime) -> dict[str, datetime]:
    """The unmet urgent milestones' due fields brought forward to natural time from `now` (the
    moment the case became urgent); a due time already earlier is kept, so raising the risk
    twice never extends anything."""
    updates = {}
    for milestone, span in urgent_spans().items():
        field = DUE_FIELD[milestone]
        current = getattr(case, field)
        if reached_at(case, milestone) is None and (current is None or now + span < current):
            updates[field] = now + span
    return updates


def warn_time(case, milestone: Milestone, due: datetime, calendar: Calendar | None = None):
    """When `milestone`, due at `due`, turns red (临期); see the module docstring."""
    if is_urgent(case) and milestone in URGENT_MILESTONES:
        return due - urgent_spans()[milestone] / 4
    calendar = calendar or current_calendar(getattr(case, "place", None))
    return calendar.start_of_last_working_days(due, WARNING_WORKING_DAYS[milestone])


def is_open(case) -> bool:
    """Whether the case is work in progress (not closed, not rejected)."""
    return case.status in OPEN_STATUSES


def open_q() -> Q:
    """The is_open rule as a database filter."""
    return Q(status__in=OPEN_STATUSES)


@dataclass(frozen=True)
class Resolution:
    """How a case's handling concluded: `concluded_at` (化解办结, either outcome; meets the
    7-day milestone) and `resolved_at` (实质化解 only)."""

    concluded_at: datetime | None
    resolved_at: datetime | None

    @property
    def concluded(self) -> bool:
        return self.concluded_at is not None

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


def resolution_of(case) -> Resolution:
    """The one reader of a case's conclusion, for colours, pages and figures."""
    return Resolution(concluded_at=case.concluded_at, resolved_at=case.resolved_at)


def resolved_q() -> Q:
    """Substantively resolved (实质化解), as a database filter."""
    return Q(resolved_at__isnull=False)


def concluded_unresolved_q() -> Q:
    """Concluded without substantive resolution (办结未化解), as a database filter."""
    return Q(concluded_at__isnull=False, resolved_at__isnull=True)


def record_conclusion(case, outcome: Outcome, at: datetime) -> None:
    """Conclude the case at `at` with `outcome`; the only writer of both times."""
    case.concluded_at = at
    case.resolved_at = at if outcome == Outcome.RESOLVED else None
    # The centre that held the case when it was concluded, for the figures by level.
    case.concluded_holding_place = case.holding_place
    case.concluded_level = case.holding_place.level if case.holding_place else None


def clear_conclusion(case) -> None:
    """Forget the conclusion (the case was reopened: it must be concluded again)."""
    case.concluded_at = None
    case.resolved_at = None
    case.concluded_holding_place = None
    case.concluded_level = None


def reached_at(case, milestone: Milestone) -> datetime | None:
    """When the case reached `milestone`, or None."""
    return getattr(case, DONE_FIELD[milestone])


def next_milestone(case) -> Milestone | None:
    """The first milestone the case has not reached, or None when all are reached."""
    for milestone in Milestone:
        if reached_at(case, milestone) is None:
            return milestone
    return None


def next_due_at(case) -> datetime | None:
    """Due time of the next milestone; None before the report and once the case has ended."""
    if case.reported_at is None or not is_open(case):
        return None
    milestone = next_milestone(case)
    return getattr(case, DUE_FIELD[milestone]) if milestone else None


def is_paused(case) -> bool:
    """Whether an approved pause (停止计时) holds the case's clock now."""
    return case.clock_paused_at is not None


# The fields refresh_clock writes, for saves with update_fields.
CLOCK_FIELDS = ("next_due_at", "warn_at", "next_sweep_at")


def refresh_clock(case, calendar: Calendar | None = None) -> None:
    """Set the case's `next_due_at`, `warn_at` and `next_sweep_at` from its milestones; their
    only writer (save all of CLOCK_FIELDS).

    `warn_at` is when the case turns red: never once it is concluded, since a concluded
    case shows its outcome (green or yellow) until it is closed or reopened. While its clock
    is paused (停止计时, zongzhi.clock.pauses) a case has none of the three: it is not red, not
    overdue, and the sweep leaves it alone.
    `next_sweep_at` is when the escalation sweep (zongzhi.clock.sweep) first has something
    to do with the next milestone: its warning time, else its due time. While the due time
    stays the same, a sweep time already moved on by the sweep is kept.
    """
    if is_paused(case):
        case.next_due_at = case.warn_at = case.next_sweep_at = None
        return
    previous_due, previous_sweep = case.next_due_at, getattr(case, "next_sweep_at", None)
    case.next_due_at = next_due_at(case)
    if case.next_due_at is None or resolution_of(case).concluded:
        case.warn_at = None
    else:
        case.warn_at = warn_time(case, next_milestone(case), case.next_due_at, calendar)
    first_step = case.warn_at or case.next_due_at
    if first_step is None:
        case.next_sweep_at = None
    elif previous_due == case.next_due_at and previous_sweep and previous_sweep > first_step:
        case.next_sweep_at = previous_sweep
    else:
        case.next_sweep_at = first_step


def colour_q(colour: Colour, now: datetime) -> Q:
    """A filter for cases of one colour, evaluated by the database.

    Red: the next milestone is within its warning time or past (临期/超期), which only an
    open, unconcluded case can be (see refresh_clock). Otherwise a rejected case is out of
    the light (不予受理), green when substantively resolved, yellow when concluded without
    it, and normal while work goes on within its deadlines.
    """
    red = Q(warn_at__isnull=False, warn_at__lte=now)
    rejected = Q(status=Status.REJECTED)
    if colour == Colour.RED:
        return red
    if colour == Colour.REJECTED:
        return ~red & rejected
    if colour == Colour.GREEN:
        return ~red & ~rejected & resolved_q()
    if colour == Colour.YELLOW:
        return ~red & ~rejected & concluded_unresolved_q()
    return ~red & ~rejected & Q(concluded_at__isnull=True)


def overdue_q(now: datetime) -> Q:
    return Q(next_due_at__isnull=False, next_due_at__lt=now)


def is_overdue(case, now: datetime) -> bool:
    """The overdue_q rule in Python, for one case already in memory."""
    return case.next_due_at is not None and case.next_due_at < now


def colour_expression(now: datetime) -> CaseWhen:
    """The colour as a column, for lists that show or sort by it (same rules as colour_q)."""
    return CaseWhen(
        When(colour_q(Colour.RED, now), then=Value(Colour.RED.value)),
        When(status=Status.REJECTED, then=Value(Colour.REJECTED.value)),
        When(resolved_q(), then=Value(Colour.GREEN.value)),
        When(concluded_unresolved_q(), then=Value(Colour.YELLOW.value)),
        default=Value(Colour.NORMAL.value),
        output_field=CharField(),
    )


def colour_of(case, now: datetime) -> Colour:
    """The same rules in Python, for one case already in memory."""
    if case.warn_at is not None and case.warn_at <= now:
        return Colour.RED
    if case.status == Status.REJECTED:
        return Colour.REJECTED
    resolution = resolution_of(case)
    if resolution.resolved:
        return Colour.GREEN
    if resolution.concluded:
        return Colour.YELLOW
    return Colour.NORMAL


def milestone_state(case, now: datetime) -> list[dict]:
    """For the case page: each 13715 milestone with its due time and whether it was met.

    A milestone an ended (rejected) case never reached is "stopped", never overdue; while the
    clock is paused (停止计时) an unmet milestone is "paused"."""
    rows = []
    ended = not is_open(case)
    for milestone in Milestone:
        due = getattr(case, DUE_FIELD[milestone])
        done = reached_at(case, milestone)
        if done is not None:
            state = "met" if due is None or done <= due else "late"
        elif ended:
            state = "stopped"
        elif is_paused(case):
            state = "paused"
        elif due is None:
            state = "pending"
        elif due < now:
            state = "overdue"
        elif warn_time(case, milestone, due) <= now:
            state = "due_soon"
        else:
            state = "open"
        rows.append({"milestone": milestone, "due": due, "done": done, "state": state})
    return rows
