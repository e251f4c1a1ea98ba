"""A small scheduler: enqueues each periodic job when its interval has passed, and runs again
any task whose worker died under it.

Safe to run on several machines at once: a job is claimed by a conditional UPDATE of its
row, which only one scheduler can win for a given interval, and the claim commits together
with the enqueued task (django-tasks-db inserts the task inside the caller's transaction):
a scheduler that dies between the two leaves the job unclaimed, so the next run enqueues it.

A worker killed while running a task leaves its row RUNNING for ever (django-tasks-db has no
retries). `requeue_stale_tasks` marks a task RUNNING past `TASK_TIMEOUT_SECONDS` as failed
and enqueues it again in the same transaction; the conditional UPDATE on its status lets
only one scheduler do so. A task that was only slow then runs twice, which every task here
tolerates: each re-derives its work from the tables.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import Q
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zongzhi.jobs import tasks
from zongzhi.jobs.models import PeriodicJob

logger = logging.getLogger(__name__)
TIMED_OUT = "zongzhi.jobs.scheduler.TaskTimedOut"


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: Task


SCHEDULE = [
    Periodic("purge_rate_counters", timedelta(hours=1), tasks.purge_rate_counters),
    Periodic("purge_expired_sessions", timedelta(days=1), tasks.purge_expired_sessions),
    Periodic("settle_staged_files", timedelta(minutes=15), tasks.settle_staged_files),
    Periodic("repair_case_paths", timedelta(hours=1), tasks.repair_case_paths),
    Periodic("deliver_due_messages", timedelta(minutes=1), tasks.deliver_due_messages),
    Periodic("sweep_deadlines", timedelta(minutes=1), tasks.sweep_deadlines),
]


def run_due_jobs(now: datetime | None = None, schedule: list[Periodic] = SCHEDULE) -> list[str]:
    """Run lost tasks again, then enqueue every job whose interval has passed.

    Returns the names of the jobs enqueued. A job whose enqueueing fails is logged and left
    unclaimed (its claim is rolled back with it); the other jobs go on.
    """
    now = now or timezone.now()
    requeue_stale_tasks(now)
    enqueued = []
    for job in schedule:
        PeriodicJob.objects.get_or_create(name=job.name)
        try:
            with transaction.atomic():
                claimed = (
                    PeriodicJob.objects.filter(name=job.name)
                    .filter(
                        Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - job.every)
                    )
                    .update(last_enqueued_at=now)
                )
                if claimed:
                    job.task.enqueue()
        except Exception:
            logger.exception("could not enqueue periodic job %s; it stays due", job.name)
            continue
        if claimed:
            enqueued.append(job.name)
    return enqueued


def requeue_stale_tasks(now: datetime | None = None, timeout: timedelta | None = None) -> int:
    """Fail every task RUNNING for longer than `timeout` and enqueue it again, once.

    Returns how many tasks were enqueued again. A task whose function no longer exists is
    only marked failed.
    """
    now = now or timezone.now()
    timeout = timeout or timedelta(seconds=settings.TASK_TIMEOUT_SECONDS)
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lte=now - timeout
    )
    requeued = 0
    for result in stale:
        try:
            task = result.task
        except (ImportError, SuspiciousOperation):  # its function is gone: fail it only
            task = None
        with transaction.atomic():
            # Only one scheduler wins this UPDATE; the other finds the row no longer RUNNING.
            won = stale.filter(pk=result.pk).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=TIMED_OUT,
                traceback=(
                    f"RUNNING since {result.started_at.isoformat()}, longer than the "
                    f"time-out of {timeout}: presumed lost with its worker"
                    + ("; enqueued again" if task else "; its task no longer exists")
                ),
            )
            if not won or task is None:
                continue
            again = task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        logger.warning(
            "task %s (%s) timed out; enqueued again as %s", result.pk, result.task_path, again.id
        )
        requeued += 1
    return requeued
