"""Sending what the outbox holds: claim the due messages, send each, record the outcome.

Claiming is a conditional UPDATE from queued/failed to sending (on PostgreSQL the candidates
are first locked with SELECT … FOR UPDATE SKIP LOCKED), so two deliverers never claim the same
message. The claim commits before the send: a deliverer killed mid-send leaves its messages
in "sending", and `recover_stuck` puts them back in the queue after a time-out. A message may
then go out twice if the kill came after the gateway accepted it; the HTTP gateway receives
the idempotency key with each message so that it can drop the repeat.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from zongzhi.notify.models import DUE_STATUSES, Message, MessageStatus
from zongzhi.notify.senders import SendError, sender_for

logger = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    recovered: int = 0
    sent: int = 0
    retrying: int = 0
    dead: int = 0


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling from the base, capped."""
    base = settings.NOTIFY_RETRY_BASE_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.NOTIFY_RETRY_MAX_SECONDS)
    )


def recover_stuck(now: datetime | None = None) -> int:
    """Put back in the queue every message "sending" for longer than the time-out (its
    deliverer presumably died); one that has used all its attempts is given up. Returns how
    many were put back or given up."""
    now = now or timezone.now()
    timeout = timedelta(seconds=settings.NOTIFY_SENDING_TIMEOUT_SECONDS)
    stuck = Message.objects.filter(
        status=MessageStatus.SENDING, sending_started_at__lte=now - timeout
    )
    error = f"发送超时（超过{int(timeout.total_seconds()) // 60}分钟未完成），已重新排队"
    exhausted = stuck.filter(attempts__gte=settings.NOTIFY_MAX_ATTEMPTS).update(
        status=MessageStatus.DEAD, last_error=error, sending_started_at=None
    )
    requeued = stuck.update(
        status=MessageStatus.QUEUED, next_attempt_at=now, last_error=error, sending_started_at=None
    )
    return exhausted + requeued


def _due(now: datetime):
    return Message.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)


def claim_due(now: datetime, limit: int) -> list[Message]:
    """Mark up to `limit` due messages as sending, for this deliverer alone; returns them."""
    claim = {
        "status": MessageStatus.SENDING,
        "sending_started_at": now,
        "attempts": F("attempts") + 1,
    }
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                _due(now)
                .select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:limit]
            )
            Message.objects.filter(pk__in=ids).update(**claim)
    else:
        ids = []
        candidates = _due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
        for pk in candidates[:limit]:
            # Only one deliverer's UPDATE finds the row still due.
            if _due(now).filter(pk=pk).update(**claim):
                ids.append(pk)
    return list(Message.objects.filter(pk__in=ids).order_by("next_attempt_at", "pk"))


def _record(message: Message, now: datetime, error: str | None) -> str:
    mine = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING)
    if error is None:
        mine.update(status=MessageStatus.SENT, sent_at=now, last_error="", sending_started_at=None)
        return "sent"
    if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        mine.update(status=MessageStatus.DEAD, last_error=error, sending_started_at=None)
        logger.error(
            "message %s given up after %s attempts: %s", message.pk, message.attempts, error
        )
        return "dead"
    mine.update(
        status=MessageStatus.FAILED,
        last_error=error,
        next_attempt_at=now + backoff(message.attempts),
        sending_started_at=None,
    )
    return "retrying"


def send_one(message: Message, now: datetime | None = None) -> str:
    """Send a claimed message and record the outcome: "sent", "retrying" or "dead"."""
    try:
        sender_for(message.channel).send(message)
        error = None
    except SendError as failure:
        error = str(failure)
    except Exception as failure:  # a broken sender must not stop the others
        logger.exception("sender failed on message %s", message.pk)
        error = f"{type(failure).__name__}: {failure}"
    return _record(message, now or timezone.now(), error)


def deliver_due(
    now: datetime | None = None, *, batch: int = 100, max_batches: int = 50
) -> DeliveryResult:
    """Recover stuck messages, then send what is due, batch by batch."""
    now = now or timezone.now()
    result = DeliveryResult(recovered=recover_stuck(now))
    for _ in range(max_batches):
        claimed = claim_due(now, batch)
        if not claimed:
            break
        for message in claimed:
            outcome = send_one(message, now)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def resend(messages) -> int:
    """Queue failed, given-up or stuck messages again with fresh attempts (the admin's
    重新发送); sent messages and in-app messages are left alone. Returns how many."""
    return (
        messages.filter(
            status__in=[MessageStatus.FAILED, MessageStatus.DEAD, MessageStatus.SENDING]
        )
        .exclude(channel="in_app")
        .update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            sending_started_at=None,
        )
    )
