"""Lead (主办) and joint (协办) handlers: one lead, only the lead concludes, joint parts,
leaders add/remove joint handlers and change the lead — services, pages and API."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import CaseAssignment, CaseEvent
from zongzhi.cases.workflow import Action
from zongzhi.dispatch import eligibility, handlers
from zongzhi.testing.factories import UnitFactory, UserFactory, make_case, put_on_case


@pytest.fixture
def police(world):
    """A second unit of the east township (the police station) with a handler."""
    unit = UnitFactory(name="玉兴派出所", department="公安", place=world.east.place)
    officer = UserFactory(
        username="officer", role=Role.DEPARTMENT_HANDLER, place=world.east.place, unit=unit
    )
    return unit, officer


@pytest.fixture
def assigned(world, police):
    """An east case given to the justice office (lead) and the police station (joint)."""
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    services.transition(
        case,
        Action.ASSIGN,
        actor=world.east.clerk,
        unit=world.east.unit,
        joint_units=[police[0]],
    )
    return case


def met(case, user):
    services.transition(case, Action.MEET, actor=user)
    return case


def test_assign_creates_one_lead_and_joint_handlers(world, police, assigned):
    active = list(handlers.active_assignments(assigned))
    assert [(a.kind, a.unit) for a in active] == [("lead", world.east.unit), ("joint", police[0])]
    event = assigned.events.get(kind=Action.ASSIGN)
    assert event.data["unit"] == world.east.unit.name
    assert event.data["joint"][0]["unit"] == police[0].name


def test_the_database_refuses_a_second_active_lead(world, assigned):
    with pytest.raises(IntegrityError), transaction.atomic():
        put_on_case(assigned, unit=world.east.unit)
    # A past lead is not active: allowed.
    put_on_case(assigned, unit=world.east.unit, ended=True)


def test_assign_when_a_lead_is_active_is_refused_by_the_constraint(world):
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    put_on_case(case, unit=world.east.unit)  # e.g. a stale concurrent 交办 committed first
    with pytest.raises(InvalidTransition, match="已有主办"):
        services.transition(
            case, Action.ASSIGN, actor=world.east.clerk, assignee=world.east.handler
        )
    case.refresh_from_db()
    assert case.status == Status.ASSESS
    assert case.assignments.count() == 1


def test_joint_may_not_equal_the_lead(world):
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    with pytest.raises(InvalidInput, match="协办单位不能与主办单位相同"):
        services.transition(
            case,
            Action.ASSIGN,
            actor=world.east.clerk,
            unit=world.east.unit,
            joint_units=[world.east.unit],
        )
    assert not case.assignments.exists()


def test_only_the_lead_concludes(world, police, assigned):
    met(assigned, world.east.handler)
    officer = police[1]
    with pytest.raises(NotPermitted, match="只有主办单位或主办人可以化解办结"):
        services.transition(
            assigned, Action.CONCLUDE, actor=officer, note="已调解", outcome=Outcome.RESOLVED
        )
    assert Action.CONCLUDE not in {t.action for t in services.permitted_actions(assigned, officer)}
    services.transition(
        assigned,
        Action.CONCLUDE,
        actor=world.east.handler,
        note="已调解",
        outcome=Outcome.RESOLVED,
    )
    assert assigned.status == Status.FOLLOW_UP


def test_joint_handler_takes_no_steps(world, police, assigned):
    officer = police[1]
    with pytest.raises(NotPermitted, match="只有主办单位或主办人可以见面调处"):
        services.transition(assigned, Action.MEET, actor=officer)
    assert services.permitted_actions(assigned, officer) == []
    assert {t.action for t in services.permitted_actions(assigned, world.east.handler)} >= {
        Action.MEET
    }


def test_joint_handler_records_its_part(world, police, assigned):
    event = handlers.record_joint_part(assigned, police[1], "  已核实出警记录  ")
    assert (event.kind, event.note, event.is_public) == ("joint_part", "已核实出警记录", False)
    assert event.label == "协办意见"
    with pytest.raises(InvalidInput):
        handlers.record_joint_part(assigned, police[1], "  ")
    for outsider in (world.east.handler, world.east.clerk, world.west.handler):
        with pytest.raises(NotPermitted):
            handlers.record_joint_part(assigned, outsider, "越权")
    assert assigned.events.filter(kind="joint_part").count() == 1


def test_leader_adds_and_removes_a_joint_handler_with_reasons(world, police, assigned):
    leader = world.east.leader
    added = handlers.add_joint(assigned, actor=leader, person=world.east.handler, reason="需配合")
    assert (added.kind, added.note, added.label) == ("joint_added", "需配合", "增加协办")
    joint = assigned.assignments.get(kind="joint", assignee=world.east.handler)
    removed = handlers.remove_joint(assigned, joint.pk, actor=leader, reason="已完成")
    assert (removed.kind, removed.note) == ("joint_removed", "已完成")
    joint.refresh_from_db()
    assert joint.ended_at is not None
    with pytest.raises(InvalidInput, match="不存在或已移除"):
        handlers.remove_joint(assigned, joint.pk, actor=leader, reason="再次")
    lead = assigned.assignments.get(kind="lead")
    with pytest.raises(InvalidInput, match="不存在或已移除"):
        handlers.remove_joint(assigned, lead.pk, actor=leader, reason="不是协办")


@pytest.mark.parametrize("reason", ["", "   "])
def test_changes_need_a_reason(world, police, assigned, reason):
    with pytest.raises(InvalidInput, match="理由"):
        handlers.add_joint(assigned, actor=world.east.leader, unit=None, person=None, reason=reason)
    with pytest.raises(InvalidInput, match="理由"):
        handlers.change_lead(assigned, actor=world.east.leader, unit=police[0], reason=reason)
    assert not assigned.events.filter(kind__in=["joint_added", "lead_changed"]).exists()


def test_only_leaders_change_handlers(world, police, assigned):
    for actor in (world.east.clerk, world.east.handler, police[1], world.west.leader):
        with pytest.raises(NotPermitted):
            handlers.add_joint(assigned, actor=actor, person=world.east.handler, reason="x")
        with pytest.raises(NotPermitted):
            handlers.change_lead(assigned, actor=actor, unit=police[0], reason="x")
    assert assigned.assignments.filter(ended_at__isnull=True).count() == 2


def test_added_handlers_must_be_eligible_and_new(world, police, assigned):
    leader = world.east.leader
    with pytest.raises(InvalidInput, match=eligibility.UNIT_REFUSED):
        handlers.add_joint(assigned, actor=leader, unit=world.west.unit, reason="x")
    with pytest.raises(InvalidInput, match=eligibility.ASSIGNEE_REFUSED):
        handlers.change_lead(assigned, actor=leader, person=world.west.handler, reason="x")
    with pytest.raises(InvalidInput, match="已在承办"):
        handlers.add_joint(assigned, actor=leader, unit=police[0], reason="x")
    with pytest.raises(InvalidInput, match="主办单位未改变"):
        handlers.change_lead(assigned, actor=leader, unit=world.east.unit, reason="x")


def test_changes_need_an_assigned_open_case(world):
    case = make_case(world.east.village, world.east.clerk)
    with pytest.raises(InvalidTransition, match="尚未交办"):
        handlers.add_joint(case, actor=world.east.leader, unit=world.east.unit, reason="x")


def test_change_lead_ends_the_old_lead_and_the_new_leads_joint_role(world, police, assigned):
    event = handlers.change_lead(assigned, actor=world.east.leader, unit=police[0], reason="涉警")
    assert event.label == "更换主办" and event.note == "涉警"
    assert event.data["previous"]["unit"] == world.east.unit.name
    active = list(handlers.active_assignments(assigned))
    assert [(a.kind, a.unit) for a in active] == [("lead", police[0])]
    # Now the police lead concludes, the justice office no longer may.
    met(assigned, police[1])
    with pytest.raises(NotPermitted):
        services.transition(
            assigned,
            Action.CONCLUDE,
            actor=world.east.handler,
            note="x",
            outcome=Outcome.RESOLVED,
        )


def test_no_changes_on_a_closed_case(world, police, assigned):
    met(assigned, world.east.handler)
    services.transition(
        assigned, Action.CONCLUDE, actor=world.east.handler, note="x", outcome=Outcome.RESOLVED
    )
    services.transition(assigned, Action.CLOSE, actor=world.east.clerk, note="回访满意")
    with pytest.raises(InvalidTransition):
        handlers.add_joint(assigned, actor=world.east.leader, person=world.east.handler, reason="x")


# The case page's panel and its forms.


def case_page(client, case):
    return client.get(reverse("workbench:case_detail", args=[case.pk]))


def test_panel_names_lead_and_joint_with_their_places(world, police, assigned, login):
    html = case_page(login(world.east.leader), assigned).content.decode()
    assert 'id="handlers"' in html
    assert f"{world.east.unit.name}（玉兴街道）" in html
    assert f"{police[0].name}（玉兴街道）" in html
    assert 'id="form-dispatch-handlers-add-joint"' in html
    assert 'id="form-dispatch-handlers-change-lead"' in html
    # A handler sees the panel but not the leaders' forms; a joint handler its own form.
    officer_page = case_page(login(police[1]), assigned).content.decode()
    assert 'id="form-dispatch-handlers-add-joint"' not in officer_page
    assert 'id="form-dispatch-handlers-joint-part"' in officer_page
    lead_page = case_page(login(world.east.handler), assigned).content.decode()
    assert 'id="form-dispatch-handlers-joint-part"' not in lead_page


def test_assign_form_takes_joint_units_and_people(world, police, login):
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    client = login(world.east.clerk)
    response = client.post(
        reverse("workbench:case_action", args=[case.pk]),
        {
            "action": "assign",
            "unit": world.east.unit.pk,
            "joint_units": [police[0].pk],
            "joint_people": [police[1].pk],
        },
    )
    assert response.status_code == 302
    kinds = {(a.kind, a.unit_id, a.assignee_id) for a in case.assignments.all()}
    assert kinds == {
        ("joint", None, police[1].pk),
        ("joint", police[0].pk, None),
        ("lead", world.east.unit.pk, None),
    }


def test_assign_form_refuses_an_ineligible_joint_unit(world, login):
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    response = login(world.east.clerk).post(
        reverse("workbench:case_action", args=[case.pk]),
        {"action": "assign", "unit": world.east.unit.pk, "joint_units": [world.west.unit.pk]},
        follow=True,
    )
    assert eligibility.UNIT_REFUSED in response.content.decode()
    assert not case.assignments.exists()


def test_panel_forms_change_handlers_and_show_errors(world, police, assigned, login):
    client = login(world.east.leader)
    add = reverse("dispatch:handlers_add_joint", args=[assigned.pk])
    response = client.post(add, {"person": world.east.handler.pk, "reason": ""}, follow=True)
    assert "请填写调整理由" in response.context["handlers_errors"]["add_joint"]
    response = client.post(add, {"unit": world.west.unit.pk, "reason": "x"}, follow=True)
    assert response.context["handlers_errors"]["add_joint"] == [eligibility.UNIT_REFUSED]
    response = client.post(add, {"person": world.east.handler.pk, "reason": "配合"}, follow=True)
    assert "已增加协办" in response.content.decode()
    joint = assigned.assignments.get(kind="joint", assignee=world.east.handler)
    remove = reverse("dispatch:handlers_remove_joint", args=[assigned.pk])
    response = client.post(remove, {"assignment": "abc", "reason": "x"}, follow=True)
    assert response.context["handlers_errors"]["remove_joint"] == ["所选协办单位不存在或已移除"]
    client.post(remove, {"assignment": joint.pk, "reason": "完成"})
    joint.refresh_from_db()
    assert joint.ended_at is not None
    lead = reverse("dispatch:handlers_change_lead", args=[assigned.pk])
    client.post(lead, {"unit": police[0].pk, "reason": "涉警"})
    assert assigned.assignments.get(kind="lead", ended_at__isnull=True).unit == police[0]


def test_joint_part_form(world, police, assigned, login):
    url = reverse("dispatch:handlers_joint_part", args=[assigned.pk])
    response = login(police[1]).post(url, {"note": "已出警调解"}, follow=True)
    assert "协办意见已保存" in response.content.decode()
    assert CaseEvent.objects.get(case=assigned, kind="joint_part").actor == police[1]
    response = login(world.east.handler).post(url, {"note": "主办不能写"}, follow=True)
    assert response.context["handlers_errors"]["joint_part"] == [
        "只有协办单位或协办人可以填写协办意见"
    ]
    assert CaseEvent.objects.filter(case=assigned, kind="joint_part").count() == 1


def test_panel_posts_are_404_outside_the_users_reach(world, police, assigned, login):
    for name, data in (
        ("handlers_add_joint", {"unit": police[0].pk, "reason": "x"}),
        ("handlers_remove_joint", {"assignment": 1, "reason": "x"}),
        ("handlers_change_lead", {"unit": police[0].pk, "reason": "x"}),
        ("handlers_joint_part", {"note": "x"}),
    ):
        url = reverse(f"dispatch:{name}", args=[assigned.pk])
        assert login(world.west.leader).post(url, data).status_code == 404
    assert assigned.events.count() == 3  # created, accept, assign


# The API.


def test_api_lists_and_changes_handlers(world, police, assigned, token_client):
    base = f"/api/v1/cases/{assigned.pk}/handlers"
    leader = token_client(world.east.leader)
    listed = leader.get(base).json()
    assert listed["lead"]["unit"] == world.east.unit.pk
    assert listed["lead"]["name"] == f"{world.east.unit.name}（玉兴街道）"
    assert [j["unit"] for j in listed["joint"]] == [police[0].pk]

    added = leader.post(
        f"{base}/joint",
        {"assignee": world.east.handler.username, "reason": "配合"},
        content_type="application/json",
    )
    assert added.status_code == 200, added.content
    assert added.json()["event"]["kind"] == "joint_added"
    joint_id = next(j["id"] for j in added.json()["handlers"]["joint"] if j["assignee"])
    removed = leader.post(
        f"{base}/joint/{joint_id}/remove", {"reason": "完成"}, content_type="application/json"
    )
    assert removed.status_code == 200 and removed.json()["event"]["kind"] == "joint_removed"
    changed = leader.post(
        f"{base}/lead", {"unit": police[0].pk, "reason": "涉警"}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["handlers"]["lead"]["unit"] == police[0].pk
    assert changed.json()["handlers"]["joint"] == []


def test_api_joint_part_and_errors(world, police, assigned, token_client):
    base = f"/api/v1/cases/{assigned.pk}/handlers"
    part = token_client(police[1]).post(
        f"{base}/joint-part", {"note": "已出警"}, content_type="application/json"
    )
    assert part.status_code == 200 and part.json()["event"]["label"] == "协办意见"
    lead = token_client(world.east.handler)
    refused = lead.post(f"{base}/joint-part", {"note": "x"}, content_type="application/json")
    assert refused.status_code == 403
    leader = token_client(world.east.leader)
    for body, status in (
        ({"unit": world.west.unit.pk, "reason": "x"}, 422),
        ({"unit": 10**30, "reason": "x"}, 422),
        ({"assignee": "nobody", "reason": "x"}, 422),
        ({"unit": police[0].pk, "reason": ""}, 422),
        ({"reason": "x\x00"}, 422),
    ):
        response = leader.post(f"{base}/lead", body, content_type="application/json")
        assert response.status_code == status, (body, response.content)
    assert (
        lead.post(
            f"{base}/lead", {"unit": police[0].pk, "reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    outsider = token_client(world.west.leader)
    assert outsider.get(base).status_code == 404
    response = outsider.post(
        f"{base}/joint/999/remove", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert CaseAssignment.objects.filter(case=assigned, ended_at__isnull=True).count() == 2
    assert assigned.events.filter(created_at__lte=timezone.now()).count() == 4


def test_openapi_lists_the_handler_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    base = "/api/v1/cases/{case_id}/handlers"
    assert set(paths[base]) == {"get"}
    for suffix in ("/joint", "/joint/{assignment_id}/remove", "/lead", "/joint-part"):
        assert set(paths[base + suffix]) == {"post"}
    transition = paths["/api/v1/cases/{case_id}/transitions"]["post"]
    assert "requestBody" in transition
