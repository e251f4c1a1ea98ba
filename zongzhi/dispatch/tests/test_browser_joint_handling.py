"""Issue 12's walk in a real browser: a county clerk whistles three departments on a
township's case; two report in; the case shows the third as late; the county leader issues
a red card, the lead answers it; the lead concludes. Screenshots go to test-artifacts/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.tests.test_state_machine import case_at
from zongzhi.clock.models import Deadline
from zongzhi.dispatch.models import SubTask
from zongzhi.dispatch.models.cards import CardState, SupervisionCard
from zongzhi.dispatch.tests.test_browser_dispatch import log_in
from zongzhi.dispatch.tests.test_browser_whistles import member
from zongzhi.testing.factories import UnitFactory, county_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_whistle_three_two_report_in_red_card_answered_lead_concludes(live_server, page):
    world = county_world()
    case = case_at(world, Status.RESOLVE)  # held by the township, led by its justice office
    police = UnitFactory(name="玉兴派出所", department="公安", place=world.east.place)
    labour = UnitFactory(name="红塔区人社局", department="人社", place=world.county)
    housing = UnitFactory(name="红塔区住建局", department="住建", place=world.county)
    member("police-liaison", police, world.east.place)
    member("labour-liaison", labour, world.county)
    member("housing-liaison", housing, world.county)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    url = f"{base}/cases/{case.pk}/"

    # The county clerk whistles three departments at once.
    log_in(page, base, world.county_clerk.username)
    page.goto(url)
    panel = page.locator("#whistles")
    for unit in (police, labour, housing):
        panel.locator(f'input[name="units"][value="{unit.pk}"]').check()
    panel.get_by_label("吹哨事项").fill("请公安、人社、住建到场，联合核实工程欠薪")
    panel.get_by_role("button", name="吹哨", exact=True).click()
    expect(page.get_by_text("已吹哨，3个单位须按时报到")).to_be_visible()

    # Two report in from their own accounts.
    for username in ("police-liaison", "labour-liaison"):
        log_in(page, base, username)
        page.goto(url)
        page.locator("#whistles").get_by_role("button", name="报到").click()
        expect(page.get_by_text("已报到", exact=True)).to_be_visible()

    # The third lets its report-in time pass (set-up: its due time moves back).
    late = SubTask.objects.get(case=case, unit=housing)
    Deadline.objects.filter(pk=late.report_in_id).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    log_in(page, base, world.county_leader.username)
    page.goto(url)
    expect(page.locator("#whistles li.row-late")).to_have_count(1)
    expect(
        page.locator(f'li[data-sub-task="{late.pk}"]').get_by_text("未报到，已超期")
    ).to_be_visible()

    # The county leader issues a red card; the step stays 化解.
    form = page.locator("#form-dispatch-cards-issue")
    form.get_by_label("红牌督办").check()
    form.get_by_label("督办要求").fill("住建局未按时报到，红牌督办，限期化解")
    form.get_by_role("button", name="发出督办").click()
    expect(page.get_by_text("已发出红牌督办")).to_be_visible()
    expect(page.locator(".nine-step.step-current")).to_have_text("化解")
    page.screenshot(path=str(ARTIFACTS / "joint-handling-card.png"), full_page=True)

    # The lead answers the card and concludes.
    log_in(page, base, world.east.handler.username)
    page.goto(url)
    card = SupervisionCard.objects.get(case=case)
    reply = page.locator(f"#form-dispatch-cards-reply-{card.pk}")
    reply.get_by_label("书面回复").fill("已会同公安、人社核实，约定本周内分两次支付")
    reply.get_by_role("button", name="提交回复").click()
    expect(page.get_by_text("督办回复已提交")).to_be_visible()
    conclude = page.locator("#form-conclude")
    conclude.get_by_label("实质化解").check()
    conclude.get_by_label("办理说明").fill("欠薪已结清，工人签字确认")
    conclude.get_by_role("button", name="化解办结").click()
    case.refresh_from_db()
    card.refresh_from_db()
    assert case.status == Status.FOLLOW_UP and case.outcome == Outcome.RESOLVED
    assert card.state == CardState.REPLIED
    page.screenshot(path=str(ARTIFACTS / "joint-handling-concluded.png"), full_page=True)
