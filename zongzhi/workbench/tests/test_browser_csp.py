"""Under the Content-Security-Policy the pages still work: the home chart draws, htmx
filters the queue, Swagger UI and the admin render, and the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from zongzhi.accounts.models import Role
from zongzhi.testing.factories import UserFactory, county_world, make_case


def watch_console(page) -> list[str]:
    problems: list[str] = []

    def on_console(message) -> None:
        # The browser's own favicon request is no page's doing.
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("zongzhi-test-pw")
    page.get_by_role("button", name="登录").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_csp_without_violations(live_server, page):
    world = county_world()
    make_case(world.east.village, world.east.clerk)
    admin = UserFactory(
        username="csp-admin", role=Role.ADMINISTRATOR, place=world.county, is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    problems = watch_console(page)

    log_in(page, live_server, admin.username)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    # ECharts drew the colour chart from the json_script data, loaded from a static file.
    expect(page.locator("#colour-chart canvas")).to_have_count(1)

    page.get_by_role("link", name="纠纷台账").first.click()
    page.get_by_label("风险等级").select_option("high")
    expect(page.get_by_text("没有符合条件的纠纷")).to_be_visible()
    # htmx did not inject its indicator <style>: the CSP would refuse it.
    assert page.locator("head style").count() == 0

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("综治中心信息平台 API")

    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("综治中心信息平台")
    page.goto(f"{live_server.url}/admin/accounts/user/{admin.pk}/change/")
    expect(page.locator("#id_username")).to_have_value(admin.username)

    page.goto(f"{live_server.url}/intake/m/report/")
    expect(page.locator("#description-count")).to_contain_text("/ 2000")
    page.goto(f"{live_server.url}/intake/m/poster/{world.east.village.code}/")
    expect(page.locator("#print-poster")).to_be_visible()

    violations = [text for text in problems if "Content Security Policy" in text]
    assert not violations, violations
    assert not problems, problems
