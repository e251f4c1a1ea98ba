"""Load the official holiday arrangement of some years from the `chinesecalendar` package.

The package (updated once a year after the State Council's notice) ships 2004 to its latest
year; a later year is entered by an administrator in the admin. Loading a year replaces its
national rows and marks it confirmed; place overrides are left alone.
"""

from datetime import date

import chinese_calendar
from chinese_calendar import Holiday

CHINESE_NAMES = {holiday.value: holiday.chinese for holiday in Holiday}


def shipped_years() -> range:
    """The years the installed package knows."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def official_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, Chinese name) of every holiday and make-up working day of `year`."""
    if year not in shipped_years():
        raise ValueError(f"chinesecalendar 未收录 {year} 年的节假日安排，请在管理后台录入")
    days = [
        (day, "holiday", CHINESE_NAMES.get(name, name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year
    ]
    days += [
        (day, "workday", CHINESE_NAMES.get(name, name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year
    ]
    return sorted(days)


def seed_years(years, special_day_model, calendar_year_model) -> dict[int, int]:
    """Replace the national rows of each year with the package's and confirm the year.

    Takes the model classes so a data migration can pass its historical models. Returns the
    number of rows loaded per year.
    """
    loaded = {}
    for year in years:
        days = official_days(year)
        special_day_model.objects.filter(date__year=year, place__isnull=True).delete()
        special_day_model.objects.bulk_create(
            special_day_model(date=day, kind=kind, name=name) for day, kind, name in days
        )
        calendar_year_model.objects.update_or_create(
            year=year, defaults={"confirmed": True, "note": "chinesecalendar"}
        )
        loaded[year] = len(days)
    return loaded
