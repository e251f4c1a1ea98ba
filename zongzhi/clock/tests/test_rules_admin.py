"""Escalation rules are data an administrator edits; what the sweep did is read-only."""

import pytest
from django.urls import reverse

from zongzhi.clock.models import EscalationRule
from zongzhi.testing.factories import UserFactory


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, place=world.county))
    return client


def test_the_rule_and_step_pages_open(admin_client):
    for page in ("escalationrule_changelist", "escalationrule_add", "sweepstep_changelist"):
        assert admin_client.get(reverse(f"admin:clock_{page}")).status_code == 200
    assert admin_client.get(reverse("admin:clock_sweepstep_add")).status_code == 403


def test_a_rule_names_one_target_and_a_card_rule_its_grade(admin_client):
    url = reverse("admin:clock_escalationrule_add")
    base = {"name": "报到超期", "delay": "2", "delay_unit": "natural_hours", "is_active": "on"}
    both = admin_client.post(
        url,
        base
        | {"milestone": "accept", "deadline_kind": "dispatch.report_in", "action": "raise_risk"},
    )
    assert both.status_code == 200 and "选填且只填一项" in both.text
    no_grade = admin_client.post(
        url, base | {"deadline_kind": "dispatch.report_in", "action": "issue_card"}
    )
    assert no_grade.status_code == 200 and "须选择督办单等级" in no_grade.text
    ok = admin_client.post(url, base | {"deadline_kind": "dispatch.report_in", "action": "move_up"})
    assert ok.status_code == 302
    assert EscalationRule.objects.filter(deadline_kind="dispatch.report_in").count() == 1
