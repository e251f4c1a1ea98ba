"""Sending the outbox: senders, retries with back-off, giving up, stuck messages, the admin."""

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zongzhi.notify import delivery
from zongzhi.notify.models import Channel, Kind, Message, MessageStatus
from zongzhi.notify.outbox import enqueue
from zongzhi.notify.senders import HttpSmsGatewaySender, SendError
from zongzhi.notify.tests.helpers import accepted_case

PHONE = "13812345678"


class Recorder:
    """A sender for tests: records what it sends, fails while `failures` is positive."""

    sent: list = []
    failures = 0

    def send(self, message):
        if Recorder.failures > 0:
            Recorder.failures -= 1
            raise SendError("网关暂时不可用")
        Recorder.sent.append(message.pk)


@pytest.fixture
def recorder(settings):
    settings.SMS_SENDER = "zongzhi.notify.tests.test_delivery.Recorder"
    Recorder.sent, Recorder.failures = [], 0
    return Recorder


def queued_sms(now=None, source="e1", phone=PHONE) -> Message:
    with transaction.atomic():
        return enqueue(
            Kind.CASE_ACCEPTED,
            "【综治中心】您反映的事项已受理，查询码ABCD2345。",
            source=source,
            channel=Channel.SMS,
            phone=phone,
            now=now,
        )


def test_the_log_sender_writes_a_readable_line_with_the_phone_masked(world, caplog):
    case = accepted_case(world)
    with caplog.at_level(logging.INFO, logger="zongzhi.notify.sent"):
        result = delivery.deliver_due()
    assert result.sent == 1
    [line] = [r.getMessage() for r in caplog.records if r.name == "zongzhi.notify.sent"]
    assert "138****5678" in line and PHONE not in line
    assert case.query_code in line and "短信" in line
    message = Message.objects.get(channel=Channel.SMS)
    assert message.status == MessageStatus.SENT and message.sent_at and message.attempts == 1


def test_a_sent_message_is_not_sent_again(db, recorder):
    message = queued_sms()
    delivery.deliver_due()
    delivery.deliver_due(timezone.now() + timedelta(days=1))
    assert recorder.sent == [message.pk]


def test_a_failure_is_retried_with_growing_back_off_then_given_up(db, recorder, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    recorder.failures = 10
    now = timezone.now()
    message = queued_sms(now)
    assert delivery.deliver_due(now).retrying == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert message.next_attempt_at == now + timedelta(seconds=60)
    assert message.last_error == "网关暂时不可用"
    assert delivery.deliver_due(now + timedelta(seconds=59)).retrying == 0  # not yet due
    later = now + timedelta(seconds=60)
    assert delivery.deliver_due(later).retrying == 1
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == later + timedelta(seconds=120)
    assert delivery.deliver_due(later + timedelta(seconds=120)).dead == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD and message.attempts == 3
    assert delivery.deliver_due(later + timedelta(days=1)).dead == 0
    assert recorder.sent == []


def test_back_off_doubles_and_is_capped(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    settings.NOTIFY_RETRY_MAX_SECONDS = 3600
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_a_retry_that_succeeds_is_sent(db, recorder):
    recorder.failures = 1
    now = timezone.now()
    message = queued_sms(now)
    delivery.deliver_due(now)
    delivery.deliver_due(now + timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.last_error == ""
    assert recorder.sent == [message.pk]


def test_a_message_stuck_in_sending_goes_back_to_the_queue(db, recorder, settings):
    settings.NOTIFY_SENDING_TIMEOUT_SECONDS = 600
    now = timezone.now()
    message = queued_sms(now)
    # A deliverer claims it and is killed before it can send or record anything.
    assert [m.pk for m in delivery.claim_due(now, 10)] == [message.pk]
    assert delivery.deliver_due(now + timedelta(minutes=5)).sent == 0  # still within time-out
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    result = delivery.deliver_due(now + timedelta(minutes=11))
    assert result.recovered == 1 and result.sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert recorder.sent == [message.pk]


def test_a_stuck_message_out_of_attempts_is_given_up(db, recorder, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    now = timezone.now()
    message = queued_sms(now)
    delivery.claim_due(now, 10)
    delivery.deliver_due(now + timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD and "超时" in message.last_error
    assert recorder.sent == []


def test_a_broken_sender_fails_its_message_and_the_others_go_on(db, settings, monkeypatch):
    settings.SMS_SENDER = "zongzhi.notify.tests.test_delivery.Recorder"
    Recorder.sent, Recorder.failures = [], 0
    first = queued_sms(source="a")
    queued_sms(source="b", phone="13900001111")

    def explode_once(self, message):
        if message.pk == first.pk:
            raise ValueError("bug in a sender")
        Recorder.sent.append(message.pk)

    monkeypatch.setattr(Recorder, "send", explode_once)
    result = delivery.deliver_due()
    assert result.sent == 1 and result.retrying == 1
    first.refresh_from_db()
    assert first.status == MessageStatus.FAILED and "ValueError" in first.last_error


def test_the_command_delivers_and_reports(db, recorder, capsys):
    message = queued_sms()
    call_command("deliver_messages")
    assert "sent 1" in capsys.readouterr().out
    assert recorder.sent == [message.pk]


def test_the_scheduled_task_delivers(db, recorder):
    from zongzhi.jobs.scheduler import run_due_jobs

    message = queued_sms()
    run_due_jobs()  # the test settings run tasks immediately
    assert recorder.sent == [message.pk]


# --- the HTTP SMS gateway, against a real server on 127.0.0.1 -------------------------------


class Gateway(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((self.headers["Authorization"], json.loads(body)))
        self.send_response(Gateway.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.status, Gateway.received = 200, []
    settings.SMS_SENDER = "zongzhi.notify.senders.HttpSmsGatewaySender"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    settings.SMS_GATEWAY_TIMEOUT = 5
    yield Gateway
    server.shutdown()
    server.server_close()


def test_the_http_gateway_receives_json_and_2xx_means_sent(db, gateway):
    gateway.status = 202
    message = queued_sms()
    assert delivery.deliver_due().sent == 1
    [(auth, body)] = gateway.received
    assert auth == "Bearer secret-token"
    assert body == {"phone": PHONE, "text": message.text, "id": message.idempotency_key}


@pytest.mark.parametrize("status", [400, 500, 503])
def test_the_http_gateway_refusing_schedules_a_retry(db, gateway, status):
    gateway.status = status
    message = queued_sms()
    assert delivery.deliver_due().retrying == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and str(status) in message.last_error


def test_an_unreachable_gateway_is_a_send_error(db, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"  # discard port: nothing listens
    settings.SMS_GATEWAY_TIMEOUT = 2
    with pytest.raises(SendError, match="无法连接短信网关"):
        HttpSmsGatewaySender().send(Message(recipient_phone=PHONE, text="x", idempotency_key="k"))


# --- the admin -----------------------------------------------------------------------------


def test_the_admin_lists_failures_by_status_and_resends_them(world, client, recorder, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    recorder.failures = 1
    message = queued_sms()
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    admin = world.county_leader
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:notify_message_changelist")
    page = client.get(url, {"status__exact": "dead"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "138****5678" in text and PHONE not in text and "网关暂时不可用" in text
    answer = client.post(
        url, {"action": "resend_messages", "_selected_action": [message.pk]}, follow=True
    )
    assert "已将 1 条消息重新排队发送" in answer.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 0
    delivery.deliver_due()
    assert recorder.sent == [message.pk]
