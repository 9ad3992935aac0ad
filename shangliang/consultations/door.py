"""The code in the door QR: whoever scans it stands at the door, now.

The QR at the door opens ``/c/<pk>/door/<code>/``. The code is a keyed hash (``salted_hmac``, the
project's secret key) over the consultation, its secret ``sign_in_token`` and a time, so nobody can
make one up, and a photo of it sent home soon stops working:

- a **screen code** (签到屏) names a slot of ``SHANGLIANG_SIGN_IN_ROTATE_MINUTES``; the screen shows
  the current slot's code and the code of the slot before is still accepted, so someone scanning
  at the moment it changes is not turned away;
- a **day code** (打印签到码), printed for a room without a screen, names the session's local date
  and is accepted on that date only.

A code works only inside the sign-in window as well (``services.self_sign_in_refusal``); the views
check both. Each code carries a two-character tag of its slot or date, so a genuine but old code is
told apart from a made-up one: the first is answered "the code has changed", the second 404.

Changing the secret key or the consultation's ``sign_in_token`` voids every code given out.
"""

import base64
import enum
import string
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from shangliang.consultations.models import Consultation

SALT = "shangliang.consultations.door"
SCREEN, DAY = "s", "d"
# The URL-safe base64 alphabet, in its order, for the tag.
_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
_TAG_RANGE = len(_ALPHABET) ** 2  # 4096 slots (28 days of 10 minutes) or days apart are told apart
_MAC_LENGTH = 9  # 54 bits; a guess is also rate-limited at the door
CODE_LENGTH = 1 + 2 + _MAC_LENGTH


class Verdict(enum.Enum):
    VALID = "valid"
    STALE = "stale"  # genuine, but of an earlier slot or another day
    FORGED = "forged"  # not a code this consultation ever had


def _tag(value: int) -> str:
    value %= _TAG_RANGE
    return _ALPHABET[value // len(_ALPHABET)] + _ALPHABET[value % len(_ALPHABET)]


def _mac(consultation: Consultation, kind: str, value: int) -> str:
    message = f"{consultation.pk}:{consultation.sign_in_token}:{kind}:{value}"
    digest = salted_hmac(SALT, message, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:_MAC_LENGTH]


def _code(consultation: Consultation, kind: str, value: int) -> str:
    return f"{kind}{_tag(value)}{_mac(consultation, kind, value)}"


def rotate_seconds() -> int:
    return max(1, settings.SHANGLIANG_SIGN_IN_ROTATE_MINUTES) * 60


def _slot(now) -> int:
    return int(now.timestamp()) // rotate_seconds()


def session_date(consultation: Consultation) -> date:
    """The session's local date: the one day its printed code works."""
    return timezone.localdate(consultation.starts_at)


def screen_code(consultation: Consultation, *, now=None) -> str:
    """The code the screen at the door shows at ``now`` (default the clock)."""
    return _code(consultation, SCREEN, _slot(now or timezone.now()))


def is_session_day(consultation: Consultation, *, now=None) -> bool:
    return timezone.localdate(now or timezone.now()) == session_date(consultation)


def day_code(consultation: Consultation) -> str:
    """The code to print for the session's date."""
    return _code(consultation, DAY, session_date(consultation).toordinal())


def check(consultation: Consultation, code: str, *, now=None) -> Verdict:
    """Whether ``code`` is the consultation's and current at ``now``; the sign-in window is not checked here."""
    if len(code) != CODE_LENGTH or code[0] not in (SCREEN, DAY):
        return Verdict.FORGED
    kind, tag = code[0], code[1:3]
    if any(ch not in _ALPHABET for ch in tag):
        return Verdict.FORGED
    tagged = _ALPHABET.index(tag[0]) * len(_ALPHABET) + _ALPHABET.index(tag[1])
    now = now or timezone.now()
    current = _slot(now) if kind == SCREEN else timezone.localdate(now).toordinal()
    # The latest slot (or day) up to now that carries this tag; a code is never made for a later one.
    value = current - (current - tagged) % _TAG_RANGE
    if not constant_time_compare(code, _code(consultation, kind, value)):
        return Verdict.FORGED
    if kind == SCREEN:
        return Verdict.VALID if current - value <= 1 else Verdict.STALE
    return Verdict.VALID if value == current == session_date(consultation).toordinal() else Verdict.STALE
