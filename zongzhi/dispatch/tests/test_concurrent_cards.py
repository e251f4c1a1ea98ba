"""Two escalation sweeps issue the same card at once on PostgreSQL: one card, one deadline,
one timeline event, and both get that card back."""

import threading

import pytest
from django.db import connection

from zongzhi.clock.models import Deadline
from zongzhi.dispatch import cards
from zongzhi.dispatch.models.cards import SupervisionCard
from zongzhi.testing.factories import county_world, make_case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: no concurrent issues"
)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_issue_one_card_per_source():
    world = county_world()
    case = make_case(world.east.village, world.east.clerk)
    start = threading.Barrier(4)
    results, errors = [], []

    def sweep(source: str):
        try:
            start.wait()
            card = cards.issue_card(case, by=None, grade="red", text="超期自动督办", source=source)
            results.append((source, card.pk))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(f"sweep:{n % 2}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SupervisionCard.objects.filter(case=case).count() == 2
    assert Deadline.objects.filter(case=case).count() == 2
    assert case.events.filter(kind="card_issued").count() == 2
    by_source = {}
    for source, card_id in results:
        by_source.setdefault(source, set()).add(card_id)
    assert {source: len(ids) for source, ids in by_source.items()} == {"sweep:0": 1, "sweep:1": 1}
