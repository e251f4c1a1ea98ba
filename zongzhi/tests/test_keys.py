"""The platform refuses to start without its own secrets, and never derives one from another."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from zongzhi import keys
from zongzhi.privacy import crypto

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    return keys.generate()


def load(environ, *, debug=False, folder=None):
    return keys.load(environ, debug=debug, dev_folder=folder or Path("/nonexistent-zongzhi"))


@pytest.mark.parametrize("missing", [keys.SECRET_VAR, keys.DATA_VAR, keys.HASH_VAR])
def test_production_refuses_to_start_without_each_key(missing):
    environ = production_env()
    del environ[missing]
    with pytest.raises(ImproperlyConfigured, match=missing):
        load(environ)


def test_hash_key_is_not_the_secret_key():
    environ = production_env()
    environ[keys.HASH_VAR] = environ[keys.SECRET_VAR]
    with pytest.raises(ImproperlyConfigured, match="three different secrets"):
        load(environ)


@pytest.mark.parametrize(
    "name, value",
    [
        (keys.SECRET_VAR, keys.OLD_DEFAULT_SECRET),
        (keys.DATA_VAR, keys.OLD_DERIVED_DATA_KEY),
        (keys.HASH_VAR, keys.OLD_DEFAULT_SECRET),
        (keys.SECRET_VAR, "django-insecure-" + "x" * 60),
    ],
)
def test_values_published_in_the_repository_are_refused(name, value):
    environ = production_env()
    environ[name] = value
    with pytest.raises(ImproperlyConfigured, match=name):
        load(environ)


def test_weak_or_malformed_keys_are_refused():
    environ = production_env()
    with pytest.raises(ImproperlyConfigured, match="too weak"):
        load({**environ, keys.SECRET_VAR: "short-secret"})
    with pytest.raises(ImproperlyConfigured, match="too short"):
        load({**environ, keys.HASH_VAR: "short"})
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        load({**environ, keys.DATA_VAR: "not-a-fernet-key"})


def test_production_keys_are_read_as_given():
    environ = production_env()
    second = Fernet.generate_key().decode()
    environ[keys.DATA_VAR] += f", {second}"
    loaded = load(environ)
    assert loaded.secret_key == environ[keys.SECRET_VAR]
    assert loaded.hash_key == environ[keys.HASH_VAR]
    assert loaded.data_keys == [environ[keys.DATA_VAR].split(",")[0], second]


def test_development_keys_are_generated_once_into_the_folder(tmp_path):
    first = load({}, debug=True, folder=tmp_path)
    again = load({keys.DEV_FLAG: "1"}, folder=tmp_path)
    assert first == again
    stored = json.loads((tmp_path / "dev-keys.json").read_text())
    assert stored[keys.HASH_VAR] == first.hash_key != first.secret_key
    assert (tmp_path / "dev-keys.json").stat().st_mode & 0o077 == 0
    # A key set in the environment still wins over the stored one.
    own = production_env()[keys.HASH_VAR]
    assert load({keys.DEV_FLAG: "1", keys.HASH_VAR: own}, folder=tmp_path).hash_key == own


def test_encryption_has_no_key_derived_from_the_secret_key(settings):
    settings.DATA_KEYS = []
    crypto._fernet.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("13987654321")
    crypto._fernet.cache_clear()


def _zongzhi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A production-like environment: none of the test run's own switches.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZONGZHI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "-m", "zongzhi", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "zongzhi.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_refuses_to_start_with_debug_off_and_no_keys():
    result = _zongzhi("check", env={})
    assert result.returncode != 0
    assert "ImproperlyConfigured: ZONGZHI_SECRET_KEY is not set" in result.stderr
