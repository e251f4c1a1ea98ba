import os

import pytest

# Playwright's sync API runs an event loop in the test thread; ORM calls from browser tests
# would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# An ordinary Wednesday, 10:00 in Shanghai, with no holiday within three weeks: due times
# in working days then read the same whenever the tests run.
FROZEN_NOW = "2026-03-11T10:00:00+08:00"


@pytest.fixture
def frozen_now(monkeypatch):
    """Freeze `django.utils.timezone.now` at FROZEN_NOW and return it."""
    from datetime import datetime

    moment = datetime.fromisoformat(FROZEN_NOW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


@pytest.fixture
def world(db):
    from zongzhi.testing.factories import county_world

    return county_world()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium (no browser download); Chinese for its own widgets (file, date inputs).
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [*browser_type_launch_args.get("args", []), "--lang=zh-CN"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
