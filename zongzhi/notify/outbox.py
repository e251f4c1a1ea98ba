"""Writing to the outbox: `enqueue`, called inside the transaction of the change that causes
the message, so a message exists exactly when its cause was committed.
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zongzhi.accounts.models import User
from zongzhi.notify.models import Channel, Kind, Message, MessageStatus
from zongzhi.privacy.crypto import keyed_hash
from zongzhi.privacy.phones import phone_key


def recipient_key(*, user: User | None = None, phone: str = "") -> str:
    """The recipient part of an idempotency key; a phone appears only as its keyed hash."""
    if user is not None:
        return f"user:{user.pk}"
    return "phone:" + keyed_hash(phone_key(phone))


def enqueue(
    kind: Kind,
    text: str,
    *,
    source: str,
    channel: Channel = Channel.IN_APP,
    user: User | None = None,
    phone: str = "",
    case=None,
    now: datetime | None = None,
) -> Message:
    """Add a message to the outbox, once: the same (kind, case, source, recipient) gives the
    row already there and adds nothing.

    `source` names the cause, usually the timeline event's id. Must run inside the caller's
    transaction: a rollback of the cause takes the message with it. An in-app message is
    delivered by being written; an SMS or WeChat message waits for notify.delivery.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("notify.outbox.enqueue must run inside the transaction of its cause")
    if (user is None) == (not phone):
        raise ValueError("a message goes to one staff account or one phone number")
    if channel == Channel.IN_APP and user is None:
        raise ValueError("in-app messages go to staff accounts")
    now = now or timezone.now()
    case_id = case.pk if case is not None else "-"
    key = f"{kind}:{case_id}:{source}:{recipient_key(user=user, phone=phone)}"
    in_app = channel == Channel.IN_APP
    message = Message(
        channel=channel,
        kind=kind,
        recipient_user=user,
        recipient_phone=phone,
        text=text,
        case=case,
        idempotency_key=key,
        status=MessageStatus.SENT if in_app else MessageStatus.QUEUED,
        sent_at=now if in_app else None,
        next_attempt_at=None if in_app else now,
        created_at=now,
    )
    # Insert first and let the unique key decide (no check-then-act): a concurrent or
    # repeated enqueue of the same message waits for, then finds, the first one's row.
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        return Message.objects.get(idempotency_key=key)
    return message


def enqueue_staff(
    kind: Kind,
    texts: dict[User, str],
    *,
    source: str,
    case=None,
    now: datetime | None = None,
) -> None:
    """Add in-app messages for several staff accounts at once (`texts`: each account's text),
    once each: the same keys as `enqueue`, written in one INSERT that skips the keys already
    there (ON CONFLICT DO NOTHING waits for, then skips, a concurrent insert of the same key),
    so no savepoint per message. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError(
            "notify.outbox.enqueue_staff must run inside the transaction of its cause"
        )
    now = now or timezone.now()
    case_id = case.pk if case is not None else "-"
    Message.objects.bulk_create(
        [
            Message(
                channel=Channel.IN_APP,
                kind=kind,
                recipient_user=user,
                text=text,
                case=case,
                idempotency_key=f"{kind}:{case_id}:{source}:{recipient_key(user=user)}",
                status=MessageStatus.SENT,
                sent_at=now,
                created_at=now,
            )
            for user, text in texts.items()
        ],
        ignore_conflicts=True,
    )
