"""The holiday and night duty roster (节假日值班表)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from zongzhi.clock.models import DutyShift
from zongzhi.clock.roster import on_duty

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(d, hh) -> datetime:
    return datetime(2026, 10, d, hh, tzinfo=SHANGHAI)


def test_the_nearest_centre_on_duty_answers(world):
    DutyShift.objects.create(
        centre=world.county, person=world.county_leader, starts_at=at(1, 0), ends_at=at(8, 0)
    )
    DutyShift.objects.create(
        centre=world.east.place, person=world.east.leader, starts_at=at(1, 18), ends_at=at(2, 8)
    )
    assert on_duty(world.east.village, at(1, 22)) == [world.east.leader]
    assert on_duty(world.east.village, at(2, 9)) == [world.county_leader]  # east shift over
    assert on_duty(world.west.village, at(1, 22)) == [world.county_leader]
    assert on_duty(world.west.village, at(8, 0)) == []  # the end is exclusive


def test_a_shift_ends_after_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyShift.objects.create(
            centre=world.county, person=world.county_leader, starts_at=at(2, 8), ends_at=at(1, 8)
        )
