"""Pluggable senders for SMS and WeChat messages; only ``core.dispatch`` calls them.

``SHANGLIANG_SENDERS`` maps a channel to a class path. A sender is built with its channel, names
its ``provider`` (``core.models.Provider``, recorded on each row it sends) and has one method,
``send(message) -> Result``. The result's status says what became of the message:

- ``delivered``: it reached the recipient (the console sender, a gateway that confirms at once);
- ``sent``: the gateway accepted it (``provider_id`` kept); its receipt (回执) will say whether it arrived;
- ``failed``: refused for good (a template not approved, a wrong number); never sent again;
- ``retry``: a passing refusal (rate limited, or the gateway could not be reached before anything
  left); ``core.dispatch`` sends it again after 1, 2, 4 … minutes.

A sender may raise: a connection that could not be opened counts as ``retry``, anything else (a
timeout, a broken answer) as 结果不明 (``unknown``), never sent again, since the gateway may have
sent it. The console sender writes the message to the log (and keeps it in ``outbox`` for tests),
so a district without an SMS gateway still works. A WeChat sender whose ``provider`` is not the
console reaches only accounts bound to WeChat (``core.notify``).

Gateways that send from approved templates (模板) find them with ``template_for(provider, kind)``
and fill their variables with ``template_values``.
"""

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shangliang.core.links import absolute_url
from shangliang.core.models import MessageTemplate, Provider

logger = logging.getLogger("shangliang.senders")


@dataclass
class Message:
    channel: str
    to: str
    title: str
    body: str
    url: str = ""
    kind: str = ""
    # Template parameters beyond title, body and url (a verification code and its minutes).
    params: dict = field(default_factory=dict)
    # The Delivery row this message is (a provider's out_id / SessionContext, matched by receipts).
    delivery_id: int | None = None

    def __post_init__(self):
        # A text message leaves the site: its link must be the public address, not a path.
        if self.url.startswith("/"):
            self.url = absolute_url(self.url)


class SendStatus(StrEnum):
    DELIVERED = "delivered"  # reached the recipient, or the gateway confirmed it at once
    SENT = "sent"  # accepted by the gateway; its receipt will tell whether it arrived
    FAILED = "failed"  # refused for good; never sent again
    RETRY = "retry"  # a passing refusal; sent again later


@dataclass
class Result:
    status: SendStatus
    detail: str = ""
    # The gateway's id of the message (阿里云 BizId, 腾讯云 SerialNo), which its receipts name.
    provider_id: str = ""

    def __post_init__(self):
        # Senders written before the statuses answer True (sent) or False (refused).
        if isinstance(self.status, bool):
            self.status = SendStatus.DELIVERED if self.status else SendStatus.FAILED
        else:
            self.status = SendStatus(self.status)

    @property
    def accepted(self) -> bool:
        return self.status in (SendStatus.DELIVERED, SendStatus.SENT)


class ConsoleSender:
    """Writes messages to the log instead of sending them."""

    provider = Provider.CONSOLE
    outbox: list[Message] = []

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Message) -> Result:
        type(self).outbox.append(message)
        logger.info("[%s] to %s: %s %s", self.channel, message.to, message.title, message.url)
        return Result(SendStatus.DELIVERED, "console")


DEFAULT_SENDERS = {"sms": "shangliang.core.senders.ConsoleSender", "wechat": "shangliang.core.senders.ConsoleSender"}


def sender_class(channel: str) -> type:
    return import_string(settings.SHANGLIANG_SENDERS.get(channel) or DEFAULT_SENDERS[channel])


def sender_for(channel: str):
    return sender_class(channel)(channel)


def sender_provider(sender) -> str:
    """The provider a sender (or its class) names; a sender that names none is taken for the console."""
    provider = getattr(sender, "provider", Provider.CONSOLE)
    return provider if provider in Provider.values else Provider.CONSOLE


# --- templates (模板) --------------------------------------------------------------------------

# What a template variable may be filled with (MessageTemplate.params: "name=field" per line).
TEMPLATE_FIELDS = ("title", "body", "url", "path", "code", "minutes")


def template_params(text: str) -> list[tuple[str, str]]:
    """The (variable, field) pairs of a template's ``params`` lines; ValueError (in Chinese) on a bad line."""
    pairs = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, sep, source = (part.strip() for part in line.partition("="))
        if not sep or not name or not source:
            raise ValueError(_("第%(line)s行应写成“变量名=内容”，例如 code=code。") % {"line": number})
        if source not in TEMPLATE_FIELDS:
            raise ValueError(
                _("第%(line)s行的内容“%(field)s”不可用，只能是 %(fields)s 之一。")
                % {"line": number, "field": source, "fields": "、".join(TEMPLATE_FIELDS)}
            )
        if any(name == seen for seen, _source in pairs):
            raise ValueError(_("第%(line)s行的变量名“%(name)s”重复。") % {"line": number, "name": name})
        pairs.append((name, source))
    return pairs


def template_for(provider: str, kind: str) -> MessageTemplate | None:
    """The active template of ``provider`` for messages of ``kind``, or None."""
    return MessageTemplate.objects.filter(provider=provider, kind=kind, is_active=True).first()


def _field_value(message: Message, source: str) -> str:
    if source in ("code", "minutes"):
        return str(message.params.get(source, ""))
    if source == "path":
        # The link without scheme and host: the template's fixed text carries the site's address.
        parts = urlsplit(message.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return str(getattr(message, source) or "")


def template_values(template: MessageTemplate, message: Message, *, max_length: int | None = None) -> list:
    """Each (variable, value) of ``template`` with values from ``message``, cut to ``max_length`` characters.

    Texts (title, body) are cut with an ellipsis; a code, its minutes and a link are never cut
    (a cut link or code is worse than a refused message).
    """
    values = []
    for name, source in template_params(template.params):
        value = " ".join(_field_value(message, source).split())
        if max_length and len(value) > max_length and source in ("title", "body"):
            value = value[: max_length - 1] + "…"
        values.append((name, value))
    return values
