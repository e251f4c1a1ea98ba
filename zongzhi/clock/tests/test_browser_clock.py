"""The clock panel in a browser: a handler asks to stop the clock, the leader approves from
the case page, the page says 已暂停计时 with the reason; at phone width nothing scrolls sideways."""

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from zongzhi.cases import services
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import county_world, make_case

SHOTS = os.environ.get("ZONGZHI_SCREENSHOTS")  # a folder: save screenshots there to look at


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("zongzhi-test-pw")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 375])
def test_ask_approve_and_see_the_pause(live_server, browser, frozen_now, width):
    world = county_world()
    town = world.east
    case = make_case(town.village, town.clerk, now=frozen_now - timedelta(days=1))
    services.transition(case, Action.ACCEPT, actor=town.clerk, now=frozen_now)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit, now=frozen_now)
    url = f"{live_server.url}/cases/{case.pk}/"
    viewport = {"width": width, "height": 900}

    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url, town.handler.username)
    page.goto(url)
    panel = page.locator("#clock-panel")
    shot(page, f"clock-handler-{width}")
    panel.get_by_label("理由").first.fill("等待伤情鉴定结果")
    panel.locator("#form-clock-pause").get_by_role("button", name="提交申请").click()
    expect(page.locator("#pending-pause")).to_contain_text("等待伤情鉴定结果")
    context.close()

    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url, town.leader.username)
    expect(page.locator("#clock-awaiting")).to_contain_text(case.number)
    shot(page, f"clock-home-{width}")
    page.locator("#clock-awaiting").get_by_role("link", name=case.number).click()
    shot(page, f"clock-leader-{width}")
    page.get_by_role("button", name="批准停止计时").click()
    expect(page.locator("#clock-paused")).to_contain_text("等待伤情鉴定结果")
    expect(page.locator(".ms-paused").first).to_contain_text("已暂停计时")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    shot(page, f"clock-paused-{width}")
    context.close()
