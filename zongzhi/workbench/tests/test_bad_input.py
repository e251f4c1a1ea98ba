"""The workbench refuses impossible input with a Chinese message, never a 500."""

import pytest

from zongzhi.cases.models import CaseEvent
from zongzhi.workbench.tests.test_case_actions import follow, form_errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "created_to=9999-12-31",
        "created_from=0001-01-01",
        "created_from=2026-13-45",
        "created_from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01",
    ],
)
def test_bad_dates_are_reported_not_500(world, login, query):
    response = login(world.east.clerk).get(f"/cases/?{query}")
    assert response.status_code == 200
    assert "登记日期" in response.content.decode()
    assert response.context["filter_errors"]


@pytest.mark.parametrize("query", ["q=%00", "page=%00", "q=a%01b"])
def test_control_characters_in_queue_query_are_a_chinese_400(world, login, query):
    response = login(world.east.clerk).get(f"/cases/?{query}")
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


@pytest.mark.parametrize("page", ["²", "99999999999999999999999", "-1"])
def test_odd_page_numbers_show_a_page(world, login, page):
    response = login(world.east.clerk).get("/cases/", {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("note", ["电话\x00联系", "电话\x1b联系"])
def test_comment_with_control_character_is_refused_in_chinese(world, login, east_case, note):
    response = follow(login(world.east.clerk), "case_comment", east_case, {"note": note})
    assert any("控制字符" in error for error in form_errors(response, "comment"))
    assert not CaseEvent.objects.filter(case=east_case, kind="comment").exists()
