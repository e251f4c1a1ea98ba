"""Deadlines 13715 and the red/yellow/green light, in one place.

Accept within 1 day of the report, meet the parties within 3, resolve within 7, close within 15.
Due times are stored on the case; `next_due_at` is the due time of the next milestone not yet
reached and `warn_at` the moment that milestone turns red (临期), so that "red" and "overdue"
are index-friendly comparisons in the database. A working-day calendar replaces
`CalendarDays` here without touching any caller.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Q, Value, When

from zongzhi.cases.choices import Colour, Milestone, Outcome

MILESTONE_DAYS: dict[Milestone, int] = {
    Milestone.ACCEPT: 1,
    Milestone.MEET: 3,
    Milestone.RESOLVE: 7,
    Milestone.CLOSE: 15,
}
# How long before its due time each milestone turns red (临期): about a quarter of its span,
# so that a case just reported is not red at once.
WARNING_BEFORE: dict[Milestone, timedelta] = {
    Milestone.ACCEPT: timedelta(hours=6),
    Milestone.MEET: timedelta(hours=24),
    Milestone.RESOLVE: timedelta(hours=48),
    Milestone.CLOSE: timedelta(hours=72),
}
# The case fields holding each milestone's due time and the time it was reached.
DUE_FIELD = {m: f"{m.value}_due_at" for m in Milestone}
DONE_FIELD = {
    Milestone.ACCEPT: "accepted_at",
    Milestone.MEET: "parties_met_at",
    Milestone.RESOLVE: "resolved_at",
    Milestone.CLOSE: "closed_at",
}


class Calendar(Protocol):
    def add_days(self, start: datetime, days: int) -> datetime: ...


class CalendarDays:
    """Counts plain calendar days: the due time is the same clock time `days` later."""

    def add_days(self, start: datetime, days: int) -> datetime:
        return start + timedelta(days=days)


def current_calendar() -> Calendar:
    return CalendarDays()


@dataclass(frozen=True)
class DueTimes:
    accept: datetime
    meet: datetime
    resolve: datetime
    close: datetime

    def as_fields(self) -> dict[str, datetime]:
        return {DUE_FIELD[m]: getattr(self, m.value) for m in Milestone}


def compute_due_times(start: datetime, calendar: Calendar | None = None) -> DueTimes:
    """The four due times for a case reported (or reopened) at `start`."""
    calendar = calendar or current_calendar()
    return DueTimes(**{m.value: calendar.add_days(start, d) for m, d in MILESTONE_DAYS.items()})


def next_milestone(case) -> Milestone | None:
    """The first milestone the case has not reached, or None when all are reached."""
    for milestone in Milestone:
        if getattr(case, DONE_FIELD[milestone]) is None:
            return milestone
    return None


def next_due_at(case) -> datetime | None:
    """Due time of the next milestone; None before the report and after closing."""
    if case.reported_at is None or case.closed_at is not None:
        return None
    milestone = next_milestone(case)
    return getattr(case, DUE_FIELD[milestone]) if milestone else None


def refresh_clock(case) -> None:
    """Set the case's `next_due_at` and `warn_at` from its milestones; their only writer."""
    case.next_due_at = next_due_at(case)
    if case.next_due_at is None:
        case.warn_at = None
    else:
        case.warn_at = case.next_due_at - WARNING_BEFORE[next_milestone(case)]


def colour_q(colour: Colour, now: datetime) -> Q:
    """A filter for cases of one colour, evaluated by the database.

    Red: not closed and the next milestone is within its warning time or past (临期/超期).
    Otherwise green when the outcome is substantive resolution, yellow when the case was
    concluded without it, and normal while work goes on within its deadlines.
    """
    red = Q(warn_at__isnull=False, warn_at__lte=now)
    if colour == Colour.RED:
        return red
    if colour == Colour.GREEN:
        return ~red & Q(outcome=Outcome.RESOLVED)
    if colour == Colour.YELLOW:
        return ~red & Q(outcome=Outcome.UNRESOLVED)
    return ~red & ~Q(outcome__in=[Outcome.RESOLVED, Outcome.UNRESOLVED])


def overdue_q(now: datetime) -> Q:
    return Q(next_due_at__isnull=False, next_due_at__lt=now)


def is_overdue(case, now: datetime) -> bool:
    """The overdue_q rule in Python, for one case already in memory."""
    return case.next_due_at is not None and case.next_due_at < now


def colour_expression(now: datetime) -> CaseWhen:
    """The colour as a column, for lists that show or sort by it (same rules as colour_q)."""
    return CaseWhen(
        When(colour_q(Colour.RED, now), then=Value(Colour.RED.value)),
        When(outcome=Outcome.RESOLVED, then=Value(Colour.GREEN.value)),
        When(outcome=Outcome.UNRESOLVED, then=Value(Colour.YELLOW.value)),
        default=Value(Colour.NORMAL.value),
        output_field=CharField(),
    )


def colour_of(case, now: datetime) -> Colour:
    """The same rules in Python, for one case already in memory."""
    if case.warn_at is not None and case.warn_at <= now:
        return Colour.RED
    if case.outcome == Outcome.RESOLVED:
        return Colour.GREEN
    if case.outcome == Outcome.UNRESOLVED:
        return Colour.YELLOW
    return Colour.NORMAL
