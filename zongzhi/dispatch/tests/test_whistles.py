"""吹哨报到: whistling departments on a case, their reports, the roster and its lateness, who
may whistle and report, and the visibility a called unit gains (and nobody else)."""

from datetime import datetime, timedelta

import pytest

from zongzhi.accounts.models import Role, UnitKind
from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.clock.models import DayKind, SpecialDay
from zongzhi.clock.tracking import DeadlineState
from zongzhi.dispatch import whistles
from zongzhi.dispatch.models import SubTask
from zongzhi.dispatch.whistles import Call
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import UnitFactory, UserFactory, make_case

SHANGHAI_NOON = "+08:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + SHANGHAI_NOON)


@pytest.fixture
def case(world, frozen_now):
    return make_case(world.east.village, world.east.clerk, now=frozen_now)


def blow(case, actor, *units, now=None, **options):
    options.setdefault("note", "请派员到场，共同化解")
    tasks, event = whistles.whistle(
        case, [Call(unit=u) for u in units], actor=actor, now=now, **options
    )
    return tasks


# ---- deadlines through the one calendar ---------------------------------------------------


def test_whistle_gives_each_unit_a_sub_task_with_two_deadlines(world, called, case, frozen_now):
    tasks = blow(case, world.east.clerk, called.police, called.bureau, now=frozen_now)
    assert [t.unit for t in tasks] == [called.police, called.bureau]
    police = tasks[0]
    assert police.liaison == called.police_liaison and police.leader == called.police_leader
    # Report in within 24 natural hours; report back by the end of the 3rd working day
    # (Wednesday 11 March → Thursday, Friday, Monday 16 March, 24:00).
    assert police.report_in.due_at == at("2026-03-12T10:00:00")
    assert police.report_back.due_at == at("2026-03-17T00:00:00")
    assert police.report_in.responsible_user == called.police_liaison
    assert police.report_back.responsible_unit == called.police
    assert police.report_in.kind == whistles.REPORT_IN_KIND
    event = case.events.get(kind="whistled")
    assert [t["unit"] for t in event.data["sub_tasks"]] == ["玉兴派出所", "红塔区人社局"]
    assert not event.is_public


def test_report_back_day_skips_holidays_of_the_calendar(world, called, case, frozen_now):
    SpecialDay.objects.create(date=frozen_now.date() + timedelta(days=2), kind=DayKind.HOLIDAY)
    (task,) = blow(case, world.east.clerk, called.police, now=frozen_now)
    assert task.report_back.due_at == at("2026-03-18T00:00:00")


def test_an_urgent_case_reports_in_within_two_hours(world, called, frozen_now):
    urgent = make_case(world.east.village, world.east.clerk, now=frozen_now, risk=RiskGrade.HIGH)
    (task,) = blow(urgent, world.east.clerk, called.police, now=frozen_now)
    assert task.report_in.due_at == frozen_now + timedelta(hours=2)


def test_chosen_periods_and_their_limits(world, called, case, frozen_now):
    (task,) = blow(
        case,
        world.east.clerk,
        called.police,
        now=frozen_now,
        report_in_hours=4,
        report_back_by=frozen_now.date() + timedelta(days=7),
    )
    assert task.report_in.due_at == frozen_now + timedelta(hours=4)
    assert task.report_back.due_at == at("2026-03-19T00:00:00")
    for options in (
        {"report_in_hours": 0},
        {"report_in_hours": 73},
        {"report_back_by": frozen_now.date()},  # ends before the report-in due time
        {"note": "  "},
    ):
        with pytest.raises(InvalidInput):
            blow(case, world.east.clerk, called.bureau, now=frozen_now, **options)
    with pytest.raises(InvalidInput, match="至少选择"):
        blow(case, world.east.clerk, now=frozen_now)
    assert SubTask.objects.count() == 1


# ---- repeats -----------------------------------------------------------------------------


def test_whistling_a_unit_again_while_its_sub_task_is_open_is_refused(world, called, case):
    (task,) = blow(case, world.east.clerk, called.police)
    with pytest.raises(InvalidTransition, match="玉兴派出所在本纠纷上已有未反馈的吹哨任务"):
        blow(case, world.east.leader, called.bureau, called.police)
    assert SubTask.objects.count() == 1  # the bureau was not called either
    assert case.events.filter(kind="whistled").count() == 1
    whistles.report_in(task, called.police_liaison)
    whistles.report_back(task, called.police_liaison, "已出警调解，双方达成和解")
    (again,) = blow(case, world.east.clerk, called.police)  # done: may be called again
    assert again.pk != task.pk


