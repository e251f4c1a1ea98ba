"""The one calendar: working days with 调休, natural hours, and legal periods.

Working days (the centres' own deadlines, 13715) are counted as Chinese law counts periods, by
analogy with 民法典 第二百零一条 and 第二百零三条: the day of the start (the report) does not count,
the period begins on the next day, and it ends at 24:00 Asia/Shanghai of the Nth working day
after the start. That end is written as the next day's 00:00 +08:00. A working day is Monday to
Friday unless the calendar lists it as a public holiday (法定节假日), or a Saturday or Sunday the
calendar lists as a make-up working day (调休上班). A report at 00:00 and one at 23:59 of the
same day have the same due times.

Legal periods (30 days to apply for judicial confirmation, arbitration limits) count natural
days from the day after the start; when the last day is not a working day (a holiday or a
weekend; 民事诉讼法 on 期间: 期间届满的最后一日是法定休假日的，
以法定休假日后的第一日为期间届满的日期) the period ends at 24:00 of the next working day.

Urgent cases count natural hours (`add_natural_hours`), around the clock.

The calendar is data (`zongzhi.clock.models`): rows without a place apply everywhere; rows
with a place apply to that place's subtree and win over the national row for the same date. A
year an administrator has not confirmed is still counted (weekends only, plus whatever rows
exist) but `is_confirmed` says so.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zongzhi.clock.models import CalendarYear, DayKind, SpecialDay

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = timedelta(days=1)


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai date of an aware moment."""
    return moment.astimezone(SHANGHAI).date()


def start_of(day: date) -> datetime:
    """00:00 Asia/Shanghai of `day`."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def end_of(day: date) -> datetime:
    """24:00 of `day`, written as the next day's 00:00 +08:00."""
    return start_of(day + DAY)


def last_day_of(due: datetime) -> date:
    """The day a due time falls in; a due time at 00:00 is the end of the day before."""
    return local_date(due - timedelta(microseconds=1))


def due_label(due: datetime | None) -> str:
    """A due time as people write it: the end of a day as "2026-12-03 24:00" (stored as the
    next day's 00:00), any other time as "2026-12-03 15:30"; "—" for none."""
    if due is None:
        return "—"
    local = due.astimezone(SHANGHAI)
    if local.time() == time.min:
        return f"{last_day_of(due):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"


class WorkingDayCalendar:
    """The calendar for cases in `place` (None: national rows only).

    It reads the calendar rows of a year once and keeps them for its own life; make one per
    computation (or per batch), so that an administrator's edit is seen by the next one.
    """

    def __init__(self, place=None) -> None:
        self.place = place
        self._years: dict[int, dict[date, str]] = {}

    def _kinds(self, year: int) -> dict[date, str]:
        if year not in self._years:
            rows = SpecialDay.objects.filter(date__year=year, place__isnull=True)
            kinds = dict(rows.values_list("date", "kind"))
            if self.place is not None:
                local = SpecialDay.objects.filter(
                    date__year=year, place__code__in=self.place.ancestor_codes
                ).order_by("place__level")  # the nearest place's row is applied last and wins
                kinds.update(local.values_list("date", "kind"))
            self._years[year] = kinds
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        kind = self._kinds(day.year).get(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        day += DAY
        while not self.is_working_day(day):
            day += DAY
        return day

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """24:00 of the `days`-th working day after the day of `start` (that day not counted)."""
        if days < 1:
            raise ValueError("a period of working days is at least one day")
        day = local_date(start)
        for _ in range(days):
            day = self.next_working_day(day)
        return end_of(day)

    # The Calendar protocol of zongzhi.cases.deadlines.
    def add_days(self, start: datetime, days: int) -> datetime:
        return self.add_working_days(start, days)

    def start_of_last_working_days(self, due: datetime, days: int) -> datetime:
        """00:00 of the first of the last `days` working days up to `due` (the due day counts
        when it is a working day): the warning (临期) time of a working-day deadline."""
        day = last_day_of(due)
        while not self.is_working_day(day):
            day -= DAY
        for _ in range(days - 1):
            day -= DAY
            while not self.is_working_day(day):
                day -= DAY
        return start_of(day)

    def working_days_between(self, first: date, last: date) -> int:
        """The working days from `first` to `last`, both included (0 when last < first)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += DAY
        return count

    def shift_working_days(self, moment: datetime, days: int, *, day_end: bool = True) -> datetime:
        """`moment` moved `days` working days later, its time of day kept (pauses and
        extensions). A moment at 00:00 is the end of the day before when `day_end` (a due
        time: 24:00 of a working day becomes 24:00 of the Nth working day after it), else
        the start of its own day (a warning time)."""
        if days <= 0:
            return moment
        local = moment.astimezone(SHANGHAI)
        at_day_end = day_end and local.time() == time.min
        day = last_day_of(moment) if at_day_end else local.date()
        for _ in range(days):
            day = self.next_working_day(day)
        if at_day_end:
            return end_of(day)
        return datetime.combine(day, local.time(), tzinfo=SHANGHAI)

    def legal_period_end(self, start: datetime, days: int) -> datetime:
        """End of a legal period of `days` natural days from `start` (see the module doc)."""
        last = local_date(start) + timedelta(days=days)
        if not self.is_working_day(last):
            last = self.next_working_day(last)
        return end_of(last)


def add_working_days(start: datetime, n: int, place=None) -> datetime:
    """End (next day's 00:00 +08:00) of the Nth working day after the day of `start`."""
    return WorkingDayCalendar(place).add_working_days(start, n)


def add_natural_hours(start: datetime, hours: float) -> datetime:
    """`hours` natural hours after `start`, around the clock (urgent cases)."""
    return start + timedelta(hours=hours)


def legal_period_end(start: datetime, days: int, place=None) -> datetime:
    """End of a legal period: natural days, moved to the next working day when the last day is
    a holiday or weekend."""
    return WorkingDayCalendar(place).legal_period_end(start, days)


def is_working_day(day: date, place=None) -> bool:
    """Whether `day` is a working day in `place` (national calendar when None)."""
    return WorkingDayCalendar(place).is_working_day(day)


def confirmed_years() -> set[int]:
    return set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))


def is_confirmed(moment: date | datetime) -> bool:
    """Whether the holiday arrangement of the year of `moment` has been confirmed. For a due
    time pass the due time itself: 00:00 of 1 January is the end of the previous year."""
    day = last_day_of(moment) if isinstance(moment, datetime) else moment
    return day.year in confirmed_years()


def span_confirmed(start: datetime, due: datetime) -> bool:
    """Whether every year a period from `start` to `due` crosses has confirmed data."""
    years = set(range(local_date(start).year, last_day_of(due).year + 1))
    return years <= confirmed_years()


def missing_years(today: date) -> list[int]:
    """The years an administrator should still enter: this year if unconfirmed, and from
    November (when the State Council publishes it) next year if unconfirmed."""
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    known = confirmed_years()
    return [year for year in wanted if year not in known]
