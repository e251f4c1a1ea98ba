"""QR codes (PNG, SVG) per township, village and grid, and the printable poster."""

import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.urls import reverse

from zongzhi.intake import qr


def test_report_url_carries_the_place_code(world, settings):
    settings.ALLOWED_HOSTS = ["zongzhi.example.gov.cn"]
    request = RequestFactory().get("/", HTTP_HOST="zongzhi.example.gov.cn")
    url = qr.report_url(request, world.east.village.code)
    assert url == f"http://zongzhi.example.gov.cn/intake/m/report/?place={world.east.village.code}"


def test_png_encodes_the_report_url(client, world):
    code = world.east.village.code
    response = client.get(reverse("intake:qr_png", args=[code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    # The served image is exactly the code of the report URL pre-set to this place.
    expected = qr.render_png(f"http://testserver/intake/m/report/?place={code}")
    assert response.content == expected


def test_svg_is_an_svg_document_of_the_same_code(client, world):
    code = world.west.place.code
    response = client.get(reverse("intake:qr_svg", args=[code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert response.content == qr.render_svg(f"http://testserver/intake/m/report/?place={code}")


def test_matrix_changes_with_the_place(world):
    first = qr.make_code(f"http://x/intake/m/report/?place={world.east.village.code}")
    second = qr.make_code(f"http://x/intake/m/report/?place={world.west.village.code}")
    assert first.error in {"M", "Q", "H"}  # at least M; segno raises it when it fits free
    assert list(first.matrix) != list(second.matrix)


def test_grid_has_a_code(client, world):
    response = client.get(reverse("intake:qr_png", args=[world.east.grid.code]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["intake:qr_png", "intake:qr_svg", "intake:poster"])
def test_unknown_place_or_county_has_no_code(client, world, name):
    assert client.get(reverse(name, args=["000000"])).status_code == 404
    assert client.get(reverse(name, args=[world.county.code])).status_code == 404


def test_poster_names_the_centre_and_shows_the_code(client, world, settings):
    settings.CITIZEN_HOTLINE = "0877-1234567"
    village = world.east.village
    response = client.get(reverse("intake:poster", args=[village.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "玉兴街道一村综治中心" in html and "扫码反映矛盾纠纷" in html and "24小时受理" in html
    assert "0877-1234567" in html
    assert reverse("intake:qr_svg", args=[village.code]) in html
    assert f"/intake/m/report/?place={village.code}" in html


def test_poster_names_for_township_and_grid(world):
    assert qr.centre_name(world.east.place) == "玉兴街道综治中心"
    assert qr.centre_name(world.east.grid) == "玉兴街道一村第一网格"


def test_qr_url_opens_the_report_page_preset(client, world):
    village = world.east.village
    response = client.get(qr.report_path(village.code))
    assert response.status_code == 200
    assert response.context["preset"] == village
