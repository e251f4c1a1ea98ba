"""Login throttling with django-axes: the backend that refuses a locked-out login, and
Chinese labels for axes' admin pages (the package ships no Chinese translation)."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.apps import apps
from django.http import HttpRequest

from zongzhi.intake.limits import client_ip


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS.

    Every login form passes the request. Code that authenticates without one (the test
    client's `login()`) is not a login attempt from an address, so it is let through to the
    next backend instead of failing with axes' "request required" error."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginAttemptHandler(AxesDatabaseHandler):
    """AXES_HANDLER: django-axes' database handler, with a narrower reset on success.

    Axes' own reset deletes every attempt matching the lockout parameters of the account that
    logged in, and with the per-address parameter that is every failure from the address: an
    account holder could guess another account's password four times, log in with their
    own account, and guess again, without end. A successful login here forgets only that
    account's own failures from that address (its owner's typing mistakes), so failures
    against other accounts keep counting towards the address's and their accounts' limits."""

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        own = AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        count, _ = own.delete()
        return count


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the rate limits' client address (intake.limits.client_ip,
    which honours trusted proxies), or None when it is not an IP address (no REMOTE_ADDR,
    e.g. a unix socket): axes stores it in an IP address column."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


# model name → (singular, plural, {field: label})
_LABELS = {
    "accessattempt": (
        "登录失败记录",
        "登录失败记录（删除即解锁）",
        {
            "user_agent": "浏览器",
            "ip_address": "IP地址",
            "username": "用户名",
            "http_accept": "Accept头",
            "path_info": "登录路径",
            "attempt_time": "最近尝试时间",
            "get_data": "GET数据",
            "post_data": "POST数据",
            "failures_since_start": "失败次数",
            "session_hash": "会话标识（SHA-256）",
        },
    ),
    "accesslog": (
        "登录记录",
        "登录记录",
        {
            "user_agent": "浏览器",
            "ip_address": "IP地址",
            "username": "用户名",
            "http_accept": "Accept头",
            "path_info": "登录路径",
            "attempt_time": "登录时间",
            "logout_time": "退出时间",
            "session_hash": "会话标识（SHA-256）",
        },
    ),
    "accessfailurelog": (
        "登录失败日志",
        "登录失败日志",
        {
            "user_agent": "浏览器",
            "ip_address": "IP地址",
            "username": "用户名",
            "http_accept": "Accept头",
            "path_info": "登录路径",
            "attempt_time": "尝试时间",
            "locked_out": "是否锁定",
        },
    ),
}


def label_axes_admin() -> None:
    """Give axes' app, models and fields Chinese names (called from AccountsConfig.ready)."""
    config = apps.get_app_config("axes")
    config.verbose_name = "登录保护"
    for model in config.get_models():
        labels = _LABELS.get(model._meta.model_name)
        if labels is None:
            continue
        singular, plural, fields = labels
        model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
        for field in model._meta.fields:
            if field.name in fields:
                field.verbose_name = fields[field.name]
    from axes.admin import AccessAttemptAdmin

    AccessAttemptAdmin.status.short_description = "状态"
