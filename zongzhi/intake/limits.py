"""Abuse limits of every public channel (citizen page, JSON API, Open311), in one place.

The scopes are shared by the channels, so that switching from the page to the API does not
reset a phone's or an address's count.
"""

import ipaddress
import os
from functools import cache

from django.conf import settings

from zongzhi.cases.numbering import normalise_query_code
from zongzhi.intake import ratelimit
from zongzhi.intake.ratelimit import Rate
from zongzhi.privacy.phones import phone_key

# Filing reports: per client IP (a QR code page), per phone number, per Open311 client.
REPORT_PER_IP = Rate(10, 3600)
# A phone's day is the Beijing calendar day (the message says "today", 今天).
REPORT_PER_PHONE = Rate(5, 86400, local_day=True)
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
# Six photos and the text fields; a larger body is refused before anything reads it.
MAX_REQUEST_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 512 * 1024
# A JSON report is a few kilobytes; anything far beyond is refused before it is parsed.
MAX_JSON_BYTES = 64 * 1024
# Open311's short fields (names, address string …); descriptions follow intake's limit.
MAX_FIELD_CHARS = 200

REPORT_LIMIT_MESSAGE = "提交过于频繁，请一小时后再试。如情况紧急，请拨打12345或前往综治中心窗口。"
PHONE_LIMIT_MESSAGE = "该手机号今天提交次数已达上限，请明天再试，或拨打热线反映。"
LOOKUP_LIMIT_MESSAGE = "查询过于频繁，请10分钟后再试。"
CODE_LIMIT_MESSAGE = "该查询码尝试次数过多，请一小时后再试。"


def client_ip(request) -> str:
    """The client's address, which rate limits and the login lockout key on.

    REMOTE_ADDR, unless it is one of settings.TRUSTED_PROXIES (ZONGZHI_TRUSTED_PROXIES):
    then X-Forwarded-For is read from the right, past the trusted proxies' own hops, and
    the first address no trusted proxy vouches for is the client. Anything a client wrote
    further left is never believed, so it cannot choose its own address.

    An IPv6 client is its /64 network (given as the network's first address): one
    subscriber line or host gets a whole /64 and may use any address in it, so counting
    single addresses would give it 2^64 tries."""
    return _subscriber(_client_address(request))


def _subscriber(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network((parsed, 64), strict=False).network_address)


def _client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = remote
    for hop in reversed(hops):
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage can only come from the client's side of the chain
        client = str(address)
        if not _is_trusted(client, proxies):
            break
    return client


@cache
def _trusted_networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str, networks: tuple) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def enabled() -> bool:
    """Off only for load tests (ZONGZHI_PUBLIC_RATE_LIMITS=0); a setting wins over the env."""
    configured = getattr(settings, "PUBLIC_RATE_LIMITS", None)
    if configured is not None:
        return bool(configured)
    flag = os.environ.get("ZONGZHI_PUBLIC_RATE_LIMITS", "1").strip().lower()
    return flag not in {"0", "false", "no", "off"}


def _count(scope: str, subject: str, rate: Rate, message: str, already_stored: bool) -> None:
    if not enabled():
        return
    try:
        ratelimit.check(scope, subject, rate, message)
    except ratelimit.RateLimited:
        # A retry of a submission that is already stored still gets its answer.
        if not already_stored:
            raise


def check_report_ip(ip: str, *, already_stored: bool = False) -> None:
    """Count a report from this address; raises RateLimited over the limit."""
    _count(SCOPE_REPORT_IP, ip, REPORT_PER_IP, REPORT_LIMIT_MESSAGE, already_stored)


def check_report_phone(phone: str, *, already_stored: bool = False) -> None:
    """Count a report for this phone, whichever channel it came through."""
    _count(
        SCOPE_REPORT_PHONE, phone_key(phone), REPORT_PER_PHONE, PHONE_LIMIT_MESSAGE,
        already_stored,
    )  # fmt: skip


def check_lookup(ip: str, query_code: str) -> None:
    """Count a lookup by query code + phone digits, per address and per code, so that the
    10,000 possible phone endings of a known code cannot be tried from many addresses."""
    _count(SCOPE_LOOKUP_IP, ip, LOOKUP_PER_IP, LOOKUP_LIMIT_MESSAGE, False)
    code = normalise_query_code(query_code)
    if code:
        _count(SCOPE_LOOKUP_CODE, code, LOOKUP_PER_CODE, CODE_LIMIT_MESSAGE, False)
