from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zongzhi.cases import services
from zongzhi.cases.choices import PartyRole
from zongzhi.cases.workflow import Action
from zongzhi.privacy.masking import mask_id_number
from zongzhi.testing.factories import ID_NUMBERS, make_case, put_on_case

FULL_PHONE = "13812345678"
FULL_ID = ID_NUMBERS[PartyRole.APPLICANT]


def detail(case) -> str:
    return reverse("workbench:case_detail", args=[case.pk])


def test_case_page_shows_header_milestones_details_and_timeline(world, login):
    # Reported 20 h ago and not accepted: within 6 h of the 1-day acceptance deadline.
    east_case = make_case(
        world.east.village, world.east.clerk, now=timezone.now() - timedelta(hours=20)
    )
    response = login(world.east.clerk).get(detail(east_case))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        east_case.number,
        east_case.title,
        "上报待受理",
        "窗口登记",
        "红塔区·玉兴街道·玉兴街道一村",
        "邻里纠纷",
        east_case.query_code,
        east_case.description,
    ):
        assert text in html
    assert 'class="badge badge-red"' in html  # accept due within the warning window
    for milestone in ("受理", "见面", "化解", "办结"):
        assert milestone in html
    states = [row["state"] for row in response.context["milestones"]]
    assert states == ["due_soon", "open", "open", "open"]
    assert "临期" in html
    # Timeline: the registration, with who did it.
    assert "登记" in html and "综合受理窗口" in html


def test_parties_are_masked(world, login, east_case):
    html = login(world.east.clerk).get(detail(east_case)).content.decode()
    assert FULL_PHONE not in html
    assert FULL_ID not in html
    assert "张三" not in html and "李四" not in html
    assert "138****5678" in html
    assert mask_id_number(FULL_ID) in html
    assert ID_NUMBERS[PartyRole.RESPONDENT] not in html
    assert "张*" in html
    assert "玉兴路8号" not in html
    assert "查看完整信息" in html


def test_action_forms_are_exactly_the_permitted_actions(world, login, east_case):
    response = login(world.east.clerk).get(detail(east_case))
    shown = [item["transition"].action for item in response.context["actions"]]
    assert shown == [Action.ACCEPT, Action.REJECT]
    html = response.content.decode()
    assert 'value="accept"' in html and 'value="reject"' in html
    assert 'value="assign"' not in html


def test_handler_sees_no_actions_on_a_case_no_longer_theirs_and_no_risk_form(
    world, login, east_case
):
    put_on_case(east_case, unit=world.east.unit, ended=True)
    response = login(world.east.handler).get(detail(east_case))
    assert response.context["actions"] == []
    assert "当前环节没有您可以办理的操作" in response.content.decode()
    assert response.context["can_judge_risk"] is False
    assert "调整风险等级" not in response.content.decode()


def test_assign_form_offers_covering_units_and_handlers(world, login, east_case):
    services.transition(east_case, Action.ACCEPT, actor=world.east.clerk)
    response = login(world.east.clerk).get(detail(east_case))
    html = response.content.decode()
    assert 'value="assign"' in html
    unit_ids = {pk for pk, _ in response.context["units"]}
    assert unit_ids == {world.east.unit.pk}
    handler_ids = {pk for pk, _ in response.context["handlers"]}
    assert world.east.handler.pk in handler_ids
    assert world.west.handler.pk not in handler_ids
    assert world.east.grid_worker.pk not in handler_ids  # the grid is not the case's place


def test_conclude_form_offers_the_two_outcomes(world, login, east_case):
    services.transition(east_case, Action.ACCEPT, actor=world.east.clerk)
    services.transition(east_case, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    services.transition(east_case, Action.MEET, actor=world.east.handler)
    html = login(world.east.handler).get(detail(east_case)).content.decode()
    assert 'value="conclude"' in html
    assert "实质化解" in html and "办结未化解" in html


def test_timeline_shows_status_change_and_note(world, login, east_case):
    services.transition(east_case, Action.REJECT, actor=world.east.clerk, note="不属于受理范围")
    html = login(world.east.clerk).get(detail(east_case)).content.decode()
    assert "上报待受理 → 不予受理" in html
    assert "不属于受理范围" in html


def test_county_leader_sees_township_case(world, login, east_case):
    assert login(world.county_leader).get(detail(east_case)).status_code == 200


def test_unknown_case_is_404(world, login):
    assert (
        login(world.east.clerk).get(reverse("workbench:case_detail", args=[999])).status_code == 404
    )


def test_closed_case_has_no_risk_form(world, login):
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.REJECT, actor=world.east.clerk, note="重复登记")
    response = login(world.east.clerk).get(detail(case))
    assert response.context["can_judge_risk"] is False


def test_rejected_case_page_shows_no_overdue_milestone(world, login):
    # Reported 5 days ago, rejected at once: its accept and meet due times have passed.
    reported = timezone.now() - timedelta(days=5)
    case = make_case(world.east.village, world.east.clerk, now=reported)
    services.transition(
        case, Action.REJECT, actor=world.east.clerk, note="不属于矛盾纠纷", now=reported
    )
    response = login(world.east.clerk).get(detail(case))
    html = response.content.decode()
    states = [row["state"] for row in response.context["milestones"]]
    assert "overdue" not in states and states.count("stopped") == 3
    assert "已超期" not in html and "不予受理，不再计时" in html
    assert response.context["colour"] == "rejected"


def concluded(world, **transition):
    town = world.east
    case = make_case(town.village, town.clerk)
    services.transition(case, Action.ACCEPT, actor=town.clerk)
    services.transition(case, Action.ASSIGN, actor=town.clerk, unit=town.unit)
    services.transition(case, Action.MEET, actor=town.handler)
    services.transition(case, Action.CONCLUDE, actor=town.handler, note="达成协议", **transition)
    return case


def test_case_page_shows_the_citizens_rating(world, login):
    from zongzhi.cases.choices import Outcome
    from zongzhi.intake import services as intake

    case = concluded(world, outcome=Outcome.RESOLVED)
    html = login(world.east.clerk).get(detail(case)).content.decode()
    assert "群众评价" not in html
    intake.rate(case, 4, "调解员很耐心")
    html = login(world.east.clerk).get(detail(case)).content.decode()
    assert "群众评价" in html and "★★★★☆" in html and "4/5" in html
    assert "调解员很耐心" in html


def test_case_page_tells_conclusion_from_substantive_resolution(world, login):
    from zongzhi.cases.choices import Outcome

    case = concluded(world, outcome=Outcome.UNRESOLVED)
    html = login(world.east.clerk).get(detail(case)).content.decode()
    assert "<dt>化解办结</dt>" in html and "<dt>实质化解</dt>" not in html
    assert 'class="badge badge-yellow"' in html
