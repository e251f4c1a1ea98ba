"""Personal API tokens and Open311 client keys: issued once, stored hashed, revocable."""

import hashlib
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client

from zongzhi.api.models import ApiToken, Open311Client
from zongzhi.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def issue(username: str, name: str = "数据对接") -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", username, name, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_prints_key_once_and_stores_only_its_hash(world):
    raw, notice = issue(world.east.clerk.username)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix) and token.prefix in notice
    assert raw not in notice
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert raw not in stored
    assert token.user == world.east.clerk and token.name == "数据对接"


def test_command_refuses_unknown_or_nodeless_users(world):
    with pytest.raises(CommandError):
        issue("nobody")
    UserFactory(username="floating", place=None)
    with pytest.raises(CommandError):
        issue("floating")


def test_token_authenticates_and_records_use(world):
    raw, _ = issue(world.east.clerk.username)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/cases").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_is_refused(world):
    raw, _ = issue(world.east.clerk.username)
    ApiToken.objects.get().revoke()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_token_of_deactivated_or_citizen_account_is_refused(world):
    raw, _ = issue(world.east.clerk.username)
    world.east.clerk.is_active = False
    world.east.clerk.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/cases").status_code == 401
    citizen = UserFactory(username="citizen", role="citizen", place=world.east.village)
    _, citizen_key = ApiToken.issue(citizen, "x")
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {citizen_key}").get("/api/v1/cases").status_code == 401
    )


def test_open311_client_command(db):
    out = StringIO()
    call_command("create_open311_client", "12345热线", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    client = Open311Client.objects.get()
    assert client.jurisdiction == "zongzhi.local" and client.is_active
    assert client.key_hash == hashlib.sha256(raw.encode()).hexdigest()


def test_admin_lists_and_revokes_tokens(world, admin_client):
    assert admin.site.is_registered(ApiToken) and admin.site.is_registered(Open311Client)
    token, _ = ApiToken.issue(world.east.clerk, "待吊销")
    assert admin_client.get("/admin/api/apitoken/").status_code == 200
    assert admin_client.get("/admin/api/open311client/").status_code == 200
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
