"""Pluggable senders for SMS and WeChat messages; only ``core.notify`` calls them.

``SHANGLIANG_SENDERS`` maps a channel to a class path. A sender is built with its channel and has
one method, ``send(message) -> Result``; it may raise when the gateway is down (``core.notify``
records the failure). The default sender writes the message to the log (and keeps it in ``outbox``
for tests), so a district without an SMS gateway still works.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from shangliang.core.links import absolute_url

logger = logging.getLogger("shangliang.senders")


@dataclass
class Message:
    channel: str
    to: str
    title: str
    body: str
    url: str = ""

    def __post_init__(self):
        # A text message leaves the site: its link must be the public address, not a path.
        if self.url.startswith("/"):
            self.url = absolute_url(self.url)


@dataclass
class Result:
    delivered: bool
    detail: str = ""


class ConsoleSender:
    """Writes messages to the log instead of sending them."""

    outbox: list[Message] = []

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Message) -> Result:
        type(self).outbox.append(message)
        logger.info("[%s] to %s: %s %s", self.channel, message.to, message.title, message.url)
        return Result(True, "console")


DEFAULT_SENDERS = {"sms": "shangliang.core.senders.ConsoleSender", "wechat": "shangliang.core.senders.ConsoleSender"}


def sender_for(channel: str):
    path = settings.SHANGLIANG_SENDERS.get(channel) or DEFAULT_SENDERS[channel]
    return import_string(path)(channel)
