"""A red card in a real browser: the county leader issues it on a township's case at 化解,
the lead unit's handler answers from the home page's list, the leader closes it; the case
stays at 化解 throughout. Screenshots go to test-artifacts/ (gitignored)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from zongzhi.cases.choices import Status
from zongzhi.cases.tests.test_state_machine import case_at
from zongzhi.dispatch.models.cards import CardState, SupervisionCard
from zongzhi.dispatch.tests.test_browser_dispatch import log_in
from zongzhi.testing.factories import county_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_red_card_is_issued_answered_and_closed(live_server, page):
    world = county_world()
    case = case_at(world, Status.RESOLVE)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    log_in(page, base, world.county_leader.username)
    page.goto(f"{base}/cases/{case.pk}/")
    form = page.locator("#form-dispatch-cards-issue")
    form.get_by_label("红牌督办").check()
    form.get_by_label("督办要求").fill("群众反映强烈，红牌督办，限期化解")
    form.get_by_role("button", name="发出督办").click()
    expect(page.get_by_text("已发出红牌督办")).to_be_visible()
    expect(page.locator(".nine-step.step-card.card-grade-red")).to_contain_text("1次·红牌")
    expect(page.locator(".nine-step.step-current")).to_have_text("化解")
    page.screenshot(path=str(ARTIFACTS / "cards-issued.png"), full_page=True)

    log_in(page, base, world.east.handler.username)
    page.locator("#home-cards").get_by_role("link", name=case.number).click()
    card = SupervisionCard.objects.get()
    reply = page.locator(f"#form-dispatch-cards-reply-{card.pk}")
    reply.get_by_label("书面回复").fill("已联合派出所上门调解，双方同意三日内签订协议")
    reply.get_by_role("button", name="提交回复").click()
    expect(page.get_by_text("督办回复已提交")).to_be_visible()

    log_in(page, base, world.county_leader.username)
    page.locator("#home-cards").get_by_role("link", name=case.number).click()
    close = page.locator(f"#form-dispatch-cards-close-{card.pk}")
    close.get_by_label("满意", exact=True).check()
    close.get_by_role("button", name="销号").click()
    expect(page.get_by_text("督办单已销号")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "cards-closed-375.png"), full_page=True)
    card.refresh_from_db()
    case.refresh_from_db()
    assert card.state == CardState.CLOSED and case.status == Status.RESOLVE
