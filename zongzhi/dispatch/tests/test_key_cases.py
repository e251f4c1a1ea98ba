"""一案三交: the key-case rule (each trigger, exactly once), the three people's duties and
their lateness, and the messages they get."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from zongzhi.cases import services
from zongzhi.cases.choices import RiskGrade
from zongzhi.cases.errors import InvalidInput, InvalidTransition, NotPermitted
from zongzhi.cases.models import Case
from zongzhi.clock.tracking import DeadlineState, state_of
from zongzhi.dispatch import key_cases
from zongzhi.dispatch.models import Duty, KeyCase
from zongzhi.dispatch.models.duties import KeyReason
from zongzhi.notify.models import Kind, Message
from zongzhi.testing.factories import make_case, three_people_for


@pytest.fixture
def people(world):
    return three_people_for(world.east, world.county)


def test_a_high_risk_case_is_handed_to_the_three_people_at_registration(world, people, frozen_now):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    key = case.key_case
    assert key.reason == KeyReason.HIGH_RISK and key.missing == []
    duties = {d.role: d for d in key_cases.duties_of(case)}
    assert {role: d.person for role, d in duties.items()} == people
    # Urgent: natural hours around the clock.
    assert duties["county_leader"].deadline.due_at == frozen_now + timedelta(hours=24)
    assert duties["party_secretary"].deadline.due_at == frozen_now + timedelta(hours=12)
    assert case.events.filter(kind="key_case_handed").count() == 1
    told = Message.objects.filter(kind=Kind.KEY_CASE, case=case)
    assert set(told.values_list("recipient_user", flat=True)) == {p.pk for p in people.values()}


def test_many_people_make_a_key_case_with_working_day_deadlines(
    world, people, frozen_now, settings
):
    settings.ZONGZHI_KEY_CASE_PEOPLE = 10
    few = make_case(world.east.grid, world.east.clerk, people_count=9)
    assert not key_cases.is_key_case(few)
    case = make_case(world.east.grid, world.east.clerk, people_count=10)
    assert case.key_case.reason == KeyReason.MANY_PEOPLE
    duty = Duty.objects.get(case=case, role="county_leader")
    # Wednesday 10:00 + 3 working days: the end of Monday.
    assert duty.deadline.due_at == datetime.fromisoformat("2026-03-17T00:00:00+08:00")


def test_the_setting_moves_the_threshold(world, people, settings):
    settings.ZONGZHI_KEY_CASE_PEOPLE = 30
    assert not key_cases.is_key_case(make_case(world.east.grid, world.east.clerk, people_count=10))


def test_raising_the_risk_hands_the_case_over(world, people):
    case = make_case(world.east.grid, world.east.clerk)
    assert not key_cases.is_key_case(case)
    services.change_risk(case, RiskGrade.HIGH, actor=world.east.clerk, note="扬言报复")
    assert case.key_case.reason == KeyReason.HIGH_RISK
    assert Duty.objects.filter(case=case).count() == 4


def test_a_confirmed_risk_signal_hands_the_case_over(world, people):
    case = make_case(world.east.grid, world.east.clerk)
    key = key_cases.confirm_risk_signal(case, signal="文本出现极端言论")
    assert key.reason == KeyReason.RISK_SIGNAL and key.note == "文本出现极端言论"
    with pytest.raises(InvalidInput):
        key_cases.confirm_risk_signal(make_case(world.east.grid, world.east.clerk), signal=" ")


def test_a_leader_marks_a_case_key_with_a_reason(world, people):
    case = make_case(world.east.grid, world.east.clerk)
    with pytest.raises(NotPermitted):
        key_cases.mark_key(case, actor=world.east.clerk, note="群体性隐患")
    with pytest.raises(InvalidInput):
        key_cases.mark_key(case, actor=world.east.leader, note="")
    key = key_cases.mark_key(case, actor=world.east.leader, note="群体性隐患")
    assert key.reason == KeyReason.LEADER and key.marked_by == world.east.leader
    with pytest.raises(InvalidTransition):
        key_cases.mark_key(case, actor=world.east.leader, note="再次标记")


def test_a_covering_cadre_may_mark_a_case_of_their_township(world, people):
    case = make_case(world.east.grid, world.east.clerk)
    assert key_cases.may_mark(case, people["political_legal"])
    beside = make_case(world.west.grid, world.west.clerk)
    assert not key_cases.may_mark(beside, people["political_legal"])


def test_a_case_becomes_key_exactly_once(world, people):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    assert key_cases.make_key(case, reason=KeyReason.LEADER) is None
    assert key_cases.confirm_risk_signal(case, signal="再次确认") is None
    services.change_risk(case, RiskGrade.MEDIUM, actor=world.east.clerk, note="降级")
    services.change_risk(case, RiskGrade.HIGH, actor=world.east.clerk, note="再升级")
    assert KeyCase.objects.filter(case=case).count() == 1
    assert Duty.objects.filter(case=case).count() == 4
    assert case.events.filter(kind="key_case_handed").count() == 1


def test_the_database_refuses_a_second_hand_over(world, people):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyCase.objects.create(case=case, reason=KeyReason.LEADER, handed_at=case.created_at)


def test_missing_people_are_named_not_skipped(world):
    case = make_case(world.west.grid, world.west.clerk, risk=RiskGrade.HIGH)
    key = case.key_case
    assert key.missing == ["county_leader", "party_secretary", "government_head", "political_legal"]
    assert "包保县级领导" in key.missing_labels
    assert not Duty.objects.filter(case=case).exists()
    event = case.events.get(kind="key_case_handed")
    assert event.data["missing"] == key.missing


def test_a_duty_is_met_by_its_person_with_a_note(world, people, frozen_now):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    duty = Duty.objects.get(case=case, role="political_legal")
    with pytest.raises(NotPermitted):
        key_cases.complete_duty(case, duty.pk, actor=people["county_leader"], note="已下沉")
    with pytest.raises(InvalidInput):
        key_cases.complete_duty(case, duty.pk, actor=people["political_legal"], note="")
    key_cases.complete_duty(case, duty.pk, actor=people["political_legal"], note="已带案下沉")
    duty.refresh_from_db()
    duty.deadline.refresh_from_db()
    assert duty.done_note == "已带案下沉" and state_of(duty.deadline) == DeadlineState.MET
    assert case.events.filter(kind="key_duty_done").count() == 1
    with pytest.raises(InvalidTransition):
        key_cases.complete_duty(case, duty.pk, actor=people["political_legal"], note="再次")


def test_a_duty_past_due_is_late_and_met_late(world, people, frozen_now):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    duty = Duty.objects.select_related("deadline").get(case=case, role="party_secretary")
    later = frozen_now + timedelta(hours=13)
    assert state_of(duty.deadline, later) == DeadlineState.LATE
    assert state_of(duty.deadline, frozen_now + timedelta(hours=10)) == DeadlineState.WARNING
    key_cases.complete_duty(
        case, duty.pk, actor=people["party_secretary"], note="已走访", now=later
    )
    duty.deadline.refresh_from_db()
    assert state_of(duty.deadline, later) == DeadlineState.MET_LATE


def test_duty_people_are_on_the_case(world, people):
    case = make_case(world.east.grid, world.east.clerk, risk=RiskGrade.HIGH)
    # A court leader outside the case's area whose coverage ends still keeps the duty's case.
    from zongzhi.dispatch.models import Coverage

    Coverage.objects.filter(cadre=people["political_legal"]).delete()
    assert Case.objects.workable_by(people["political_legal"]).filter(pk=case.pk).exists()
