"""Messages are written with their cause, once, and say no more than they must."""

import pytest
from django.db import connection, transaction

from zongzhi.cases import services
from zongzhi.cases.choices import PartyRole, Source
from zongzhi.cases.workflow import Action
from zongzhi.notify.events import on_case_event
from zongzhi.notify.models import Channel, Kind, Message, MessageStatus
from zongzhi.notify.outbox import enqueue
from zongzhi.notify.tests.helpers import accepted_case, concluded_case
from zongzhi.testing.factories import UserFactory, make_case, party

PHONE = "13812345678"  # the applicant's phone in the factories


def sms(kind: Kind):
    return Message.objects.filter(channel=Channel.SMS, kind=kind)


def test_accepting_queues_one_sms_with_the_query_code_and_no_details(world):
    case = accepted_case(world, title="王某某与李某宅基地纠纷", description="玉兴路8号院墙倒塌")
    [message] = sms(Kind.CASE_ACCEPTED)
    assert message.recipient_phone == PHONE
    assert message.status == MessageStatus.QUEUED and message.next_attempt_at is not None
    assert message.case == case
    assert case.query_code in message.text
    assert message.text.startswith("【综治中心】您反映的事项已受理")
    for detail in ("王某某", "宅基地", "玉兴路", "院墙", "李四", "张三", case.number):
        assert detail not in message.text


def test_only_the_applicants_mobile_phones_are_told(world):
    parties = [
        party(phone="0877-2012345"),  # a landline receives no SMS
        party(name="王五", phone="+86 139-0000-1111"),
        party(name="王六", phone="13900001111"),  # the same person again: one message
        party(PartyRole.RESPONDENT, name="李四"),
    ]
    accepted_case(world, parties=parties)
    assert [m.recipient_phone for m in sms(Kind.CASE_ACCEPTED)] == ["13900001111"]


def test_a_case_without_a_citizen_phone_sends_no_sms(world):
    accepted_case(world, source=Source.GRID, parties=[party(phone="")])
    assert not Message.objects.filter(channel=Channel.SMS).exists()


def test_the_phone_is_encrypted_at_rest_with_its_keyed_hash(world):
    accepted_case(world)
    message = sms(Kind.CASE_ACCEPTED).get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT recipient_phone, idempotency_key FROM notify_message WHERE id = %s",
            [message.pk],
        )
        stored, key = cursor.fetchone()
    assert PHONE not in stored and "5678" not in stored
    assert PHONE not in key and message.recipient_phone_hash in key
    assert message.recipient_phone_hash and message.hash_key_id


def test_a_rolled_back_transition_leaves_no_message(world):
    case = make_case(world.east.village, world.east.clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.transition(case, Action.ACCEPT, actor=world.east.clerk)
        assert sms(Kind.CASE_ACCEPTED).count() == 1
        raise RuntimeError("the request failed after the transition")
    assert not Message.objects.exists()


def test_the_same_event_twice_gives_one_message(world):
    accepted_case(world)
    event = sms(Kind.CASE_ACCEPTED).get().case.events.get(kind=Action.ACCEPT)
    with transaction.atomic():
        on_case_event(event)
        on_case_event(event)
    assert sms(Kind.CASE_ACCEPTED).count() == 1


def test_enqueue_returns_the_existing_row_for_a_repeated_key(world):
    with transaction.atomic():
        first = enqueue(Kind.CASE_ASSIGNED, "甲", source="e1", user=world.east.handler)
        again = enqueue(Kind.CASE_ASSIGNED, "乙", source="e1", user=world.east.handler)
        other = enqueue(Kind.CASE_ASSIGNED, "丙", source="e2", user=world.east.handler)
    assert again.pk == first.pk and again.text == "甲"
    assert other.pk != first.pk
    assert first.status == MessageStatus.SENT  # in-app: delivered by being written


@pytest.mark.django_db(transaction=True)
def test_enqueue_refuses_to_run_outside_a_transaction():
    user = UserFactory()
    with pytest.raises(RuntimeError):
        enqueue(Kind.CASE_ASSIGNED, "甲", source="e1", user=user)
    assert not Message.objects.exists()


def test_concluding_tells_the_citizen_a_follow_up_is_due_and_the_leader(world):
    case = concluded_case(world)
    [message] = sms(Kind.CASE_CONCLUDED)
    assert case.query_code in message.text and "回访" in message.text
    assert "协议" not in message.text
    [leader] = Message.objects.filter(kind=Kind.CASE_CONCLUDED_LEADER)
    assert leader.recipient_user == world.east.leader and leader.channel == Channel.IN_APP
    assert case.number in leader.text and "实质化解" in leader.text


def test_assigning_to_a_person_tells_that_person(world):
    case = accepted_case(world)
    services.transition(case, Action.ASSIGN, actor=world.east.clerk, assignee=world.east.handler)
    [message] = Message.objects.filter(kind=Kind.CASE_ASSIGNED)
    assert message.recipient_user == world.east.handler
    assert message.channel == Channel.IN_APP and message.case == case
    assert case.number in message.text and "交办给您" in message.text


def test_assigning_to_a_unit_tells_its_active_members(world):
    colleague = UserFactory(
        username="colleague",
        role=world.east.handler.role,
        place=world.east.place,
        unit=world.east.unit,
    )
    UserFactory(username="gone", place=world.east.place, unit=world.east.unit, is_active=False)
    case = accepted_case(world)
    services.transition(case, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    told = Message.objects.filter(kind=Kind.CASE_ASSIGNED).order_by("recipient_user_id")
    assert [m.recipient_user for m in told] == [world.east.handler, colleague]
    assert world.east.unit.name in told[0].text


def test_rejecting_tells_the_holding_centres_leaders_but_not_the_actor(world):
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.REJECT, actor=world.east.leader, note="不属于受理范围")
    assert not Message.objects.filter(kind=Kind.CASE_REJECTED).exists()
    case = make_case(world.east.village, world.east.clerk)
    services.transition(case, Action.REJECT, actor=world.east.clerk, note="不属于受理范围")
    [message] = Message.objects.filter(kind=Kind.CASE_REJECTED)
    assert message.recipient_user == world.east.leader
    assert not Message.objects.filter(channel=Channel.SMS).exists()
