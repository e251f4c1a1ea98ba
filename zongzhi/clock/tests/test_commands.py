"""The `due_times` and `seed_calendar` commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zongzhi.clock.models import CalendarYear, SpecialDay


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_due_times_before_spring_festival_2026():
    # Fri 13 Feb 2026: Sat 14 Feb is worked, 15–23 Feb are off, Sat 28 Feb is worked
    # (国办发明电〔2025〕7号).
    assert run("due_times", "--reported-at", "2026-02-13T10:00") == (
        "accept 2026-02-15T00:00:00+08:00\n"  # end of Sat 14 Feb (调休上班)
        "meet 2026-02-26T00:00:00+08:00\n"  # 14, 24, 25 Feb
        "resolve 2026-03-03T00:00:00+08:00\n"  # … 26, 27, Sat 28 Feb, Mon 2 Mar
        "close 2026-03-13T00:00:00+08:00\n"  # … 3–6, 9–12 Mar
    )


@pytest.mark.django_db
def test_due_times_before_national_day_2025():
    # Tue 30 Sep 2025: 1–8 Oct are off, Sat 11 Oct is worked (国办发明电〔2024〕12号).
    assert run("due_times", "--reported-at", "2025-09-30T16:00+08:00") == (
        "accept 2025-10-10T00:00:00+08:00\n"
        "meet 2025-10-12T00:00:00+08:00\n"  # 9, 10, Sat 11 Oct
        "resolve 2025-10-17T00:00:00+08:00\n"  # … 13–16 Oct
        "close 2025-10-29T00:00:00+08:00\n"  # … 17, 20–24, 27–28 Oct
    )


@pytest.mark.django_db
def test_due_times_says_when_a_year_is_not_confirmed():
    err = StringIO()
    call_command("due_times", "--reported-at", "2026-12-28T09:00", stdout=StringIO(), stderr=err)
    assert "尚未确认" in err.getvalue()
    err = StringIO()
    call_command("due_times", "--reported-at", "2026-12-01T09:00", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""


@pytest.mark.django_db
def test_due_times_refuses_a_bad_time():
    with pytest.raises(CommandError, match="时间格式有误"):
        run("due_times", "--reported-at", "13/02/2026")


@pytest.mark.django_db
def test_seed_calendar_reloads_a_year_and_confirms_it():
    SpecialDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    assert run("seed_calendar", "--years", "2025") == "2025: 33\n"
    assert SpecialDay.objects.filter(date__year=2025, kind="holiday").count() == 28
    assert SpecialDay.objects.get(date="2025-10-11").get_kind_display() == "调休上班"
    assert CalendarYear.objects.get(year=2025).confirmed
    run("seed_calendar", "--years", "2025")  # twice: replaced, not doubled
    assert SpecialDay.objects.filter(date__year=2025).count() == 33


@pytest.mark.django_db
def test_seed_calendar_refuses_a_year_the_package_lacks():
    with pytest.raises(CommandError, match="未收录 2031"):
        run("seed_calendar", "--years", "2031")
