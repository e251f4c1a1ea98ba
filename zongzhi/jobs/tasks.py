"""Periodic housekeeping, run by the django-tasks-db worker.

Each task re-derives its work from the tables, so a lost or repeated run loses nothing.
"""

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone

from zongzhi.cases.files import settle_staged
from zongzhi.clock.sweep import sweep
from zongzhi.intake.ratelimit import purge_old_windows
from zongzhi.notify.delivery import deliver_due
from zongzhi.places.services import repair_case_places


@task
def purge_rate_counters() -> int:
    return purge_old_windows()


@task
def settle_staged_files() -> dict:
    """Move committed attachments into place and delete the files of failed submissions."""
    return settle_staged()


@task
def purge_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@task
def repair_case_paths() -> int:
    return repair_case_places()


@task
def deliver_due_messages() -> dict:
    """Send the outbox's due SMS and WeChat messages; stuck ones go back to the queue."""
    return vars(deliver_due())


@task
def sweep_deadlines() -> dict:
    """Reminders, overdue alerts and escalation rules due now, each exactly once."""
    report = sweep()
    return {k: v for k, v in vars(report).items() if k != "lines"}
