"""The demo's messages are history (zongzhi.demo loads months of cases through the services)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from zongzhi.accounts.models import User
from zongzhi.notify.models import Channel, Kind, Message, MessageStatus
from zongzhi.notify.outbox import enqueue

# Unread messages left to each account, the newest.
UNREAD_LATEST = 3
# The accounts the README suggests; each finds a welcome notice in its inbox.
WELCOMED = (
    "hongta-clerk",
    "hongta-leader",
    "hongta-yuxing-clerk",
    "hongta-yuxing-justice-office",
    "hongta-yuxing-room",
    "hongta-yuxing-001-g1",
    "yuxi-leader",
    "admin",
)
WELCOME = (
    "欢迎使用综治中心信息平台：纠纷交办给您或您的单位、"
    "您中心的纠纷办结或不予受理时，提醒会出现在这里。"
)


@transaction.atomic
def settle_history(now: datetime) -> None:
    """Mark the demo's SMS as sent when their events happened (nothing goes out for months
    of invented history), leave each account its newest few in-app messages unread, and
    welcome the README's accounts."""
    Message.objects.exclude(channel=Channel.IN_APP).filter(status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENT, sent_at=F("created_at"), attempts=1, next_attempt_at=None
    )
    unread = Message.objects.filter(channel=Channel.IN_APP, read_at__isnull=True)
    for user_id in unread.values_list("recipient_user_id", flat=True).distinct():
        newest = unread.filter(recipient_user_id=user_id).order_by("-created_at", "-id")
        keep = list(newest.values_list("pk", flat=True)[:UNREAD_LATEST])
        newest.exclude(pk__in=keep).update(read_at=F("created_at"))
    for user in User.objects.filter(username__in=WELCOMED).order_by("pk"):
        enqueue(Kind.NOTICE, WELCOME, source="demo-welcome", user=user, now=now)
