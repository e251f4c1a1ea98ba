import pytest
from django.urls import reverse

from zongzhi.cases import services
from zongzhi.cases.choices import Outcome, RiskGrade, Status
from zongzhi.cases.models import CaseAssignment, CaseEvent
from zongzhi.cases.workflow import Action
from zongzhi.testing.factories import put_on_case


def url(name, case):
    return reverse(f"workbench:{name}", args=[case.pk])


def follow(client, name, case, data):
    return client.post(url(name, case), data, follow=True)


def form_errors(response, key) -> list[str]:
    """Errors shown next to one form of the case page."""
    context = response.context
    if key in {"risk", "comment", "attachment"}:
        return context[f"{key}_errors"]
    for item in context["actions"]:
        if item["transition"].action == key:
            return item["errors"]
    return context["other_errors"]


def test_accept_moves_the_case_and_redirects(world, login, east_case):
    client = login(world.east.clerk)
    response = client.post(url("case_action", east_case), {"action": "accept"})
    assert response.status_code == 302
    assert response.url == url("case_detail", east_case)
    east_case.refresh_from_db()
    assert east_case.status == Status.ASSESS
    page = client.get(response.url).content.decode()
    assert "已受理，当前环节：研判" in page


def test_note_required_error_is_shown_next_to_the_form_and_changes_nothing(world, login, east_case):
    response = follow(login(world.east.clerk), "case_action", east_case, {"action": "reject"})
    assert form_errors(response, Action.REJECT) == ["不予受理须填写说明"]
    html = response.content.decode()
    assert "不予受理须填写说明" in html
    east_case.refresh_from_db()
    assert east_case.status == Status.REPORT
    assert east_case.events.count() == 1


def test_forbidden_action_is_refused(world, login, east_case):
    response = follow(login(world.analyst), "case_action", east_case, {"action": "accept"})
    assert "研判分析员不能受理" in response.content.decode()
    east_case.refresh_from_db()
    assert east_case.status == Status.REPORT


def test_action_from_the_wrong_step_is_refused(world, login, east_case):
    response = follow(
        login(world.east.clerk), "case_action", east_case, {"action": "close", "note": "x"}
    )
    assert "当前环节为“上报待受理”，不能回访结案" in response.content.decode()
    east_case.refresh_from_db()
    assert east_case.status == Status.REPORT


def test_unknown_action_is_refused(world, login, east_case):
    response = follow(login(world.east.clerk), "case_action", east_case, {"action": "teleport"})
    assert response.context["other_errors"] == ["未知的办理操作"]
    assert east_case.events.count() == 1


@pytest.fixture
def assessed(world, east_case):
    services.transition(east_case, Action.ACCEPT, actor=world.east.clerk)
    return east_case


def test_assign_to_a_unit(world, login, assessed):
    client = login(world.east.clerk)
    client.post(url("case_action", assessed), {"action": "assign", "unit": world.east.unit.pk})
    assessed.refresh_from_db()
    assert assessed.status == Status.ASSIGN
    assert CaseAssignment.objects.get(case=assessed).unit == world.east.unit


def test_assign_to_a_person(world, login, assessed):
    client = login(world.east.clerk)
    client.post(
        url("case_action", assessed), {"action": "assign", "assignee": world.east.handler.pk}
    )
    assert CaseAssignment.objects.get(case=assessed).assignee == world.east.handler


def test_assign_without_unit_or_person_is_refused(world, login, assessed):
    response = follow(login(world.east.clerk), "case_action", assessed, {"action": "assign"})
    assert form_errors(response, Action.ASSIGN) == ["请选择主办单位或主办人"]
    assessed.refresh_from_db()
    assert assessed.status == Status.ASSESS


def test_assign_to_a_unit_of_another_township_is_refused(world, login, assessed):
    response = follow(
        login(world.east.clerk),
        "case_action",
        assessed,
        {"action": "assign", "unit": world.west.unit.pk},
    )
    assert form_errors(response, Action.ASSIGN) == ["所选单位不能承办此纠纷"]
    assert not CaseAssignment.objects.filter(case=assessed).exists()


def test_assign_to_a_handler_of_another_township_is_refused(world, login, assessed):
    response = follow(
        login(world.east.clerk),
        "case_action",
        assessed,
        {"action": "assign", "assignee": world.west.handler.pk},
    )
    assert form_errors(response, Action.ASSIGN) == ["所选承办人不能承办此纠纷"]


