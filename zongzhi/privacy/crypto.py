"""Encryption at rest and keyed hashing for personal data.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with MultiFernet so that keys can be
rotated: the first key encrypts, every key decrypts. The keyed hash (HMAC-SHA256) lets the
system find "the same ID number" across cases without storing the number in clear.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    # settings.py refuses to start without data keys; they are never derived from SECRET_KEY.
    if not keys:
        raise ImproperlyConfigured("ZONGZHI_DATA_KEYS is empty: no key to encrypt personal data")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.DATA_KEYS))


def encrypt(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("personal data cannot be decrypted with the configured keys") from error


def keyed_hash(value: str) -> str:
    """A stable, keyed fingerprint of a normalised value (e.g. an ID number).

    Rows that store one also store `hash_key_id()`, so that after a change of
    ZONGZHI_HASH_KEY the `rehash` command can find and re-compute the old ones.
    """
    normalised = value.strip().upper().replace(" ", "")
    return hmac.new(settings.HASH_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def key_id(key: str) -> str:
    """A short, public name of a hash key (12 hex characters) that does not reveal it."""
    return hmac.new(key.encode(), b"zongzhi-key-id", hashlib.sha256).hexdigest()[:12]


def hash_key_id() -> str:
    """The id of the hash key in use (settings.HASH_KEY)."""
    return key_id(settings.HASH_KEY)


def purpose_hash(purpose: str, value: str) -> str:
    """A keyed digest of `value` under a key derived from the hash key for one purpose
    (e.g. rate-limit counters), so that nobody without the key can tell whose it is."""
    derived = hmac.new(settings.HASH_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(derived, value.encode(), hashlib.sha256).hexdigest()
