"""The staff inbox: reads and the one write (marking as read), scoped to the account."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from zongzhi.accounts.models import User
from zongzhi.cases.models import Case
from zongzhi.notify.models import Channel, Message


def inbox_of(user: User) -> QuerySet[Message]:
    """The in-app messages of `user`, newest first."""
    return Message.objects.filter(recipient_user=user, channel=Channel.IN_APP)


def unread_count(user: User) -> int:
    """How many unread messages `user` has (the bell): one COUNT on a partial index."""
    if not (user and user.is_authenticated):
        return 0
    return inbox_of(user).filter(read_at__isnull=True).count()


def linkable_case_ids(user: User, messages: list[Message]) -> set[int]:
    """Of the cases these messages link to, those `user` may still open."""
    ids = {m.case_id for m in messages if m.case_id}
    return set(Case.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def mark_read(user: User, message_id: int | None = None, *, now: datetime | None = None) -> int:
    """Mark one of `user`'s messages (or, without an id, all of them) as read; returns how
    many changed. Another account's message is simply not found."""
    unread = inbox_of(user).filter(read_at__isnull=True)
    if message_id is not None:
        unread = unread.filter(pk=message_id)
    return unread.update(read_at=now or timezone.now())
