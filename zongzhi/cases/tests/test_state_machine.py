"""Every action from every step: allowed where the table says, refused everywhere else."""

import itertools

import pytest

from zongzhi.accounts.models import Role
from zongzhi.cases import services
from zongzhi.cases.choices import Outcome, Status
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case, CaseEvent
from zongzhi.cases.workflow import TRANSITIONS, Action, event_label
from zongzhi.testing.factories import make_case

# A path through the machine that reaches each status, as (action, kwargs) steps.
PATHS = {
    Status.VISIT: [],
    Status.SCREEN: [(Action.SCREEN, {})],
    Status.REPORT: [],
    Status.ASSESS: [(Action.ACCEPT, {})],
    Status.ASSIGN: [(Action.ACCEPT, {}), (Action.ASSIGN, {"unit": True})],
    Status.RESOLVE: [(Action.ACCEPT, {}), (Action.ASSIGN, {"unit": True}), (Action.MEET, {})],
}
PATHS[Status.STABILISE] = [*PATHS[Status.RESOLVE], (Action.STABILISE, {"note": "稳控"})]
PATHS[Status.FOLLOW_UP] = [
    *PATHS[Status.RESOLVE],
    (Action.CONCLUDE, {"note": "协议", "outcome": Outcome.RESOLVED}),
]
PATHS[Status.CLOSED] = [*PATHS[Status.FOLLOW_UP], (Action.CLOSE, {"note": "回访满意"})]
PATHS[Status.REJECTED] = [(Action.REJECT, {"note": "不属于矛盾纠纷"})]


def case_at(world, status: Status) -> Case:
    town = world.east
    initial = Status.VISIT if status in (Status.VISIT, Status.SCREEN) else Status.REPORT
    case = make_case(town.grid, town.leader, initial_status=initial)
    for action, kwargs in PATHS[status]:
        kwargs = dict(kwargs)
        if kwargs.pop("unit", False):
            kwargs["unit"] = town.unit
        services.transition(case, action, actor=town.leader, **kwargs)
    assert case.status == status
    return case


def good_arguments(world, action: Action) -> dict:
    arguments = {"note": "说明"}
    if action == Action.ASSIGN:
        arguments["unit"] = world.east.unit
    if action == Action.CONCLUDE:
        arguments["outcome"] = Outcome.RESOLVED
    return arguments


@pytest.mark.parametrize(("status", "action"), list(itertools.product(list(Status), list(Action))))
def test_every_action_from_every_status(world, status, action):
    case = case_at(world, status)
    events_before = case.events.count()
    rule = TRANSITIONS[action]
    if status in rule.sources:
        event = services.transition(
            case, action, actor=world.east.leader, **good_arguments(world, action)
        )
        assert case.status == rule.target
        assert (event.from_status, event.to_status, event.kind) == (status, rule.target, action)
        assert event.actor == world.east.leader and event.actor_label.startswith(
            world.east.leader.display_name
        )
    else:
        with pytest.raises(InvalidTransition):
            services.transition(
                case, action, actor=world.east.leader, **good_arguments(world, action)
            )
        case.refresh_from_db()
        assert case.status == status
        assert case.events.count() == events_before


ROLE_USERS = {
    Role.WINDOW_CLERK: lambda w: w.east.clerk,
    Role.CENTRE_LEADER: lambda w: w.east.leader,
    Role.DEPARTMENT_HANDLER: lambda w: w.east.handler,
    Role.GRID_WORKER: lambda w: w.east.grid_worker,
    Role.ANALYST: lambda w: w.analyst,
}


@pytest.mark.parametrize(
    ("action", "role"),
    [(a, r) for a in Action for r in ROLE_USERS],
)
def test_role_checks_for_every_action(world, action, role):
    rule = TRANSITIONS[action]
    status = sorted(rule.sources)[0]
    case = case_at(world, status)
    user = ROLE_USERS[role](world)
    allowed = role in rule.roles
    if allowed and rule.assigned_only and role in {Role.DEPARTMENT_HANDLER, Role.GRID_WORKER}:
        # Handlers act only on their own assignments: the east unit is the handler's.
        allowed = role == Role.DEPARTMENT_HANDLER
    if allowed:
        services.transition(case, action, actor=user, **good_arguments(world, action))
        assert case.status == rule.target
    else:
        with pytest.raises(NotPermitted):
            services.transition(case, action, actor=user, **good_arguments(world, action))
        case.refresh_from_db()
        assert case.status == status


