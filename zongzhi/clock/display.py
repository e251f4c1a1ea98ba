"""How a case's clock reads to staff, for the case page and the API's case detail: the four
milestones with their marks (extended, paused) and whether the calendar behind each due time
is confirmed.

A due time is unconfirmed when a year its period crosses (from the report, or from the start
of the period it belongs to, to the due time itself) has no confirmed holiday arrangement
(clock.calendar.span_confirmed): it was counted on weekends only and may move once an
administrator enters the year. It is shown with UNCONFIRMED_NOTE.
"""

from datetime import datetime

from zongzhi.cases import deadlines
from zongzhi.cases.choices import Milestone
from zongzhi.cases.models import Case
from zongzhi.clock.calendar import confirmed_years, last_day_of, local_date
from zongzhi.clock.models import Extension, RequestState

UNCONFIRMED_NOTE = "（日历未确认，按周末计算）"


def span_is_confirmed(start: datetime | None, due: datetime | None, years: set[int]) -> bool:
    """calendar.span_confirmed with the confirmed years read once (`years`); a due time
    without a start checks its own year."""
    if due is None:
        return True
    first = local_date(start).year if start is not None else last_day_of(due).year
    return set(range(first, last_day_of(due).year + 1)) <= years


def milestone_rows(case: Case, now: datetime) -> list[dict]:
    """cases.deadlines.milestone_state with the clock's marks: `calendar_confirmed` (the
    calendar of its period is confirmed) with its `calendar_note`, `extension` (the approved
    extension of this round, if any) and `paused` (the clock is paused)."""
    years = confirmed_years()
    approved = {
        e.milestone: e
        for e in Extension.objects.filter(
            case=case, round=case.reopen_count, state=RequestState.APPROVED
        )
    }
    paused = deadlines.is_paused(case)
    rows = []
    for row in deadlines.milestone_state(case, now):
        milestone = Milestone(row["milestone"])
        confirmed = row["done"] is not None or span_is_confirmed(
            case.reported_at, row["due"], years
        )
        rows.append(
            {
                **row,
                "calendar_confirmed": confirmed,
                "calendar_note": "" if confirmed else UNCONFIRMED_NOTE,
                "extension": approved.get(milestone.value),
                "paused": paused and row["done"] is None,
            }
        )
    return rows


def due_note(start: datetime | None, due: datetime | None) -> str:
    """UNCONFIRMED_NOTE when the calendar of the period from `start` to `due` is unconfirmed,
    else "" (for any other due time shown on the case page)."""
    return "" if span_is_confirmed(start, due, confirmed_years()) else UNCONFIRMED_NOTE
