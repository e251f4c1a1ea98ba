"""The bell in the top bar: its count in view at phone size, the header still on one line."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from zongzhi.notify.models import Kind
from zongzhi.notify.outbox import enqueue
from zongzhi.testing.factories import county_world
from zongzhi.workbench.tests.test_browser_phone import PHONE, assert_header_on_one_line, box, log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bell_shows_its_count_and_opens_the_inbox_at_phone_size(live_server, browser):
    world = county_world()
    leader = world.county_leader
    with transaction.atomic():
        for n in range(12):
            enqueue(
                Kind.CASE_ASSIGNED,
                f"纠纷{n}已交办给您，请按时见面调处。",
                source=str(n),
                user=leader,
            )
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, live_server.url, leader.username)
    bell, count = page.locator("#inbox-bell"), page.locator(".bell-count")
    expect(count).to_have_text("12")
    assert_header_on_one_line(page)
    bar, name = box(page.locator(".topbar-inner")), box(page.locator(".user-name"))
    for part in (box(bell), box(count)):
        assert part["y"] >= bar["y"] and part["y"] + part["height"] <= bar["y"] + bar["height"]
    assert box(count)["x"] + box(count)["width"] <= name["x"]  # the count clear of the name
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    bell.click()
    expect(page.get_by_role("heading", name="消息")).to_be_visible()
    assert_header_on_one_line(page)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text("已将 12 条消息标记为已读")).to_be_visible()
    expect(count).to_have_count(0)
    context.close()