@pytest.fixture
def resolving(world, assessed):
    services.transition(assessed, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    services.transition(assessed, Action.MEET, actor=world.east.handler)
    return assessed


def test_conclude_needs_an_outcome(world, login, resolving):
    response = follow(
        login(world.east.handler), "case_action", resolving, {"action": "conclude", "note": "调解"}
    )
    assert form_errors(response, Action.CONCLUDE) == ["请选择办理结果：实质化解或办结未化解"]
    resolving.refresh_from_db()
    assert resolving.status == Status.RESOLVE


def test_conclude_with_an_invalid_outcome_is_refused(world, login, resolving):
    response = follow(
        login(world.east.handler),
        "case_action",
        resolving,
        {"action": "conclude", "note": "调解", "outcome": "rejected"},
    )
    assert form_errors(response, Action.CONCLUDE) == ["请选择办理结果：实质化解或办结未化解"]


def test_conclude_resolved(world, login, resolving):
    login(world.east.handler).post(
        url("case_action", resolving),
        {"action": "conclude", "note": "双方达成协议", "outcome": "resolved"},
    )
    resolving.refresh_from_db()
    assert resolving.status == Status.FOLLOW_UP
    assert resolving.outcome == Outcome.RESOLVED


def test_action_get_is_not_allowed(world, login, east_case):
    assert login(world.east.clerk).get(url("case_action", east_case)).status_code == 405


# ---- risk ----


def test_change_risk(world, login, east_case):
    client = login(world.east.clerk)
    response = follow(client, "case_risk", east_case, {"risk": "high", "note": "扬言报复"})
    assert "风险等级已调整为“高”" in response.content.decode()
    east_case.refresh_from_db()
    assert east_case.risk == RiskGrade.HIGH
    assert east_case.events.filter(kind="risk_changed").count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"risk": "high"}, "调整风险等级须填写理由"),
        ({"risk": "low", "note": "复核"}, "风险等级未改变"),
        ({"risk": "extreme", "note": "复核"}, "请选择高、中、低之一"),
        ({"note": "复核"}, "请选择风险等级"),
    ],
)
def test_change_risk_errors(world, login, east_case, data, error):
    response = follow(login(world.east.clerk), "case_risk", east_case, data)
    assert form_errors(response, "risk") == [error]
    east_case.refresh_from_db()
    assert east_case.risk == RiskGrade.LOW


def test_handler_may_not_change_risk(world, login, east_case):
    put_on_case(east_case, unit=world.east.unit)
    response = follow(
        login(world.east.handler), "case_risk", east_case, {"risk": "high", "note": "x"}
    )
    assert "入驻部门不能调整风险等级" in response.content.decode()
    east_case.refresh_from_db()
    assert east_case.risk == RiskGrade.LOW


def test_risk_of_a_closed_case_cannot_change(world, login, east_case):
    services.transition(east_case, Action.REJECT, actor=world.east.clerk, note="重复")
    response = follow(
        login(world.east.clerk), "case_risk", east_case, {"risk": "high", "note": "x"}
    )
    assert "已结案的纠纷不能调整风险等级" in response.content.decode()


# ---- comment ----


def test_comment(world, login, east_case):
    put_on_case(east_case, unit=world.east.unit)
    response = follow(
        login(world.east.handler), "case_comment", east_case, {"note": "电话联系申请人"}
    )
    assert "办理备注已保存" in response.content.decode()
    event = CaseEvent.objects.get(case=east_case, kind="comment")
    assert event.note == "电话联系申请人"
    assert event.actor == world.east.handler


def test_empty_comment_is_refused(world, login, east_case):
    response = follow(login(world.east.clerk), "case_comment", east_case, {"note": "  "})
    assert form_errors(response, "comment") == ["备注内容不能为空"]
    assert not CaseEvent.objects.filter(case=east_case, kind="comment").exists()


def test_overlong_comment_is_refused(world, login, east_case):
    response = follow(login(world.east.clerk), "case_comment", east_case, {"note": "字" * 2001})
    assert len(form_errors(response, "comment")) == 1
    assert not CaseEvent.objects.filter(case=east_case, kind="comment").exists()


def test_assignment_refusals_are_one_message_whatever_the_reason(world, assessed):
    from zongzhi.cases.errors import InvalidInput
    from zongzhi.testing.factories import UserFactory

    inactive = UserFactory(place=world.east.place, role="mediator", is_active=False)
    messages = set()
    for assignee in (world.west.handler, world.east.clerk, inactive):
        with pytest.raises(InvalidInput) as refused:
            services.transition(assessed, Action.ASSIGN, actor=world.east.clerk, assignee=assignee)
        messages.add(refused.value.message)
    assert messages == {"所选承办人不能承办此纠纷"}
