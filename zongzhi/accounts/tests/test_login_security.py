"""Login throttling and lockout, the idle timeout, password rules, and API tokens that
expire and die with a password change or deactivation."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zongzhi.accounts.middleware import LAST_ACTIVITY_KEY, STARTED_KEY
from zongzhi.accounts.models import Role, User
from zongzhi.api.models import ApiToken
from zongzhi.demo.staff import DEMO_PASSWORD
from zongzhi.testing.factories import UserFactory

LOGIN = reverse("accounts:login")
HOME = reverse("workbench:home")
PASSWORD = "zongzhi-test-pw"


def attempt(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def fail_five_times(client, username, **headers):
    for number in range(1, 6):
        response = attempt(client, username, "wrong-password", **headers)
        # The ordinary "wrong password" form, and the lockout page at the fifth failure.
        assert response.status_code == (429 if number == 5 else 200)


def test_account_is_locked_at_this_address_after_five_failures(world):
    clerk = world.east.clerk
    fail_five_times(Client(), clerk.username)
    browser = Client()
    locked = attempt(browser, clerk.username, PASSWORD)  # even the right password
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录已暂时锁定" in html and "系统管理员" in html and "15分钟" in html
    assert "_auth_user_id" not in browser.session
    # The same account from another address is not locked out.
    elsewhere = attempt(Client(REMOTE_ADDR="198.51.100.20"), clerk.username, PASSWORD)
    assert elsewhere.status_code == 302


def test_an_address_is_locked_whatever_the_accounts_it_tries(world):
    for number in range(5):
        attempt(Client(), f"guess-{number}", "wrong-password")
    assert attempt(Client(), world.east.clerk.username, PASSWORD).status_code == 429


def test_own_successful_login_does_not_reset_failures_against_another_account(world):
    # Four guesses at a colleague's password, then a login with one's own account, repeated:
    # the colleague's account (and the address) must still lock at the fifth guess.
    victim, insider = world.east.clerk, world.east.handler
    for _ in range(4):
        attempt(Client(), victim.username, "wrong-password")
    assert attempt(Client(), insider.username, PASSWORD).status_code == 302
    assert attempt(Client(), victim.username, "wrong-password").status_code == 429
    assert attempt(Client(), victim.username, PASSWORD).status_code == 429


def test_successful_login_forgets_the_accounts_own_failures(world):
    clerk = world.east.clerk
    for _ in range(4):
        attempt(Client(), clerk.username, "wrong-password")
    assert attempt(Client(), clerk.username, PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(Client(), clerk.username, "wrong-password").status_code == 200
    assert attempt(Client(), clerk.username, PASSWORD).status_code == 302


def test_lock_ends_after_the_cool_off_time(world):
    fail_five_times(Client(), world.east.clerk.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(Client(), world.east.clerk.username, PASSWORD).status_code == 302


def test_administrator_sees_the_attempts_in_chinese_and_unlocks(world, admin_client):
    fail_five_times(Client(), world.east.clerk.username)
    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "登录保护" in listing and "登录失败记录" in listing and "失败次数" in listing
    assert world.east.clerk.username in listing
    pks = list(AccessAttempt.objects.values_list("pk", flat=True))
    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert attempt(Client(), world.east.clerk.username, PASSWORD).status_code == 302


def test_lockout_keys_on_the_client_behind_a_trusted_proxy(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    fail_five_times(Client(), world.east.clerk.username, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    other = attempt(
        Client(), world.east.clerk.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert other.status_code == 302


def set_last_activity(client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_idle_session_is_logged_out_with_a_chinese_notice(world, client):
    client.force_login(world.east.clerk)
    assert client.get(HOME).status_code == 200
    set_last_activity(client, 31 * 60)
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert "由于长时间未操作" in client.get(response.url).content.decode()
    assert client.get(HOME).status_code == 302


def test_idle_limit_is_a_setting_and_activity_keeps_the_session(world, client, settings):
    settings.IDLE_SECONDS = 5 * 60
    client.force_login(world.east.clerk)
    set_last_activity(client, 4 * 60)
    assert client.get(HOME).status_code == 200
    assert client.get(HOME).status_code == 200  # the first request refreshed the activity
    set_last_activity(client, 6 * 60)
    assert client.get(HOME).status_code == 302


def test_busy_session_still_ends_at_the_absolute_limit(world, client, settings):
    client.force_login(world.east.clerk)
    client.get(HOME)
    session = client.session
    session[STARTED_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session[LAST_ACTIVITY_KEY] = int(time.time()) - 120  # active two minutes ago
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert "登录已超过最长时限" in client.get(response.url).content.decode()


def test_idle_session_gets_the_api_401(world, client):
    client.force_login(world.east.clerk)
    set_last_activity(client, 31 * 60)
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_activity_is_not_written_on_every_request(world, client):
    client.force_login(world.east.clerk)
    client.get(HOME)
    key = client.session.session_key
    written = Session.objects.get(session_key=key).expire_date
    client.get(HOME)
    client.get(reverse("workbench:queue"))
    assert Session.objects.get(session_key=key).expire_date == written


def test_password_validators_are_on_and_accept_the_demo_password():
    user = User(username="wangjianguo", display_name="王建国")
    for weak in ("83726451093", "wangjianguo1", "password123", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    demo_user = User(username="hongta-yuxing-clerk", display_name="李明", role=Role.WINDOW_CLERK)
    validate_password(DEMO_PASSWORD, demo_user)


def token_client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_tokens_expire_after_the_configured_days(world, settings):
    settings.API_TOKEN_DAYS = 7
    token, raw = ApiToken.issue(world.east.clerk, "对接")
    expected = timezone.now() + timedelta(days=7)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert token_client(raw).get("/api/v1/cases").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = token_client(raw).get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    token.refresh_from_db()
    assert not token.is_active


def test_password_change_revokes_tokens(world):
    clerk = world.east.clerk
    _, raw = ApiToken.issue(clerk, "对接")
    clerk.display_name = "新名字"
    clerk.save()  # an ordinary change keeps the token
    assert token_client(raw).get("/api/v1/cases").status_code == 200
    clerk.set_password("a-new-long-passphrase-2026")
    clerk.save()
    assert token_client(raw).get("/api/v1/cases").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_password_change_in_the_admin_revokes_tokens(world, admin_client):
    clerk = world.east.clerk
    _, raw = ApiToken.issue(clerk, "对接")
    new = "a-new-long-passphrase-2026"
    response = admin_client.post(
        f"/admin/accounts/user/{clerk.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert token_client(raw).get("/api/v1/cases").status_code == 401


def test_deactivation_revokes_tokens(world):
    handler = UserFactory(username="leaving", role=Role.CENTRE_LEADER, place=world.county)
    _, raw = ApiToken.issue(handler, "对接")
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    handler.is_active = True
    handler.save()
    assert token_client(raw).get("/api/v1/cases").status_code == 401


def test_login_without_a_peer_address_is_still_recorded(world, client):
    """A unix-socket server may pass no REMOTE_ADDR: the attempt is kept without address
    (PostgreSQL's inet column would refuse the rate limits' "unknown")."""
    response = attempt(client, world.east.clerk.username, "wrong-password", REMOTE_ADDR="")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address is None
    client.force_login(world.east.clerk)  # a login without address is logged, too
