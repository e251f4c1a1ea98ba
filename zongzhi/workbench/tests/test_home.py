import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import UserFactory, make_case

HOME = reverse("workbench:home")


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="colour-chart-data"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return {row["name"]: row["value"] for row in json.loads(payload)}


def test_anonymous_is_sent_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_home_counts_by_colour_and_status_in_my_area_only(world, login):
    old = timezone.now() - timedelta(days=2)
    make_case(world.east.village, world.east.clerk, now=old)  # overdue: red
    make_case(world.east.village, world.east.clerk)  # fresh: accept due in 24 h, normal
    make_case(world.west.village, world.west.clerk)
    response = login(world.east.clerk).get(HOME)
    assert response.status_code == 200
    data = chart_data(response)
    assert data["红色（临期或超期）"] == 1
    assert data["正常办理"] == 1
    assert sum(data.values()) == 2
    assert ("report", "上报待受理", 2) in response.context["status_rows"]
    assert 'src="/static/vendor/echarts/echarts.min.js"' in response.content.decode()


def test_rejected_cases_count_as_ended_not_in_progress(world, login):
    old = timezone.now() - timedelta(days=2)
    rejected = make_case(world.east.village, world.east.clerk, now=old)
    services.transition(rejected, Action.REJECT, actor=world.east.clerk, note="重复", now=old)
    make_case(world.east.village, world.east.clerk)  # fresh: normal
    response = login(world.east.clerk).get(HOME)
    data = chart_data(response)
    assert data["正常办理"] == 1
    assert data["不予受理"] == 1
    assert data["红色（临期或超期）"] == 0
    assert rejected not in response.context["todo"]


def test_clerk_todo_lists_cases_waiting_for_intake(world, login):
    waiting = make_case(world.east.village, world.east.clerk, title="待受理的纠纷")
    assessed = make_case(world.east.village, world.east.clerk, title="研判中的纠纷")
    services.transition(assessed, Action.ACCEPT, actor=world.east.clerk)
    assigned = make_case(world.east.village, world.east.clerk, title="已交办的纠纷")
    services.transition(assigned, Action.ACCEPT, actor=world.east.clerk)
    services.transition(assigned, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    make_case(world.west.village, world.west.clerk, title="西边的纠纷")
    response = login(world.east.clerk).get(HOME)
    todo = set(response.context["todo"])
    assert todo == {waiting, assessed}
    assert reverse("workbench:case_detail", args=[waiting.pk]) in response.content.decode()


def test_handler_todo_lists_cases_assigned_to_me_or_my_unit(world, login):
    to_unit = make_case(world.east.village, world.east.clerk)
    services.transition(to_unit, Action.ACCEPT, actor=world.east.clerk)
    services.transition(to_unit, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    to_grid_worker = make_case(world.east.grid, world.east.clerk)
    services.transition(to_grid_worker, Action.ACCEPT, actor=world.east.clerk)
    services.transition(
        to_grid_worker, Action.ASSIGN, actor=world.east.clerk, assignee=world.east.grid_worker
    )
    make_case(world.east.village, world.east.clerk)  # not assigned
    assert set(login(world.east.handler).get(HOME).context["todo"]) == {to_unit}
    assert set(login(world.east.grid_worker).get(HOME).context["todo"]) == {to_grid_worker}


def test_leader_todo_lists_red_cases(world, login, frozen_now):
    red = make_case(world.east.village, world.east.clerk, now=timezone.now() - timedelta(days=2))
    not_red = make_case(world.east.village, world.east.clerk, title="已受理")
    services.transition(not_red, Action.ACCEPT, actor=world.east.clerk)  # next due: meet in 3 d
    response = login(world.east.leader).get(HOME)
    assert set(response.context["todo"]) == {red}
    assert "已超期" in response.content.decode()


def test_account_without_a_node_sees_nothing(world, login):
    lost = UserFactory(username="nowhere", role=Role.WINDOW_CLERK, place=None)
    make_case(world.east.village, world.east.clerk)
    response = login(lost).get(HOME)
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "尚未分配所属节点" in response.content.decode()


def test_home_refuses_post(world, login):
    assert login(world.east.clerk).post(HOME).status_code == 405
