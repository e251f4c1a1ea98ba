"""Office hours of the centres: when the office is open, and delays counted in working hours.

A working day (per the one calendar, 调休 included) has one office window, from
ZONGZHI_OFFICE_OPENS to ZONGZHI_OFFICE_CLOSES Asia/Shanghai (08:30–17:30 by default);
outside it, and all day on a non-working day, the office is closed and the duty roster
(节假日值班表) answers for urgent cases.
"""

from datetime import datetime, time, timedelta

from django.conf import settings

from zongzhi.clock.calendar import SHANGHAI, WorkingDayCalendar, local_date


def office_hours() -> tuple[time, time]:
    """The opening and closing times of a working day."""
    return time.fromisoformat(settings.ZONGZHI_OFFICE_OPENS), time.fromisoformat(
        settings.ZONGZHI_OFFICE_CLOSES
    )


def is_office_open(at: datetime, calendar: WorkingDayCalendar) -> bool:
    """Whether `at` falls within office hours of a working day of `calendar`."""
    opens, closes = office_hours()
    local = at.astimezone(SHANGHAI)
    return calendar.is_working_day(local.date()) and opens <= local.time() < closes


def add_working_hours(start: datetime, hours: float, calendar: WorkingDayCalendar) -> datetime:
    """The moment `hours` of office time have passed after `start` (office time only counts:
    evenings, weekends and holidays do not)."""
    opens, closes = office_hours()
    left = timedelta(hours=hours)
    day = local_date(start)
    cursor = start
    for _ in range(3660):  # ten years of days: a bound, never reached by a sane rule
        if calendar.is_working_day(day):
            window_start = datetime.combine(day, opens, tzinfo=SHANGHAI)
            window_end = datetime.combine(day, closes, tzinfo=SHANGHAI)
            begin = max(cursor, window_start)
            if begin < window_end:
                if begin + left <= window_end:
                    return begin + left
                left -= window_end - begin
        day += timedelta(days=1)
    raise ValueError("working hours beyond the calendar")
