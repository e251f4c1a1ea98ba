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


@pytest.fixture
def called(world):
    """Units an east case may call (吹哨报到), each with a member who is its liaison and a
    leader in charge: the east police station, a county bureau, and a tribunal at the county
    serving the east township; plus the east justice office (world.east.unit) with its handler
    as liaison. Returns a namespace of units and people."""
    from types import SimpleNamespace

    from zongzhi.accounts.models import Role
    from zongzhi.dispatch.models import UnitContacts
    from zongzhi.testing.factories import UnitFactory, UserFactory

    def unit_with_people(key, name, department, place, serves=()):
        unit = UnitFactory(name=name, department=department, place=place)
        unit.serves.set(serves)
        liaison = UserFactory(
            username=f"{key}-liaison", role=Role.DEPARTMENT_HANDLER, place=place, unit=unit
        )
        leader = UserFactory(
            username=f"{key}-leader", role=Role.DEPARTMENT_HANDLER, place=place, unit=unit
        )
        UnitContacts.objects.create(unit=unit, liaison=liaison, leader=leader)
        return unit, liaison, leader

    police, police_liaison, police_leader = unit_with_people(
        "police", "玉兴派出所", "公安", world.east.place
    )
    bureau, bureau_liaison, bureau_leader = unit_with_people(
        "hrss", "红塔区人社局", "人社", world.county
    )
    tribunal, tribunal_liaison, _ = unit_with_people(
        "tribunal", "红塔区人民法院玉兴人民法庭", "法院", world.county, serves=[world.east.place]
    )
    UnitContacts.objects.create(unit=world.east.unit, liaison=world.east.handler)
    return SimpleNamespace(
        police=police,
        police_liaison=police_liaison,
        police_leader=police_leader,
        bureau=bureau,
        bureau_liaison=bureau_liaison,
        bureau_leader=bureau_leader,
        tribunal=tribunal,
        tribunal_liaison=tribunal_liaison,
    )
