"""The issue's walk through dispatch, in a real browser: a township clerk registers a
high-risk case with 30 people; routing suggests the county and says why; the clerk accepts;
the county clerk signs for it and gives it a lead and a joint unit; the lead concludes.

Screenshots go to test-artifacts/ (gitignored) for a person to look at.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from zongzhi.accounts.models import Role, UnitKind
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.models import Case
from zongzhi.dispatch.models import CaseMove, RoutingDecision
from zongzhi.dispatch.models.moves import MoveState
from zongzhi.dispatch.routing_defaults import install_default_rules
from zongzhi.places.models import Level
from zongzhi.privacy.validators import id_check_char
from zongzhi.testing.factories import UnitFactory, UserFactory, county_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
APPLICANT_ID = "53040219880808123" + id_check_char("53040219880808123")
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_high_risk_case_is_routed_to_the_county_signed_for_and_handled(live_server, page):
    world = county_world()
    install_default_rules()  # live_server tests flush the seeded rules
    police = UnitFactory(name="红塔区公安分局", place=world.county, kind=UnitKind.STATIONED)
    labour = UnitFactory(name="红塔区人社局", place=world.county, kind=UnitKind.ROTATING)
    officer = UserFactory(
        username="county-police", role=Role.DEPARTMENT_HANDLER, place=world.county, unit=police
    )
    UserFactory(
        username="county-labour", role=Role.DEPARTMENT_HANDLER, place=world.county, unit=labour
    )
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    # The township clerk registers the case at the window.
    log_in(page, base, world.east.clerk.username)
    page.get_by_role("link", name="统一登记").first.click()
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("风险等级").select_option("high")
    page.get_by_label("涉及人数").fill("30")
    page.get_by_label("事由").fill("柑桔包装场压价引发三十名工人讨要工钱")
    page.get_by_label("纠纷详情").fill(
        "收购商临时压价，三十名工人要求按约定价格结算工钱，情绪激动。"
    )
    page.get_by_label("所属地点").select_option(str(world.east.village.pk))
    applicant = page.locator("section", has=page.get_by_role("heading", name="申请人", exact=True))
    applicant.get_by_label("姓名").fill("王建国")
    applicant.get_by_label("联系电话").fill("13987654321")
    applicant.get_by_label("身份证号").fill(APPLICANT_ID)
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("登记成功：案件编号")).to_be_visible()
    case = Case.objects.get()
    assert case.holding_place == world.east.place and case.people_count == 30

    # Routing suggests the county and says why; the clerk accepts.
    routing = page.locator("#routing")
    expect(routing.get_by_text("红塔区").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "dispatch-1-suggestion.png", full_page=True)
    expect(routing.get_by_text("高风险 → 县级")).to_be_visible()
    expect(routing.get_by_text("风险等级为高")).to_be_visible()
    expect(routing.get_by_text("采纳后纠纷将提级至红塔区办理")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "dispatch-1-suggestion.png", full_page=True)
    routing.get_by_role("button", name="采纳建议").click()
    expect(page.get_by_text("已采纳分流建议：高风险 → 县级")).to_be_visible()
    decision = RoutingDecision.objects.get()
    assert decision.outcome == RoutingDecision.Outcome.ACCEPTED
    move = CaseMove.objects.get(state=MoveState.PENDING)
    assert move.to_place == world.county

    # The county clerk finds it to sign for, signs, accepts and assigns lead and joint units.
    log_in(page, base, world.county_clerk.username)
    page.goto(f"{base}/cases/{case.pk}/")
    page.locator("#form-sign").get_by_role("button", name="签收").click()
    expect(page.get_by_text("已签收，本中心承办该纠纷")).to_be_visible()
    case.refresh_from_db()
    assert case.holding_place == world.county
    page.locator("#form-accept").get_by_role("button", name="受理").click()
    form = page.locator("#form-assign")
    expect(form).to_be_visible()
    form.get_by_label("主办单位").select_option(str(police.pk))
    form.get_by_label("协办单位").select_option([str(labour.pk)])
    form.get_by_label("办理说明").fill("公安牵头稳控，人社核实工钱")
    page.screenshot(path=ARTIFACTS / "dispatch-2-assign.png", full_page=True)
    form.get_by_role("button", name="交办").click()
    case.refresh_from_db()
    assert case.status == Status.ASSIGN
    kinds = dict(case.assignments.values_list("unit__name", "kind"))
    assert kinds == {"红塔区公安分局": "lead", "红塔区人社局": "joint"}

    # The lead meets the parties and concludes.
    log_in(page, base, officer.username)
    page.goto(f"{base}/cases/{case.pk}/")
    page.locator("#form-meet").get_by_role("button", name="见面调处").click()
    conclude = page.locator("#form-conclude")
    expect(conclude).to_be_visible()
    conclude.get_by_label("实质化解").check()
    conclude.get_by_label("办理说明").fill("已按约定价格结算，工人散去")
    conclude.get_by_role("button", name="化解办结").click()
    case.refresh_from_db()
    assert case.status == Status.FOLLOW_UP and case.outcome == Outcome.RESOLVED
    assert case.concluded_level == Level.COUNTY
    page.screenshot(path=ARTIFACTS / "dispatch-3-concluded.png", full_page=True)
