"""Chinese error pages for the workbench and the citizen page; structured errors for the API
and Open311; the CSRF failure page in Chinese too."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from zongzhi import error_pages, urls
from zongzhi.testing.factories import make_case

DEBUG_PAGE_MARKERS = ("URLconf", "Page not found", "Traceback", "Django tried")


def assert_chinese_page(response, status: int, title: str, *, citizen: bool = False):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and title in html
    assert not any(marker in html for marker in DEBUG_PAGE_MARKERS)
    stylesheet = "/static/intake/citizen.css" if citizen else "/static/zongzhi/app.css"
    assert stylesheet in html
    return html


def test_case_outside_the_area_is_a_chinese_404_with_the_workbench(world, client):
    case = make_case(world.east.village, world.east.clerk)
    client.force_login(world.west.clerk)
    response = client.get(reverse("workbench:case_detail", args=[case.pk]))
    html = assert_chinese_page(response, 404, "页面不存在")
    assert "不在您的管辖范围内" in html and "纠纷台账" in html  # the staff navigation
    assert case.title not in html


def test_unknown_address_is_a_chinese_404(client, db):
    assert_chinese_page(client.get("/no-such-page/"), 404, "页面不存在")


def test_citizen_pages_get_the_mobile_error_page(client, world):
    response = client.get(reverse("intake:poster", args=["000000"]))
    html = assert_chinese_page(response, 404, "页面不存在", citizen=True)
    assert "app.css" not in html


def test_api_and_open311_keep_their_structured_errors(client, db):
    api = client.get("/api/v1/no-such-endpoint")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    open311 = client.get("/open311/v2/no-such-thing.json")
    assert open311.status_code == 404
    assert open311.json()[0]["code"] == 404
    xml = client.get("/open311/v2/no-such-thing.xml")
    assert xml.status_code == 404 and xml.content.startswith(b"<?xml")


def test_bad_host_is_a_chinese_400(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert_chinese_page(response, 400, "请求无效")


def test_403_and_500_pages(db):
    assert urls.handler500 == "zongzhi.error_pages.server_error"
    request = RequestFactory().get("/cases/1/")
    request.user = AnonymousUser()
    forbidden = error_pages.permission_denied(request, PermissionDenied())
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()
    crashed = error_pages.server_error(RequestFactory().get("/cases/1/"))
    assert crashed.status_code == 500 and "系统暂时出错" in crashed.content.decode()
    citizen = error_pages.server_error(RequestFactory().get("/intake/m/report/"))
    assert "/static/intake/citizen.css" in citizen.content.decode()


def test_a_view_that_crashes_shows_the_chinese_500(client, world, monkeypatch):
    from zongzhi.workbench import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", boom)
    crashing = Client(raise_request_exception=False)
    crashing.force_login(world.east.clerk)
    response = crashing.get(reverse("workbench:home"))
    assert_chinese_page(response, 500, "系统暂时出错")


def test_csrf_failure_pages_are_chinese(world):
    strict = Client(enforce_csrf_checks=True)
    staff = strict.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert_chinese_page(staff, 403, "页面已过期")
    citizen = strict.post(reverse("intake:lookup"), {"code": "x", "phone_last4": "1234"})
    assert_chinese_page(citizen, 403, "页面已过期", citizen=True)
