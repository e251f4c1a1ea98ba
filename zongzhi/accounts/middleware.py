"""The idle timeout of staff sessions, beside the absolute one (SESSION_COOKIE_AGE)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_ACTIVITY_KEY = "zongzhi_last_activity"
STARTED_KEY = "zongzhi_session_started"
# The session is written at most this often to record activity, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60
IDLE_MESSAGE = "由于长时间未操作，您已自动退出登录，请重新登录。"
EXPIRED_MESSAGE = "登录已超过最长时限，请重新登录。"


class IdleTimeoutMiddleware:
    """Logs a staff account out after settings.IDLE_SECONDS without a request, and after
    SESSION_COOKIE_AGE in any case.

    The time of the last request is kept in the session, refreshed at most once a minute so
    that a busy page does not write its session row on every request. Each such write would
    also push the session's own expiry forward, so the absolute limit is kept here, from
    the session's first request. The request then goes on as anonymous: pages redirect to
    the login page, the API answers its 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get(LAST_ACTIVITY_KEY)
            started = session.setdefault(STARTED_KEY, now)
            if isinstance(started, int) and now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, EXPIRED_MESSAGE)
            elif isinstance(last, int) and now - last > settings.IDLE_SECONDS:
                logout(request)
                messages.info(request, IDLE_MESSAGE)
            elif not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
