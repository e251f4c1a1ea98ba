"""The moves panel of the case page, its POSTs, the queue's centre tabs and the home page's
待签收 list: who sees which form, errors in Chinese, 404 outside the area."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zongzhi.accounts.models import Role
from zongzhi.clock.calendar import due_label
from zongzhi.dispatch import moves
from zongzhi.dispatch.models.moves import CaseMove, MoveState
from zongzhi.testing.factories import UserFactory, make_case, put_on_case


@pytest.fixture
def case(world):
    return make_case(world.east.village, world.east.clerk)


def _page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:case_detail", args=[case.pk])).content.decode()


def _post(client, user, name, pk, data=None):
    client.force_login(user)
    return client.post(reverse(f"dispatch:{name}", args=[pk]), data or {}, follow=True)


def test_the_panel_names_the_holding_centre_and_offers_the_holding_centres_moves(
    client, world, case
):
    html = _page(client, world.east.clerk, case)
    assert "红塔区·玉兴街道（乡镇（街道）综治中心）" in html
    assert 'id="form-move-escalate"' in html and "红塔区（县级综治中心）" in html
    assert 'id="form-move-delegate"' in html and "玉兴街道一村" in html
    assert 'id="form-move-return"' not in html
    # A handler, and the county (not the holding centre), see no move forms.
    assert 'id="form-move-escalate"' not in _page(client, world.east.handler, case)
    assert 'id="form-move-escalate"' not in _page(client, world.county_clerk, case)


def test_escalate_sign_through_the_pages(client, world, case):
    response = _post(
        client, world.east.clerk, "move_case", case.pk, {"kind": "escalate", "reason": "人多"}
    )
    assert response.status_code == 200
    move = CaseMove.objects.get()
    html = _page(client, world.county_clerk, case)
    assert 'id="pending-move"' in html and 'id="form-sign"' in html and "签收时限" in html
    assert 'id="form-sign"' not in _page(client, world.east.clerk, case)
    _post(client, world.county_clerk, "sign_move", move.pk)
    case.refresh_from_db()
    assert case.holding_place == world.county
    assert 'id="form-move-return"' in _page(client, world.county_clerk, case)


def test_a_move_without_reason_shows_a_chinese_error_and_changes_nothing(client, world, case):
    response = _post(
        client, world.east.clerk, "move_case", case.pk, {"kind": "escalate", "reason": ""}
    )
    assert "请填写理由" in response.content.decode()
    put_on_case(case, unit=world.east.unit)  # need-to-know: a handler sees only its cases
    response = _post(
        client, world.east.handler, "move_case", case.pk, {"kind": "escalate", "reason": "x"}
    )
    assert "只有承办中心" in response.content.decode()
    assert not CaseMove.objects.exists()


def test_send_back_twice_then_the_superior_designates_through_the_pages(client, world, case):
    for _ in range(2):
        _post(
            client, world.east.clerk, "move_case", case.pk, {"kind": "escalate", "reason": "人多"}
        )
        move = CaseMove.objects.get(state=MoveState.PENDING)
        response = _post(client, world.county_clerk, "send_back_move", move.pk, {"reason": ""})
        assert "请填写理由" in response.content.decode()
        _post(client, world.county_clerk, "send_back_move", move.pk, {"reason": "乡镇能办"})
    assert 'id="awaiting-designation"' in _page(client, world.east.clerk, case)
    assert 'id="form-designate"' not in _page(client, world.east.clerk, case)
    assert 'id="form-designate"' in _page(client, world.county_leader, case)
    _post(
        client,
        world.county_leader,
        "designate_case",
        case.pk,
        {"target": world.county.pk, "reason": "县里办"},
    )
    move = CaseMove.objects.get(state=MoveState.PENDING)
    assert move.binding and move.to_place == world.county
    html = _page(client, world.county_clerk, case)
    assert 'id="form-sign"' in html and 'id="form-send-back"' not in html


def test_other_areas_get_404_on_every_move_url(client, world, case):
    move = moves.move_to_centre(case, None, "escalate", actor=world.east.clerk, reason="x")
    client.force_login(world.west.clerk)
    for name, pk in (
        ("move_case", case.pk),
        ("sign_move", move.pk),
        ("send_back_move", move.pk),
        ("designate_case", case.pk),
        ("sign_move", 999999),
    ):
        assert (
            client.post(reverse(f"dispatch:{name}", args=[pk]), {"reason": "x"}).status_code == 404
        )
    client.logout()
    assert client.post(reverse("dispatch:sign_move", args=[move.pk])).status_code == 302
    assert CaseMove.objects.get().state == MoveState.PENDING


def test_queue_tabs_and_home_counts(client, world, case):
    moved = make_case(world.east.village, world.east.clerk)
    moves.move_to_centre(moved, None, "escalate", actor=world.east.clerk, reason="x")
    handed = make_case(world.east.village, world.county_clerk)
    moves.sign_for(
        moves.move_to_centre(
            handed, world.east.place, "delegate", actor=world.county_clerk, reason="y"
        ),
        world.east.clerk,
    )
    client.force_login(world.county_clerk)
    queue = reverse("workbench:queue")
    to_sign = client.get(queue, {"centre": "to_sign"}).content.decode()
    assert moved.number in to_sign and case.number not in to_sign
    watched = client.get(queue, {"centre": "watched"}).content.decode()
    assert handed.number in watched and moved.number not in watched
    held = client.get(queue, {"centre": "held"}).content.decode()
    assert handed.number not in held and moved.number not in held
    assert "本中心：" in client.get(queue, {"centre": "bogus"}).content.decode()
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'data-count="to_sign">1<' in home and 'data-count="watched">1<' in home
    assert moved.number in home and "签收时限" in home
    client.force_login(world.east.clerk)
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'data-count="held">3<' in home and 'data-count="to_sign">0<' in home
    client.force_login(world.county_leader)
    assert 'data-count="to_sign">1<' in client.get(reverse("workbench:home")).content.decode()
    client.force_login(world.analyst)  # not intake staff: no centre block
    assert 'id="centre-moves"' not in client.get(reverse("workbench:home")).content.decode()


def test_an_overdue_sign_for_is_marked_on_the_home_page(client, world, case):
    earlier = timezone.now() - timedelta(days=10)
    moves.move_to_centre(case, None, "escalate", actor=world.east.clerk, reason="x", now=earlier)
    client.force_login(world.county_clerk)
    home = client.get(reverse("workbench:home")).content.decode()
    assert "（已超期）" in home
    # The end of a day reads 24:00 of that day, as on the clock panel and the cards.
    due = due_label(CaseMove.objects.get(case=case).sign_due_at)
    assert due.endswith(" 24:00") and due in home and due in _page(client, world.county_clerk, case)
    to_sign = client.get(reverse("workbench:queue"), {"centre": "to_sign"}).content.decode()
    assert "签收时限" in to_sign and "（已超期）" in to_sign
    assert "（已超期）" in _page(client, world.county_clerk, case)


def test_a_village_clerk_signs_a_delegation_from_the_home_list(client, world):
    case = make_case(world.east.village, world.east.clerk)
    village_clerk = UserFactory(role=Role.WINDOW_CLERK, place=world.east.village)
    moves.move_to_centre(
        case, world.east.village, "delegate", actor=world.east.clerk, reason="村调"
    )
    client.force_login(village_clerk)
    assert case.number in client.get(reverse("workbench:home")).content.decode()
