"""The outbox: every message the platform sends, written in the transaction of its cause.

A row is the truth about a message: a worker that dies loses nothing, because what is unsent
is read from this table (notify.delivery). The idempotency key is unique, so the same event
can never produce, and therefore never send, the same message twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Index, Q

from zongzhi.privacy.fields import EncryptedTextField


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    SMS = "sms", "短信"
    WECHAT = "wechat", "微信"


class Kind(models.TextChoices):
    """The template a message was written from."""

    CASE_ACCEPTED = "case_accepted", "受理告知"
    CASE_CONCLUDED = "case_concluded", "办结告知（待回访）"
    CASE_ASSIGNED = "case_assigned", "交办提醒"
    CASE_REJECTED = "case_rejected", "不予受理提醒"
    CASE_CONCLUDED_LEADER = "case_concluded_leader", "化解办结提醒"
    TEAM_MEMBER = "team_member", "专班成员通知"
    KEY_CASE = "key_case", "一案三交与一案一策提醒"
    CARD_ISSUED = "card_issued", "督办提醒"
    CARD_REPLIED = "card_replied", "督办回复提醒"
    CARD_CLOSED = "card_closed", "督办销号提醒"
    CLOCK_REQUEST = "clock_request", "停止计时、延期待审批"
    CLOCK_DECISION = "clock_decision", "停止计时、延期审批结果"
    CASE_WHISTLED = "case_whistled", "吹哨报到提醒"
    NOTICE = "notice", "系统通知"
    DEADLINE_REMINDER = "deadline_reminder", "临期提醒"
    DEADLINE_OVERDUE = "deadline_overdue", "超期告警"
    ESCALATED = "escalated", "超期升级"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    # The last attempt failed; another is scheduled at next_attempt_at.
    FAILED = "failed", "发送失败（待重试）"
    # Given up after the maximum number of attempts; an administrator may send it again.
    DEAD = "dead", "已放弃"


# What a deliverer picks up when its time has come.
DUE_STATUSES = (MessageStatus.QUEUED, MessageStatus.FAILED)


class Message(models.Model):
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    kind = models.CharField("消息类型", max_length=30, choices=Kind.choices)
    # A staff account (in-app), or a citizen's phone (SMS), encrypted like every phone.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    recipient_phone = EncryptedTextField("接收手机号", blank=True)
    recipient_phone_hash = models.CharField(
        "手机号哈希", max_length=64, blank=True, db_index=True, editable=False
    )
    hash_key_id = models.CharField("哈希密钥编号", max_length=12, blank=True, editable=False)
    text = models.TextField("内容")
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="关联纠纷",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField("幂等键", max_length=200, unique=True)
    status = models.CharField(
        "状态", max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    sending_started_at = models.DateTimeField("开始发送时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The deliverer's question: what is due now.
            Index(fields=["status", "next_attempt_at"], name="message_due"),
            # The bell's question: how many unread, one indexed COUNT per page.
            Index(
                fields=["recipient_user", "channel"],
                condition=Q(read_at__isnull=True),
                name="message_unread",
            ),
            Index(fields=["recipient_user", "-created_at"], name="message_inbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False) | ~Q(recipient_phone=""),
                name="message_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_kind_display()} → {self.recipient_label}"

    def save(self, *args, **kwargs):
        from zongzhi.privacy.crypto import hash_key_id, keyed_hash
        from zongzhi.privacy.phones import phone_key

        self.recipient_phone_hash = (
            keyed_hash(phone_key(self.recipient_phone)) if self.recipient_phone else ""
        )
        self.hash_key_id = hash_key_id() if self.recipient_phone else ""
        super().save(*args, **kwargs)

    @property
    def recipient_label(self) -> str:
        """Who receives it, the phone masked (for the admin and the logs)."""
        from zongzhi.privacy.masking import mask_phone

        if self.recipient_user_id:
            return str(self.recipient_user)
        return mask_phone(self.recipient_phone)
