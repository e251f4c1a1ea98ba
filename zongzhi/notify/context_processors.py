"""The bell's count on every staff page, computed only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from zongzhi.notify.inbox import unread_count


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    return {"unread_messages": SimpleLazyObject(lambda: unread_count(user))}
