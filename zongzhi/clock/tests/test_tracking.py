"""Deadlines of things on a case, kept in one table (zongzhi.clock.tracking)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zongzhi.clock import tracking
from zongzhi.clock.models import Deadline
from zongzhi.clock.tracking import DeadlineState, state_of
from zongzhi.testing.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world.east.village)


def test_a_deadline_goes_from_pending_to_warning_to_late_and_met_late(case):
    now = timezone.now()
    d = tracking.open_deadline(
        case,
        kind="test.thing",
        label="报到",
        due_at=now + timedelta(hours=4),
        warn_at=now + timedelta(hours=2),
        now=now,
    )
    assert state_of(d, now) == DeadlineState.PENDING
    assert state_of(d, now + timedelta(hours=3)) == DeadlineState.WARNING
    assert state_of(d, now + timedelta(hours=5)) == DeadlineState.LATE
    assert Deadline.objects.filter(tracking.late_q(now + timedelta(hours=5))).get() == d
    tracking.meet_deadline(d, now + timedelta(hours=5))
    assert state_of(d, now + timedelta(hours=6)) == DeadlineState.MET_LATE
    assert tracking.is_late(d)
    assert not Deadline.objects.filter(tracking.late_q(now + timedelta(hours=6))).exists()


def test_met_in_time_moved_and_cancelled(case):
    now = timezone.now()
    d = tracking.open_deadline(case, kind="t", label="反馈", due_at=now + timedelta(days=1))
    tracking.move_deadline(d, now + timedelta(days=2))
    d.refresh_from_db()
    assert d.version == 2
    tracking.meet_deadline(d, now + timedelta(days=1, hours=12))
    assert state_of(d) == DeadlineState.MET
    tracking.cancel_deadline(d)  # a met deadline stays met
    assert state_of(d) == DeadlineState.MET
    other = tracking.open_deadline(case, kind="t", label="x", due_at=now - timedelta(hours=1))
    tracking.cancel_deadline(other)
    assert state_of(other) == DeadlineState.CANCELLED
    assert not Deadline.objects.filter(tracking.late_q(now)).exists()


def test_a_deadline_cannot_warn_after_it_is_due(case):
    now = timezone.now()
    with pytest.raises(ValueError):
        tracking.open_deadline(
            case, kind="t", label="x", due_at=now, warn_at=now + timedelta(hours=1)
        )
