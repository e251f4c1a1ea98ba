"""The 吹哨报到 panel of the case page, its POSTs and the department's home panel: who sees the
form, the roster and its red, errors in Chinese that change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from zongzhi.dispatch import whistles
from zongzhi.dispatch.models import SubTask
from zongzhi.dispatch.whistles import Call
from zongzhi.testing.factories import make_case


@pytest.fixture
def case(world, called):
    return make_case(world.east.grid, world.east.clerk)


def _page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()


def _post(client, user, name, case, data):
    client.force_login(user)
    return client.post(reverse(f"dispatch:{name}", args=[case.pk]), data, follow=True)


def test_the_form_shows_to_those_who_may_whistle_with_the_preset(client, world, called, case):
    html = _page(client, world.east.clerk, case)
    assert 'id="form-dispatch-whistles-whistle"' in html
    assert "多长联调" in html and "本乡镇未配置检察室" in html
    assert f'name="units" value="{called.tribunal.pk}"' in html
    assert f'name="units" value="{world.west.unit.pk}"' not in html
    assert f'name="grid_heads" value="{world.east.grid_worker.pk}"' in html
    assert "综治专员 " + str(called.police_liaison) in html
    assert 'id="whistle-preset"' in html and 'value="24"' in html
    for user in (world.east.handler, world.east.grid_worker, world.analyst):
        assert 'id="form-dispatch-whistles-whistle"' not in _page(client, user, case)


def test_whistle_report_in_and_back_through_the_pages(client, world, called, case):
    response = _post(
        client,
        world.east.clerk,
        "whistle",
        case,
        {
            "units": [called.police.pk, called.bureau.pk],
            "grid_heads": [world.east.grid_worker.pk],
            "note": "请到场联合调处",
            "report_in_hours": "4",
            "report_back_by": "",
        },
    )
    assert "已吹哨，3个单位须按时报到" in response.content.decode()
    police = SubTask.objects.get(unit=called.police)
    assert police.report_in.due_at == police.whistled_at + timedelta(hours=4)
    assert SubTask.objects.get(unit=None).seat == "grid-head"

    html = _page(client, called.police_liaison, case)  # a department handler: need-to-know
    assert 'id="form-dispatch-whistles-whistle"' not in html
    assert f'id="form-dispatch-whistles-report-in-{police.pk}"' in html
    bureau = SubTask.objects.get(unit=called.bureau)
    assert f'id="form-dispatch-whistles-report-in-{bureau.pk}"' not in html
    _post(client, called.police_liaison, "whistle_report_in", case, {"sub_task": police.pk})
    html = _page(client, called.police_liaison, case)
    assert f'id="form-dispatch-whistles-report-back-{police.pk}"' in html
    assert "已报到（按时）" in html
    empty = _post(
        client, called.police_liaison, "whistle_report_back", case, {"sub_task": police.pk}
    )
    assert "请填写反馈的办理结果" in empty.content.decode()
    _post(
        client,
        called.police_liaison,
        "whistle_report_back",
        case,
        {"sub_task": police.pk, "note": "双方已和解"},
    )
    police.refresh_from_db()
    assert police.result == "双方已和解"


def test_refusals_are_chinese_and_change_nothing(client, world, called, case):
    whistles.whistle(case, [Call(unit=called.police)], actor=world.east.clerk, note="到场")
    task = SubTask.objects.get()
    repeat = _post(
        client, world.east.leader, "whistle", case, {"units": [called.police.pk], "note": "再次"}
    )
    assert "玉兴派出所在本纠纷上已有未反馈的吹哨任务，不能重复吹哨" in repeat.content.decode()
    foreign = _post(
        client, world.east.clerk, "whistle", case, {"units": [world.west.unit.pk], "note": "x"}
    )
    assert whistles.UNIT_REFUSED in foreign.content.decode()
    bad_date = _post(
        client,
        world.east.clerk,
        "whistle",
        case,
        {"units": [called.bureau.pk], "note": "x", "report_back_by": "2026-13-40"},
    )
    assert "反馈日期格式应为 YYYY-MM-DD" in bad_date.content.decode()
    other = _post(client, called.bureau_liaison, "whistle_report_in", case, {"sub_task": task.pk})
    assert other.status_code == 404  # the bureau was not called: it cannot even see the case
    wrong = _post(client, world.east.clerk, "whistle_report_in", case, {"sub_task": task.pk})
    assert "只有被吹哨单位的人员可以报到或反馈" in wrong.content.decode()
    missing = _post(client, called.police_liaison, "whistle_report_in", case, {"sub_task": "x"})
    assert "所选吹哨任务不存在" in missing.content.decode()
    assert SubTask.objects.count() == 1
    task.refresh_from_db()
    assert task.reported_in_at is None
    # Whoever may not whistle is refused at the POST as well.
    handler = _post(
        client, called.police_liaison, "whistle", case, {"units": [called.bureau.pk], "note": "x"}
    )
    assert "不能在此纠纷上吹哨" in handler.content.decode()
    assert SubTask.objects.count() == 1


def test_the_roster_shows_the_late_in_red(client, world, called, case):
    past = case.created_at - timedelta(days=10)
    whistles.whistle(
        case,
        [Call(unit=called.police), Call(unit=called.bureau)],
        actor=world.east.clerk,
        note="到场",
        now=past,
    )
    police = SubTask.objects.get(unit=called.police)
    whistles.report_in(police, called.police_liaison, now=past + timedelta(hours=1))
    html = _page(client, world.east.clerk, case)
    assert html.count("whistle-task row-late") == 2  # both overdue to report back now
    assert "未报到，已超期" in html and "已报到（按时）" in html


def test_the_departments_home_lists_its_open_sub_tasks(client, world, called, case):
    past = case.created_at - timedelta(days=10)
    whistles.whistle(
        case, [Call(unit=called.police)], actor=world.east.clerk, note="到场", now=past
    )
    client.force_login(called.police_leader)
    html = client.get(reverse("workbench:home")).content.decode()
    assert 'id="home-whistles"' in html and case.number in html and "（已超期）" in html
    client.force_login(called.bureau_liaison)
    assert 'id="home-whistles"' not in client.get(reverse("workbench:home")).content.decode()
