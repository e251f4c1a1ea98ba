"""The staff inbox: the bell on every page, the list, marking as read, and its scoping."""

from django.db import transaction
from django.urls import reverse

from zongzhi.cases import services
from zongzhi.cases.workflow import Action
from zongzhi.notify.models import Kind, Message
from zongzhi.notify.outbox import enqueue
from zongzhi.notify.tests.helpers import accepted_case

INBOX = "/notify/inbox/"


def assigned(world, assignee=None):
    case = accepted_case(world)
    services.transition(
        case, Action.ASSIGN, actor=world.east.clerk, assignee=assignee or world.east.handler
    )
    return case, Message.objects.get(kind=Kind.CASE_ASSIGNED, case=case)


def note_for(user, text, source):
    with transaction.atomic():
        return enqueue(Kind.CASE_ASSIGNED, text, source=source, user=user)


def test_the_bell_shows_the_unread_count_on_every_page(world, client):
    handler = world.east.handler
    client.force_login(handler)
    page = client.get(reverse("workbench:home")).content.decode()
    assert 'id="inbox-bell"' in page and "bell-count" not in page
    for n in range(3):
        note_for(handler, f"提醒{n}", str(n))
    note_for(world.west.handler, "别人的提醒", "x")
    for url in (reverse("workbench:home"), reverse("workbench:queue"), INBOX):
        page = client.get(url).content.decode()
        assert 'aria-label="3 条未读"' in page, url
    fragment = client.get(reverse("notify:bell"))
    assert fragment.status_code == 200
    assert 'hx-trigger="every 60s"' in fragment.content.decode()
    assert ">3</span>" in fragment.content.decode()


def test_the_bell_counts_with_one_query(world, client, django_assert_num_queries):
    from zongzhi.notify.inbox import unread_count

    note_for(world.east.handler, "提醒", "1")
    with django_assert_num_queries(1):
        assert unread_count(world.east.handler) == 1


def test_the_list_links_each_message_to_its_case(world, client):
    case, message = assigned(world)
    client.force_login(world.east.handler)
    page = client.get(INBOX).content.decode()
    assert message.text in page
    assert reverse("workbench:case_detail", args=[case.pk]) in page
    assert "未读" in page


def test_a_case_no_longer_visible_shows_the_text_without_a_link(world, client):
    case = accepted_case(world)
    services.transition(case, Action.ASSIGN, actor=world.east.clerk, unit=world.east.unit)
    handler = world.east.handler
    message = Message.objects.get(kind=Kind.CASE_ASSIGNED, case=case, recipient_user=handler)
    # Moved to another township and out of the unit the case was given to.
    handler.place, handler.unit = world.west.place, None
    handler.save()
    client.force_login(handler)
    page = client.get(INBOX).content.decode()
    assert message.text in page
    assert reverse("workbench:case_detail", args=[case.pk]) not in page


def test_marking_one_as_read(world, client):
    first = note_for(world.east.handler, "第一条", "1")
    second = note_for(world.east.handler, "第二条", "2")
    client.force_login(world.east.handler)
    answer = client.post(reverse("notify:read_one", args=[first.pk]), {"page": "1"})
    assert answer.status_code == 302 and answer["Location"] == f"{INBOX}?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert 'aria-label="1 条未读"' in client.get(INBOX).content.decode()


def test_marking_all_as_read_touches_only_ones_own(world, client):
    for n in range(2):
        note_for(world.east.handler, f"提醒{n}", str(n))
    others = note_for(world.west.handler, "别人的提醒", "x")
    client.force_login(world.east.handler)
    page = client.post(reverse("notify:read_all"), follow=True).content.decode()
    assert "已将 2 条消息标记为已读" in page and "bell-count" not in page
    others.refresh_from_db()
    assert others.read_at is None


def test_another_accounts_message_cannot_be_seen_or_marked(world, client):
    others = note_for(world.west.handler, "别人的提醒", "x")
    client.force_login(world.east.handler)
    assert "别人的提醒" not in client.get(INBOX).content.decode()
    answer = client.post(reverse("notify:read_one", args=[others.pk]))
    assert answer.status_code == 302
    others.refresh_from_db()
    assert others.read_at is None


def test_reading_needs_a_post_and_a_login(world, client):
    message = note_for(world.east.handler, "提醒", "1")
    assert client.get(INBOX).status_code == 302  # to the login page
    assert client.get(reverse("notify:bell")).status_code == 302
    client.force_login(world.east.handler)
    assert client.get(reverse("notify:read_one", args=[message.pk])).status_code == 405
    assert client.get(reverse("notify:read_all")).status_code == 405
    message.refresh_from_db()
    assert message.read_at is None


def test_an_empty_inbox_says_so(world, client):
    client.force_login(world.analyst)
    page = client.get(INBOX)
    assert page.status_code == 200 and "暂无消息" in page.content.decode()


def test_a_bad_page_number_does_not_fail(world, client):
    client.force_login(world.east.handler)
    assert client.get(INBOX, {"page": "abc"}).status_code == 200
    assert client.post(reverse("notify:read_all"), {"page": "../x"})["Location"] == INBOX
