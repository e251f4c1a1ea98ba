"""Settings for zongzhi: one module, every knob from an environment variable with a safe default.

Defaults give an embedded SQLite database with DEBUG off; `DATABASE_URL` points it at
PostgreSQL in production. Secrets must be set in production (see README, "Deploying").
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ZONGZHI_DEBUG")
SECRET_KEY = os.environ.get("ZONGZHI_SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("ZONGZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("ZONGZHI_CSRF_TRUSTED_ORIGINS")

# Keys that encrypt personal data at rest (Fernet, comma-separated, newest first, so that a
# new key can be added in front and old rows still read). A development default is derived
# from SECRET_KEY; production must set its own and keep it out of the database backups.
DATA_KEYS = env_list("ZONGZHI_DATA_KEYS")
# Key of the keyed hash that lets a party be matched by ID number without storing it in clear.
HASH_KEY = os.environ.get("ZONGZHI_HASH_KEY", SECRET_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "zongzhi.places",
    "zongzhi.accounts",
    "zongzhi.privacy",
    "zongzhi.cases",
    "zongzhi.intake",
    "zongzhi.workbench",
    "zongzhi.api",
    "zongzhi.demo",
    "zongzhi.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

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

CITIZEN_HOTLINE = os.environ.get("ZONGZHI_HOTLINE", "12345")  # on the QR posters

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZONGZHI_LOG_LEVEL", "WARNING")},
}
