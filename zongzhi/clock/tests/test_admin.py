"""An administrator enters next year's arrangement in the admin, without a release."""

from datetime import date

import pytest
from django.urls import reverse

from zongzhi.clock import calendar
from zongzhi.clock.models import CalendarYear, SpecialDay
from zongzhi.testing.factories import UserFactory


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, place=world.county))
    return client


@pytest.mark.parametrize("model", ["calendaryear", "specialday", "dutyshift"])
def test_the_calendar_pages_open(admin_client, model):
    for page in ("changelist", "add"):
        response = admin_client.get(reverse(f"admin:clock_{model}_{page}"))
        assert response.status_code == 200


def test_an_administrator_enters_and_confirms_2027(admin_client):
    added = admin_client.post(
        reverse("admin:clock_specialday_add"),
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
    )
    assert added.status_code == 302
    assert not calendar.is_working_day(date(2027, 1, 1))
    confirmed = admin_client.post(
        reverse("admin:clock_calendaryear_add"), {"year": "2027", "confirmed": "on"}
    )
    assert confirmed.status_code == 302
    assert CalendarYear.objects.get(year=2027).confirmed and calendar.is_confirmed(date(2027, 1, 1))
    # The same national date twice is refused with a message, not a 500.
    again = admin_client.post(
        reverse("admin:clock_specialday_add"), {"date": "2027-01-01", "kind": "workday"}
    )
    assert again.status_code == 200 and SpecialDay.objects.filter(date="2027-01-01").count() == 1


@pytest.mark.parametrize("model", ["clockpause", "extension"])
def test_pauses_and_extensions_are_shown_not_edited(admin_client, world, model):
    from zongzhi.clock import extensions, pauses
    from zongzhi.testing.factories import make_case

    case = make_case(world.east.village, world.east.clerk)
    pauses.request_pause(case, actor=world.east.clerk, reason="等待鉴定")
    extensions.request_extension(case, actor=world.east.clerk, days=1, reason="外出务工")
    response = admin_client.get(reverse(f"admin:clock_{model}_changelist"))
    assert response.status_code == 200
    assert admin_client.get(reverse(f"admin:clock_{model}_add")).status_code == 403
