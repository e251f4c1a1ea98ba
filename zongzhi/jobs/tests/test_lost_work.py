"""Work is not lost when a scheduler or a worker dies half-way."""

import threading
import time
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError, connection, connections
from django.tasks import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zongzhi.jobs import tasks
from zongzhi.jobs.models import PeriodicJob
from zongzhi.jobs.scheduler import SCHEDULE, TIMED_OUT, Periodic, requeue_stale_tasks, run_due_jobs

NOW = datetime(2026, 11, 22, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
PURGE = tasks.purge_rate_counters.module_path


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_TIMEOUT_SECONDS = 1800


def running_task(started_at: datetime, task=tasks.purge_rate_counters) -> DBTaskResult:
    """A task claimed by a worker that then died: RUNNING, started at `started_at`."""
    result = task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started_at, worker_ids=["killed"]
    )
    return DBTaskResult.objects.get(pk=result.id)


def ready_rows() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))


def test_a_crash_between_claim_and_enqueue_leaves_the_job_due(db):
    def crash():
        raise OperationalError("the connection dropped after the claim")

    broken = Periodic("purge_rate_counters", timedelta(hours=1), SimpleNamespace(enqueue=crash))
    assert run_due_jobs(NOW, [broken, SCHEDULE[1]]) == ["purge_expired_sessions"]
    assert PeriodicJob.objects.get(name="purge_rate_counters").last_enqueued_at is None
    # The next run (of this scheduler or another) enqueues it.
    assert run_due_jobs(NOW + timedelta(minutes=1), SCHEDULE[:2]) == ["purge_rate_counters"]


def test_a_task_running_past_the_time_out_runs_again_once(db, database_tasks):
    lost = running_task(NOW - timedelta(minutes=31))
    busy = running_task(NOW - timedelta(minutes=29))

    assert run_due_jobs(NOW, schedule=[]) == []
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED and lost.exception_class_path == TIMED_OUT
    assert "enqueued again" in lost.traceback
    again = ready_rows()
    assert [(row.task_path, row.args_kwargs) for row in again] == [(PURGE, lost.args_kwargs)]
    busy.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING  # within its time-out: left alone

    assert requeue_stale_tasks(NOW + timedelta(seconds=30)) == 0  # a second scheduler
    assert ready_rows() == again


def test_a_lost_task_whose_function_is_gone_is_only_failed(db, database_tasks):
    lost = running_task(NOW - timedelta(hours=2))
    DBTaskResult.objects.filter(pk=lost.pk).update(task_path="zongzhi.jobs.tasks.retired_task")
    assert requeue_stale_tasks(NOW) == 0
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED and ready_rows() == []


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_run_a_lost_task_again_exactly_once(database_tasks, monkeypatch):
    """Scheduler A holds the lost task's row between its UPDATE and its enqueue until
    scheduler B is seen waiting for that row's lock; then both finish."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and pg_stat_activity: PostgreSQL only")
    lost = running_task(NOW - timedelta(hours=1))
    a_holds_the_row = threading.Event()
    b_is_waiting = threading.Event()
    real_enqueue = Task.enqueue
    enqueues = []

    def enqueue_slowly(self, *args, **kwargs):
        enqueues.append(threading.current_thread().name)
        if threading.current_thread().name == "A":
            a_holds_the_row.set()
            assert b_is_waiting.wait(timeout=30)
        return real_enqueue(self, *args, **kwargs)

    monkeypatch.setattr(Task, "enqueue", enqueue_slowly)
    counts = {}

    def scheduler():
        try:
            counts[threading.current_thread().name] = requeue_stale_tasks(NOW)
        finally:
            connections.close_all()

    a = threading.Thread(target=scheduler, name="A")
    b = threading.Thread(target=scheduler, name="B")
    a.start()
    assert a_holds_the_row.wait(timeout=30)
    b.start()
    deadline = time.monotonic() + 30
    while not b_is_waiting.is_set() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                b_is_waiting.set()
        time.sleep(0.01)
    assert b_is_waiting.is_set(), "scheduler B never waited for A's row lock"
    a.join(timeout=30)
    b.join(timeout=30)

    assert counts == {"A": 1, "B": 0} and enqueues == ["A"]
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert [row.task_path for row in ready_rows()] == [PURGE]
