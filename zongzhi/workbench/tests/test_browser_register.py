"""A clerk logs in, registers a case at the window, finds it in the queue and opens it.

Screenshots go to test-artifacts/ (gitignored) for a person to look at.
"""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from zongzhi.cases.models import Case
from zongzhi.privacy.models import PersonalDataAccess
from zongzhi.privacy.validators import id_check_char
from zongzhi.testing.factories import county_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
APPLICANT_ID = "53040219880808123" + id_check_char("53040219880808123")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1366, "height": 900},
    }


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clerk_registers_a_case_and_finds_it_in_the_queue(live_server, page):
    world = county_world()
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(world.east.clerk.username)
    page.get_by_label("密码").fill("zongzhi-test-pw")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()

    page.get_by_role("link", name="统一登记").first.click()
    expect(page.get_by_role("heading", name="统一登记")).to_be_visible()
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("风险等级").select_option("medium")
    page.get_by_label("事由").fill("柑桔收购压价引发三十名工人聚集")
    page.get_by_label("纠纷详情").fill("收购商临时压价，工人要求按约定价格结算工钱，情绪激动。")
    page.get_by_label("所属地点").select_option(str(world.east.village.pk))
    page.get_by_label("发生地点").fill("玉兴街道一村柑桔包装场")
    applicant = page.locator("section", has=page.get_by_role("heading", name="申请人", exact=True))
    applicant.get_by_label("姓名").fill("王建国")
    applicant.get_by_label("联系电话").fill("13987654321")
    applicant.get_by_label("身份证号").fill(APPLICANT_ID)
    page.get_by_label("证据材料").set_input_files(
        [{"name": "现场照片.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.screenshot(path=ARTIFACTS / "register.png", full_page=True)
    page.get_by_role("button", name="登记", exact=True).click()

    expect(page.get_by_text("登记成功：案件编号")).to_be_visible()
    case = Case.objects.get()
    assert case.title == "柑桔收购压价引发三十名工人聚集"
    assert case.attachments.count() == 1
    expect(page.get_by_role("heading", name=case.title)).to_be_visible()
    expect(page.get_by_text(case.query_code).first).to_be_visible()
    content = page.content()
    assert "13987654321" not in content and APPLICANT_ID not in content
    page.screenshot(path=ARTIFACTS / "case.png", full_page=True)

    # Revealing a party goes through htmx and is logged.
    page.get_by_role("button", name="查看完整信息").first.click()
    expect(page.get_by_text("13987654321")).to_be_visible()
    revealed = PersonalDataAccess.objects.filter(kind=PersonalDataAccess.Kind.REVEALED)
    assert revealed.filter(viewer=world.east.clerk).count() == 1

    page.get_by_role("link", name="纠纷台账").first.click()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    # A filter updates the table in place and the address bar.
    page.get_by_label("风险等级").select_option("high")
    expect(page.get_by_text("没有符合条件的纠纷")).to_be_visible()
    expect(page).to_have_url(re.compile(r"risk=high"))
    page.get_by_label("风险等级").select_option("medium")
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "queue.png", full_page=True)
