"""The case page's 一案三交 / 一案一策 panel, its forms, and the home page's list."""

from datetime import timedelta

import pytest
from django.urls import reverse

from zongzhi.cases.choices import RiskGrade
from zongzhi.dispatch.models import Duty, KeyCase, PlanItem
from zongzhi.testing.factories import make_case, three_people_for


@pytest.fixture
def people(world):
    return three_people_for(world.east, world.county)


def _page(client, case):
    return client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()


def test_the_case_page_shows_the_duties_and_names_the_missing(world, login):
    case = make_case(world.west.grid, world.west.clerk, risk=RiskGrade.HIGH)
    page = _page(login(world.west.leader), case)
    assert "重点案件 · 一案三交" in page
    assert 'id="key-missing"' in page and "包保县级领导" in page


def test_a_late_duty_is_red_on_the_case_and_on_its_persons_home(world, people, login):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    Duty.objects.filter(case=case).update()  # rows exist
    deadline = Duty.objects.get(case=case, role="county_leader").deadline
    deadline.due_at = deadline.created_at - timedelta(hours=1)
    deadline.warn_at = None
    deadline.save()
    client = login(people["county_leader"])
    page = _page(client, case)
    assert 'data-role="county_leader" data-state="late"' in page
    assert "key-duty is-late" in page
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'id="my-duties"' in home and "已超期" in home


def test_the_leader_marks_a_case_with_a_reason(world, people, login):
    case = make_case(world.east.grid, world.east.clerk)
    client = login(world.east.leader)
    assert 'id="form-dispatch-key-mark"' in _page(client, case)
    url = reverse("dispatch:key_mark", args=[case.pk])
    response = client.post(url, {"note": ""}, follow=True)
    assert "请填写列为重点案件的理由" in response.content.decode()
    assert not KeyCase.objects.filter(case=case).exists()
    client.post(url, {"note": "多次扬言到上级上访"})
    assert KeyCase.objects.get(case=case).reason == "leader"


def test_a_clerk_sees_no_mark_button_and_is_refused(world, people, login):
    case = make_case(world.east.grid, world.east.clerk)
    client = login(world.east.clerk)
    assert 'id="form-dispatch-key-mark"' not in _page(client, case)
    response = client.post(
        reverse("dispatch:key_mark", args=[case.pk]), {"note": "理由"}, follow=True
    )
    assert "不能将纠纷列为重点案件" in response.content.decode()
    assert not KeyCase.objects.filter(case=case).exists()


def test_the_person_records_their_duty(world, people, login):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    duty = Duty.objects.get(case=case, role="political_legal")
    client = login(people["political_legal"])
    assert f'id="form-dispatch-key-duty-{duty.pk}"' in _page(client, case)
    url = reverse("dispatch:key_duty_done", args=[case.pk])
    for bad in ({"item": "x", "note": "a"}, {"item": duty.pk, "note": ""}, {"item": 2**40}):
        assert client.post(url, bad).status_code == 302
    duty.refresh_from_db()
    assert duty.done_at is None
    client.post(url, {"item": duty.pk, "note": "已带案下沉，组织双方调解"})
    duty.refresh_from_db()
    assert duty.done_note == "已带案下沉，组织双方调解"


def test_plan_items_are_added_and_done_from_the_page(world, people, login):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    client = login(world.east.leader)
    url = reverse("dispatch:key_plan_add", args=[case.pk])
    response = client.post(
        url, {"measure": "走访", "person": "", "due_on": "2099-01-01"}, follow=True
    )
    assert "请选择责任人" in response.content.decode()
    response = client.post(
        url, {"measure": "走访", "person": 999999, "due_on": "2099-01-01"}, follow=True
    )
    assert "所选责任人不能承担该纠纷的措施" in response.content.decode()
    assert not PlanItem.objects.exists()
    client.post(
        url,
        {
            "measure": "联系劳动监察核实欠薪",
            "person": world.east.handler.pk,
            "due_on": "2099-01-01",
        },
    )
    item = PlanItem.objects.get(case=case)
    handler = login(world.east.handler)
    home = handler.get(reverse("workbench:home")).content.decode()
    assert "联系劳动监察核实欠薪" in home
    handler.post(
        reverse("dispatch:key_plan_done", args=[case.pk]), {"item": item.pk, "note": "已核实"}
    )
    item.refresh_from_db()
    assert item.done_note == "已核实"


def test_someone_outside_the_case_gets_404(world, people, login):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    client = login(world.west.leader)
    for name in ("key_mark", "key_duty_done", "key_plan_add", "key_plan_done"):
        assert client.post(reverse(f"dispatch:{name}", args=[case.pk]), {}).status_code == 404
