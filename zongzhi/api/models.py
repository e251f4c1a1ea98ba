"""Credentials of machine clients: staff personal API tokens and Open311 client keys.

Keys are shown once when issued and stored only as a SHA-256 digest (they are long random
strings, so a plain digest is enough); the prefix is kept so that people can tell keys apart.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX_LENGTH = 10


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key(kind: str) -> str:
    return f"{kind}_{secrets.token_urlsafe(32)}"


class ApiToken(models.Model):
    """A staff member's personal token for the JSON API; it acts with that member's rights."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("名称", max_length=80, help_text="用途，例如：区数据中心对接")
    prefix = models.CharField("前缀", max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    # Set on issue, settings.API_TOKEN_DAYS (ZONGZHI_API_TOKEN_DAYS) ahead.
    expires_at = models.DateTimeField("到期时间")

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; returns it and the raw key, which is never stored."""
        raw = new_key("zzt")
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:PREFIX_LENGTH],
            key_hash=hash_key(raw),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


def revoke_tokens_of(user) -> int:
    """Revoke every live token of `user` (its password changed or it was deactivated)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class Open311Client(models.Model):
    """An application allowed to POST service requests through Open311 (its api_key)."""

    name = models.CharField("名称", max_length=80)
    prefix = models.CharField("前缀", max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    jurisdiction = models.CharField(
        "辖区标识", max_length=100, help_text="jurisdiction_id，例如 zongzhi.local"
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "Open311客户端"
        verbose_name_plural = "Open311客户端"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @classmethod
    def issue(cls, name: str, jurisdiction: str) -> tuple["Open311Client", str]:
        raw = new_key("o311")
        client = cls.objects.create(
            name=name, jurisdiction=jurisdiction, prefix=raw[:PREFIX_LENGTH], key_hash=hash_key(raw)
        )
        return client, raw


class Open311Submission(models.Model):
    """What an Open311 POST carried beyond the case itself: who sent it and its media URL.

    Written in the same transaction as the case (see open311.submit)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="open311_submission"
    )
    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="+")
    account_id = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Open311提交"
        verbose_name_plural = "Open311提交"

    def __str__(self) -> str:
        return f"{self.client_id} → {self.case_id}"
