"""A small scheduler: enqueues each periodic job when its interval has passed.

Safe to run on several machines at once: a job is claimed by a conditional UPDATE of its
row, which only one scheduler can win for a given interval.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.tasks import Task
from django.utils import timezone

from zongzhi.jobs import tasks
from zongzhi.jobs.models import PeriodicJob


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: Task


SCHEDULE = [
    Periodic("purge_rate_counters", timedelta(hours=1), tasks.purge_rate_counters),
    Periodic("purge_expired_sessions", timedelta(days=1), tasks.purge_expired_sessions),
    Periodic("settle_staged_files", timedelta(minutes=15), tasks.settle_staged_files),
]


def run_due_jobs(now: datetime | None = None, schedule: list[Periodic] = SCHEDULE) -> list[str]:
    """Enqueue every job whose interval has passed; return the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in schedule:
        PeriodicJob.objects.get_or_create(name=job.name)
        claimed = (
            PeriodicJob.objects.filter(name=job.name)
            .filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - job.every))
            .update(last_enqueued_at=now)
        )
        if claimed:
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued
