"""吹哨报到 in a real browser: a county clerk fills the whistle form with the 多长联调 button
(the page's script), adds a county bureau and whistles; two units report in from their own
pages; the third, past its report-in time, shows red on the case and on its unit's home.

Screenshots go to test-artifacts/ (gitignored) for a person to look at.
"""

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from zongzhi.accounts.models import Role
from zongzhi.clock.models import Deadline
from zongzhi.dispatch.models import SubTask, UnitContacts
from zongzhi.testing.factories import UnitFactory, UserFactory, county_world, make_case

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "zongzhi-test-pw"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
    }


def log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def member(username, unit, place):
    person = UserFactory(username=username, role=Role.DEPARTMENT_HANDLER, place=place, unit=unit)
    UnitContacts.objects.create(unit=unit, liaison=person)
    return person


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_county_clerk_whistles_three_units_two_report_in_one_is_late(live_server, page):
    world = county_world()
    # live_server tests flush the data migrations' rows: seed the 多长联调 seats again.
    seats = importlib.import_module("zongzhi.dispatch.migrations.0009_joint_call_seats")
    seats.add_seats(apps, None)
    police = UnitFactory(name="玉兴派出所", department="公安", place=world.east.place)
    bureau = UnitFactory(name="红塔区人社局", department="人社", place=world.county)
    officer = member("police-liaison", police, world.east.place)
    justice = member("justice-liaison", world.east.unit, world.east.place)
    member("bureau-liaison", bureau, world.county)
    case = make_case(world.east.grid, world.county_clerk, title="拖欠工资引发群体讨薪")
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    url = base + reverse("workbench:case_detail", args=[case.pk])

    log_in(page, base, "clerk-county")
    page.goto(url)
    panel = page.locator("#whistles")
    expect(panel.get_by_text("本乡镇未配置人民法庭")).to_be_visible()
    panel.get_by_role("button", name="多长联调").click()
    expect(panel.locator(f'input[name="units"][value="{police.pk}"]')).to_be_checked()
    expect(panel.locator(f'input[name="units"][value="{world.east.unit.pk}"]')).to_be_checked()
    expect(
        panel.locator(f'input[name="grid_heads"][value="{world.east.grid_worker.pk}"]')
    ).to_be_checked()
    panel.locator(f'input[name="grid_heads"][value="{world.east.grid_worker.pk}"]').uncheck()
    panel.locator(f'input[name="units"][value="{bureau.pk}"]').check()
    panel.get_by_label("吹哨事项").fill("请各单位到场，联合核实欠薪情况")
    panel.get_by_role("button", name="吹哨", exact=True).click()
    expect(page.get_by_text("已吹哨，3个单位须按时报到")).to_be_visible()
    assert SubTask.objects.filter(case=case).count() == 3

    for username in (officer.username, justice.username):
        log_in(page, base, username)
        page.goto(url)
        page.locator("#whistles").get_by_role("button", name="报到").click()
        expect(page.get_by_text("已报到", exact=True)).to_be_visible()

    # The bureau's report-in time has passed (set-up: move its due time back).
    late = SubTask.objects.get(unit=bureau)
    Deadline.objects.filter(pk=late.report_in_id).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    log_in(page, base, "clerk-county")
    page.goto(url)
    row = page.locator(f'li[data-sub-task="{late.pk}"]')
    expect(row).to_have_class("whistle-task row-late")
    expect(row.get_by_text("未报到，已超期")).to_be_visible()
    expect(page.locator("li.row-late")).to_have_count(1)
    page.locator("#whistles").screenshot(path=str(ARTIFACTS / "whistles-roster.png"))

    log_in(page, base, "bureau-liaison")
    expect(page.locator("#home-whistles").get_by_text("（已超期）")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "whistles-home-375.png"), full_page=True)
