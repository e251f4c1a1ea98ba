"""Abuse limits of the public endpoints (JSON API and Open311), in one place."""

from zongzhi.intake.ratelimit import Rate

# Filing reports: per client IP (a QR code page), per phone number, per Open311 client.
REPORT_PER_IP = Rate(20, 3600)
REPORT_PER_PHONE = Rate(5, 3600)
OPEN311_POST_PER_CLIENT = Rate(600, 3600)
# Looking a case up by query code + phone digits: tight, to stop guessing.
LOOKUP_PER_IP = Rate(10, 600)
TOKEN_LOOKUP_PER_IP = Rate(30, 600)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# A JSON report is a few kilobytes; anything far beyond is refused before it is parsed.
MAX_JSON_BYTES = 64 * 1024
# Open311 allows descriptions of 4,000 characters; the case keeps 2,000 (intake's limit).
MAX_FIELD_CHARS = 200

REPORT_LIMIT_MESSAGE = "提交过于频繁，请稍后再试。如情况紧急，请拨打12345或前往综治中心窗口。"
PHONE_LIMIT_MESSAGE = "该手机号提交过于频繁，请稍后再试。"
LOOKUP_LIMIT_MESSAGE = "查询次数过多，请10分钟后再试。"


def client_ip(request) -> str:
    """The peer address. Behind a reverse proxy, set it from the proxy's header there
    (e.g. nginx real_ip), not here, so that a client cannot forge it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
