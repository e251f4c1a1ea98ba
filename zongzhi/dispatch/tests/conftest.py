import pytest
from django.test import Client

from zongzhi.api.models import ApiToken
from zongzhi.dispatch.models import RoutingRule
from zongzhi.places.models import Level


@pytest.fixture
def own_rules(db):
    """Switch the seeded default rules off, and give a maker of active rules."""
    RoutingRule.objects.update(is_active=False)

    def make(name="测试规则", *, priority=100, level=Level.COUNTY, types=(), **fields):
        fields.setdefault("is_active", True)
        rule = RoutingRule.objects.create(
            name=name, priority=priority, target_level=level, **fields
        )
        rule.dispute_types.set(types)
        return rule

    return make


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
