"""Two hand-overs of one case at once on PostgreSQL: exactly one happens."""

import threading

import pytest
from django.db import connection

from zongzhi.dispatch import key_cases
from zongzhi.dispatch.models import Duty, KeyCase
from zongzhi.dispatch.models.duties import KeyReason
from zongzhi.testing.factories import county_world, make_case, three_people_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: no concurrent hand-overs"
)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_hand_overs_make_one():
    world = county_world()
    three_people_for(world.east, world.county)
    case = make_case(world.east.grid, world.east.clerk)
    start = threading.Barrier(2)
    results, errors = [], []

    def hand_over(reason):
        try:
            start.wait()
            results.append(key_cases.make_key(case, reason=reason, note="并发"))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=hand_over, args=(reason,))
        for reason in (KeyReason.RISK_SIGNAL, KeyReason.LEADER)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert KeyCase.objects.filter(case=case).count() == 1
    assert Duty.objects.filter(case=case).count() == 4
    assert case.events.filter(kind="key_case_handed").count() == 1
