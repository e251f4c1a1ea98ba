"""The URL and cookie check that runs before any view (zongzhi.lib.middleware)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from zongzhi.lib.middleware import RefuseControlCharactersMiddleware


@pytest.mark.parametrize(
    "cookie", [("sessionid", "abcdefghij\x00"), ("sessionid", "abc\x1bdefghij"), ("a\x00", "b")]
)
def test_a_cookie_with_control_characters_is_dropped(cookie):
    seen = {}

    def view(request):
        seen.update(request.COOKIES)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.COOKIES = {"csrftoken": "x" * 32, cookie[0]: cookie[1]}
    response = RefuseControlCharactersMiddleware(view)(request)
    assert response.status_code == 200
    assert seen == {"csrftoken": "x" * 32}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/intake/m/report/", "/api/v1/cases"])
def test_a_session_cookie_with_nul_is_anonymous_not_500(client, path):
    # On PostgreSQL the session lookup used to fail on the NUL: a 500 on every page.
    client.cookies["sessionid"] = "abcdefghij\x00"
    response = client.get(path)
    assert response.status_code in {200, 302, 401}
