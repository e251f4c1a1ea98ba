"""Staff pages at phone size (375 px): the queue as cards, the top bar on one line."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from zongzhi.testing.factories import county_world, make_case

PHONE = {"width": 375, "height": 812}


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("zongzhi-test-pw")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def assert_header_on_one_line(page) -> None:
    bar = box(page.locator(".topbar-inner"))
    assert bar["height"] <= 60, bar
    name, logout = box(page.locator(".user-name")), box(page.locator(".link-button"))
    brand, menu = box(page.locator(".brand-mark")), box(page.locator(".mainnav"))
    centre = bar["y"] + bar["height"] / 2
    for part in (name, logout, brand, menu):
        assert abs(part["y"] + part["height"] / 2 - centre) < 8, part
    assert name["x"] + name["width"] + 4 <= logout["x"]  # not squeezed against 退出
    assert logout["x"] + logout["width"] <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_queue_shows_colour_and_deadline_without_sideways_scrolling(
    live_server, browser, frozen_now
):
    world = county_world()
    # Reported Thu 5 March: accept was due at the end of Friday the 6th.
    make_case(world.east.grid, world.east.clerk, now=frozen_now - timedelta(days=6))
    make_case(world.west.village, world.west.clerk)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url, world.county_leader.username)
    assert_header_on_one_line(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", name="纠纷台账")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert_header_on_one_line(page)
    rows = page.locator(".case-table tbody tr")
    expect(rows).to_have_count(2)
    overdue = rows.filter(has_text="已超期 4天10小时")
    for part in (overdue.locator(".badge"), overdue.get_by_text("已超期 4天10小时")):
        expect(part).to_be_visible()
        found = box(part)
        assert found["x"] >= 0 and found["x"] + found["width"] <= PHONE["width"], found
    expect(overdue.get_by_text("玉兴街道·玉兴街道一村·第一网格")).to_be_visible()
    context.close()
