"""Two deliverers at once on PostgreSQL: every message is sent, none twice."""

import threading
import time

import pytest
from django.db import connection, transaction

from zongzhi.notify import delivery
from zongzhi.notify.models import Channel, Kind, Message, MessageStatus
from zongzhi.notify.outbox import enqueue

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: no concurrent claims"
)


class SlowRecorder:
    lock = threading.Lock()
    sent: list = []

    def send(self, message):
        time.sleep(0.005)  # long enough for the other deliverer to try the same rows
        with SlowRecorder.lock:
            SlowRecorder.sent.append(message.pk)


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_never_send_the_same_message(settings):
    settings.SMS_SENDER = "zongzhi.notify.tests.test_concurrent_delivery.SlowRecorder"
    SlowRecorder.sent = []
    with transaction.atomic():
        for n in range(120):
            enqueue(
                Kind.CASE_ACCEPTED,
                "已受理",
                source=str(n),
                channel=Channel.SMS,
                phone=f"139{n:08d}",
            )
    start = threading.Barrier(2)
    results, errors = [], []

    def deliverer():
        try:
            start.wait()
            results.append(delivery.deliver_due(batch=10))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliverer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(SlowRecorder.sent) == sorted(Message.objects.values_list("pk", flat=True))
    assert len(SlowRecorder.sent) == len(set(SlowRecorder.sent)) == 120
    assert all(result.sent > 0 for result in results), results  # both did some of the work
    assert not Message.objects.exclude(status=MessageStatus.SENT).exists()
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
