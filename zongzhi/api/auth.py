"""Who is calling the staff API: a personal token (Authorization: Bearer …) or the session.

The token is tried first so that a machine client never trips over the session's CSRF check;
a browser with a session must send the CSRF token on unsafe methods (django_auth checks it).
"""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from zongzhi.api.models import ApiToken, hash_key

# last_used_at is refreshed at most this often, not written on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def is_staff_account(user) -> bool:
    return bool(user and user.works_in_an_area)


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user", "user__place")
            .filter(key_hash=hash_key(token.strip()), revoked_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if found is None or not is_staff_account(found.user):
            return None
        if found.last_used_at is None or found.last_used_at < now - LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class StaffSessionAuth(SessionAuth):
    """django_auth (with its CSRF check), limited to staff accounts that belong to a node."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        return user if is_staff_account(user) else None


staff_auth = [ApiTokenAuth(), StaffSessionAuth()]
