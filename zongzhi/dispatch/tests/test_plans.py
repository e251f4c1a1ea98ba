"""一案一策: plan items with a person and a date, tracked like sub-tasks."""

from datetime import date, timedelta

import pytest

from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.clock.calendar import end_of
from zongzhi.clock.tracking import DeadlineState, state_of
from zongzhi.dispatch import plans
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import UserFactory, make_case, three_people_for


@pytest.fixture
def key_case(world, frozen_now):
    people = three_people_for(world.east, world.county)
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    return case, people


def test_the_holding_leader_and_the_three_people_edit_the_plan(world, key_case):
    case, people = key_case
    assert plans.may_edit_plan(case, world.east.leader)  # holds it (its township centre)
    assert plans.may_edit_plan(case, people["political_legal"])
    assert not plans.may_edit_plan(case, world.east.clerk)
    assert not plans.may_edit_plan(case, world.west.leader)
    ordinary = make_case(world.east.grid, world.east.clerk)
    assert not plans.may_edit_plan(ordinary, world.east.leader)


def test_add_and_complete_a_plan_item(world, key_case, frozen_now):
    case, people = key_case
    item = plans.add_plan_item(
        case,
        actor=people["county_leader"],
        measure="约谈双方当事人，明确赔偿方案",
        person=world.east.handler,
        due_on=date(2026, 3, 13),
    )
    assert item.deadline.due_at == end_of(date(2026, 3, 13))
    assert Message.objects.filter(kind=Kind.KEY_CASE, recipient_user=world.east.handler).exists()
    # The item's person is on the case now (a need-to-know handler of the township).
    assert Case.objects.workable_by(world.east.handler).filter(pk=case.pk).exists()
    with pytest.raises(NotPermitted):
        plans.complete_plan_item(case, item.pk, actor=world.east.clerk, note="完成")
    with pytest.raises(InvalidInput):
        plans.complete_plan_item(case, item.pk, actor=world.east.handler, note=" ")
    plans.complete_plan_item(case, item.pk, actor=world.east.handler, note="已达成赔偿协议")
    item.deadline.refresh_from_db()
    assert state_of(item.deadline) == DeadlineState.MET
    with pytest.raises(InvalidTransition):
        plans.complete_plan_item(case, item.pk, actor=world.east.handler, note="再次")
    kinds = list(case.events.values_list("kind", flat=True))
    assert "plan_item_added" in kinds and "plan_item_done" in kinds


def test_a_plan_item_past_its_date_is_late(world, key_case, frozen_now):
    case, people = key_case
    item = plans.add_plan_item(
        case,
        actor=world.east.leader,
        measure="走访",
        person=people["party_secretary"],
        due_on=date(2026, 3, 11),
    )
    assert state_of(item.deadline, frozen_now + timedelta(days=1)) == DeadlineState.LATE


def test_bad_plan_input_changes_nothing(world, key_case):
    case, people = key_case
    stranger = UserFactory(username="stranger", place=world.west.place)
    cases = [
        {"measure": "", "person": world.east.handler, "due_on": date(2026, 3, 12)},
        {"measure": "走访", "person": stranger, "due_on": date(2026, 3, 12)},
        {"measure": "走访", "person": None, "due_on": date(2026, 3, 12)},
        {"measure": "走访", "person": world.east.handler, "due_on": date(2026, 3, 10)},
        {"measure": "走访", "person": world.east.handler, "due_on": None},
    ]
    for given in cases:
        with pytest.raises(InvalidInput):
            plans.add_plan_item(case, actor=world.east.leader, **given)
    with pytest.raises(NotPermitted):
        plans.add_plan_item(
            case,
            actor=world.east.clerk,
            measure="走访",
            person=world.east.handler,
            due_on=date(2026, 3, 12),
        )
    assert not case.plan_items.exists()
