"""Abuse limits of every public channel (citizen page, JSON API, Open311), in one place.

The scopes are shared by the channels, so that switching from the page to the API does not
reset a phone's or an address's count.
"""

from zongzhi.intake.ratelimit import Rate

# Filing reports: per client IP (a QR code page), per phone number, per Open311 client.
REPORT_PER_IP = Rate(10, 3600)
REPORT_PER_PHONE = Rate(5, 86400)
OPEN311_POST_PER_CLIENT = Rate(600, 3600)
# Looking a case up by query code + phone digits: tight, to stop guessing.
LOOKUP_PER_IP = Rate(20, 600)
LOOKUP_PER_CODE = Rate(10, 3600)
TOKEN_LOOKUP_PER_IP = Rate(30, 600)

SCOPE_REPORT_IP = "report-ip"
SCOPE_REPORT_PHONE = "report-phone"
SCOPE_LOOKUP_IP = "lookup-ip"
SCOPE_LOOKUP_CODE = "lookup-code"

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# A JSON report is a few kilobytes; anything far beyond is refused before it is parsed.
MAX_JSON_BYTES = 64 * 1024
# Open311's short fields (names, address string …); descriptions follow intake's limit.
MAX_FIELD_CHARS = 200

REPORT_LIMIT_MESSAGE = "提交过于频繁，请一小时后再试。如情况紧急，请拨打12345或前往综治中心窗口。"
PHONE_LIMIT_MESSAGE = "该手机号今天提交次数已达上限，请明天再试，或拨打热线反映。"
LOOKUP_LIMIT_MESSAGE = "查询过于频繁，请10分钟后再试。"
CODE_LIMIT_MESSAGE = "该查询码尝试次数过多，请一小时后再试。"


def client_ip(request) -> str:
    """The peer address. Behind a reverse proxy, set it from the proxy's header there
    (e.g. nginx real_ip or gunicorn --forwarded-allow-ips), not here, so that a client
    cannot forge it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
