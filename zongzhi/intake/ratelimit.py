"""Fixed-window rate limits kept in the database, so that every app server shares them.

One statement per check: an UPSERT that bumps the window's counter and returns it, atomic on
SQLite and PostgreSQL alike, so concurrent requests on several servers cannot slip past.
"""

import hashlib
import time
from dataclasses import dataclass

from django.db import connection

from zongzhi.intake.models import RateCounter


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


class RateLimited(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _key(scope: str, subject: str) -> str:
    # Subjects are IPs and phone numbers: keep only a digest in the table.
    return scope + ":" + hashlib.sha256(subject.encode()).hexdigest()[:40]


def hit(scope: str, subject: str, rate: Rate, *, now: float | None = None) -> int:
    """Count one request of `subject` in `scope` and return the count in this window."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds) * rate.seconds
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, hits) VALUES (%s, %s, 1) "
            "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = "
            f"{table}.hits + 1 RETURNING hits",
            [_key(scope, subject), window],
        )
        return cursor.fetchone()[0]


def check(scope: str, subject: str, rate: Rate, message: str, *, now: float | None = None):
    """Count the request and raise RateLimited (with a Chinese message) over the limit."""
    now = time.time() if now is None else now
    if hit(scope, subject, rate, now=now) > rate.limit:
        retry_after = rate.seconds - int(now % rate.seconds)
        raise RateLimited(message, retry_after)


def purge_old_windows(older_than_seconds: int = 86400) -> int:
    """Delete counters of windows that ended long ago; run periodically."""
    cutoff = int(time.time()) - older_than_seconds
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
