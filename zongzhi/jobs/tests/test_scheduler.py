import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from zongzhi.intake import ratelimit
from zongzhi.intake.models import RateCounter
from zongzhi.jobs.scheduler import SCHEDULE, run_due_jobs

NOW = datetime(2026, 11, 22, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_each_job_is_enqueued_once_per_interval(db):
    assert run_due_jobs(NOW) == [job.name for job in SCHEDULE]
    assert run_due_jobs(NOW + timedelta(seconds=30)) == []  # a second scheduler: nothing
    assert run_due_jobs(NOW + timedelta(minutes=5)) == ["deliver_due_messages", "sweep_deadlines"]
    assert run_due_jobs(NOW + timedelta(minutes=15)) == [
        "settle_staged_files",
        "deliver_due_messages",
        "sweep_deadlines",
    ]
    assert run_due_jobs(NOW + timedelta(hours=1)) == [
        "purge_rate_counters",
        "settle_staged_files",
        "repair_case_paths",
        "deliver_due_messages",
        "sweep_deadlines",
    ]


def test_purge_rate_counters_runs_through_the_task_backend(db):
    ratelimit.hit("x", "1.2.3.4", ratelimit.Rate(5, 60), now=1000)  # 1970: long gone
    ratelimit.hit("x", "1.2.3.4", ratelimit.Rate(5, 60))
    run_due_jobs(NOW)  # the test settings use the immediate backend
    assert RateCounter.objects.count() == 1


def test_settle_staged_files_runs_through_the_task_backend(db, settings):
    orphan = settings.MEDIA_ROOT / ".staging" / "cases" / "530402" / "1" / "a.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"photo of a person")
    an_hour_ago = time.time() - 3600
    os.utime(orphan, (an_hour_ago, an_hour_ago))
    run_due_jobs(NOW)
    assert not orphan.exists()