def test_the_same_unit_twice_in_one_whistle_makes_one_sub_task(world, called, case):
    assert len(blow(case, world.east.clerk, called.police, called.police)) == 1


# ---- who may whistle, whom -------------------------------------------------------------


def test_intake_staff_of_the_holding_centre_or_above_may_whistle(world, called, case):
    east, west = world.east, world.west
    for user in (east.clerk, east.leader, world.county_clerk, world.county_leader):
        assert whistles.may_whistle(user, case), user
    for user in (east.handler, east.grid_worker, world.analyst, west.clerk, west.leader):
        assert not whistles.may_whistle(user, case), user
    with pytest.raises(NotPermitted):
        blow(case, east.handler, called.police)
    # Held by the county now: the township's staff no longer whistle.
    Case.objects.filter(pk=case.pk).update(holding_place=world.county)
    case.refresh_from_db()
    assert not whistles.may_whistle(east.clerk, case)
    assert whistles.may_whistle(world.county_clerk, case)


def test_callable_units_are_the_centres_above_and_the_units_serving_the_place(world, called, case):
    office = UnitFactory(name="玉兴综治办", kind=UnitKind.CENTRE_OFFICE, place=world.east.place)
    inactive = UnitFactory(name="玉兴旧单位", place=world.east.place, is_active=False)
    elsewhere = UnitFactory(name="凤凰人民法庭", department="法院", place=world.county)
    elsewhere.serves.set([world.west.place])
    units = set(whistles.callable_units(case))
    assert {world.east.unit, called.police, called.bureau, called.tribunal} <= units
    assert not units & {world.west.unit, office, inactive, elsewhere}
    with pytest.raises(InvalidInput, match=whistles.UNIT_REFUSED):
        blow(case, world.east.clerk, world.west.unit)
    assert not SubTask.objects.exists()


# ---- reports -----------------------------------------------------------------------------


def test_report_in_and_back_meet_their_deadlines_and_write_the_timeline(world, called, case):
    (task,) = blow(case, world.east.clerk, called.police, now=case.created_at)
    with pytest.raises(InvalidTransition, match="请先报到"):
        whistles.report_back(task, called.police_liaison, "已处理")
    later = case.created_at + timedelta(hours=1)
    event = whistles.report_in(task, called.police_leader, "已派民警到场", now=later)
    assert event.kind == "reported_in" and event.data["late"] is False
    task.refresh_from_db()
    assert task.reported_in_by == called.police_leader
    assert task.report_in.met_at == later
    with pytest.raises(InvalidTransition, match="已报到"):
        whistles.report_in(task, called.police_liaison)
    with pytest.raises(InvalidInput, match="办理结果"):
        whistles.report_back(task, called.police_liaison, " ")
    done = later + timedelta(days=1)
    whistles.report_back(task, called.police_liaison, "已调解", now=done)
    task.refresh_from_db()
    assert task.result == "已调解" and task.report_back.met_at == done and not task.is_open
    assert list(case.events.values_list("kind", flat=True))[-3:] == [
        "whistled",
        "reported_in",
        "reported_back",
    ]


def test_only_the_called_unit_reports(world, called, case):
    (task,) = blow(case, world.east.clerk, called.police)
    for outsider in (world.east.handler, called.bureau_liaison, world.east.clerk):
        with pytest.raises(NotPermitted):
            whistles.report_in(task, outsider)
    task.refresh_from_db()
    assert task.reported_in_at is None and task.report_in.met_at is None
    # Any member of the unit may: not only the liaison.
    member = UserFactory(
        username="police-2",
        role=Role.DEPARTMENT_HANDLER,
        place=world.east.place,
        unit=called.police,
    )
    whistles.report_in(task, member)


