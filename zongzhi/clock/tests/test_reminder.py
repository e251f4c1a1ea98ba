"""Administrators see a reminder of next year's holiday arrangement from November."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.clock.models import CalendarYear
from zongzhi.testing.factories import UserFactory

REMINDER = "2027年节假日安排尚未录入"


def set_now(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)


@pytest.fixture
def november(monkeypatch):
    set_now(monkeypatch, datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")))


def page(client, user, url) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_admin_index_and_the_workbench_remind_administrators(client, world, november):
    admin = UserFactory(role=Role.ADMINISTRATOR, place=world.county, is_staff=True)
    assert REMINDER in page(client, admin, reverse("admin:index"))
    assert REMINDER in page(client, admin, reverse("workbench:home"))
    CalendarYear.objects.create(year=2027, confirmed=True)
    assert REMINDER not in page(client, admin, reverse("admin:index"))
    assert REMINDER not in page(client, admin, reverse("workbench:home"))


def test_other_staff_are_not_reminded(client, world, november):
    assert REMINDER not in page(client, world.east.clerk, reverse("workbench:home"))


def test_no_reminder_before_november(client, world, monkeypatch):
    set_now(monkeypatch, datetime(2026, 10, 31, 23, tzinfo=ZoneInfo("Asia/Shanghai")))
    admin = UserFactory(role=Role.ADMINISTRATOR, place=world.county, is_staff=True)
    assert REMINDER not in page(client, admin, reverse("workbench:home"))
