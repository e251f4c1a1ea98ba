"""Fixed-window rate limits kept in the database, so that every app server shares them.

One statement per check: an UPSERT that bumps the window's counter and returns it, atomic on
SQLite and PostgreSQL alike, so concurrent requests on several servers cannot slip past.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from zongzhi.intake.models import RateCounter
from zongzhi.privacy.crypto import purpose_hash


@dataclass(frozen=True)
class Rate:
    """`limit` requests per window of `seconds`; with `local_day`, the window is the calendar
    day in settings.TIME_ZONE (Beijing: midnight to midnight), whatever `seconds` says."""

    limit: int
    seconds: int
    local_day: bool = False

    def window(self, now: float) -> tuple[int, int]:
        """The start and end (seconds since the epoch) of the window `now` falls in."""
        if self.local_day:
            local = datetime.fromtimestamp(now, ZoneInfo(settings.TIME_ZONE))
            start = local.replace(hour=0, minute=0, second=0, microsecond=0)
            end = start + timedelta(days=1)  # wall-clock arithmetic: the next midnight
            return int(start.timestamp()), int(end.timestamp())
        start = int(now // self.seconds) * self.seconds
        return start, start + self.seconds


class RateLimited(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _key(scope: str, subject: str) -> str:
    # Subjects are IPs, phone numbers and query codes: keep only a keyed digest in the table
    # (a plain SHA-256 of a phone number is reversed by trying the 10^10 numbers).
    return scope + ":" + purpose_hash("zongzhi-rate-limit", subject)[:40]


def hit(scope: str, subject: str, rate: Rate, *, now: float | None = None) -> int:
    """Count one request of `subject` in `scope` and return the count in this window."""
    now = time.time() if now is None else now
    window, _ = rate.window(now)
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
        retry_after = max(rate.window(now)[1] - int(now), 1)
        raise RateLimited(message, retry_after)


def purge_old_windows(older_than_seconds: int = 86400) -> int:
    """Delete counters of windows that ended long ago; run periodically."""
    cutoff = int(time.time()) - older_than_seconds
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
