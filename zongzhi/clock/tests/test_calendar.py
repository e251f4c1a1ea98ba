"""The working-day calendar over the official 2025 and 2026 holiday arrangements.

The expectations are typed from the State Council's notices, not read from the package:
- 2025 (国办发明电〔2024〕12号): 元旦 1 Jan; 春节 28 Jan–4 Feb, work Sun 26 Jan and Sat 8 Feb;
  清明 4–6 Apr; 劳动节 1–5 May, work Sun 27 Apr; 端午 31 May–2 Jun; 国庆节中秋节 1–8 Oct,
  work Sun 28 Sep and Sat 11 Oct.
- 2026 (国办发明电〔2025〕7号): 元旦 1–3 Jan, work Sun 4 Jan; 春节 15–23 Feb, work Sat 14 Feb and
  Sat 28 Feb; 清明 4–6 Apr; 劳动节 1–5 May, work Sat 9 May; 端午 19–21 Jun; 中秋 25–27 Sep;
  国庆节 1–7 Oct, work Sun 20 Sep and Sat 10 Oct.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zongzhi.clock import calendar
from zongzhi.clock.models import CalendarYear, DayKind, SpecialDay

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# (holiday period, make-up working days) per the notices above.
OFFICIAL = [
    ((date(2025, 1, 1), date(2025, 1, 1)), []),
    ((date(2025, 1, 28), date(2025, 2, 4)), [date(2025, 1, 26), date(2025, 2, 8)]),
    ((date(2025, 4, 4), date(2025, 4, 6)), []),
    ((date(2025, 5, 1), date(2025, 5, 5)), [date(2025, 4, 27)]),
    ((date(2025, 5, 31), date(2025, 6, 2)), []),
    ((date(2025, 10, 1), date(2025, 10, 8)), [date(2025, 9, 28), date(2025, 10, 11)]),
    ((date(2026, 1, 1), date(2026, 1, 3)), [date(2026, 1, 4)]),
    ((date(2026, 2, 15), date(2026, 2, 23)), [date(2026, 2, 14), date(2026, 2, 28)]),
    ((date(2026, 4, 4), date(2026, 4, 6)), []),
    ((date(2026, 5, 1), date(2026, 5, 5)), [date(2026, 5, 9)]),
    ((date(2026, 6, 19), date(2026, 6, 21)), []),
    ((date(2026, 9, 25), date(2026, 9, 27)), []),
    ((date(2026, 10, 1), date(2026, 10, 7)), [date(2026, 9, 20), date(2026, 10, 10)]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("period", "makeup"), OFFICIAL, ids=lambda v: str(v))
def test_every_holiday_is_off_and_every_makeup_day_is_worked(period, makeup):
    for day in days(*period):
        assert not calendar.is_working_day(day), day
    for day in makeup:
        assert day.weekday() >= 5 and calendar.is_working_day(day), day
    # The day after the period is an ordinary day (a weekday works, a weekend rests).
    after = period[1] + timedelta(1)
    assert calendar.is_working_day(after) == (after.weekday() < 5 or after in makeup)


# A report at 10:00 on the last working day before each holiday, and the accept due time: the
# end of the first working day after it (a make-up Saturday counts).
ACCEPT_OVER_HOLIDAYS = [
    (at(2024, 12, 31, 10), at(2025, 1, 3)),  # 元旦 2025 → Thu 2 Jan
    (at(2025, 1, 27, 10), at(2025, 2, 6)),  # 春节 2025 → Wed 5 Feb
    (at(2025, 4, 3, 10), at(2025, 4, 8)),  # 清明 2025 → Mon 7 Apr
    (at(2025, 4, 30, 10), at(2025, 5, 7)),  # 劳动节 2025 → Tue 6 May
    (at(2025, 5, 30, 10), at(2025, 6, 4)),  # 端午 2025 → Tue 3 Jun
    (at(2025, 9, 30, 10), at(2025, 10, 10)),  # 国庆 2025 → Thu 9 Oct
    (at(2025, 10, 10, 10), at(2025, 10, 12)),  # → make-up Sat 11 Oct
    (at(2025, 12, 31, 10), at(2026, 1, 5)),  # 元旦 2026 → make-up Sun 4 Jan
    (at(2026, 2, 13, 10), at(2026, 2, 15)),  # → make-up Sat 14 Feb
    (at(2026, 2, 14, 10), at(2026, 2, 25)),  # 春节 2026 → Tue 24 Feb
    (at(2026, 4, 3, 10), at(2026, 4, 8)),  # 清明 2026 → Tue 7 Apr
    (at(2026, 4, 30, 10), at(2026, 5, 7)),  # 劳动节 2026 → Wed 6 May
    (at(2026, 6, 18, 10), at(2026, 6, 23)),  # 端午 2026 → Mon 22 Jun
    (at(2026, 9, 19, 10), at(2026, 9, 21)),  # → make-up Sun 20 Sep
    (at(2026, 9, 24, 10), at(2026, 9, 29)),  # 中秋 2026 → Mon 28 Sep
    (at(2026, 9, 30, 10), at(2026, 10, 9)),  # 国庆 2026 → Thu 8 Oct
]


@pytest.mark.django_db
@pytest.mark.parametrize(("reported", "due"), ACCEPT_OVER_HOLIDAYS, ids=lambda v: str(v))
def test_one_working_day_over_each_holiday(reported, due):
    assert calendar.add_working_days(reported, 1) == due


@pytest.mark.django_db
def test_the_report_day_never_counts_whatever_the_hour():
    # 23:59 and 00:00 of Tue 10 March 2026 give the same due times; 00:00 of the 11th starts
    # a new report day.
    for reported in (at(2026, 3, 10, 0, 0), at(2026, 3, 10, 23, 59)):
        assert calendar.add_working_days(reported, 1) == at(2026, 3, 12)
        assert calendar.add_working_days(reported, 3) == at(2026, 3, 14)
    assert calendar.add_working_days(at(2026, 3, 11), 1) == at(2026, 3, 13)
    # A report in UTC is dated in Shanghai: 16:30 UTC on the 10th is 00:30 on the 11th.
    utc = datetime(2026, 3, 10, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert calendar.add_working_days(utc, 1) == at(2026, 3, 13)


@pytest.mark.django_db
def test_a_report_on_friday_night_is_due_after_the_weekend():
    assert calendar.add_working_days(at(2026, 3, 13, 23, 59), 1) == at(2026, 3, 17)
    assert calendar.add_working_days(at(2026, 3, 14, 12), 1) == at(2026, 3, 17)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        # 30 days from 1 Sep 2026 end on 1 Oct (国庆): moved to Thu 8 Oct.
        (at(2026, 9, 1, 15), 30, at(2026, 10, 9)),
        # Ending on the make-up Saturday 10 Oct 2026: a working day, not moved.
        (at(2026, 9, 10, 9), 30, at(2026, 10, 11)),
        # Ending on an ordinary Sunday (15 Mar 2026): moved to Monday.
        (at(2026, 2, 13, 9), 30, at(2026, 3, 17)),
        # Ending inside 春节 2026 (20 Feb): moved to Tue 24 Feb.
        (at(2026, 1, 21, 9), 30, at(2026, 2, 25)),
        # Ending on an ordinary Wednesday: natural days, holidays inside do not matter.
        (at(2026, 1, 21, 9), 35, at(2026, 2, 26)),
    ],
)
def test_legal_periods_count_natural_days_and_move_only_off_a_holiday(start, n, end):
    assert calendar.legal_period_end(start, n) == end


@pytest.mark.django_db
def test_natural_hours_run_through_the_holiday_night():
    night = at(2026, 10, 1, 23, 30)
    assert calendar.add_natural_hours(night, 2) == at(2026, 10, 2, 1, 30)


@pytest.mark.django_db
def test_a_place_override_applies_to_its_subtree_only(world):
    # A local holiday of the east township on Wed 11 March 2026, and a national holiday
    # (6 April, 清明) the west township works instead.
    SpecialDay.objects.create(date=date(2026, 3, 11), kind=DayKind.HOLIDAY, place=world.east.place)
    SpecialDay.objects.create(date=date(2026, 4, 6), kind=DayKind.WORKDAY, place=world.west.place)
    tuesday = at(2026, 3, 10, 10)
    assert calendar.add_working_days(tuesday, 1, place=world.east.village) == at(2026, 3, 13)
    assert calendar.add_working_days(tuesday, 1, place=world.west.village) == at(2026, 3, 12)
    assert calendar.add_working_days(tuesday, 1) == at(2026, 3, 12)
    assert calendar.is_working_day(date(2026, 4, 6), place=world.west.grid)
    assert not calendar.is_working_day(date(2026, 4, 6), place=world.east.grid)
    assert not calendar.is_working_day(date(2026, 4, 6))


@pytest.mark.django_db
def test_an_unconfirmed_year_counts_weekends_only_until_entered():
    reported = at(2026, 12, 31, 10)  # Thursday; 2027 is not in the package
    due = calendar.add_working_days(reported, 1)
    assert due == at(2027, 1, 2)  # Fri 1 Jan 2027 counted as a working day
    assert calendar.is_confirmed(at(2026, 12, 31, 10)) and calendar.is_confirmed(at(2027, 1, 1))
    assert not calendar.is_confirmed(due) and not calendar.span_confirmed(reported, due)
    # The administrator enters 2027's New Year's Day and confirms the year.
    SpecialDay.objects.create(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    CalendarYear.objects.create(year=2027, confirmed=True)
    due = calendar.add_working_days(reported, 1)
    assert due == at(2027, 1, 5)
    assert calendar.is_confirmed(due) and calendar.span_confirmed(reported, due)


@pytest.mark.django_db
def test_administrators_are_reminded_of_next_year_from_november():
    assert calendar.missing_years(date(2026, 10, 31)) == []
    assert calendar.missing_years(date(2026, 11, 1)) == [2027]
    assert calendar.missing_years(date(2027, 2, 1)) == [2027]
    CalendarYear.objects.create(year=2027, confirmed=False)
    assert calendar.missing_years(date(2026, 12, 1)) == [2027]
    CalendarYear.objects.filter(year=2027).update(confirmed=True)
    assert calendar.missing_years(date(2026, 12, 1)) == []


def test_a_period_is_at_least_one_working_day():
    with pytest.raises(ValueError):
        calendar.add_working_days(at(2026, 3, 10), 0)


def test_a_due_time_at_the_end_of_a_day_is_written_24_00():
    from zongzhi.clock.calendar import due_label

    assert due_label(datetime(2026, 2, 14, 0, 0, tzinfo=SHANGHAI)) == "2026-02-13 24:00"
    assert due_label(datetime(2026, 2, 13, 15, 30, tzinfo=SHANGHAI)) == "2026-02-13 15:30"
    assert due_label(None) == "—"