def test_nobody_acts_outside_their_area(world):
    case = case_at(world, Status.REPORT)
    with pytest.raises(NotPermitted):
        services.transition(case, Action.ACCEPT, actor=world.west.clerk)
    services.transition(case, Action.ACCEPT, actor=world.county_clerk)
    assert case.status == Status.ASSESS


def test_citizen_may_only_reopen(world):
    case = case_at(world, Status.REPORT)
    with pytest.raises(NotPermitted):
        services.transition(case, Action.ACCEPT, actor=None)
    case = case_at(world, Status.FOLLOW_UP)
    services.transition(case, Action.REOPEN, actor=None, note="还在吵")
    assert case.events.last().actor_label == "当事人"


@pytest.mark.parametrize("action", [t.action for t in TRANSITIONS.values() if t.note_required])
def test_note_required(world, action):
    status = sorted(TRANSITIONS[action].sources)[0]
    case = case_at(world, status)
    arguments = {**good_arguments(world, action), "note": "   "}
    with pytest.raises(InvalidInput) as error:
        services.transition(case, action, actor=world.east.leader, **arguments)
    assert error.value.field == "note"
    case.refresh_from_db()
    assert case.status == status


def test_assign_needs_a_unit_that_covers_the_place(world):
    case = case_at(world, Status.ASSESS)
    with pytest.raises(InvalidInput):
        services.transition(case, Action.ASSIGN, actor=world.east.leader)
    with pytest.raises(InvalidInput):
        services.transition(case, Action.ASSIGN, actor=world.east.leader, unit=world.west.unit)
    with pytest.raises(InvalidInput):  # a handler of another township cannot see the case
        services.transition(
            case, Action.ASSIGN, actor=world.east.leader, assignee=world.west.handler
        )
    world.east.unit.is_active = False
    world.east.unit.save()
    with pytest.raises(InvalidInput):
        services.transition(case, Action.ASSIGN, actor=world.east.leader, unit=world.east.unit)
    with pytest.raises(InvalidInput):  # a member of an inactive unit neither
        services.transition(
            case, Action.ASSIGN, actor=world.east.leader, assignee=world.east.handler
        )
    assert case.assignments.count() == 0
    world.east.unit.is_active = True
    world.east.unit.save()
    services.transition(case, Action.ASSIGN, actor=world.east.leader, assignee=world.east.handler)
    assert case.assignments.get().assignee == world.east.handler


def test_conclude_needs_an_outcome(world):
    case = case_at(world, Status.RESOLVE)
    with pytest.raises(InvalidInput):
        services.transition(case, Action.CONCLUDE, actor=world.east.leader, note="完")
    services.transition(
        case, Action.CONCLUDE, actor=world.east.leader, note="完", outcome=Outcome.UNRESOLVED
    )
    assert case.outcome == Outcome.UNRESOLVED


def test_send_back_ends_the_assignment(world):
    case = case_at(world, Status.ASSIGN)
    services.transition(case, Action.SEND_BACK, actor=world.east.handler, note="不属本单位职责")
    assert case.status == Status.ASSESS
    assert not case.assignments.filter(ended_at__isnull=True).exists()
    services.transition(
        case, Action.ASSIGN, actor=world.east.leader, assignee=world.east.grid_worker
    )
    with pytest.raises(NotPermitted):  # no longer theirs
        services.transition(case, Action.MEET, actor=world.east.handler)
    services.transition(case, Action.MEET, actor=world.east.grid_worker)


