"""Two sweeps at once on PostgreSQL (real threads, each with its own connection): every step
is taken exactly once. SQLite has one writer, so these run on PostgreSQL only
(scripts/with-postgres .venv/bin/pytest zongzhi/clock/tests)."""

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.query import QuerySet

from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.clock import escalation
from zongzhi.clock.models import EscalationRule, SweepStep
from zongzhi.clock.sweep import sweep
from zongzhi.testing.factories import county_world, make_case

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has one writer: no concurrent sweeps"
    ),
    pytest.mark.django_db(transaction=True),
]
SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORTED = datetime(2026, 3, 11, 10, tzinfo=SHANGHAI)
SWEPT = datetime(2026, 3, 13, 1, tzinfo=SHANGHAI)  # every accept milestone overdue


def run_together(work, count=2) -> tuple[list, list]:
    start = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(work())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def slow_claims(monkeypatch):
    real = escalation.claim

    def claim(*args):
        taken = real(*args)
        time.sleep(0.01)  # hold the uncommitted row while the other sweep tries the same
        return taken

    monkeypatch.setattr(escalation, "claim", claim)


def make_due_cases(n: int) -> list[Case]:
    EscalationRule.objects.all().delete()
    world = county_world()
    return [make_case(world.east.village, world.east.clerk, now=REPORTED) for _ in range(n)]


def assert_once_each(cases):
    per_case = CaseEvent.objects.filter(kind="overdue").values("case").annotate(n=Count("id"))
    assert sorted((row["case"], row["n"]) for row in per_case) == [(c.pk, 1) for c in cases]
    assert SweepStep.objects.count() == len(cases)


def test_two_sweeps_share_the_work_and_take_each_step_once(monkeypatch):
    cases = make_due_cases(30)
    slow_claims(monkeypatch)
    results, errors = run_together(lambda: sweep(SWEPT, batch_size=4))
    assert errors == []
    assert sum(r.overdue for r in results) == 30 and sum(r.failed for r in results) == 0
    assert_once_each(cases)


def test_the_unique_key_decides_even_when_both_sweeps_take_the_same_rows(monkeypatch):
    cases = make_due_cases(12)
    slow_claims(monkeypatch)
    # Without row locks both sweeps read every due case and try every step.
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, **kwargs: self)
    results, errors = run_together(lambda: sweep(SWEPT, batch_size=100))
    assert errors == []
    assert sum(r.overdue for r in results) == 12
    assert_once_each(cases)


def test_two_confirmations_of_a_signal_at_once_raise_the_case_once(monkeypatch):
    (case,) = make_due_cases(1)
    slow_claims(monkeypatch)
    results, errors = run_together(lambda: escalation.raise_for_signal(case, "violence"))
    assert errors == []
    assert sorted(result is None for result in results) == [False, True]
    case.refresh_from_db()
    assert case.risk == RiskGrade.HIGH and case.clock_version == 2
    assert case.events.filter(kind="risk_signal").count() == 1
