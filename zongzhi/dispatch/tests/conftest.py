import pytest
from django.test import Client

from zongzhi.api.models import ApiToken


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def token_client():
    """token_client(user) → a test client sending that user's Bearer token."""

    def make(user) -> Client:
        _, raw = ApiToken.issue(user, "测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make