def test_a_grid_head_is_called_in_person(world, called, frozen_now):
    case = make_case(world.east.grid, world.east.clerk, now=frozen_now)
    tasks, _ = whistles.whistle(
        case, [Call(person=world.east.grid_worker)], actor=world.east.clerk, note="到场"
    )
    assert tasks[0].unit is None and tasks[0].liaison == world.east.grid_worker
    with pytest.raises(InvalidTransition):
        whistles.whistle(
            case, [Call(person=world.east.grid_worker)], actor=world.east.clerk, note="到场"
        )
    with pytest.raises(InvalidInput, match=whistles.GRID_HEAD_REFUSED):
        whistles.whistle(
            case, [Call(person=world.west.grid_worker)], actor=world.east.clerk, note="到场"
        )
    with pytest.raises(NotPermitted):
        whistles.report_in(tasks[0], called.police_liaison)
    whistles.report_in(tasks[0], world.east.grid_worker)


# ---- the roster and lateness -------------------------------------------------------------


def test_roster_lateness_at_the_boundary(world, called, case, frozen_now):
    tasks = blow(case, world.east.clerk, called.police, called.bureau, now=frozen_now)
    due = tasks[0].report_in.due_at
    on_time, late = whistles.roster(case, due)
    assert on_time.report_in_state == DeadlineState.PENDING and not on_time.late_now
    just_after = due + timedelta(microseconds=1)
    assert all(row.late_now for row in whistles.roster(case, just_after))
    # The police report in exactly at the due time (on time), the bureau a second after.
    whistles.report_in(tasks[0], called.police_liaison, now=due)
    whistles.report_in(tasks[1], called.bureau_liaison, now=due + timedelta(seconds=1))
    police, bureau = whistles.roster(case, due + timedelta(hours=1))
    assert police.report_in_state == DeadlineState.MET and not police.report_in_late
    assert bureau.report_in_state == DeadlineState.MET_LATE and bureau.report_in_late
    assert not bureau.late_now  # late once, but nothing is overdue now
    back_due = tasks[0].report_back.due_at
    police, bureau = whistles.roster(case, back_due + timedelta(seconds=1))
    assert police.late_now and police.report_back_state == DeadlineState.LATE


# ---- visibility through involvement ----------------------------------------------------


def test_a_called_unit_sees_and_works_the_case_and_nobody_else_gains(world, called, case):
    from zongzhi.cases.selectors import may_work_on

    member = called.bureau_liaison  # a county department handler: need-to-know
    other = UserFactory(
        username="other-bureau",
        role=Role.DEPARTMENT_HANDLER,
        place=world.county,
        unit=UnitFactory(name="红塔区住建局", place=world.county),
    )
    west_member = UserFactory(
        username="west-member",
        role=Role.DEPARTMENT_HANDLER,
        place=world.west.place,
        unit=world.west.unit,
    )
    assert not may_work_on(member, case)
    (task,) = blow(case, world.east.clerk, called.bureau)
    assert may_work_on(member, case) and may_work_on(called.bureau_leader, case)
    assert case in Case.objects.workable_by(member)
    for outsider in (other, west_member, world.west.clerk, world.west.leader):
        assert not may_work_on(outsider, case), outsider
        assert case not in Case.objects.visible_to(outsider) or outsider.place == world.county
    whistles.report_in(task, member)
    whistles.report_back(task, member, "已核实")
    assert may_work_on(member, case)  # done, and still on the case


# ---- notifications ---------------------------------------------------------------------


def test_liaison_and_leader_are_told_when_their_unit_is_whistled(world, called, case):
    blow(case, world.east.clerk, called.police, world.east.unit)
    told = Message.objects.filter(kind=Kind.CASE_WHISTLED)
    assert sorted(told.values_list("recipient_user__username", flat=True)) == sorted(
        ["police-liaison", "police-leader", world.east.handler.username]
    )
    text = told.get(recipient_user=called.police_liaison).text
    assert "玉兴派出所" in text and "03月12日10:00前报到" in text
    assert not Message.objects.filter(recipient_user=world.east.clerk).exists()


def test_contacts_are_members_of_their_unit_and_a_stale_one_is_not_used(world, called):
    from django.core.exceptions import ValidationError

    from zongzhi.dispatch.models import UnitContacts

    contacts = UnitContacts(unit=called.bureau, liaison=called.police_liaison)
    with pytest.raises(ValidationError, match="须为本单位的在岗账号"):
        contacts.full_clean(exclude=["unit"])
    # A liaison who has since left the unit is not the unit's liaison any more.
    called.bureau_liaison.unit = called.police
    called.bureau_liaison.save()
    assert whistles.contacts_of(called.bureau) == (None, called.bureau_leader)
