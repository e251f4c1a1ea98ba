"""Rate-limit windows and keys: a phone's day is the Beijing day; keys are keyed digests."""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zongzhi.intake import limits, ratelimit
from zongzhi.intake.models import RateCounter

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING).timestamp()


def hit_phone(now: float) -> None:
    ratelimit.check(
        limits.SCOPE_REPORT_PHONE,
        "13987654321",
        limits.REPORT_PER_PHONE,
        limits.PHONE_LIMIT_MESSAGE,
        now=now,
    )


def test_the_phone_day_ends_at_beijing_midnight():
    for _ in range(limits.REPORT_PER_PHONE.limit):
        hit_phone(at("2026-11-29T23:00:00"))
    with pytest.raises(ratelimit.RateLimited) as limited:
        hit_phone(at("2026-11-29T23:59:59"))
    assert limited.value.retry_after == 1  # until midnight, not a rolling 24 hours
    hit_phone(at("2026-11-30T00:00:00"))  # a new Beijing day: allowed again


def test_one_beijing_day_is_one_window_across_utc_midnight():
    # 07:00 and 09:00 in Beijing lie on both sides of UTC midnight: still the same day.
    for _ in range(limits.REPORT_PER_PHONE.limit):
        hit_phone(at("2026-11-30T07:00:00"))
    with pytest.raises(ratelimit.RateLimited) as limited:
        hit_phone(at("2026-11-30T09:00:00"))
    assert limited.value.retry_after == 15 * 3600
    (counter,) = RateCounter.objects.all()
    assert counter.window_start == int(at("2026-11-30T00:00:00"))


def test_short_windows_stay_fixed_windows():
    rate = ratelimit.Rate(1, 600)
    assert rate.window(1200.0) == (1200, 1800)
    assert rate.window(1799.0) == (1200, 1800)


def test_counter_keys_are_keyed_digests(settings):
    settings.HASH_KEY = "key-a"
    ratelimit.hit(limits.SCOPE_REPORT_PHONE, "13987654321", limits.REPORT_PER_PHONE)
    bucket = RateCounter.objects.get().bucket
    plain = hashlib.sha256(b"13987654321").hexdigest()[:40]
    assert bucket.startswith("report-phone:") and plain not in bucket
    settings.HASH_KEY = "key-b"
    assert ratelimit._key(limits.SCOPE_REPORT_PHONE, "13987654321") != bucket