def test_stale_page_cannot_apply_an_action_twice(world):
    case = case_at(world, Status.REPORT)
    stale = Case.objects.get(pk=case.pk)
    services.transition(case, Action.ACCEPT, actor=world.east.clerk)
    with pytest.raises(InvalidTransition):
        services.transition(stale, Action.ACCEPT, actor=world.east.clerk)
    assert case.events.filter(kind=Action.ACCEPT).count() == 1


def test_timeline_events_are_immutable(world):
    case = case_at(world, Status.ASSESS)
    event = case.events.first()
    event.note = "改写"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(note="改写")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).delete()


def test_permitted_actions_match_the_table(world):
    case = case_at(world, Status.ASSIGN)
    assert {t.action for t in services.permitted_actions(case, world.east.handler)} == {
        Action.SEND_BACK,
        Action.MEET,
    }
    assert {t.action for t in services.permitted_actions(case, world.east.leader)} == {
        Action.SEND_BACK,
        Action.MEET,
    }
    assert services.permitted_actions(case, world.west.leader) == []


def test_risk_change_is_recorded_with_its_reason(world):
    case = case_at(world, Status.ASSESS)
    with pytest.raises(InvalidInput):
        services.change_risk(case, "high", actor=world.east.clerk, note="")
    with pytest.raises(NotPermitted):
        services.change_risk(case, "high", actor=world.east.handler, note="扬言报复")
    event = services.change_risk(case, "high", actor=world.east.clerk, note="扬言报复")
    assert case.risk == "high" and event.data == {"from": "low", "to": "high"}


def test_unstabilise_leads_back_to_resolve_only_from_stabilise(world):
    case = case_at(world, Status.RESOLVE)
    with pytest.raises(InvalidTransition):
        services.transition(case, Action.UNSTABILISE, actor=world.east.handler)
    services.transition(case, Action.STABILISE, actor=world.east.handler, note="情绪激动")
    services.transition(case, Action.UNSTABILISE, actor=world.east.handler)
    assert case.status == Status.RESOLVE


def test_old_supervision_events_keep_their_labels():
    assert event_label("supervise") == "督办"
    assert event_label("resume") == "继续化解"
    assert "supervise" not in set(Status) | set(Action)


def test_a_reopened_case_goes_back_to_its_handlers(world):
    case = case_at(world, Status.CLOSED)
    assert not case.assignments.filter(ended_at__isnull=True).exists()
    event = services.transition(case, Action.REOPEN, actor=None, note="对方没有履行协议")
    assert event.data["restored"] == [world.east.unit.name]
    active = case.assignments.filter(ended_at__isnull=True)
    assert [a.unit for a in active] == [world.east.unit]
    assert case.assignments.count() == 2  # the ended one stays as history
    services.transition(
        case, Action.CONCLUDE, actor=world.east.handler, note="再次调解", outcome=Outcome.RESOLVED
    )
    assert case.status == Status.FOLLOW_UP


def test_a_mediator_closes_only_cases_of_their_own(world):
    from zongzhi.testing.factories import UnitFactory, UserFactory

    room = UnitFactory(name="老杨调解工作室", place=world.east.place)
    mediator = UserFactory(
        username="mediator", role=Role.MEDIATOR, place=world.east.place, unit=room
    )
    case = case_at(world, Status.FOLLOW_UP)
    with pytest.raises(NotPermitted):
        services.transition(case, Action.CLOSE, actor=mediator, note="回访满意")
    services.transition(case, Action.CLOSE, actor=world.east.clerk, note="回访满意")
    assert case.status == Status.CLOSED


def test_risk_change_on_a_case_closed_meanwhile_is_refused(world):
    case = case_at(world, Status.RESOLVE)
    stale = Case.objects.get(pk=case.pk)
    services.transition(
        case, Action.CONCLUDE, actor=world.east.leader, note="结", outcome=Outcome.RESOLVED
    )
    services.transition(case, Action.CLOSE, actor=world.east.leader, note="回访")
    with pytest.raises(InvalidTransition):
        services.change_risk(stale, "high", actor=world.east.clerk, note="扬言报复")
    case.refresh_from_db()
    assert case.risk == "low"
