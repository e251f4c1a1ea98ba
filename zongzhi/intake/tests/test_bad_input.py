"""Bad input on the citizen's page and QR URLs: a Chinese 400, never a 500."""

import pytest

from zongzhi.cases.models import Case
from zongzhi.intake.tests.test_window_register import URL as WINDOW
from zongzhi.intake.tests.test_window_register import valid_data

pytestmark = pytest.mark.django_db
REPORT = "/intake/m/report/"


def report_form(world, **extra):
    return {
        "dispute_type": world.dispute_type.pk,
        "description": "楼上住户长期漏水，协商多次未果。",
        "place": world.east.village.code,
        "contact_phone": "13987654321",
        "client_token": "tok-1",
        **extra,
    }


@pytest.mark.parametrize(
    "url",
    [
        REPORT + "?place=%00",
        "/intake/m/poster/53%00/",
        "/intake/m/qr/53%00.png",
        "/intake/m/report/places/?county=%00",
        "/intake/m/lookup/?code=%00",
    ],
)
def test_nul_in_url_is_a_chinese_400(world, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


@pytest.mark.parametrize(
    "field", ["description", "place", "location_text", "contact_name", "county", "client_token"]
)
def test_report_form_with_nul_is_400(world, client, field):
    response = client.post(REPORT, report_form(world, **{field: "漏水\x00"}))
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert not Case.objects.exists()


def test_report_form_with_bell_character_is_400(world, client):
    response = client.post(REPORT, report_form(world, description="漏水\x07"))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_lookup_with_nul_is_400(world, client):
    response = client.post("/intake/m/lookup/", {"code": "AB\x00", "phone_last4": "1234"})
    assert response.status_code == 400


def test_lookup_phone_digits_are_ascii_only(world, client):
    response = client.post("/intake/m/lookup/", {"code": "ABCD2345", "phone_last4": "１２３４"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请输入手机号后四位" in page
    assert "查询码或手机号后四位不正确" not in page


@pytest.mark.parametrize(
    "change", [{"title": "占道\x00"}, {"applicant-name": "张\x07三"}, {"people_count": "３"}]
)
def test_window_register_refuses_control_characters_and_odd_digits(world, client, change):
    client.force_login(world.east.clerk)
    response = client.post(WINDOW, valid_data(world, **change))
    assert not Case.objects.exists()
    page = response.content.decode()
    assert "控制字符" in page or "涉及人数须为整数" in page
