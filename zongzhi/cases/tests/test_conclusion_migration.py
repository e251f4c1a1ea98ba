"""The data migration that split the old resolved_at into concluded_at and resolved_at."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps

from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.models import Case
from zongzhi.testing.factories import make_case

migration = importlib.import_module("zongzhi.cases.migrations.0005_fill_concluded_at")
REPORTED = datetime(2026, 3, 2, 16, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def old_style(case: Case, outcome: Outcome, at: datetime) -> None:
    """How the services left a concluded case before: resolved_at set for both outcomes, and
    a warning 72 hours before closing."""
    Case.objects.filter(pk=case.pk).update(
        status=Status.FOLLOW_UP,
        outcome=outcome,
        accepted_at=at,
        parties_met_at=at,
        resolved_at=at,
        concluded_at=None,
        next_due_at=case.close_due_at,
        warn_at=case.close_due_at - timedelta(hours=72),
    )


def test_existing_conclusions_are_split(world):
    resolved = make_case(world.east.village, world.east.clerk, now=REPORTED)
    unresolved = make_case(world.east.village, world.east.clerk, now=REPORTED)
    untouched = make_case(world.east.village, world.east.clerk, now=REPORTED)
    at = REPORTED + timedelta(days=2)
    old_style(resolved, Outcome.RESOLVED, at)
    old_style(unresolved, Outcome.UNRESOLVED, at)

    migration.split_conclusion(apps, None)

    for case in (resolved, unresolved, untouched):
        case.refresh_from_db()
    assert resolved.concluded_at == resolved.resolved_at == at
    assert unresolved.concluded_at == at and unresolved.resolved_at is None
    assert resolved.warn_at is None and unresolved.warn_at is None
    assert untouched.concluded_at is None and untouched.warn_at is not None
