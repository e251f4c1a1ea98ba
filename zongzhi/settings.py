"""Settings for zongzhi: one module, every knob from an environment variable with a safe default.

Defaults give an embedded SQLite database with DEBUG off; `DATABASE_URL` points it at
PostgreSQL in production. Secrets must be set in production (see README, "Deploying").
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from zongzhi import keys

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ZONGZHI_DEBUG")
# The three secrets (see zongzhi/keys.py): required and checked unless DEBUG or
# ZONGZHI_DEV_KEYS=1 (demo, tests) let unset ones come from var/dev-keys.json.
_keys = keys.load(os.environ, debug=DEBUG, dev_folder=BASE_DIR / "var")
SECRET_KEY = _keys.secret_key
# Keys that encrypt personal data at rest (Fernet, comma-separated, newest first, so that a
# new key can be added in front and old rows still read). Keep them out of database backups.
DATA_KEYS: list[str] = _keys.data_keys
# Key of the keyed hash that lets a party be matched by ID number without storing it in clear.
HASH_KEY: str = _keys.hash_key
ALLOWED_HOSTS = env_list("ZONGZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ZONGZHI_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "zongzhi.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "zongzhi.jobs.apps.TasksDatabaseConfig",  # django_tasks_db, with a Chinese name
    "ninja",
    "axes",
    "zongzhi.places",
    "zongzhi.accounts",
    "zongzhi.privacy",
    "zongzhi.cases",
    "zongzhi.clock",
    "zongzhi.dispatch",
    "zongzhi.intake",
    "zongzhi.workbench",
    "zongzhi.api",
    "zongzhi.demo",
    "zongzhi.jobs",
    "zongzhi.notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zongzhi.lib.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zongzhi.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zongzhi.accounts.middleware.IdleTimeoutMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zongzhi.urls"
WSGI_APPLICATION = "zongzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zongzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "zongzhi.workbench.context_processors.permissions_context",
                "zongzhi.notify.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'zongzhi.sqlite3'}",
        conn_max_age=int(os.environ.get("ZONGZHI_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while a worker writes; IMMEDIATE avoids lock upgrades
    # that fail with "database is locked" under concurrent writers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, attempts kept in the database): after
# ZONGZHI_LOGIN_FAILURES failed logins for one account from one address, or from one address
# whatever the account, that login is refused for ZONGZHI_LOGIN_LOCKOUT_MINUTES (each further
# try restarts the wait). An administrator unlocks early by deleting the attempt in the
# admin (登录保护 → 登录失败记录) or with `zongzhi axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "zongzhi.accounts.lockout.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ZONGZHI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ZONGZHI_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Which failures a successful login forgets: only that account's own (see the handler).
AXES_HANDLER = "zongzhi.accounts.lockout.LoginAttemptHandler"
# The same client address as the rate limits (honours ZONGZHI_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "zongzhi.accounts.lockout.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，已被暂时锁定，请稍后再试或联系系统管理员解锁。"
AXES_VERBOSE = False

# Staff sessions end after ZONGZHI_SESSION_SECONDS in any case (SESSION_COOKIE_AGE below),
# and after ZONGZHI_IDLE_SECONDS without a request (accounts/middleware.py).
IDLE_SECONDS = int(os.environ.get("ZONGZHI_IDLE_SECONDS", str(30 * 60)))
# Personal API tokens stop working this many days after they are issued.
API_TOKEN_DAYS = int(os.environ.get("ZONGZHI_API_TOKEN_DAYS", "90"))

# Stateless app servers: sessions and the cache (used for rate limits) live in the database,
# so any server behind a load balancer can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("ZONGZHI_SESSION_SECONDS", str(8 * 3600)))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "zongzhi_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ZONGZHI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task RUNNING longer than this is presumed lost with its worker and is run again
# (jobs.scheduler.requeue_stale_tasks), so every task must be safe to run twice.
TASK_TIMEOUT_SECONDS = int(os.environ.get("ZONGZHI_TASK_TIMEOUT", "1800"))

LANGUAGE_CODE = "zh-hans"
# Chinese for third-party apps without their own (django-tasks-db's task results).
LOCALE_PATHS = [BASE_DIR / "zongzhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
STATICFILES_DIRS = [
    # The shared layout's own files (app.css); `zongzhi` itself is not an installed app.
    BASE_DIR / "zongzhi" / "static",
    # ECharts comes from npm at set-up time (package.json), never committed.
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("ZONGZHI_PLAIN_STATIC", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# Uploaded attachments: on several app servers this must be shared storage (NFS or S3).
MEDIA_ROOT = Path(os.environ.get("ZONGZHI_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# HTTPS, terminated by a reverse proxy that sets X-Forwarded-Proto (and overwrites any value
# a client sent). ZONGZHI_HTTPS=1 makes cookies Secure, redirects http to https and sends HSTS.
HTTPS = env_bool("ZONGZHI_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("ZONGZHI_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZONGZHI_HSTS_SUBDOMAINS", True)
# Preloading is a separate decision (a submission to the browsers' list), so its deployment
# warning is silenced; ZONGZHI_HSTS_PRELOAD=1 adds the directive.
SECURE_HSTS_PRELOAD = env_bool("ZONGZHI_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The load balancer's health check may stay on plain http.
SECURE_REDIRECT_EXEMPT = [r"^intake/m/ping$"]
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# rate limits and the login lockout key on the client address this gives (intake/limits.py).
TRUSTED_PROXIES = env_list("ZONGZHI_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"ZONGZHI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network"
        ) from None

# No inline script or style anywhere: page code lives in static files, data in json_script
# elements; htmx is told not to inject its indicator <style> (meta htmx-config in the bases).
# A nonce is available as {{ csp_nonce }} should an inline script ever be unavoidable.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CITIZEN_HOTLINE = os.environ.get("ZONGZHI_HOTLINE", "12345")  # on the QR posters

# Urgent (high-risk) cases run around the clock (cases/deadlines.py): accepted within these
# natural hours and attended on site (the meet milestone) within these minutes of the report.
ZONGZHI_URGENT_ACCEPT_HOURS = float(os.environ.get("ZONGZHI_URGENT_ACCEPT_HOURS", "2"))
ZONGZHI_URGENT_ATTEND_MINUTES = float(os.environ.get("ZONGZHI_URGENT_ATTEND_MINUTES", "120"))
# 一案三交: a case with at least this many people involved is a key case (重点案件).
ZONGZHI_KEY_CASE_PEOPLE = int(os.environ.get("ZONGZHI_KEY_CASE_PEOPLE", "10"))
# Office hours of the centres on working days (Asia/Shanghai, HH:MM): outside them, and on
# non-working days, the reminders and overdue alerts of urgent cases also go to whoever is
# on the duty roster (zongzhi.clock.alerts); escalation delays in working hours count them.
ZONGZHI_OFFICE_OPENS = os.environ.get("ZONGZHI_OFFICE_OPENS", "08:30")
ZONGZHI_OFFICE_CLOSES = os.environ.get("ZONGZHI_OFFICE_CLOSES", "17:30")
# Notifications (zongzhi.notify): who sends SMS and WeChat messages (a dotted path to a
# class; LogSender writes them to the `zongzhi.notify.sent` log, HttpSmsGatewaySender POSTs
# them to the gateway below), and how often a failed message is tried again.
SMS_SENDER = os.environ.get("ZONGZHI_SMS_SENDER", "zongzhi.notify.senders.LogSender")
WECHAT_SENDER = os.environ.get("ZONGZHI_WECHAT_SENDER", "zongzhi.notify.senders.LogSender")
SMS_GATEWAY_URL = os.environ.get("ZONGZHI_SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("ZONGZHI_SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("ZONGZHI_SMS_GATEWAY_TIMEOUT", "10"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("ZONGZHI_NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("ZONGZHI_NOTIFY_RETRY_BASE", "60"))
NOTIFY_RETRY_MAX_SECONDS = int(os.environ.get("ZONGZHI_NOTIFY_RETRY_MAX", "3600"))
# A message "sending" longer than this is presumed lost with its deliverer and queued again.
NOTIFY_SENDING_TIMEOUT_SECONDS = int(os.environ.get("ZONGZHI_NOTIFY_SENDING_TIMEOUT", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZONGZHI_LOG_LEVEL", "WARNING")},
    # Django's own "django" logger has a console handler of its own (under DEBUG) and also
    # passes its records on to the root's: every line twice, the task worker's most visibly.
    # One handler, no passing on; INFO as Django sets it.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One readable line per SMS or WeChat message sent by notify.senders.LogSender.
        "zongzhi.notify.sent": {"level": "INFO"},
    },
}
