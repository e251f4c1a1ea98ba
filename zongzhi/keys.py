"""The platform's three secrets, loaded by settings.py: refused when missing or known.

- `ZONGZHI_SECRET_KEY`: Django's signing key (sessions, CSRF, password reset).
- `ZONGZHI_DATA_KEYS`: Fernet keys that encrypt personal data at rest, newest first.
- `ZONGZHI_HASH_KEY`: the key of the keyed hash of ID numbers and phones.

The three are independent: neither the data keys nor the hash key is ever derived from the
secret key, so a leaked signing key does not open the stored personal data.

In production every one must be set, and none may be a value that is written anywhere in
the repository. The demo, the tests and `ZONGZHI_DEBUG=1` instead take whichever is unset
from `var/dev-keys.json`, generated once on first use (var/ is gitignored, so they are never
committed); outside DEBUG this needs the explicit flag `ZONGZHI_DEV_KEYS=1`, which the
Makefile's demo and bench targets and the test suite set.

`python -m zongzhi.keys` prints a fresh set for a deployment.
"""

import base64
import hashlib
import json
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

SECRET_VAR = "ZONGZHI_SECRET_KEY"
DATA_VAR = "ZONGZHI_DATA_KEYS"
HASH_VAR = "ZONGZHI_HASH_KEY"
DEV_FLAG = "ZONGZHI_DEV_KEYS"

MIN_SECRET_CHARS = 50  # what Django's deployment check (security.W009) asks for
MIN_HASH_CHARS = 32

# The development secret this project shipped as a default, and the data key that used to
# be derived from it: both are public, so anything they protected is readable by anyone.
OLD_DEFAULT_SECRET = "insecure-development-key-change-me"
OLD_DERIVED_DATA_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(("zongzhi-data:" + OLD_DEFAULT_SECRET).encode()).digest()
).decode()
# Values found in the repository (defaults, examples, placeholders): refused in production.
KNOWN_VALUES = frozenset(
    {
        OLD_DEFAULT_SECRET,
        OLD_DERIVED_DATA_KEY,
        "change-me",
        "changeme",
        "secret",
        "…",
        "...",
        "zongzhi-demo",
        "django-insecure",
    }
)


@dataclass(frozen=True)
class Keys:
    secret_key: str
    data_keys: list[str]
    hash_key: str


def generate() -> dict[str, str]:
    """A fresh, independent set of the three secrets, as environment values."""
    return {
        SECRET_VAR: secrets.token_urlsafe(64),
        DATA_VAR: Fernet.generate_key().decode(),
        HASH_VAR: secrets.token_urlsafe(48),
    }


def dev_keys(folder: Path) -> dict[str, str]:
    """The development keys in `folder/dev-keys.json`, generated there once.

    Several processes (web server, worker, scheduler) may start at once: the file is created
    exclusively, so the one that loses the race reads the winner's keys."""
    path = folder / "dev-keys.json"
    folder.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fresh = generate()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                json.dump(fresh, handle, indent=2)
            return fresh
    for _ in range(50):  # the writer may not have finished its few bytes yet
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError:
            time.sleep(0.02)
    raise ImproperlyConfigured(f"{path} is not valid JSON: delete it to generate new keys")


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _refuse_known(name: str, value: str) -> None:
    if value in KNOWN_VALUES or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"{name} is a value published in the zongzhi repository; "
            "set a secret of your own (python -m zongzhi.keys prints one)"
        )


def load(environ: Mapping[str, str], *, debug: bool, dev_folder: Path) -> Keys:
    """Read and check the three secrets; raise ImproperlyConfigured naming what is wrong.

    Unset values come from the development key file when `debug` is on or `ZONGZHI_DEV_KEYS`
    is set; otherwise a missing value stops the platform from starting."""
    values = {name: environ.get(name, "").strip() for name in (SECRET_VAR, DATA_VAR, HASH_VAR)}
    use_dev_keys = debug or environ.get(DEV_FLAG, "").strip().lower() in {"1", "true", "yes"}
    if use_dev_keys and not all(values.values()):
        stored = dev_keys(dev_folder)
        values = {name: value or stored[name] for name, value in values.items()}
    for name, value in values.items():
        if not value:
            raise ImproperlyConfigured(
                f"{name} is not set. Production needs {SECRET_VAR}, {DATA_VAR} and {HASH_VAR} "
                f"(python -m zongzhi.keys prints a fresh set); for the demo and development "
                f"set ZONGZHI_DEBUG=1 or {DEV_FLAG}=1 to use keys generated in var/"
            )
    secret_key, hash_key = values[SECRET_VAR], values[HASH_VAR]
    data_keys = _split(values[DATA_VAR])
    for name, value in [(SECRET_VAR, secret_key), (HASH_VAR, hash_key)] + [
        (DATA_VAR, key) for key in data_keys
    ]:
        _refuse_known(name, value)
    if len(secret_key) < MIN_SECRET_CHARS or len(set(secret_key)) < 5:
        raise ImproperlyConfigured(
            f"{SECRET_VAR} is too weak: use at least {MIN_SECRET_CHARS} random characters"
        )
    if len(hash_key) < MIN_HASH_CHARS:
        raise ImproperlyConfigured(
            f"{HASH_VAR} is too short: use at least {MIN_HASH_CHARS} random characters"
        )
    if hash_key == secret_key or hash_key in data_keys or secret_key in data_keys:
        raise ImproperlyConfigured(
            f"{SECRET_VAR}, {DATA_VAR} and {HASH_VAR} must be three different secrets"
        )
    for key in data_keys:
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"{DATA_VAR} holds a value that is not a Fernet key "
                "(32 url-safe base64-encoded bytes; python -m zongzhi.keys prints one)"
            ) from None
    return Keys(secret_key=secret_key, data_keys=data_keys, hash_key=hash_key)


if __name__ == "__main__":
    for variable, fresh_value in generate().items():
        print(f"{variable}={fresh_value}")
