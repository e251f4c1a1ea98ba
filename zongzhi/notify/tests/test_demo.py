from datetime import timedelta

from django.utils import timezone

from zongzhi.notify.demo import UNREAD_LATEST, settle_history
from zongzhi.notify.models import Channel, Kind, Message, MessageStatus
from zongzhi.notify.tests.helpers import accepted_case
from zongzhi.testing.factories import UserFactory


def test_demo_history_is_sent_and_read_but_the_newest_few(world):
    from zongzhi.cases import services
    from zongzhi.cases.workflow import Action

    start = timezone.now() - timedelta(days=30)
    for n in range(UNREAD_LATEST + 2):
        case = accepted_case(world, now=start + timedelta(days=n))
        services.transition(
            case,
            Action.ASSIGN,
            actor=world.east.clerk,
            assignee=world.east.handler,
            now=start + timedelta(days=n, hours=1),
        )
    UserFactory(username="hongta-leader")
    settle_history(timezone.now())
    assert (
        not Message.objects.filter(channel=Channel.SMS).exclude(status=MessageStatus.SENT).exists()
    )
    inbox = Message.objects.filter(recipient_user=world.east.handler).order_by("-created_at")
    assert [m.read_at is None for m in inbox] == [True] * UNREAD_LATEST + [False] * 2
    assert Message.objects.get(recipient_user__username="hongta-leader").kind == Kind.NOTICE
