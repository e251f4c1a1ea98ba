"""A citizen on a small phone: scan the QR code, report, keep the code, look it up, rate it."""

import io
from pathlib import Path

import pytest
from PIL import Image

from zongzhi.cases import services as case_services
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.models import Case
from zongzhi.cases.workflow import Action
from zongzhi.intake import qr
from zongzhi.intake.models import CitizenRating
from zongzhi.testing.factories import county_world

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = "13987654321"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 375, "height": 740},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
    }


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"citizen-{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_lookup_and_rate_on_a_phone(page, live_server):
    world = county_world()  # live_server flushes the database: build the world here
    village = world.east.village

    # The QR code on the village poster opens the report page pre-set to the village.
    page.goto(live_server.url + qr.report_path(village.code))
    assert page.locator(".preset").inner_text().endswith("玉兴街道一村")
    page.select_option("#id_dispute_type", label=world.dispute_type.name)
    page.fill("#id_description", "隔壁装修每天晚上十点后还在施工，多次沟通无果，希望村里帮忙协调。")
    assert page.locator("#description-count").inner_text().startswith("32 / 2000")
    page.fill("#id_location_text", "三组村口")
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.fill("#id_contact_name", "王女士")
    page.fill("#id_contact_phone", PHONE)
    assert fits_the_screen(page)
    shot(page, "1-report")

    page.locator("#submit-report").tap()
    page.wait_for_selector("#query-code")
    code = page.locator("#query-code").inner_text().strip()
    assert len(code) == 8
    assert "请保存查询码" in page.content()
    assert fits_the_screen(page)
    shot(page, "2-done")
    case = Case.objects.get(query_code=code)
    assert case.attachments.count() == 1

    # Look it up: the code goes along in the form's body, the phone digits are typed; no
    # URL on the way carries either.
    page.fill("#id_done_phone_last4", "0000")
    page.locator("#submit-done-lookup").tap()
    assert "查询码或手机号后四位不正确" in page.locator(".alert").inner_text()
    assert page.input_value("#id_code") == code
    page.fill("#id_phone_last4", PHONE[-4:])
    page.locator("#submit-lookup").tap()
    page.wait_for_selector("#case-status")
    assert code not in page.url and PHONE[-4:] not in page.url
    assert page.locator("#case-status").inner_text() == "上报待受理"
    assert fits_the_screen(page)
    shot(page, "3-progress")

    # The centre handles and concludes it; the citizen rates the result.
    town = world.east
    case_services.transition(case, Action.ACCEPT, actor=town.clerk)
    case_services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit)
    case_services.transition(case, Action.MEET, actor=town.handler)
    case_services.transition(
        case, Action.CONCLUDE, actor=town.handler, note="双方达成协议", outcome=Outcome.RESOLVED
    )
    page.reload()
    assert page.locator("#case-status").inner_text() == Status.FOLLOW_UP.label
    page.locator("label[for=star-4]").tap()
    page.fill("#id_comment", "调解员很耐心，问题解决了")
    assert fits_the_screen(page)
    shot(page, "4-rate")
    page.locator("#submit-rating").tap()
    page.wait_for_selector(".messages")
    assert "感谢您的评价" in page.locator(".messages").inner_text()
    shot(page, "5-rated")
    rating = CitizenRating.objects.get(case=case)
    assert rating.score == 4 and rating.comment == "调解员很耐心，问题解决了"

    # The village's poster, as a clerk would print it.
    page.set_viewport_size({"width": 794, "height": 1123})
    page.goto(live_server.url + f"/intake/m/poster/{village.code}/")
    assert page.locator(".poster-qr").evaluate("img => img.naturalWidth") > 0
    shot(page, "6-poster")
