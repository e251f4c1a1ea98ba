"""Senders: how an SMS or WeChat message leaves the platform. Pluggable by settings
(`ZONGZHI_SMS_SENDER`, `ZONGZHI_WECHAT_SENDER`, dotted paths to a class); a sender's `send`
returns when the message was accepted and raises SendError otherwise.
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from zongzhi.notify.models import Channel, Message

logger = logging.getLogger("zongzhi.notify.sent")


class SendError(Exception):
    """The message was not accepted; the deliverer retries it later."""


class Sender:
    def send(self, message: Message) -> None:
        raise NotImplementedError


class LogSender(Sender):
    """Writes one line per message to the `zongzhi.notify.sent` log, the phone masked: for
    development, demonstrations and centres without an SMS gateway."""

    def send(self, message: Message) -> None:
        logger.info(
            "%s → %s（%s，消息%s）：%s",
            message.get_channel_display(),
            message.recipient_label,
            message.get_kind_display(),
            message.pk,
            message.text,
        )


class HttpSmsGatewaySender(Sender):
    """POSTs `{"phone", "text", "id"}` as JSON to `ZONGZHI_SMS_GATEWAY_URL` with
    `Authorization: Bearer ZONGZHI_SMS_GATEWAY_TOKEN`; any 2xx answer means sent. `id` is the
    message's idempotency key, so a gateway that honours it drops a repeat after a crash."""

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        if not self.url:
            raise ImproperlyConfigured("HttpSmsGatewaySender needs ZONGZHI_SMS_GATEWAY_URL")
        self.token = settings.SMS_GATEWAY_TOKEN
        self.timeout = settings.SMS_GATEWAY_TIMEOUT

    def send(self, message: Message) -> None:
        body = json.dumps(
            {"phone": message.recipient_phone, "text": message.text, "id": message.idempotency_key},
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise SendError(f"短信网关返回 HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SendError(f"无法连接短信网关：{reason}") from None
        if not 200 <= status < 300:
            raise SendError(f"短信网关返回 HTTP {status}")


SENDER_SETTINGS = {Channel.SMS: "SMS_SENDER", Channel.WECHAT: "WECHAT_SENDER"}


def sender_for(channel: Channel) -> Sender:
    """The configured sender of a channel (a new instance, so settings changes apply)."""
    return import_string(getattr(settings, SENDER_SETTINGS[Channel(channel)]))()
