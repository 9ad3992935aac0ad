"""SMS codes in tests: a gateway that keeps what it sends, and a helper to ask for a code and read it.

``code_send`` refuses to send through the console sender outside a development install (nobody would
receive the code), so tests use ``OutboxSender``: it counts as a gateway and keeps each text in
``ConsoleSender.outbox``, where the tests read the code, as a resident reads their phone.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from shangliang.core.senders import ConsoleSender

HTMX = {"HTTP_HX_REQUEST": "true"}


class OutboxSender(ConsoleSender):
    """A stand-in SMS gateway: texts go to ``ConsoleSender.outbox`` (shared with the console sender)."""


@dataclass
class Texts:
    capture: object

    def ask(self, client, mobile: str, purpose: str, *, field: str = "mobile", htmx: bool = True, **extra):
        """POST the "获取验证码" button's request; the text goes out after the commit, as on the site."""
        data = {field: mobile, "purpose": purpose}
        if field != "mobile":
            data["mobile_field"] = field
        with self.capture(execute=True):
            return client.post(reverse("accounts:code"), data, **(HTMX if htmx else {}), **extra)

    def messages_to(self, mobile: str) -> list:
        return [m for m in ConsoleSender.outbox if m.channel == "sms" and m.to == mobile]

    def code(self, mobile: str) -> str:
        """The code in the last text sent to ``mobile``."""
        return self.messages_to(mobile)[-1].params["code"]


@pytest.fixture
def sms(settings, django_capture_on_commit_callbacks):
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": f"{__name__}.OutboxSender"}
    ConsoleSender.outbox.clear()
    yield Texts(django_capture_on_commit_callbacks)
    ConsoleSender.outbox.clear()
