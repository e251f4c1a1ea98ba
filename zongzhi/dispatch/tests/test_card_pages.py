"""The cards on the case page (the nine steps with 督办 marked, the panel and its forms) and on
the home page: who sees which form, errors in Chinese, 404 outside the area."""

import re

import pytest
from django.urls import reverse

from zongzhi.cases.choices import Status
from zongzhi.cases.tests.test_state_machine import case_at
from zongzhi.dispatch import cards
from zongzhi.dispatch.models.cards import CardState, SupervisionCard


@pytest.fixture
def case(world):
    return case_at(world, Status.RESOLVE)


def _page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:home")).content.decode()


def _post(client, user, name, args, data=None):
    client.force_login(user)
    return client.post(reverse(f"dispatch:{name}", args=args), data or {}, follow=True)


def _steps(html: str) -> list[tuple[str, str]]:
    """(class, text) of each of the nine steps."""
    block = html.split('class="nine-steps"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li class="nine-step ([^"]+)"[^>]*>(.*?)</li>', block, re.S)
    return [(cls, re.sub(r"<[^>]+>|\s+", "", text)) for cls, text in items]


def test_the_nine_steps_show_where_the_case_stands(client, world, case):
    steps = _steps(_page(client, world.east.leader, case))
    assert [text for _, text in steps] == [
        "走访",
        "排查",
        "上报",
        "研判",
        "交办",
        "化解",
        "稳控",
        "督办",
        "回访",
    ]
    classes = dict((text, cls) for cls, text in steps)
    assert classes["化解"] == "step-current" and classes["交办"] == "step-done"
    assert classes["督办"] == "step-todo" and classes["走访"] == "step-todo"


def test_issue_through_the_page_marks_督办_and_keeps_the_step(client, world, case):
    html = _page(client, world.county_leader, case)
    assert 'id="form-dispatch-cards-issue"' in html
    for user in (world.east.leader, world.east.clerk, world.east.handler, world.county_clerk):
        shown = 'id="form-dispatch-cards-issue"' in _page(client, user, case)
        assert shown == (user == world.county_clerk), user
    data = {"grade": "red", "text": "红牌督办，限期化解", "reply_by": ""}
    response = _post(client, world.county_leader, "card_issue", [case.pk], data)
    assert "已发出红牌督办" in response.content.decode()
    _post(client, world.county_leader, "card_issue", [case.pk], {**data, "grade": "ordinary"})
    case.refresh_from_db()
    assert case.status == Status.RESOLVE
    html = _page(client, world.east.handler, case)
    steps = dict((text[:2], cls) for cls, text in _steps(html))
    assert steps["督办"] == "step-card card-grade-red" and steps["化解"] == "step-current"
    assert "2次·红牌" in html
    assert 'class="supervision-card card-grade-red"' in html and "红牌督办，限期化解" in html


def test_issue_errors_are_chinese_and_change_nothing(client, world, case):
    response = _post(client, world.county_leader, "card_issue", [case.pk], {"grade": "red"})
    assert "请填写督办要求" in response.content.decode()
    response = _post(
        client,
        world.county_leader,
        "card_issue",
        [case.pk],
        {"grade": "red", "text": "督办", "reply_by": "2020-01-01"},
    )
    assert "回复时限须晚于当前时间" in response.content.decode()
    response = _post(
        client, world.east.leader, "card_issue", [case.pk], {"grade": "red", "text": "督办"}
    )
    assert cards.REFUSED_ISSUE in response.content.decode()
    assert not SupervisionCard.objects.exists()


def test_reply_and_close_through_the_page(client, world, case):
    card = cards.issue_card(case, by=world.county_leader, grade="yellow", text="黄牌督办")
    html = _page(client, world.east.handler, case)
    assert f'id="form-dispatch-cards-reply-{card.pk}"' in html
    assert f'id="form-dispatch-cards-reply-{card.pk}"' not in _page(client, world.east.clerk, case)
    response = _post(client, world.east.handler, "card_reply", [case.pk, card.pk], {"reply": ""})
    assert "请填写书面回复" in response.content.decode()
    response = _post(
        client, world.east.handler, "card_reply", [case.pk, card.pk], {"reply": "已组织调解"}
    )
    assert "督办回复已提交" in response.content.decode()
    html = _page(client, world.county_leader, case)
    assert f'id="form-dispatch-cards-close-{card.pk}"' in html and "已组织调解" in html
    response = _post(
        client, world.county_leader, "card_close", [case.pk, card.pk], {"verdict": "unsatisfied"}
    )
    assert "请填写不满意的理由" in response.content.decode()
    _post(client, world.county_leader, "card_close", [case.pk, card.pk], {"verdict": "satisfied"})
    card.refresh_from_db()
    assert card.state == CardState.CLOSED


def test_outside_the_area_is_404(client, world, case):
    card = cards.issue_card(case, by=world.county_leader, grade="red", text="督办")
    client.force_login(world.west.clerk)
    for name, args in (("card_issue", [case.pk]), ("card_reply", [case.pk, card.pk])):
        assert client.post(reverse(f"dispatch:{name}", args=args), {}).status_code == 404
    # A card of another case is not found through this one.
    other = case_at(world, Status.ASSESS)
    client.force_login(world.east.handler)
    url = reverse("dispatch:card_reply", args=[other.pk, card.pk])
    assert client.post(url, {"reply": "x"}).status_code == 404


def test_home_lists_cards_and_counts_them_for_leaders(client, world, case):
    card = cards.issue_card(case, by=world.county_leader, grade="red", text="红牌督办")
    handler_home = _home(client, world.east.handler)
    assert 'id="home-cards"' in handler_home and "待回复的督办" in handler_home
    assert case.number in handler_home and 'data-count="red"' not in handler_home
    leader_home = _home(client, world.county_leader)
    assert re.search(r'data-count="red">1<', leader_home)
    assert "待销号" not in leader_home
    cards.reply_to_card(card, by=world.east.handler, reply="已办理")
    leader_home = _home(client, world.county_leader)
    assert "待销号" in leader_home and case.number in leader_home
    assert 'id="home-cards"' not in _home(client, world.west.handler)
